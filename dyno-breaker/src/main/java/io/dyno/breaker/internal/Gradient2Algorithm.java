package io.dyno.breaker.internal;

/**
 * Gradient2: moves the limit by the ratio of a long exponential average of the latency to the
 * latest sample, plus a queue allowance, smoothed. The update rule and defaults are those of
 * Netflix concurrency-limits' {@code Gradient2Limit}, with three differences:
 *
 * <ul>
 *   <li>A drop is a loss: the peer feeds a drop's time as an ordinary sample, so that a fast
 *       timeout reads as low latency.
 *   <li>The gradient compares the sample with the no-load latency, not with the long average once
 *       that has risen above it: the long average follows a standing queue, so the peer's limit
 *       grows by the queue allowance until the latency outruns it, and the queue drifts up. The
 *       no-load latency is the lowest long average, measured afresh while the long average stands
 *       above it by a {@link NoLoadProbe}, which drains the queue, so that it follows a service
 *       that got slower for good.
 *   <li>While the long average stands above the no-load latency, and whenever the limit falls, it
 *       moves at most once every quarter of the limit's samples: a move shows in the latency a
 *       round of calls later, and moving on every sample overshoots both ways.
 * </ul>
 *
 * <p>At a constant latency none of these applies and the limit follows the peer's path.
 */
public final class Gradient2Algorithm extends LimitAlgorithm {

  /** How many long windows of samples pass at least between two probes. */
  private static final int PROBE_WINDOWS = 2;

  /** How far the long average must stand above the no-load latency for a probe. */
  private static final double PROBE_RISE = 1.1;

  /** The share of the limit, in samples, between two moves while there is a queue. */
  private static final double PACE = 0.25;

  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;
  private final int queueSize;
  private final double smoothing;
  private final double rttTolerance;
  private final ExpAverage longRtt;
  private final int probeInterval;
  private final NoLoadProbe probe = new NoLoadProbe();

  // Guarded by AdaptiveLimit's lock.
  private double estimatedLimit;
  private double noLoad;
  private int sinceProbe;
  private double probed;
  private int sinceDecrease;
  private int sinceIncrease;

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
    this.probeInterval = longWindow * PROBE_WINDOWS;
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
    if (probe.active() && !dropped) {
      return probing(rttNanos, inflight, estimate);
    }
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
        longAverage = longRtt.value();
      }
      if (noLoad == 0 || longAverage < noLoad) {
        noLoad = longAverage;
      }
      // The long average follows a standing queue as readily as a slower service; only a drained
      // queue tells them apart, so measure afresh now and then while it stands above the no-load
      // latency.
      if (++sinceProbe >= probeInterval && longAverage > noLoad * PROBE_RISE) {
        sinceProbe = 0;
        int cut = Math.max(minLimit, (int) (estimate / 2));
        probe.start(cut, probeBudget((int) estimate, cut));
        return probe.limit();
      }
      // An application that uses less than half the limit says nothing about its capacity.
      if (inflight < estimate / 2) {
        return (int) estimate;
      }
      // At most halve the limit on one sample, and never grow it by the gradient itself.
      gradient =
          Math.max(0.5, Math.min(1.0, rttTolerance * Math.min(longAverage, noLoad) / shortRtt));
      // A move shows in the latency only a round of calls later: while there is a queue, move at
      // most once every quarter of the limit's samples, so as not to overshoot.
      if (gradient < 1) {
        if (++sinceDecrease < estimate * PACE) {
          return (int) estimate;
        }
        sinceDecrease = 0;
      } else if (longAverage > noLoad) {
        if (++sinceIncrease < estimate * PACE) {
          return (int) estimate;
        }
        sinceIncrease = 0;
      }
    }
    double next = estimate * gradient + queueSize;
    next = estimate * (1 - smoothing) + next * smoothing;
    next = Math.max(minLimit, Math.min(maxLimit, next));
    estimatedLimit = next;
    return probe.active() ? probe.limit() : (int) next;
  }

  /**
   * Takes a sample while probing and returns the limit to publish. A measured latency above the
   * no-load one that falls when the limit does was queueing: measure again at half the limit. One
   * that holds there, or at the lowest limit, is the service's own.
   */
  private int probing(long rttNanos, int inflight, double estimate) {
    double measured = probe.sample(rttNanos, inflight);
    if (measured > 0) {
      int at = probe.lastLimit();
      if (measured > noLoad * PROBE_RISE
          && at > minLimit
          && (probed == 0 || measured < probed * 0.9)) {
        probed = measured;
        int cut = Math.max(minLimit, at / 2);
        probe.start(cut, probeBudget(at, cut));
      } else {
        noLoad = measured;
        probed = 0;
      }
    } else if (!probe.active()) {
      probed = 0;
    }
    return probe.active() ? probe.limit() : (int) estimate;
  }

  /** Enough samples to drain {@code from} calls down to {@code to} and measure, four times over. */
  private static int probeBudget(int from, int to) {
    return 4 * (from + 2 * to);
  }
}
