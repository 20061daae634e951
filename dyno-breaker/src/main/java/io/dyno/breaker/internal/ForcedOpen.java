package io.dyno.breaker.internal;

import io.dyno.breaker.Breaker;
import org.jspecify.annotations.Nullable;

/** {@code FORCED_OPEN}: tripped by hand; every call is refused until a reset or disable. */
final class ForcedOpen extends Phase {

  ForcedOpen(StateMachine machine, Phase from, String reason, @Nullable RollingWindow window) {
    super(machine, from, Breaker.State.FORCED_OPEN, 0L, reason, window);
  }

  @Override
  Phase admit() {
    return this;
  }
}
