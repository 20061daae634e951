package io.dyno.breaker.internal;

import java.util.function.DoubleSupplier;

/**
 * Vegas: estimates the queue from the ratio of the no-load latency to the latest, grows the limit
 * fast while there is no queue and slowly while it is short, and shrinks it when the queue grows or
 * a call is dropped. The update rule and defaults are those of Netflix concurrency-limits' {@code
 * VegasLimit}, with these differences:
 *
 * <ul>
 *   <li>The queue is judged on a short average of the latency over about a round of calls (the
 *       limit's worth of samples), and the no-load latency is the lowest that average reached: the
 *       peer compares one sample with the lowest sample, so that the spread of service times alone
 *       reads as a queue and the limit settles below the service's concurrency.
 *   <li>The limit moves at most once a round, as TCP Vegas' window does: a move shows in the
 *       latency only a round later, and moving on every sample overshoots both ways. A drop backs
 *       off at once.
 *   <li>Every {@code probeMultiplier} times the limit samples (with jitter) a {@link NoLoadProbe}
 *       drains the queue and measures the no-load latency afresh, so that it follows a service that
 *       got slower for good; the peer takes the next sample, queue included, so that the queue
 *       ratchets up with every probe once it is judged on an average.
 *   <li>A drop neither sets the no-load latency nor counts toward a probe.
 * </ul>
 */
public final class VegasAlgorithm extends LimitAlgorithm {

  /** A setting left at its default, which then follows the limit's logarithm. */
  public static final int BY_LIMIT = -1;

  private final int initialLimit;
  private final int maxLimit;
  private final double smoothing;
  private final int alpha;
  private final int beta;
  private final int threshold;
  private final int probeMultiplier;
  private final DoubleSupplier jitter;

  // Guarded by AdaptiveLimit's lock.
  private double estimatedLimit;
  private double rttNoLoad;
  private double shortRtt;
  private int sinceMove;
  private final NoLoadProbe probe = new NoLoadProbe();
  private int probeCount;
  private double probeJitter;

  /**
   * Creates the algorithm; the settings were checked by the builder.
   *
   * @param initialLimit the limit before the first sample
   * @param maxLimit the highest limit
   * @param smoothing the weight of a new estimate, in (0, 1]
   * @param alpha below this queue the limit grows slowly, or {@link #BY_LIMIT}
   * @param beta above this queue the limit shrinks, or {@link #BY_LIMIT}
   * @param threshold up to this queue the limit grows fast, or {@link #BY_LIMIT}
   * @param probeMultiplier how many times the limit samples pass between probes, before jitter
   * @param jitter draws the jitter of each probe interval, in [0.5, 1)
   */
  public VegasAlgorithm(
      int initialLimit,
      int maxLimit,
      double smoothing,
      int alpha,
      int beta,
      int threshold,
      int probeMultiplier,
      DoubleSupplier jitter) {
    this.initialLimit = initialLimit;
    this.maxLimit = maxLimit;
    this.smoothing = smoothing;
    this.alpha = alpha;
    this.beta = beta;
    this.threshold = threshold;
    this.probeMultiplier = probeMultiplier;
    this.jitter = jitter;
    this.estimatedLimit = initialLimit;
    this.probeJitter = jitter.getAsDouble();
  }

  @Override
  public String name() {
    return "vegas";
  }

  @Override
  public int initialLimit() {
    return initialLimit;
  }

  /** Returns the base-10 logarithm of {@code limit} rounded down, at least 1. */
  static int log10(int limit) {
    return Math.max(1, (int) Math.log10(limit));
  }

  @Override
  public int update(long rttNanos, int inflight, boolean dropped, int limit) {
    double estimate = estimatedLimit;
    if (dropped) {
      return moveTo(estimate, decrease(estimate));
    }
    if (probe.active()) {
      double measured = probe.sample(rttNanos, inflight);
      if (measured > 0) {
        rttNoLoad = measured;
        shortRtt = measured;
      }
      return probe.active() ? probe.limit() : (int) estimate;
    }
    double rtt = smooth(rttNanos, estimate);
    probeCount++;
    if (probeJitter * probeMultiplier * estimate <= probeCount) {
      probeJitter = jitter.getAsDouble();
      probeCount = 0;
      // Taking the next latency as the no-load one, as the peer does, takes in a standing queue
      // with it: drain the queue and measure instead.
      int cut = Math.max(1, (int) (estimate / 2));
      probe.start(cut, 4 * ((int) estimate + 2 * cut));
      return probe.limit();
    }
    if (rttNoLoad == 0 || rtt < rttNoLoad) {
      rttNoLoad = rtt;
      return (int) estimate;
    }
    int queue = (int) Math.ceil(estimate * (1 - rttNoLoad / rtt));
    // Only an application that uses at least half its limit says something about its capacity.
    if (inflight * 2 < estimate) {
      return (int) estimate;
    }
    int current = (int) estimate;
    // A move shows in the latency a round of calls later: move once a round, as TCP Vegas does.
    if (++sinceMove < estimate) {
      return current;
    }
    int log = log10(current);
    int a = alpha == BY_LIMIT ? 3 * log : alpha;
    int b = beta == BY_LIMIT ? 6 * log : beta;
    int t = threshold == BY_LIMIT ? log : threshold;
    double next;
    if (queue <= t) {
      next = estimate + b;
    } else if (queue < a) {
      next = estimate + log10((int) estimate);
    } else if (queue > b) {
      next = decrease(estimate);
    } else {
      return current;
    }
    sinceMove = 0;
    return moveTo(estimate, next);
  }

  /**
   * Folds a sample into the short average, an exponential average over about a round of calls (the
   * limit's worth of samples), and returns it.
   */
  private double smooth(long rttNanos, double estimate) {
    if (shortRtt == 0) {
      shortRtt = rttNanos;
    } else {
      double factor = 2 / (Math.max(1, estimate) + 1);
      shortRtt += (rttNanos - shortRtt) * factor;
    }
    return shortRtt;
  }

  private static double decrease(double estimate) {
    return estimate - log10((int) estimate);
  }

  private int moveTo(double estimate, double next) {
    double bounded = Math.max(1, Math.min(maxLimit, next));
    double smoothed = (1 - smoothing) * estimate + smoothing * bounded;
    estimatedLimit = smoothed;
    return (int) smoothed;
  }
}
