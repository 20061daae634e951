package io.dyno.breaker.internal;

/**
 * Gradient2: moves the limit by the ratio of a long exponential average of the latency to the
 * latest sample, plus a queue allowance, smoothed. The update rule and defaults are those of
 * Netflix concurrency-limits' {@code Gradient2Limit}, but for drops: the peer feeds a drop's time
 * as an ordinary sample, so that a fast timeout reads as low latency, where here a drop is a loss.
 */
public final class Gradient2Algorithm extends LimitAlgorithm {

  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;
  private final int queueSize;
  private final double smoothing;
  private final double rttTolerance;
  private final ExpAverage longRtt;

  // Guarded by AdaptiveLimit's lock.
  private double estimatedLimit;

  /**
   * Creates the algorithm; the settings were checked by the builder.
   *
   * @param initialLimit the limit before the first sample
   * @param minLimit the lowest limit
   * @param maxLimit the highest limit
   * @param queueSize the allowance added to the limit on every update
   * @param smoothing the weight of a new estimate, in (0, 1]
   * @param rttTolerance how much slower than the long average a call may be before the limit falls
   * @param longWindow the number of samples the long average spans
   */
  public Gradient2Algorithm(
      int initialLimit,
      int minLimit,
      int maxLimit,
      int queueSize,
      double smoothing,
      double rttTolerance,
      int longWindow) {
    this.initialLimit = initialLimit;
    this.minLimit = minLimit;
    this.maxLimit = maxLimit;
    this.queueSize = queueSize;
    this.smoothing = smoothing;
    this.rttTolerance = rttTolerance;
    this.longRtt = new ExpAverage(longWindow, 10);
    this.estimatedLimit = initialLimit;
  }

  @Override
  public String name() {
    return "gradient2";
  }

  @Override
  public int initialLimit() {
    return initialLimit;
  }

  @Override
  public int update(long rttNanos, int inflight, boolean dropped, int limit) {
    double estimate = estimatedLimit;
    double gradient;
    if (dropped) {
      // A drop says the service is overloaded, whatever its latency: back off as far as one
      // sample may, and keep the drop's time out of the latency averages.
      gradient = 0.5;
    } else {
      double shortRtt = rttNanos;
      double longAverage = longRtt.add(shortRtt);
      // After a long spell of high latency the long average lags far behind: pull it down faster
      // than the smoothing would, so that the limit recovers.
      if (longAverage / shortRtt > 2) {
        longRtt.scale(0.95);
      }
      // An application that uses less than half the limit says nothing about its capacity.
      if (inflight < estimate / 2) {
        return (int) estimate;
      }
      // At most halve the limit on one sample, and never grow it by the gradient itself.
      gradient = Math.max(0.5, Math.min(1.0, rttTolerance * longAverage / shortRtt));
    }
    double next = estimate * gradient + queueSize;
    next = estimate * (1 - smoothing) + next * smoothing;
    next = Math.max(minLimit, Math.min(maxLimit, next));
    estimatedLimit = next;
    return (int) next;
  }
}
