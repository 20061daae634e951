package io.dyno.micrometer.internal;

import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import io.dyno.metrics.MetricsStatus.Pool;
import io.dyno.metrics.MetricsTotals;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one metric for its meters, reusing a reading for a short time: a scrape reads a dozen or
 * more meters of each metric, and without reuse each would take a snapshot and the totals of its
 * own. A reading is reused while the metric's own ticker has moved less than {@code reuseNanos}
 * since it was taken; the ticker is read here, when a meter is read, never on a call's path.
 *
 * <p>Readings are taken one at a time under a lock, so a reading stored later was also taken later,
 * and the counters, which read the totals, never go down. Two threads that find the reading stale
 * at once both take one, one after the other: a scrape is read by one thread, so this is rare, and
 * costs a snapshot, never a wrong value.
 *
 * <p>Thread-safe.
 */
public final class Reader {

  private static final Logger LOG = LoggerFactory.getLogger("io.dyno.micrometer");

  /**
   * One reading of a metric.
   *
   * @param tick the metric's ticker when it was taken
   * @param snapshot the snapshot, or null if taking it failed (its status source threw, say)
   * @param totals the totals
   */
  public record Reading(long tick, @Nullable MetricsSnapshot snapshot, MetricsTotals totals) {}

  private final Metrics metrics;
  private final long reuseNanos;
  private final Consumer<Reading> onRead;
  private final Guard guard = new Guard();
  private volatile @Nullable Reading last;

  /** Whether the last snapshot failed, so that a spell of failures is logged once; under guard. */
  private boolean failing;

  /**
   * Creates a reader.
   *
   * @param metrics the metric to read
   * @param reuseNanos how long a reading is reused, in the metric's ticker's nanoseconds; 0 takes a
   *     new one at every read
   * @param onRead told of each new reading, outside the lock, to find the series it first shows
   */
  public Reader(Metrics metrics, long reuseNanos, Consumer<Reading> onRead) {
    this.metrics = metrics;
    this.reuseNanos = reuseNanos;
    this.onRead = onRead;
  }

  /**
   * Returns the metric read.
   *
   * @return the metric
   */
  public Metrics metrics() {
    return metrics;
  }

  /**
   * Returns a reading no older than the reuse time.
   *
   * @return the reading
   */
  public Reading read() {
    long now = metrics.ticker().getAsLong();
    Reading r = last;
    if (r != null && now - r.tick() < reuseNanos) {
      return r;
    }
    Reading fresh = guard.get(() -> take(now));
    onRead.accept(fresh);
    return fresh;
  }

  /** Takes a reading and makes it the last; under the guard. */
  private Reading take(long now) {
    MetricsTotals totals = metrics.totals();
    MetricsSnapshot snapshot;
    try {
      snapshot = metrics.snapshot();
      failing = false;
    } catch (RuntimeException e) {
      // The status source failed: the gauges read NaN until it answers again; the counters, from
      // the totals, which read no status, carry on.
      if (!failing) {
        failing = true;
        LOG.warn(
            "DynoMeterBinder: the snapshot of {} failed; its gauges read NaN until it reads again",
            metrics,
            e);
      }
      snapshot = null;
    }
    Reading r = new Reading(now, snapshot, totals);
    last = r;
    return r;
  }

  /**
   * Reads a figure of the totals.
   *
   * @param figure the figure
   * @return its value
   */
  public double totals(ToDoubleFunction<MetricsTotals> figure) {
    return figure.applyAsDouble(read().totals());
  }

  /**
   * Reads a figure of the snapshot.
   *
   * @param figure the figure
   * @return its value, or NaN if the snapshot failed
   */
  public double snapshot(ToDoubleFunction<MetricsSnapshot> figure) {
    MetricsSnapshot s = read().snapshot();
    return s == null ? Double.NaN : figure.applyAsDouble(s);
  }

  /**
   * Reads a figure of the status.
   *
   * @param figure the figure
   * @return its value, or NaN if the snapshot failed or carries no status
   */
  public double status(ToDoubleFunction<MetricsStatus> figure) {
    MetricsStatus status = statusOf(read());
    return status == null ? Double.NaN : figure.applyAsDouble(status);
  }

  /**
   * Reads a figure of the status's pool.
   *
   * @param figure the figure
   * @return its value, or NaN if the snapshot failed or its status shows no pool
   */
  public double pool(ToDoubleFunction<Pool> figure) {
    MetricsStatus status = statusOf(read());
    Pool pool = status == null ? null : status.pool();
    return pool == null ? Double.NaN : figure.applyAsDouble(pool);
  }

  /**
   * Reads a figure of the status's rollout arms.
   *
   * @param figure the figure
   * @return its value, or NaN if the snapshot failed or its status shows no arms
   */
  public double arms(ToDoubleFunction<MetricsStatus.Arms> figure) {
    MetricsStatus status = statusOf(read());
    MetricsStatus.Arms arms = status == null ? null : status.arms();
    return arms == null ? Double.NaN : figure.applyAsDouble(arms);
  }

  /**
   * Reads a figure of the status's concurrency limit.
   *
   * @param figure the figure
   * @return its value, or NaN if the snapshot failed or its status shows no limit
   */
  public double limit(ToDoubleFunction<MetricsStatus.Limit> figure) {
    MetricsStatus status = statusOf(read());
    MetricsStatus.Limit limit = status == null ? null : status.limit();
    return limit == null ? Double.NaN : figure.applyAsDouble(limit);
  }

  /**
   * Reads a figure of the status's client-side throttle.
   *
   * @param figure the figure
   * @return its value, or NaN if the snapshot failed or its status shows no throttle
   */
  public double throttle(ToDoubleFunction<MetricsStatus.Throttle> figure) {
    MetricsStatus status = statusOf(read());
    MetricsStatus.Throttle throttle = status == null ? null : status.throttle();
    return throttle == null ? Double.NaN : figure.applyAsDouble(throttle);
  }

  /**
   * Reads a figure of the status's hedging.
   *
   * @param figure the figure
   * @return its value, or NaN if the snapshot failed or its status shows no hedging
   */
  public double hedging(ToDoubleFunction<MetricsStatus.Hedging> figure) {
    MetricsStatus status = statusOf(read());
    MetricsStatus.Hedging hedging = status == null ? null : status.hedging();
    return hedging == null ? Double.NaN : figure.applyAsDouble(hedging);
  }

  /**
   * Reads how long hedged calls wait now before an extra copy is sent, in nanoseconds, at any
   * length.
   *
   * @return the delay, or NaN if the snapshot failed or its status shows no hedging
   */
  public double hedgeDelayNanos() {
    return hedging(h -> nanos(h.delay()));
  }

  /** A duration in nanoseconds, as a double, without overflowing at any length. */
  private static double nanos(Duration d) {
    return d.toSeconds() * 1e9 + d.toNanosPart();
  }

  /**
   * Reads the time until the circuit's next trial call, in nanoseconds.
   *
   * @return the time, or NaN if the snapshot failed or its status shows none
   */
  public double nextTrialNanos() {
    MetricsStatus status = statusOf(read());
    Duration d = status == null ? null : status.nextTrialIn();
    return d == null ? Double.NaN : d.toNanos();
  }

  /**
   * Returns the status of a reading's snapshot.
   *
   * @param reading the reading
   * @return the status, or null if the snapshot failed or carries none
   */
  static @Nullable MetricsStatus statusOf(Reading reading) {
    MetricsSnapshot s = reading.snapshot();
    return s == null ? null : s.status();
  }
}
