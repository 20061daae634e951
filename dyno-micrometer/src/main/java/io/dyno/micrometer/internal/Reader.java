package io.dyno.micrometer.internal;

import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import io.dyno.metrics.MetricsTotals;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Reads one metric for its meters, reusing a reading for a short time: a scrape reads a dozen or
 * more meters of each metric, and without reuse each would take a snapshot and the totals of its
 * own. A reading is reused while the metric's own ticker has moved less than {@code reuseNanos}
 * since it was taken; the ticker is read here, when a meter is read, never on a call's path.
 *
 * <p>Readings are taken one at a time under a lock, so a reading stored later was also taken later,
 * and the counters, which read the totals, never go down.
 *
 * <p>Thread-safe.
 */
public final class Reader {

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
  private final ReentrantLock lock = new ReentrantLock();
  private volatile @Nullable Reading last;

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
    lock.lock();
    try {
      r = last;
      // Another reader may have taken a reading while this one waited: reuse it too.
      if (r != null && now - r.tick() < reuseNanos) {
        return r;
      }
      MetricsTotals totals = metrics.totals();
      MetricsSnapshot snapshot;
      try {
        snapshot = metrics.snapshot();
      } catch (RuntimeException e) {
        // The status source failed: the gauges read NaN until it answers again; the counters,
        // from the totals, which read no status, carry on.
        snapshot = null;
      }
      r = new Reading(now, snapshot, totals);
      last = r;
    } finally {
      lock.unlock();
    }
    onRead.accept(r);
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
    MetricsSnapshot s = read().snapshot();
    MetricsStatus status = s == null ? null : s.status();
    return status == null ? Double.NaN : figure.applyAsDouble(status);
  }

  @Override
  public String toString() {
    return "Reader[name=" + metrics.name() + "]";
  }
}
