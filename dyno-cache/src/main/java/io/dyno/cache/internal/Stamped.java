package io.dyno.cache.internal;

/**
 * One computed value with its times, immutable, so that a reader sees all of them at once through a
 * single volatile read of {@link Node#value}.
 *
 * @param value the value
 * @param loadedAt ticker time at which the computation finished
 * @param expiresAt ticker time at which the value expires (hard expiry)
 * @param earliestRecompute ticker time before which no read can recompute early, so that reads
 *     before it need no random draw
 * @param delta nanoseconds the computation took (δ)
 * @param <V> the value type
 */
public record Stamped<V>(V value, long loadedAt, long expiresAt, long earliestRecompute, long delta)
    implements Outcome<V> {

  /**
   * Returns whether the value is still live at {@code now}; overflow-safe for tickers anywhere in
   * the {@code long} range.
   *
   * @param now the ticker time
   * @return true before the hard expiry
   */
  public boolean isLive(long now) {
    return now - expiresAt < 0;
  }
}
