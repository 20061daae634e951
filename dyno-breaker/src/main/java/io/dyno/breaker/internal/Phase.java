package io.dyno.breaker.internal;

import io.dyno.breaker.Breaker;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One phase of a breaker's life: a state entered once, with what it needs to decide, and the
 * permits it issued. A phase is also the permit of the calls it admits, so that an outcome is
 * judged by the phase that admitted the call: one reported after the breaker moved on never counts
 * towards, or frees anything in, a later phase. Each state's behaviour is one subclass.
 *
 * <p>Phases are immutable but for the trial counters of {@link HalfOpen}; the breaker's current
 * phase is replaced by compare-and-set only, so each transition happens once.
 */
public abstract class Phase implements Breaker.Permit {

  final StateMachine machine;
  final Breaker.State state;

  /** The ticker reading when the phase began, where the state needs it; 0 otherwise. */
  final long since;

  final String reason;

  /** How many state changes led here; numbers the listeners' events, which are told in order. */
  final long seq;

  /** The window the phase counts into, or shows; null for a manual breaker. */
  final @Nullable RollingWindow window;

  Phase(
      StateMachine machine,
      @Nullable Phase from,
      Breaker.State state,
      long since,
      String reason,
      @Nullable RollingWindow window) {
    this.machine = machine;
    this.state = state;
    this.since = since;
    this.reason = reason;
    this.seq = from == null ? 0 : from.state == state ? from.seq : from.seq + 1;
    this.window = window;
  }

  /**
   * Admits one call.
   *
   * @return a phase whose {@link #permits()} is true (the permit), a refusing phase, or null when
   *     the breaker changed meanwhile and admission must be tried again
   */
  abstract @Nullable Phase admit();

  /**
   * Returns whether this phase, returned by {@link StateMachine#admit()}, is a permit rather than a
   * refusal.
   *
   * @return true for a permit
   */
  public boolean permits() {
    return false;
  }

  /**
   * Records a call this phase admitted that succeeded; {@code now} is known if {@code knowsNow}.
   */
  void succeeded(long durationNanos, boolean slow, long now, boolean knowsNow) {}

  /** Records a call this phase admitted that failed; {@code now} is known if {@code knowsNow}. */
  void failed(long durationNanos, boolean slow, long now, boolean knowsNow) {}

  /** Takes back a permit this phase issued without recording a call. */
  void released() {}

  /**
   * Returns the nanoseconds until a trial call will be admitted, or -1 when only a reset closes the
   * breaker; for a refusing phase.
   *
   * @return the nanoseconds, or -1
   */
  public long nextTrialNanos() {
    return -1;
  }

  /**
   * Returns why calls are refused, for the rejection's message; for a refusing phase.
   *
   * @return the reason
   */
  public String refusalReason() {
    return reason;
  }

  /**
   * Returns the failure rate in percent that opened the breaker, or NaN.
   *
   * @return the rate
   */
  public double failureRate() {
    return Double.NaN;
  }

  /**
   * Returns the slow-call rate in percent that opened the breaker, or NaN.
   *
   * @return the rate
   */
  public double slowCallRate() {
    return Double.NaN;
  }

  /**
   * Returns the state this phase is in.
   *
   * @return the state
   */
  public Breaker.State state() {
    return state;
  }

  // ---------------------------------------------------------------- the permit

  @Override
  public final void onSuccess(long durationNanos) {
    machine.result(this, durationNanos, null, 0L, false);
  }

  @Override
  public final void onResult(long durationNanos, @Nullable Object result) {
    machine.result(this, durationNanos, result, 0L, false);
  }

  @Override
  public final void onFailure(long durationNanos, Throwable failure) {
    Objects.requireNonNull(failure, "failure must not be null");
    machine.thrown(this, durationNanos, failure, 0L, false);
  }

  @Override
  public final void onResultAt(long endNanos, long durationNanos, @Nullable Object result) {
    machine.result(this, durationNanos, result, endNanos, true);
  }

  @Override
  public final void onFailureAt(long endNanos, long durationNanos, Throwable failure) {
    Objects.requireNonNull(failure, "failure must not be null");
    machine.thrown(this, durationNanos, failure, endNanos, true);
  }

  @Override
  public final void release() {
    released();
  }

  @Override
  public String toString() {
    return "Permit[" + machine.name() + ", " + state + "]";
  }
}
