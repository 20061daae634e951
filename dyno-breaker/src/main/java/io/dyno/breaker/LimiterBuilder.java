package io.dyno.breaker;

import io.dyno.breaker.internal.Names;

/**
 * Builds a {@link Limiter}, from {@link Limiter#builder(String)}; validates each setting as it is
 * given. The number of permits has no default and must be set. Not thread-safe.
 */
public final class LimiterBuilder {

  private final String name;
  private int permits;
  private boolean writableStackTrace = true;

  LimiterBuilder(String name) {
    this.name = Names.require(name, "name");
  }

  /**
   * Sets how many calls may run at once; there is no default.
   *
   * @param permits at least 1
   * @return this builder
   * @throws IllegalArgumentException if below 1
   */
  public LimiterBuilder permits(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be >= 1, was " + permits);
    }
    this.permits = permits;
    return this;
  }

  /**
   * Sets whether a {@link LimitExceededException} has a stack trace; the default is true. Without
   * one a rejection is several times cheaper, which matters when a full limiter rejects a flood.
   *
   * @param writable false to skip the stack trace
   * @return this builder
   */
  public LimiterBuilder writableStackTrace(boolean writable) {
    this.writableStackTrace = writable;
    return this;
  }

  /**
   * Returns the limiter.
   *
   * @return a new limiter with every permit free
   * @throws IllegalStateException if {@link #permits} was not set
   */
  public Limiter build() {
    if (permits == 0) {
      throw new IllegalStateException(
          "permits is not set for limiter '" + name + "': set how many calls may run at once");
    }
    return Limiter.create(name, permits, writableStackTrace);
  }
}
