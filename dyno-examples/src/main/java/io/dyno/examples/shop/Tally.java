package io.dyno.examples.shop;

import io.dyno.service.ServiceTimeoutException;
import io.dyno.service.ShortCircuitException;
import io.dyno.utils.Stats;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What happened to one dependency over a whole run, for the summary table: calls, fallbacks,
 * short-circuits, timeouts, breaker trips and a sample of call latencies.
 *
 * <p>The dashboard's metrics cover a rolling window; this tally covers the run from its start. Its
 * latencies are a uniform sample (reservoir sampling) of at most {@value #RESERVOIR} calls, so a
 * day-long run keeps a bounded memory and still gives a fair p99.
 *
 * <p>Thread-safe.
 */
public final class Tally {

  static final int RESERVOIR = 100_000;

  private final String name;
  private final LongAdder calls = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();
  private final LongAdder shortCircuits = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder trips = new LongAdder();
  private final ReentrantLock lock = new ReentrantLock();
  private final long[] latencies;
  private final SplittableRandom random;
  private long seen;

  private Tally(String name, int capacity, long seed) {
    this.name = name;
    this.latencies = new long[capacity];
    this.random = new SplittableRandom(seed);
  }

  /**
   * Creates an empty tally.
   *
   * @param name the dependency's name
   * @param seed seeds the choice of latencies kept once the sample is full
   * @return the tally
   */
  public static Tally create(String name, long seed) {
    return create(name, RESERVOIR, seed);
  }

  static Tally create(String name, int capacity, long seed) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    return new Tally(Objects.requireNonNull(name, "name"), capacity, seed);
  }

  /** Counts a call of the dependency by the shop. */
  public void recordCall() {
    calls.increment();
  }

  /** Counts a call answered by the fallback. */
  public void recordFallback() {
    fallbacks.increment();
  }

  /**
   * Counts a failed call as a short-circuit or a timeout when it is one.
   *
   * @param failure the failure
   */
  public void recordFailure(Throwable failure) {
    if (failure instanceof ShortCircuitException) {
      shortCircuits.increment();
    } else if (failure instanceof ServiceTimeoutException) {
      timeouts.increment();
    }
  }

  /** Counts a breaker trip: a change from CLOSED to OPEN. */
  public void recordTrip() {
    trips.increment();
  }

  /**
   * Adds a call's latency to the sample.
   *
   * @param nanos the latency in nanoseconds
   */
  public void recordLatency(long nanos) {
    lock.lock();
    try {
      seen++;
      if (seen <= latencies.length) {
        latencies[(int) (seen - 1)] = nanos;
      } else {
        // Algorithm R: the n-th latency replaces a random kept one with chance capacity / n.
        long slot = random.nextLong(seen);
        if (slot < latencies.length) {
          latencies[(int) slot] = nanos;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the dependency's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the number of calls.
   *
   * @return the calls
   */
  public long calls() {
    return calls.sum();
  }

  /**
   * Returns the number of calls answered by the fallback.
   *
   * @return the fallbacks
   */
  public long fallbacks() {
    return fallbacks.sum();
  }

  /**
   * Returns the number of calls refused by the open breaker.
   *
   * @return the short-circuits
   */
  public long shortCircuits() {
    return shortCircuits.sum();
  }

  /**
   * Returns the number of calls given up on at their timeout.
   *
   * @return the timeouts
   */
  public long timeouts() {
    return timeouts.sum();
  }

  /**
   * Returns the number of times the breaker opened from closed.
   *
   * @return the trips
   */
  public long trips() {
    return trips.sum();
  }

  /**
   * Returns the given percentile of the sampled latencies, or empty if none was recorded.
   *
   * @param p the percentile, in [0, 100]
   * @return the latency
   */
  public Optional<Duration> latencyPercentile(double p) {
    long[] sample;
    lock.lock();
    try {
      sample = Arrays.copyOf(latencies, (int) Math.min(seen, latencies.length));
    } finally {
      lock.unlock();
    }
    if (sample.length == 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(Math.round(Stats.percentile(sample, p))));
  }

  /**
   * Returns {@code Tally[name: n calls]}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "Tally[" + name + ": " + calls() + " calls]";
  }
}
