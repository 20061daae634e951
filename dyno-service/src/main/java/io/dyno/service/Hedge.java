package io.dyno.service;

import io.dyno.metrics.Metrics;
import io.dyno.retry.RetryBudget;
import io.dyno.service.internal.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * Hedged requests: when an attempt has not answered after a delay, the service sends another copy
 * of it and takes whichever answers first. A few slow answers then cost the caller the delay plus a
 * fast answer instead of the slow one. Hedge only work that may run twice: idempotent reads.
 *
 * <pre>{@code
 * Service<Stock> stock =
 *     Service.builder("inventory", () -> client.fetchStock())
 *         .pool(16)
 *         .hedge(Hedge.afterPercentile(95).maxExtra(1).budget(RetryBudget.ratio(0.1)))
 *         .build();
 * }</pre>
 *
 * <p>The delay is either fixed ({@link #after(Duration)}) or the latency the service's own metrics
 * measure at a percentile ({@link #afterPercentile(double)}), kept within {@link #floor(Duration)}
 * and {@link #cap(Duration)} and read again every {@link #refresh(Duration)} by a task on the
 * service's scheduler, never on a call's path. Each copy after the first passes the breaker, the
 * throttle, the limiter and the bulkhead like any attempt, and draws from the {@link
 * #budget(RetryBudget) budget} if there is one; a copy that cannot start is simply not sent.
 *
 * <p>Immutable and thread-safe: every {@code with}-style method returns a new hedge.
 */
public final class Hedge {

  /** The most extra copies an attempt may send. */
  private static final int MAX_EXTRA = 10;

  private static final Duration DEFAULT_FLOOR = Duration.ofMillis(1);
  private static final Duration DEFAULT_CAP = Duration.ofSeconds(1);
  private static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1);

  private final @Nullable Duration delay;
  private final double percentile;
  private final int maxExtra;
  private final Duration floor;
  private final Duration cap;
  private final Duration refresh;
  private final @Nullable RetryBudget budget;

  private Hedge(
      @Nullable Duration delay,
      double percentile,
      int maxExtra,
      Duration floor,
      Duration cap,
      Duration refresh,
      @Nullable RetryBudget budget) {
    this.delay = delay;
    this.percentile = percentile;
    this.maxExtra = maxExtra;
    this.floor = floor;
    this.cap = cap;
    this.refresh = refresh;
    this.budget = budget;
  }

  /**
   * Returns a hedge that sends another copy when an attempt has not answered after {@code delay}.
   *
   * @param delay the wait before each extra copy, zero or positive; zero sends every copy at once
   * @return a hedge with one extra copy and no budget
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public static Hedge after(Duration delay) {
    Objects.requireNonNull(delay, "delay must not be null");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0, was " + delay);
    }
    return new Hedge(
        delay, Double.NaN, 1, DEFAULT_FLOOR, DEFAULT_CAP, DEFAULT_REFRESH, /* budget= */ null);
  }

  /**
   * Returns a hedge whose delay is the latency at {@code percentile} that the service's metrics
   * measure, within the {@linkplain #floor(Duration) floor} (1 ms by default) and the {@linkplain
   * #cap(Duration) cap} (1 s by default; the delay while the metrics hold no latency yet), read
   * again every {@linkplain #refresh(Duration) refresh} (1 s by default).
   *
   * @param percentile the percentile, above 0 and below 100, such as 95
   * @return a hedge with one extra copy and no budget
   * @throws IllegalArgumentException if {@code percentile} is not in (0, 100)
   */
  public static Hedge afterPercentile(double percentile) {
    if (!(percentile > 0 && percentile < 100)) {
      throw new IllegalArgumentException(
          "percentile must be between 0 and 100 (both excluded), was " + percentile);
    }
    return new Hedge(
        null, percentile, 1, DEFAULT_FLOOR, DEFAULT_CAP, DEFAULT_REFRESH, /* budget= */ null);
  }

  /**
   * Returns this hedge with at most {@code n} extra copies per attempt, each sent a delay after the
   * one before (or at once when a copy fails).
   *
   * @param n how many copies besides the first, 1 to 10
   * @return the new hedge
   * @throws IllegalArgumentException if {@code n} is not in [1, 10]
   */
  public Hedge maxExtra(int n) {
    if (n < 1 || n > MAX_EXTRA) {
      throw new IllegalArgumentException(
          "maxExtra must be between 1 and " + MAX_EXTRA + ", was " + n);
    }
    return new Hedge(delay, percentile, n, floor, cap, refresh, budget);
  }

  /**
   * Returns this percentile hedge with its delay never below {@code floor}.
   *
   * @param floor the shortest delay, positive, at most the cap
   * @return the new hedge
   * @throws IllegalArgumentException if {@code floor} is not positive or is above the cap
   * @throws IllegalStateException if this hedge waits a fixed delay
   */
  public Hedge floor(Duration floor) {
    requirePercentile("floor");
    requirePositive(floor, "floor");
    requireOrdered(floor, cap);
    return new Hedge(delay, percentile, maxExtra, floor, cap, refresh, budget);
  }

  /**
   * Returns this percentile hedge with its delay never above {@code cap}; the delay is the cap
   * while the metrics hold no latency.
   *
   * @param cap the longest delay, positive, at least the floor
   * @return the new hedge
   * @throws IllegalArgumentException if {@code cap} is not positive or is below the floor
   * @throws IllegalStateException if this hedge waits a fixed delay
   */
  public Hedge cap(Duration cap) {
    requirePercentile("cap");
    requirePositive(cap, "cap");
    requireOrdered(floor, cap);
    return new Hedge(delay, percentile, maxExtra, floor, cap, refresh, budget);
  }

  /**
   * Returns this percentile hedge reading the metrics' latency every {@code refresh}.
   *
   * @param refresh how often the delay is read again, positive
   * @return the new hedge
   * @throws IllegalArgumentException if {@code refresh} is not positive
   * @throws IllegalStateException if this hedge waits a fixed delay
   */
  public Hedge refresh(Duration refresh) {
    requirePercentile("refresh");
    requirePositive(refresh, "refresh");
    return new Hedge(delay, percentile, maxExtra, floor, cap, refresh, budget);
  }

  /**
   * Returns this hedge drawing every copy after the first from {@code budget} ({@link
   * RetryBudget#tryAcquire}): a copy the budget refuses is not sent. Give the same instance to the
   * service's {@code Retry} to share it (retries and hedges then spend one budget, and the retry
   * counts the calls); otherwise the hedge counts each attempt as a call. Outcomes of the copies
   * are reported to it ({@link RetryBudget#recordSuccess()}, {@link RetryBudget#recordFailure()}).
   *
   * @param budget the budget, such as {@code RetryBudget.tokens(10, 0.1)} or {@code
   *     RetryBudget.ratio(0.1)}
   * @return the new hedge
   */
  public Hedge budget(RetryBudget budget) {
    Objects.requireNonNull(budget, "budget must not be null");
    return new Hedge(delay, percentile, maxExtra, floor, cap, refresh, budget);
  }

  /**
   * Returns the delay this hedge would wait now for a service whose metrics are {@code metrics},
   * before any call was won by a later copy: {@link #delayFor(Metrics, double) delayFor(metrics,
   * 0)}.
   *
   * @param metrics the service's metrics
   * @return the delay
   */
  public Duration delayFor(Metrics metrics) {
    return delayFor(metrics, 0);
  }

  /**
   * Returns the delay this hedge would wait now for a service whose metrics are {@code metrics} and
   * whose recent calls were won by a later copy in the share {@code laterWins}: the fixed delay, or
   * the latency of the first copies at the percentile, clamped to the floor and the cap (the cap
   * while the metrics hold no latency). It is what the service's periodic refresh computes; it
   * reads the metrics' latency window, so it does not belong on a call's path.
   *
   * <p>The metrics time every copy that answers. A call won by a later copy shows that copy's
   * latency, and its first copy, slower than the delay, is cancelled and shows none: a share {@code
   * laterWins} of the latencies above the first copies' percentile {@code p} has moved below it.
   * Read at {@code p + 100 × laterWins}, the window gives the first copies' {@code p} again; read
   * at {@code p}, it would give a lower delay, hedge more calls than {@code 100 − p} percent, win
   * more, and drift further down.
   *
   * @param metrics the service's metrics
   * @param laterWins the share of recent calls answered first by a copy other than the first, in
   *     [0, 1]
   * @return the delay
   * @throws IllegalArgumentException if {@code laterWins} is outside [0, 1]
   */
  public Duration delayFor(Metrics metrics, double laterWins) {
    Objects.requireNonNull(metrics, "metrics must not be null");
    if (!(laterWins >= 0 && laterWins <= 1)) {
      throw new IllegalArgumentException("laterWins must be between 0 and 1, was " + laterWins);
    }
    Duration fixed = delay;
    if (fixed != null) {
      return fixed;
    }
    Optional<Duration> measured = metrics.latencyAt(Math.min(100, percentile + 100 * laterWins));
    if (measured.isEmpty()) {
      return cap;
    }
    Duration d = measured.get();
    if (d.compareTo(floor) < 0) {
      return floor;
    }
    return d.compareTo(cap) > 0 ? cap : d;
  }

  /**
   * Returns the fixed delay, empty for a percentile hedge.
   *
   * @return the delay given to {@link #after(Duration)}
   */
  public Optional<Duration> fixedDelay() {
    return Optional.ofNullable(delay);
  }

  /**
   * Returns the percentile, empty for a fixed-delay hedge.
   *
   * @return the percentile given to {@link #afterPercentile(double)}
   */
  public OptionalDouble percentile() {
    return delay == null ? OptionalDouble.of(percentile) : OptionalDouble.empty();
  }

  /**
   * Returns how many copies an attempt may send besides the first.
   *
   * @return 1 to 10
   */
  public int maxExtra() {
    return maxExtra;
  }

  /**
   * Returns the shortest delay of a percentile hedge.
   *
   * @return the floor
   */
  public Duration floor() {
    return floor;
  }

  /**
   * Returns the longest delay of a percentile hedge, and its delay while the metrics hold none.
   *
   * @return the cap
   */
  public Duration cap() {
    return cap;
  }

  /**
   * Returns how often a percentile hedge reads the metrics' latency again.
   *
   * @return the refresh period
   */
  public Duration refresh() {
    return refresh;
  }

  /**
   * Returns the budget the copies draw from, if any.
   *
   * @return the budget
   */
  public Optional<RetryBudget> budget() {
    return Optional.ofNullable(budget);
  }

  private void requirePercentile(String option) {
    Duration fixed = delay;
    if (fixed != null) {
      throw new IllegalStateException(
          option
              + " is for Hedge.afterPercentile(..); this hedge waits a fixed "
              + Durations.format(fixed));
    }
  }

  private static void requirePositive(Duration d, String parameter) {
    Objects.requireNonNull(d, parameter + " must not be null");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(parameter + " must be positive, was " + d);
    }
  }

  private static void requireOrdered(Duration floor, Duration cap) {
    if (floor.compareTo(cap) > 0) {
      throw new IllegalArgumentException(
          "floor must be <= cap, was floor "
              + Durations.format(floor)
              + " and cap "
              + Durations.format(cap));
    }
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Hedge[");
    Duration fixed = delay;
    if (fixed != null) {
      s.append("after=").append(Durations.format(fixed));
    } else {
      s.append("percentile=")
          .append(percentile)
          .append(", floor=")
          .append(Durations.format(floor))
          .append(", cap=")
          .append(Durations.format(cap))
          .append(", refresh=")
          .append(Durations.format(refresh));
    }
    s.append(", maxExtra=").append(maxExtra);
    RetryBudget b = budget;
    if (b != null) {
      s.append(", budget=").append(b);
    }
    return s.append(']').toString();
  }
}
