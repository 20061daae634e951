package io.dyno.cache;

/**
 * A snapshot of a cache's counters since it was built.
 *
 * @param hits reads that returned a live value at once
 * @param misses reads that found no live value and computed it or waited for its computation
 * @param earlyRecomputes computations started early, by the {@link EarlyRecompute} strategy, while
 *     a live value was served
 * @param loads computations started, for misses and early recomputes alike
 * @param loadFailures computations that failed (threw, returned null, or were refused by the
 *     executor)
 * @param evictions entries removed for size or after expiry (not invalidations)
 */
public record CacheStats(
    long hits, long misses, long earlyRecomputes, long loads, long loadFailures, long evictions) {

  /**
   * Returns the share of reads that were hits, or 1 when there were no reads.
   *
   * @return hits / (hits + misses)
   */
  public double hitRate() {
    long reads = hits + misses;
    return reads == 0 ? 1.0 : (double) hits / reads;
  }
}
