package io.dyno.breaker.internal;

/**
 * AIMD as TCP's congestion avoidance does it (RFC 5681): the limit grows by one per window of
 * successes (a limit's worth, while at least half of it is in use) and is multiplied by the backoff
 * ratio once per window of losses (a drop, or a success slower than the timeout). The calls in
 * flight when it backed off were sent under the higher limit, so their losses are the same
 * congestion seen again: the next that many samples neither back off nor grow.
 *
 * <p>The settings and defaults are those of Netflix concurrency-limits' {@code AIMDLimit}, whose
 * rule works per sample instead: one added per success, which doubles the limit per round trip, and
 * one backoff per lost call, so that a burst of 20 timeouts cuts the limit to 0.9<sup>20</sup> = 12
 * % of itself. Under overload that rule swings between its minimum and far above the capacity.
 */
public final class AimdAlgorithm extends LimitAlgorithm {

  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;
  private final double backoffRatio;
  private final long timeoutNanos;

  /** Samples left of the calls that were in flight at the last backoff. */
  private int recovering;

  /** Successes since the limit last grew. */
  private int grown;

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
    if (recovering > 0) {
      recovering--;
      return limit;
    }
    int next = limit;
    if (dropped || rttNanos > timeoutNanos) {
      next = (int) (limit * backoffRatio);
      recovering = inflight - 1;
      grown = 0;
    } else if (inflight * 2 >= limit && ++grown >= limit) {
      grown = 0;
      next = limit + 1;
    }
    return Math.min(maxLimit, Math.max(minLimit, next));
  }
}
