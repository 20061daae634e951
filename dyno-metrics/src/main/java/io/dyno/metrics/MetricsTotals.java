package io.dyno.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A metric's counts since it was created, never since a window: what a Prometheus counter or a
 * Micrometer {@code FunctionCounter} reports, and what a scraper turns into rates with {@code
 * rate()}. Where a {@link MetricsSnapshot} answers "how is the dependency doing now", totals answer
 * "how many calls so far", and only grow.
 *
 * <p>Read with {@code Metrics.totals()}. Reading them adds nothing to a call's path: the window's
 * buckets, as they leave the window, are added to the totals of the buckets before them.
 *
 * <p>Each count never decreases from one reading to the next. A latency is in {@link
 * #latencyCount()} and in the latency buckets once the call has ended.
 *
 * <p>Immutable and thread-safe.
 */
public final class MetricsTotals {

  private final String name;
  private final long successes;
  private final long failures;
  private final long timeouts;
  private final long shortCircuits;
  private final long rejections;
  private final Map<String, Long> failuresByType;
  private final long[] latencyValues;
  private final long[] latencyCounts;
  private final long latencyCount;
  private final long latencySumNanos;

  /**
   * Creates the totals of one reading; {@code Metrics.totals()} reads a metric's. Public for code
   * that tests an exporter of its own.
   *
   * @param name the metric's name
   * @param successes successful calls
   * @param failures failed calls
   * @param timeouts timed-out calls
   * @param shortCircuits calls refused by an open breaker
   * @param rejections calls refused for lack of capacity
   * @param failuresByType failures by exception class name
   * @param latencyValues the latencies recorded, in nanoseconds, ascending and distinct: each the
   *     lowest value of its HdrHistogram bucket
   * @param latencyCounts how many latencies each of {@code latencyValues} stands for, each at least
   *     1
   * @throws IllegalArgumentException if a count is negative, the latency arrays differ in length,
   *     or the values are not ascending
   */
  public MetricsTotals(
      String name,
      long successes,
      long failures,
      long timeouts,
      long shortCircuits,
      long rejections,
      Map<String, Long> failuresByType,
      long[] latencyValues,
      long[] latencyCounts) {
    this.name = Objects.requireNonNull(name, "name must not be null");
    this.successes = requireCount("successes", successes);
    this.failures = requireCount("failures", failures);
    this.timeouts = requireCount("timeouts", timeouts);
    this.shortCircuits = requireCount("shortCircuits", shortCircuits);
    this.rejections = requireCount("rejections", rejections);
    this.failuresByType = Collections.unmodifiableMap(new TreeMap<>(failuresByType));
    if (latencyValues.length != latencyCounts.length) {
      throw new IllegalArgumentException(
          "latencyValues and latencyCounts must have one length, were "
              + latencyValues.length
              + " and "
              + latencyCounts.length);
    }
    long count = 0;
    long sum = 0;
    for (int i = 0; i < latencyValues.length; i++) {
      if (i > 0 && latencyValues[i] <= latencyValues[i - 1]) {
        throw new IllegalArgumentException(
            "latencyValues must ascend, was "
                + latencyValues[i - 1]
                + " then "
                + latencyValues[i]
                + " at "
                + i);
      }
      if (latencyValues[i] < 0 || latencyCounts[i] < 1) {
        throw new IllegalArgumentException(
            "latency "
                + latencyValues[i]
                + " ns counted "
                + latencyCounts[i]
                + " times at "
                + i
                + "; values must be >= 0 and counts >= 1");
      }
      count += latencyCounts[i];
      sum += latencyValues[i] * latencyCounts[i];
    }
    this.latencyValues = latencyValues.clone();
    this.latencyCounts = latencyCounts.clone();
    this.latencyCount = count;
    this.latencySumNanos = sum;
  }

  private static long requireCount(String what, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, was " + value);
    }
    return value;
  }

  /**
   * Returns the metric's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the successful calls.
   *
   * @return the count
   */
  public long successes() {
    return successes;
  }

  /**
   * Returns the failed calls, timeouts not included.
   *
   * @return the count
   */
  public long failures() {
    return failures;
  }

  /**
   * Returns the calls that timed out.
   *
   * @return the count
   */
  public long timeouts() {
    return timeouts;
  }

  /**
   * Returns the calls refused by an open circuit breaker.
   *
   * @return the count
   */
  public long shortCircuits() {
    return shortCircuits;
  }

  /**
   * Returns the calls refused for lack of capacity.
   *
   * @return the count
   */
  public long rejections() {
    return rejections;
  }

  /**
   * Returns every call counted: successes, failures, timeouts, short-circuits and rejections.
   *
   * @return the sum
   */
  public long requests() {
    return successes + failures + timeouts + shortCircuits + rejections;
  }

  /**
   * Returns the failures by the exception's class name, sorted by name.
   *
   * @return an unmodifiable map
   */
  public Map<String, Long> failuresByType() {
    return failuresByType;
  }

  /**
   * Returns how many latencies were recorded: one per call that ran (short-circuits and rejections
   * never ran).
   *
   * @return the count
   */
  public long latencyCount() {
    return latencyCount;
  }

  /**
   * Returns the sum of the latencies recorded, each taken as the lowest value of its HdrHistogram
   * bucket at 3 significant digits (within 0.1 % below the latency measured).
   *
   * @return the sum
   */
  public Duration latencySum() {
    return Duration.ofNanos(latencySumNanos);
  }

  /**
   * Returns, for each bound, how many latencies recorded were at most that bound: the cumulative
   * counts of a histogram with those upper bounds, as Prometheus's {@code le} buckets are. A
   * latency counts as the lowest value of its HdrHistogram bucket, so one within 0.1 % above a
   * bound may count under it.
   *
   * @param boundsNanos upper bounds in nanoseconds, ascending
   * @return one cumulative count per bound
   * @throws IllegalArgumentException if the bounds do not ascend
   */
  public long[] latencyCountsAtOrBelow(long[] boundsNanos) {
    long[] out = new long[boundsNanos.length];
    int v = 0;
    long running = 0;
    for (int b = 0; b < boundsNanos.length; b++) {
      if (b > 0 && boundsNanos[b] <= boundsNanos[b - 1]) {
        throw new IllegalArgumentException(
            "boundsNanos must ascend, was " + Arrays.toString(boundsNanos));
      }
      while (v < latencyValues.length && latencyValues[v] <= boundsNanos[b]) {
        running += latencyCounts[v++];
      }
      out[b] = running;
    }
    return out;
  }

  /**
   * Returns {@code MetricsTotals[name, requests=n, latencies=n]}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "MetricsTotals["
        + name
        + ", requests="
        + requests()
        + ", latencies="
        + latencyCount
        + "]";
  }
}
