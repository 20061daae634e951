package io.dyno.breaker.internal;

/**
 * Measures a service's latency without queueing, while it is overloaded: the limit is cut to the
 * probe's limit until the calls in flight have fallen to it (the queue drains), then one round of
 * that many calls passes (the calls sent before the cut finish), and the mean latency of the round
 * after is the no-load latency. A queue cannot survive the cut as long as the probe's limit is at
 * most the service's concurrency, so what remains is the service's own latency, however it changed.
 * Not thread-safe: its algorithm calls it under {@link AdaptiveLimit}'s lock.
 */
final class NoLoadProbe {

  private int limit;
  private int last;
  private boolean drained;
  private int skip;
  private int budget;
  private double sum;
  private int count;

  /** Whether a probe is under way, so that the algorithm publishes {@link #limit()}. */
  boolean active() {
    return limit > 0;
  }

  /** The limit of the last probe started. */
  int lastLimit() {
    return last;
  }

  /** The limit while probing. */
  int limit() {
    return limit;
  }

  /**
   * Starts a probe at {@code limit}, which gives up without a measurement after {@code budget}
   * samples: calls that never end must not hold the limit down.
   */
  void start(int limit, int budget) {
    this.limit = Math.max(1, limit);
    this.last = this.limit;
    this.budget = budget;
    this.drained = false;
    this.skip = 0;
    this.sum = 0;
    this.count = 0;
  }

  /**
   * Takes one sample while a probe is under way and returns the no-load latency once measured, or 0
   * while it is not (also when the probe gave up); the probe is over when this returns non-zero or
   * {@link #active()} turns false.
   */
  double sample(long rttNanos, int inflight) {
    if (--budget < 0) {
      limit = 0;
      return 0;
    }
    if (!drained) {
      if (inflight <= limit) {
        drained = true;
        skip = limit;
      }
      return 0;
    }
    if (skip > 0) {
      skip--;
      return 0;
    }
    sum += rttNanos;
    count++;
    if (count < limit) {
      return 0;
    }
    limit = 0;
    return sum / count;
  }
}
