package io.dyno.metrics;

import io.dyno.metrics.internal.LatencySummary;
import io.dyno.metrics.internal.PercentileMap;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One reading of a {@link Metrics}: the outcome counts over its window, the calls in flight, and
 * latency percentiles over its latency window.
 *
 * <p>Derived values ({@link #requests()}, {@link #errorPercentage()}, {@link #ratePerSecond()}) are
 * computed from the counts held here, so they always agree with them. Latency percentiles are held
 * for the fixed set {@link #PERCENTILES}, which covers what the Hystrix dashboard stream needs;
 * with no latencies in the window they are all zero.
 *
 * @param name the name of the metrics read
 * @param time when the reading was taken, by the metrics' clock
 * @param window how far back the counts, failures by type and {@code maxInFlight} reach
 * @param latencyWindow how far back the latencies reach
 * @param successes calls that succeeded
 * @param failures calls that failed
 * @param timeouts calls that timed out
 * @param shortCircuits calls refused by an open circuit breaker
 * @param rejections calls refused for lack of capacity
 * @param inFlight calls running when the reading was taken
 * @param maxInFlight the most calls running at once during the window, at least {@code inFlight}
 * @param failuresByType failures by exception class name, sorted by name
 * @param latencyCount the latencies recorded in the latency window
 * @param latencyMean their mean
 * @param latencyPercentiles the latency at each of {@link #PERCENTILES}, sorted by percentile
 * @param status the state of the breaker and pool guarding the calls, as their owner reported it
 *     (see {@link Metrics#reportStatus}); null when no one reports one
 */
public record MetricsSnapshot(
    String name,
    Instant time,
    Duration window,
    Duration latencyWindow,
    long successes,
    long failures,
    long timeouts,
    long shortCircuits,
    long rejections,
    long inFlight,
    long maxInFlight,
    Map<String, Long> failuresByType,
    long latencyCount,
    Duration latencyMean,
    SortedMap<Double, Duration> latencyPercentiles,
    @Nullable MetricsStatus status) {

  /**
   * The percentiles a snapshot holds latencies for: 0 (the minimum), 25, 50, 75, 90, 95, 99, 99.5,
   * 99.9 and 100 (the maximum).
   */
  public static final List<Double> PERCENTILES =
      List.of(0.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9, 100.0);

  /**
   * Checks and copies the components.
   *
   * @param name the name of the metrics read
   * @param time when the reading was taken, by the metrics' clock
   * @param window how far back the counts, failures by type and {@code maxInFlight} reach
   * @param latencyWindow how far back the latencies reach
   * @param successes calls that succeeded
   * @param failures calls that failed
   * @param timeouts calls that timed out
   * @param shortCircuits calls refused by an open circuit breaker
   * @param rejections calls refused for lack of capacity
   * @param inFlight calls running when the reading was taken
   * @param maxInFlight the most calls running at once during the window, at least {@code inFlight}
   * @param failuresByType failures by exception class name, sorted by name
   * @param latencyCount the latencies recorded in the latency window
   * @param latencyMean their mean
   * @param latencyPercentiles the latency at each of {@link #PERCENTILES}, sorted by percentile
   * @param status the state of the breaker and pool guarding the calls, or null
   * @throws IllegalArgumentException if a count is negative, {@code maxInFlight} is below {@code
   *     inFlight}, or {@code latencyPercentiles} lacks one of {@link #PERCENTILES}
   */
  public MetricsSnapshot {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(time, "time must not be null");
    Objects.requireNonNull(window, "window must not be null");
    Objects.requireNonNull(latencyWindow, "latencyWindow must not be null");
    Objects.requireNonNull(latencyMean, "latencyMean must not be null");
    requireCount("successes", successes);
    requireCount("failures", failures);
    requireCount("timeouts", timeouts);
    requireCount("shortCircuits", shortCircuits);
    requireCount("rejections", rejections);
    requireCount("inFlight", inFlight);
    requireCount("latencyCount", latencyCount);
    if (maxInFlight < inFlight) {
      throw new IllegalArgumentException(
          "maxInFlight must be >= inFlight " + inFlight + ", was " + maxInFlight);
    }
    failuresByType =
        failuresByType.isEmpty()
            ? Collections.emptySortedMap()
            : Collections.unmodifiableSortedMap(new TreeMap<>(failuresByType));
    // A map made by a metric is immutable already and holds exactly the percentiles.
    if (!(latencyPercentiles instanceof PercentileMap made && made.hasKeys(PERCENTILES))) {
      TreeMap<Double, Duration> percentiles = new TreeMap<>(latencyPercentiles);
      for (Double p : PERCENTILES) {
        if (!percentiles.containsKey(p)) {
          throw new IllegalArgumentException(
              "latencyPercentiles must hold every one of "
                  + PERCENTILES
                  + ", was "
                  + latencyPercentiles.keySet());
        }
      }
      latencyPercentiles = Collections.unmodifiableSortedMap(percentiles);
    }
  }

  /**
   * Creates a snapshot with no status: calls that no breaker or pool reports on.
   *
   * @param name the name of the metrics read
   * @param time when the reading was taken, by the metrics' clock
   * @param window how far back the counts, failures by type and {@code maxInFlight} reach
   * @param latencyWindow how far back the latencies reach
   * @param successes calls that succeeded
   * @param failures calls that failed
   * @param timeouts calls that timed out
   * @param shortCircuits calls refused by an open circuit breaker
   * @param rejections calls refused for lack of capacity
   * @param inFlight calls running when the reading was taken
   * @param maxInFlight the most calls running at once during the window, at least {@code inFlight}
   * @param failuresByType failures by exception class name, sorted by name
   * @param latencyCount the latencies recorded in the latency window
   * @param latencyMean their mean
   * @param latencyPercentiles the latency at each of {@link #PERCENTILES}, sorted by percentile
   * @throws IllegalArgumentException as the canonical constructor
   */
  public MetricsSnapshot(
      String name,
      Instant time,
      Duration window,
      Duration latencyWindow,
      long successes,
      long failures,
      long timeouts,
      long shortCircuits,
      long rejections,
      long inFlight,
      long maxInFlight,
      Map<String, Long> failuresByType,
      long latencyCount,
      Duration latencyMean,
      SortedMap<Double, Duration> latencyPercentiles) {
    this(
        name,
        time,
        window,
        latencyWindow,
        successes,
        failures,
        timeouts,
        shortCircuits,
        rejections,
        inFlight,
        maxInFlight,
        failuresByType,
        latencyCount,
        latencyMean,
        latencyPercentiles,
        null);
  }

  /**
   * Returns the calls counted in the window: successes, failures, timeouts, short-circuits and
   * rejections.
   *
   * @return the requests
   */
  public long requests() {
    return successes + failures + timeouts + shortCircuits + rejections;
  }

  /**
   * Returns the calls that did not succeed: failures, timeouts, short-circuits and rejections, as
   * Hystrix counts errors.
   *
   * @return the errors
   */
  public long errors() {
    return failures + timeouts + shortCircuits + rejections;
  }

  /**
   * Returns the errors as a percentage of the requests, from 0 to 100; 0 when there were none.
   *
   * @return the error percentage
   */
  public double errorPercentage() {
    long requests = requests();
    return requests == 0 ? 0.0 : 100.0 * errors() / requests;
  }

  /**
   * Returns the requests per second, averaged over the window.
   *
   * @return the rate
   */
  public double ratePerSecond() {
    return requests() * 1e9 / window.toNanos();
  }

  /**
   * Returns the latency at percentile {@code p}, one of {@link #PERCENTILES}.
   *
   * @param p the percentile
   * @return the latency
   * @throws IllegalArgumentException if {@code p} is not one of {@link #PERCENTILES}
   */
  public Duration latencyPercentile(double p) {
    Duration d = latencyPercentiles.get(p);
    if (d == null) {
      throw new IllegalArgumentException("percentile must be one of " + PERCENTILES + ", was " + p);
    }
    return d;
  }

  /**
   * Returns the shortest latency in the window.
   *
   * @return the minimum latency
   */
  public Duration latencyMin() {
    return latencyPercentile(0.0);
  }

  /**
   * Returns the median latency.
   *
   * @return the 50th percentile latency
   */
  public Duration latencyP50() {
    return latencyPercentile(50.0);
  }

  /**
   * Returns the 90th percentile latency.
   *
   * @return the 90th percentile latency
   */
  public Duration latencyP90() {
    return latencyPercentile(90.0);
  }

  /**
   * Returns the 99th percentile latency.
   *
   * @return the 99th percentile latency
   */
  public Duration latencyP99() {
    return latencyPercentile(99.0);
  }

  /**
   * Returns the 99.5th percentile latency.
   *
   * @return the 99.5th percentile latency
   */
  public Duration latencyP995() {
    return latencyPercentile(99.5);
  }

  /**
   * Returns the 99.9th percentile latency.
   *
   * @return the 99.9th percentile latency
   */
  public Duration latencyP999() {
    return latencyPercentile(99.9);
  }

  /**
   * Returns the longest latency in the window.
   *
   * @return the maximum latency
   */
  public Duration latencyMax() {
    return latencyPercentile(100.0);
  }

  /**
   * Returns this snapshot with {@code status} in place of its own, every other component the same:
   * for an exporter or a test that shows a reading with the state of what guarded it.
   *
   * @param status the status, or null for none
   * @return the snapshot
   */
  public MetricsSnapshot withStatus(@Nullable MetricsStatus status) {
    return new MetricsSnapshot(
        name,
        time,
        window,
        latencyWindow,
        successes,
        failures,
        timeouts,
        shortCircuits,
        rejections,
        inFlight,
        maxInFlight,
        failuresByType,
        latencyCount,
        latencyMean,
        latencyPercentiles,
        status);
  }

  /** The latencies of {@code summary}, made for {@link #PERCENTILES}, keyed by percentile. */
  static SortedMap<Double, Duration> percentilesOf(LatencySummary summary) {
    long[] nanos = new long[PERCENTILES.size()];
    for (int k = 0; k < nanos.length; k++) {
      nanos[k] = summary.atPercentile(k);
    }
    return PercentileMap.of(PERCENTILES, nanos);
  }

  private static void requireCount(String parameter, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(parameter + " must be >= 0, was " + value);
    }
  }
}
