package io.dyno.retry;

import io.dyno.retry.internal.Backoffs;
import io.dyno.retry.internal.Durations;
import io.dyno.retry.internal.RollingBudget;
import io.dyno.retry.internal.TokenBudget;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A limit on retries (and other extra attempts, such as hedges) across all calls through the
 * components that draw from it, of one of two kinds.
 *
 * <p><b>A ratio budget</b> ({@link #ratio}, {@link #builder}): over a rolling window, retries may
 * number at most {@code ratio} times the calls made, plus a small floor so that a quiet service can
 * still retry. When a dependency fails for everyone, it keeps the retries from multiplying its
 * load, which is how retry storms start.
 *
 * <pre>{@code
 * Retry fetch = Retry.builder("fetch")
 *     .maxAttempts(4)
 *     .budget(RetryBudget.ratio(0.2)) // retries <= 20 % of calls, + 10 per second
 *     .build();
 * }</pre>
 *
 * <p>With the defaults, over the last 10 seconds: retries ≤ 0.2 × calls + 10 × 10. A call counts
 * once, however many attempts it makes; each retry counts once.
 *
 * <p><b>A token budget</b> ({@link #tokens}), gRPC's retry throttling: it starts with {@code
 * maxTokens} tokens; each failed attempt that would be retried takes one, each successful attempt
 * gives back {@code tokenRatio}, and extra attempts are allowed only while more than half the
 * tokens are left. It follows the dependency's recent success rate rather than the call volume, and
 * asks for no clock.
 *
 * <p>When the budget refuses, the retry stops with {@link StopReason#BUDGET}, and the call fails
 * with its last failure as usual.
 *
 * <p><b>Drawing from a budget.</b> A {@link Retry} draws from its budget by itself. Another
 * component that makes extra attempts (a hedge, say) may draw from the same instance, so that
 * retries and hedges share one limit: it calls {@link #recordCall} once per call, {@link
 * #tryAcquire} before each extra attempt, and {@link #recordSuccess} or {@link #recordFailure} with
 * each attempt's outcome. Each kind ignores what it does not count.
 *
 * <p>Thread-safe, and may be shared by several retries, which then share the limit. A token budget
 * is lock-free: one atomic balance changed by compare-and-set. A ratio budget records a call by
 * adding to a striped counter without a lock, except that the first call of each bucket period (a
 * tenth of the window) clears the bucket it reuses under a short lock; the decision to retry, which
 * happens only after a failure, takes that lock so that concurrent retries cannot overdraw the
 * budget. A {@code Retry} reads its ticker once per call for its budget.
 */
public final class RetryBudget {

  private static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
  private static final int DEFAULT_MIN_RETRIES_PER_SECOND = 10;

  /** The most tokens a token budget may hold. */
  private static final int MAX_TOKENS_LIMIT = 1000;

  /** What {@link #takeRetry} returns for a token budget that allows a retry: refunds ignore it. */
  private static final long TOKEN_TICKET = 0L;

  private final double ratio;
  private final int minRetriesPerSecond;

  /** The ratio budget's window; zero, and never shown, for a token budget. */
  private final Duration window;

  private final @Nullable RollingBudget rolling;
  private final @Nullable TokenBudget tokens;

  private RetryBudget(double ratio, int minRetriesPerSecond, Duration window) {
    this.ratio = ratio;
    this.minRetriesPerSecond = minRetriesPerSecond;
    this.window = window;
    double floor = minRetriesPerSecond * (Durations.toNanosSaturated(window) / 1e9);
    this.rolling = new RollingBudget(ratio, floor, Durations.toNanosSaturated(window));
    this.tokens = null;
  }

  private RetryBudget(TokenBudget tokens) {
    this.ratio = 0;
    this.minRetriesPerSecond = 0;
    this.window = Duration.ZERO;
    this.rolling = null;
    this.tokens = tokens;
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
   * Returns a token budget, as gRPC throttles retries: it starts full, with {@code maxTokens}
   * tokens; each failed attempt that would be retried (one that {@code abortOn}, {@code retryOn}
   * and {@code retryIf} let through) takes one token, down to 0; each successful attempt adds
   * {@code tokenRatio}, up to {@code maxTokens}; a retry is allowed only while more than {@code
   * maxTokens / 2} tokens are left. Tokens are kept to thousandths: digits of {@code tokenRatio}
   * past the third decimal are dropped.
   *
   * <pre>{@code
   * RetryBudget budget = RetryBudget.tokens(10, 0.1); // 10 failures in a row stop retries at 5
   * }</pre>
   *
   * @param maxTokens the tokens the budget starts with and never exceeds, from 1 to 1000
   * @param tokenRatio the tokens a successful attempt adds, from 0.001 to {@code maxTokens}
   * @return a new, full budget
   * @throws IllegalArgumentException if {@code maxTokens} is out of range, or {@code tokenRatio} is
   *     not finite, below 0.001 or above {@code maxTokens}
   */
  public static RetryBudget tokens(int maxTokens, double tokenRatio) {
    if (maxTokens < 1 || maxTokens > MAX_TOKENS_LIMIT) {
      throw new IllegalArgumentException(
          "maxTokens must be between 1 and " + MAX_TOKENS_LIMIT + ", was " + maxTokens);
    }
    if (!Double.isFinite(tokenRatio) || tokenRatio <= 0 || tokenRatio > maxTokens) {
      throw new IllegalArgumentException(
          "tokenRatio must be > 0, <= maxTokens (" + maxTokens + ") and finite, was " + tokenRatio);
    }
    // BigDecimal.valueOf reads the double as it prints, so 0.29 is kept as 290 thousandths.
    int ratioMillis =
        BigDecimal.valueOf(tokenRatio)
            .movePointRight(3)
            .setScale(0, RoundingMode.DOWN)
            .intValueExact();
    if (ratioMillis < 1) {
      throw new IllegalArgumentException(
          "tokenRatio must be at least 0.001 (tokens are kept to thousandths), was " + tokenRatio);
    }
    return new RetryBudget(new TokenBudget(maxTokens * TokenBudget.SCALE, ratioMillis));
  }

  /**
   * Returns a builder for a ratio budget with a chosen ratio, floor and window.
   *
   * @return a builder with the defaults: ratio 0.2, 10 retries per second, a 10 s window
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the retries allowed per call, of a ratio budget.
   *
   * @return the ratio
   * @throws IllegalStateException if this is a token budget
   */
  public double ratio() {
    requireRatio("ratio()");
    return ratio;
  }

  /**
   * Returns the retries per second allowed whatever the call volume, of a ratio budget.
   *
   * @return the floor, per second
   * @throws IllegalStateException if this is a token budget
   */
  public int minRetriesPerSecond() {
    requireRatio("minRetriesPerSecond()");
    return minRetriesPerSecond;
  }

  /**
   * Returns the rolling window over which a ratio budget counts calls and retries.
   *
   * @return the window
   * @throws IllegalStateException if this is a token budget
   */
  public Duration window() {
    requireRatio("window()");
    return window;
  }

  /**
   * Returns the most tokens of a token budget, which it starts with.
   *
   * @return the maximum tokens
   * @throws IllegalStateException if this is a ratio budget
   */
  public int maxTokens() {
    return requireTokens("maxTokens()").maxMillis() / TokenBudget.SCALE;
  }

  /**
   * Returns the tokens a successful attempt adds to a token budget, as kept (to thousandths).
   *
   * @return the token ratio
   * @throws IllegalStateException if this is a ratio budget
   */
  public double tokenRatio() {
    return requireTokens("tokenRatio()").ratioMillis() / (double) TokenBudget.SCALE;
  }

  /**
   * Returns the tokens a token budget holds now, to thousandths.
   *
   * @return the current tokens, from 0 to {@link #maxTokens()}
   * @throws IllegalStateException if this is a ratio budget
   */
  public double tokens() {
    return requireTokens("tokens()").millis() / (double) TokenBudget.SCALE;
  }

  // ---------------------------------------------------------------- drawing from the budget

  /**
   * Counts one call (not one attempt) made at {@code nowNanos}. A ratio budget allows retries in
   * proportion to the calls it counted over its window; a token budget ignores calls.
   *
   * @param nowNanos the caller's monotonic ticker reading, in nanoseconds; all components drawing
   *     from one budget must read the same ticker
   */
  public void recordCall(long nowNanos) {
    RollingBudget r = rolling;
    if (r != null) {
      r.recordCall(nowNanos);
    }
  }

  /**
   * Asks for one extra attempt (a retry or a hedge) at {@code nowNanos}. A ratio budget answers
   * whether its window has a retry left and, if so, counts this one against it for good. A token
   * budget answers whether more than half its tokens are left, and takes nothing: a token is taken
   * only when an attempt fails ({@link #recordFailure}).
   *
   * @param nowNanos the caller's monotonic ticker reading, in nanoseconds
   * @return true if the attempt may be made
   */
  public boolean tryAcquire(long nowNanos) {
    return takeRetry(nowNanos) != REFUSED;
  }

  /**
   * Records that an attempt succeeded: a token budget adds {@code tokenRatio} tokens, up to {@code
   * maxTokens}; a ratio budget ignores it. Lock-free.
   */
  public void recordSuccess() {
    TokenBudget t = tokens;
    if (t != null) {
      t.success();
    }
  }

  /**
   * Records that an attempt failed in a way that would be retried: a token budget takes one token,
   * down to 0; a ratio budget ignores it. Lock-free. A failure that is never retried (one the
   * caller aborts on) should not be recorded.
   */
  public void recordFailure() {
    TokenBudget t = tokens;
    if (t != null) {
      t.failure();
    }
  }

  /** What {@link #takeRetry} returns when no retry is left. */
  static final long REFUSED = RollingBudget.REFUSED;

  /**
   * Takes one retry from the budget at {@code now} and returns a ticket for {@link #refund}, or
   * {@link #REFUSED} if none is left.
   */
  long takeRetry(long now) {
    RollingBudget r = rolling;
    if (r != null) {
      return r.takeRetry(now);
    }
    TokenBudget t = tokens;
    return t != null && t.allows() ? TOKEN_TICKET : REFUSED;
  }

  /**
   * Gives back a retry taken with {@link #takeRetry} that was never made; a no-op once the retry
   * has left the window, for {@link #REFUSED}, and for a token budget, which took nothing.
   */
  void refund(long ticket) {
    RollingBudget r = rolling;
    if (r != null) {
      r.refund(ticket);
    }
  }

  private void requireRatio(String accessor) {
    if (rolling == null) {
      throw new IllegalStateException(accessor + " is for a ratio budget; this is " + this);
    }
  }

  private TokenBudget requireTokens(String accessor) {
    TokenBudget t = tokens;
    if (t == null) {
      throw new IllegalStateException(accessor + " is for a token budget; this is " + this);
    }
    return t;
  }

  /**
   * Returns {@code RetryBudget[ratio=0.2, minRetriesPerSecond=10, window=10 s]} for a ratio budget,
   * {@code RetryBudget[maxTokens=10, tokenRatio=0.1, tokens=7.3]} for a token budget (its tokens
   * now).
   */
  @Override
  public String toString() {
    TokenBudget t = tokens;
    if (t != null) {
      return "RetryBudget[maxTokens="
          + t.maxMillis() / TokenBudget.SCALE
          + ", tokenRatio="
          + t.ratioMillis() / (double) TokenBudget.SCALE
          + ", tokens="
          + t.millis() / (double) TokenBudget.SCALE
          + "]";
    }
    return "RetryBudget[ratio="
        + ratio
        + ", minRetriesPerSecond="
        + minRetriesPerSecond
        + ", window="
        + Durations.format(window)
        + "]";
  }

  /** Builds a ratio {@link RetryBudget}; not thread-safe. */
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
