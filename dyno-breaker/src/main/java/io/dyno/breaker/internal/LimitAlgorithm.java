package io.dyno.breaker.internal;

/**
 * One way of moving an adaptive limit from the samples of finished calls: Gradient2, Vegas or AIMD.
 *
 * <p>Not thread-safe: {@link AdaptiveLimit} calls {@link #update} under its lock only, one sample
 * at a time, and publishes the result.
 */
public abstract class LimitAlgorithm {

  /** For subclasses. */
  LimitAlgorithm() {}

  /**
   * Returns the algorithm's name as {@code Limiter.algorithm()} shows it.
   *
   * @return the name, such as {@code gradient2}
   */
  public abstract String name();

  /**
   * Returns the limit before the first sample.
   *
   * @return the initial limit, at least 1
   */
  public abstract int initialLimit();

  /**
   * Takes one sample and returns the new limit.
   *
   * @param rttNanos how long the call took, at least 1; not meaningful for a drop
   * @param inflight how many calls were in flight with it, itself included
   * @param dropped whether the call was a loss: a timeout or an overload answer
   * @param limit the limit now
   * @return the new limit, at least 1
   */
  public abstract int update(long rttNanos, int inflight, boolean dropped, int limit);
}
