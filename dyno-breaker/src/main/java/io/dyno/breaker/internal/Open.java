package io.dyno.breaker.internal;

import io.dyno.breaker.Breaker;
import org.jspecify.annotations.Nullable;

/**
 * {@code OPEN}: every call is refused until the open duration has passed; the first call after it
 * turns the breaker half-open and is its first trial.
 */
final class Open extends Phase {

  private final double failureRate;
  private final double slowCallRate;

  Open(
      StateMachine machine,
      Phase from,
      long since,
      String reason,
      double failureRate,
      double slowCallRate,
      @Nullable RollingWindow window) {
    super(machine, from, Breaker.State.OPEN, since, reason, window);
    this.failureRate = failureRate;
    this.slowCallRate = slowCallRate;
  }

  @Override
  @Nullable Phase admit() {
    long now = machine.now();
    if (now - since < machine.openNanos()) {
      return this;
    }
    HalfOpen trial = new HalfOpen(machine, this, now, machine.openedFor(), window);
    return machine.transition(this, trial) ? trial : null;
  }

  @Override
  public long nextTrialNanos() {
    return Math.max(0, machine.openNanos() - (machine.now() - since));
  }

  @Override
  public double failureRate() {
    return failureRate;
  }

  @Override
  public double slowCallRate() {
    return slowCallRate;
  }
}
