package io.dyno.retry;

import io.dyno.retry.internal.Backoffs;
import io.dyno.retry.internal.Durations;
import io.dyno.retry.internal.RollingBudget;
import java.time.Duration;
import java.util.Objects;

/**
 * A limit on retries across all calls through a {@link Retry}: over a rolling window, retries may
 * number at most {@code ratio} times the calls made, plus a small floor so that a quiet service can
 * still retry. When a dependency fails for everyone, a budget keeps the retries from multiplying
 * its load, which is how retry storms start.
 *
 * <pre>{@code
 * Retry fetch = Retry.builder("fetch")
 *     .maxAttempts(4)
 *     .budget(RetryBudget.ratio(0.2)) // retries <= 20 % of calls, + 10 per second
 *     .build();
 * }</pre>
 *
 * <p>With the defaults, over the last 10 seconds: retries ≤ 0.2 × calls + 10 × 10. A call counts
 * once, however many attempts it makes; each retry counts once. When the budget is spent the retry
 * stops with {@link StopReason#BUDGET}, and the call fails with its last failure as usual.
 *
 * <p>Thread-safe. Recording a call adds to a striped counter without a lock, except that the first
 * call of each bucket period (a tenth of the window) clears the bucket it reuses under a short
 * lock; the decision to retry, which happens only after a failure, takes that lock so that
 * concurrent retries cannot overdraw the budget. A budget reads its {@code Retry}'s ticker once per
 * call. It may be shared by several retries, which then share the limit.
 */
public final class RetryBudget {

  private static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
  private static final int DEFAULT_MIN_RETRIES_PER_SECOND = 10;

  private final double ratio;
  private final int minRetriesPerSecond;
  private final Duration window;
  private final RollingBudget state;

  private RetryBudget(double ratio, int minRetriesPerSecond, Duration window) {
    this.ratio = ratio;
    this.minRetriesPerSecond = minRetriesPerSecond;
    this.window = window;
    double floor = minRetriesPerSecond * (Durations.toNanosSaturated(window) / 1e9);
    this.state = new RollingBudget(ratio, floor, Durations.toNanosSaturated(window));
  }

  /**
   * Returns a budget allowing retries up to {@code ratio} times the calls of the last 10 seconds,
   * plus 10 retries per second.
   *
   * @param ratio retries allowed per call, at least 0 (0.2 allows one retry per five calls)
   * @return a new budget with no calls recorded
   * @throws IllegalArgumentException if {@code ratio} is negative or not finite
   */
  public static RetryBudget ratio(double ratio) {
    return builder().ratio(ratio).build();
  }

  /**
   * Returns a builder for a budget with a chosen ratio, floor and window.
   *
   * @return a builder with the defaults: ratio 0.2, 10 retries per second, a 10 s window
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the retries allowed per call.
   *
   * @return the ratio
   */
  public double ratio() {
    return ratio;
  }

  /**
   * Returns the retries per second allowed whatever the call volume.
   *
   * @return the floor, per second
   */
  public int minRetriesPerSecond() {
    return minRetriesPerSecond;
  }

  /**
   * Returns the rolling window over which calls and retries are counted.
   *
   * @return the window
   */
  public Duration window() {
    return window;
  }

  /** Counts one call at {@code now}, in ticker nanoseconds. */
  void recordCall(long now) {
    state.recordCall(now);
  }

  /** What {@link #takeRetry} returns when no retry is left. */
  static final long REFUSED = RollingBudget.REFUSED;

  /**
   * Takes one retry from the budget at {@code now} and returns a ticket for {@link #refund}, or
   * {@link #REFUSED} if none is left.
   */
  long takeRetry(long now) {
    return state.takeRetry(now);
  }

  /**
   * Gives back a retry taken with {@link #takeRetry} that was never made; a no-op once the retry
   * has left the window, or for {@link #REFUSED}.
   */
  void refund(long ticket) {
    state.refund(ticket);
  }

  @Override
  public String toString() {
    return "RetryBudget[ratio="
        + ratio
        + ", minRetriesPerSecond="
        + minRetriesPerSecond
        + ", window="
        + Durations.format(window)
        + "]";
  }

  /** Builds a {@link RetryBudget}; not thread-safe. */
  public static final class Builder {
    private double ratio = 0.2;
    private int minRetriesPerSecond = DEFAULT_MIN_RETRIES_PER_SECOND;
    private Duration window = DEFAULT_WINDOW;

    private Builder() {}

    /**
     * Sets the retries allowed per call.
     *
     * @param ratio at least 0 and finite
     * @return this builder
     * @throws IllegalArgumentException if {@code ratio} is negative or not finite
     */
    public Builder ratio(double ratio) {
      if (!(ratio >= 0) || Double.isInfinite(ratio)) {
        throw new IllegalArgumentException("ratio must be >= 0 and finite, was " + ratio);
      }
      this.ratio = ratio;
      return this;
    }

    /**
     * Sets the retries per second allowed whatever the call volume.
     *
     * @param minRetriesPerSecond at least 0
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder minRetriesPerSecond(int minRetriesPerSecond) {
      if (minRetriesPerSecond < 0) {
        throw new IllegalArgumentException(
            "minRetriesPerSecond must be >= 0, was " + minRetriesPerSecond);
      }
      this.minRetriesPerSecond = minRetriesPerSecond;
      return this;
    }

    /**
     * Sets the rolling window, counted in ten buckets.
     *
     * @param window positive, at least 10 ns
     * @return this builder
     * @throws IllegalArgumentException if {@code window} is shorter than 10 ns
     */
    public Builder window(Duration window) {
      Backoffs.requirePositive(window, "window");
      if (Durations.toNanosSaturated(window) < RollingBudget.BUCKETS) {
        throw new IllegalArgumentException("window must be at least 10 ns, was " + window);
      }
      this.window = window;
      return this;
    }

    /**
     * Returns a new budget with no calls recorded.
     *
     * @return the budget
     */
    public RetryBudget build() {
      return new RetryBudget(
          ratio, minRetriesPerSecond, Objects.requireNonNull(window, "window must not be null"));
    }
  }
}
