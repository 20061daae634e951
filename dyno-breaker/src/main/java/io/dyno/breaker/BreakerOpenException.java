package io.dyno.breaker;

import io.dyno.breaker.internal.Durations;
import java.time.Duration;
import java.util.Optional;

/**
 * Thrown instead of running the work when a {@link Breaker} does not permit a call: it is open,
 * forced open, or half-open with all its trial calls taken.
 *
 * <p>The message names the breaker, its state and why it opened, such as {@code Breaker 'payments'
 * is OPEN (52.0% failures in the last 10.0 s); call not permitted; next trial in 3.20 s}. A breaker
 * built with {@code writableStackTrace(false)} throws it without a stack trace, which makes a
 * rejection several times cheaper. Immutable.
 */
public final class BreakerOpenException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The name of the breaker that rejected the call. */
  private final String breakerName;

  /** The breaker's state when it rejected the call. */
  private final Breaker.State state;

  /** Nanoseconds until the breaker admits a trial call, or -1 when only a reset closes it. */
  private final long nextTrialNanos;

  /** The failure rate in percent that opened the breaker, or NaN if the rates did not open it. */
  private final double failureRate;

  /** The slow-call rate in percent that opened the breaker, or NaN if the rates did not open it. */
  private final double slowCallRate;

  /** Why the breaker is open, for the message. */
  private final String reason;

  BreakerOpenException(
      String breakerName,
      Breaker.State state,
      long nextTrialNanos,
      double failureRate,
      double slowCallRate,
      String reason,
      boolean writableStackTrace) {
    super(null, null, false, writableStackTrace);
    this.breakerName = breakerName;
    this.state = state;
    this.nextTrialNanos = nextTrialNanos;
    this.failureRate = failureRate;
    this.slowCallRate = slowCallRate;
    this.reason = reason;
  }

  /**
   * Returns the message, built when first asked for so that a rejection that nobody reads costs no
   * formatting.
   *
   * @return the message
   */
  @Override
  public String getMessage() {
    StringBuilder m = new StringBuilder(100);
    m.append("Breaker '").append(breakerName).append("' is ").append(state);
    m.append(" (").append(reason).append("); call not permitted");
    if (nextTrialNanos > 0) {
      m.append("; next trial in ").append(Durations.format(nextTrialNanos));
    } else if (nextTrialNanos == 0) {
      m.append("; next trial due now");
    }
    return m.toString();
  }

  /**
   * Returns the name of the breaker that rejected the call.
   *
   * @return the breaker's name
   */
  public String name() {
    return breakerName;
  }

  /**
   * Returns the name of the breaker that rejected the call, as {@link #name()} does; the name this
   * accessor had before every dyno exception named it {@code name()}.
   *
   * @return the breaker's name
   */
  public String breakerName() {
    return breakerName;
  }

  /**
   * Returns the breaker's state when it rejected the call: {@code OPEN}, {@code HALF_OPEN} or
   * {@code FORCED_OPEN}.
   *
   * @return the state
   */
  public Breaker.State state() {
    return state;
  }

  /**
   * Returns how long until the breaker admits a trial call; empty when it is forced open, since
   * only {@link Breaker#reset()} closes it then.
   *
   * @return the time until the next trial call, zero if one is due
   */
  public Optional<Duration> nextTrialIn() {
    return nextTrialNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nextTrialNanos));
  }

  /**
   * Returns the failure rate, in percent, in the window when the breaker opened; {@code NaN} when
   * the rates did not open it (a failed trial call, or {@link Breaker#trip()}).
   *
   * @return the failure rate that opened the breaker
   */
  public double failureRate() {
    return failureRate;
  }

  /**
   * Returns the slow-call rate, in percent, in the window when the breaker opened; {@code NaN} when
   * the rates did not open it.
   *
   * @return the slow-call rate that opened the breaker
   */
  public double slowCallRate() {
    return slowCallRate;
  }

  /**
   * Returns why the breaker is open, as the message says it, such as {@code 52.0% failures in the
   * last 10.0 s}.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }
}
