package io.dyno.breaker.internal;

/**
 * AIMD: adds one to the limit after a success while at least half of it is in use, and multiplies
 * it by the backoff ratio after a loss (a drop, or a success slower than the timeout). The update
 * rule and defaults are those of Netflix concurrency-limits' {@code AIMDLimit}.
 */
public final class AimdAlgorithm extends LimitAlgorithm {

  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;
  private final double backoffRatio;
  private final long timeoutNanos;

  /**
   * Creates the algorithm; the settings were checked by the builder.
   *
   * @param initialLimit the limit before the first sample
   * @param minLimit the lowest limit
   * @param maxLimit the highest limit
   * @param backoffRatio the factor a loss multiplies the limit by, in [0.5, 1)
   * @param timeoutNanos a success slower than this is a loss
   */
  public AimdAlgorithm(
      int initialLimit, int minLimit, int maxLimit, double backoffRatio, long timeoutNanos) {
    this.initialLimit = initialLimit;
    this.minLimit = minLimit;
    this.maxLimit = maxLimit;
    this.backoffRatio = backoffRatio;
    this.timeoutNanos = timeoutNanos;
  }

  @Override
  public String name() {
    return "aimd";
  }

  @Override
  public int initialLimit() {
    return initialLimit;
  }

  @Override
  public int update(long rttNanos, int inflight, boolean dropped, int limit) {
    int next = limit;
    if (dropped || rttNanos > timeoutNanos) {
      next = (int) (limit * backoffRatio);
    } else if (inflight * 2 >= limit) {
      next = limit + 1;
    }
    return Math.min(maxLimit, Math.max(minLimit, next));
  }
}
