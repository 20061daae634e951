package io.dyno.metrics.internal;

import io.dyno.metrics.Metrics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The timing machinery behind a {@link Metrics}' verbs and samples: a start enters the in-flight
 * count and each end records an outcome and a latency, but for a cancelled call, which records
 * neither. Not API: the module exports this package to {@code io.dyno.service} alone, whose engine
 * times each attempt without allocating a sample and guards the single end of each start itself.
 * Users time calls with {@link Metrics#start()}.
 *
 * <p>Each start must be ended exactly once, by an outcome or by {@link #cancelled}. An end that
 * finds no call in flight still records its outcome and latency, leaves the in-flight count at zero
 * rather than below it, and is counted by {@link #unbalancedEnds()}.
 *
 * <p>Thread-safe.
 */
public final class CallTimer {

  private static final VarHandle TIMER;

  static {
    try {
      TIMER =
          MethodHandles.privateLookupIn(Metrics.class, MethodHandles.lookup())
              .findVarHandle(Metrics.class, "timer", CallTimer.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final LongSupplier ticker;
  private final RollingCounts counts;
  private final RollingLatency latency;

  /**
   * Creates the timer of one metric.
   *
   * @param ticker the metric's ticker
   * @param counts the metric's count window
   * @param latency the metric's latency window
   */
  public CallTimer(LongSupplier ticker, RollingCounts counts, RollingLatency latency) {
    this.ticker = ticker;
    this.counts = counts;
    this.latency = latency;
  }

  /**
   * Returns the timer of {@code metrics}.
   *
   * @param metrics the metrics
   * @return its timer, the same instance every time
   */
  public static CallTimer of(Metrics metrics) {
    return (CallTimer) TIMER.get(Objects.requireNonNull(metrics, "metrics must not be null"));
  }

  /**
   * Starts one call: it counts as in flight until its start is ended.
   *
   * @return the start, in ticker nanoseconds
   */
  public long begin() {
    long start = ticker.getAsLong();
    counts.enter(start);
    return start;
  }

  /**
   * Ends a call as a success.
   *
   * @param start what {@link #begin()} returned
   * @return the call's latency in nanoseconds
   */
  public long success(long start) {
    long end = ticker.getAsLong();
    counts.success(end);
    latency.record(end, end - start);
    return end - start;
  }

  /**
   * Ends a call as a failure of {@code failure}'s type.
   *
   * @param start what {@link #begin()} returned
   * @param failure the failure
   * @return the call's latency in nanoseconds
   * @throws NullPointerException if {@code failure} is null; the call stays in flight then
   */
  public long failure(long start, Throwable failure) {
    // Checked before anything is counted, so that a bad argument leaves the call in flight.
    Objects.requireNonNull(failure, "failure must not be null");
    long end = ticker.getAsLong();
    counts.failure(end, failure.getClass());
    latency.record(end, end - start);
    return end - start;
  }

  /**
   * Ends a call as timed out, with the time it ran until now as its latency.
   *
   * @param start what {@link #begin()} returned
   * @return the call's latency in nanoseconds
   */
  public long timeout(long start) {
    long end = ticker.getAsLong();
    counts.timeout(end);
    latency.record(end, end - start);
    return end - start;
  }

  /**
   * Ends a call that was abandoned because another copy of it answered first: it leaves the
   * in-flight count, and no outcome (neither success, failure nor timeout) and no latency is
   * recorded for it. Like the other ends, one that finds no call in flight is counted by {@link
   * #unbalancedEnds()}.
   *
   * @param start what {@link #begin()} returned
   */
  public void cancelled(long start) {
    counts.cancel();
  }

  /**
   * Returns how many ends found no call in flight: zero unless a start was ended twice or an end
   * was given no start.
   *
   * @return the unbalanced ends so far
   */
  public long unbalancedEnds() {
    return counts.unbalancedEnds();
  }
}
