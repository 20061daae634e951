package io.dyno.cache.internal;

/**
 * A failed computation, as handed to the readers that waited for it: every one of them throws this
 * same instance.
 *
 * @param thrown a {@link RuntimeException} or an {@link Error}
 * @param <V> the value type the computation would have produced
 */
public record Failure<V>(Throwable thrown) implements Outcome<V> {

  /**
   * Throws the failure.
   *
   * @return never returns; declared so that callers can write {@code throw failure.rethrow()}
   */
  public RuntimeException rethrow() {
    if (thrown instanceof Error e) {
      throw e;
    }
    throw (RuntimeException) thrown;
  }
}
