package io.dyno.breaker.internal;

import io.dyno.breaker.Breaker;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * {@code HALF_OPEN}: exactly {@code halfOpenCalls} trial calls go through; when all succeed the
 * breaker closes with an empty window, when one fails (or is slow) it opens again. Trial permits
 * are handed out by compare-and-set, so no more are admitted however many threads race for them.
 * When the trials have not all reported within {@code halfOpenTimeout}, their permits count as lost
 * and a fresh phase with a fresh set of permits replaces this one; a late report of a lost trial
 * then finds its phase gone and changes nothing.
 */
final class HalfOpen extends Phase {

  /** Trial permits handed out and not released; starts at 1, the call that opened the phase. */
  private final AtomicInteger admitted = new AtomicInteger(1);

  /** Trial calls that succeeded. */
  private final AtomicInteger succeeded = new AtomicInteger();

  /** What a call is refused with while every trial permit is taken. */
  private final Phase full;

  HalfOpen(
      StateMachine machine, Phase from, long since, String reason, @Nullable RollingWindow window) {
    super(machine, from, Breaker.State.HALF_OPEN, since, reason, window);
    this.full = new TrialsTaken(this);
  }

  @Override
  @Nullable Phase admit() {
    int limit = machine.settings().halfOpenCalls();
    while (true) {
      int taken = admitted.get();
      if (taken >= limit) {
        break;
      }
      if (admitted.compareAndSet(taken, taken + 1)) {
        return this;
      }
    }
    long now = machine.now();
    if (now - since < machine.halfOpenTimeoutNanos()) {
      return full;
    }
    // The trials have not all reported within halfOpenTimeout: count their permits as lost and
    // admit a fresh set, so that the breaker cannot stay wedged half-open.
    HalfOpen rearmed = new HalfOpen(machine, this, now, machine.trialsLost(), window);
    return machine.transition(this, rearmed) ? rearmed : null;
  }

  @Override
  public boolean permits() {
    return true;
  }

  @Override
  void succeeded(long durationNanos, boolean slow, long now, boolean knowsNow) {
    if (slow) {
      machine.reopen(this, "a trial call took " + Durations.format(durationNanos), now, knowsNow);
      return;
    }
    int needed = machine.settings().halfOpenCalls();
    if (succeeded.incrementAndGet() >= needed) {
      long at = knowsNow ? now : machine.now();
      String why = needed == 1 ? "the trial call succeeded" : needed + " trial calls succeeded";
      machine.transition(this, new Closed(machine, this, at, why, machine.newWindow(at)));
    }
  }

  @Override
  void failed(long durationNanos, boolean slow, long now, boolean knowsNow) {
    machine.reopen(this, "a trial call failed", now, knowsNow);
  }

  @Override
  void released() {
    // Only while this phase is current: a permit of a replaced phase frees nothing.
    admitted.getAndUpdate(n -> n > 0 ? n - 1 : 0);
  }

  /** The refusal of a half-open breaker whose trial permits are all taken. */
  private static final class TrialsTaken extends Phase {
    private final HalfOpen trial;

    TrialsTaken(HalfOpen trial) {
      super(trial.machine, trial, Breaker.State.HALF_OPEN, trial.since, trial.reason, null);
      this.trial = trial;
    }

    @Override
    @Nullable Phase admit() {
      return trial.admit();
    }

    @Override
    public long nextTrialNanos() {
      return Math.max(0, machine.halfOpenTimeoutNanos() - (machine.now() - since));
    }

    @Override
    public String refusalReason() {
      int n = machine.settings().halfOpenCalls();
      return n == 1 ? "its trial call is in progress" : "all " + n + " trial calls are in progress";
    }
  }
}
