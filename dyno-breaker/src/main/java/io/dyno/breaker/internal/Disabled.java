package io.dyno.breaker.internal;

import io.dyno.breaker.Breaker;
import org.jspecify.annotations.Nullable;

/** {@code DISABLED}: forced closed by hand; every call goes through and is counted, none opens. */
final class Disabled extends Counting {

  Disabled(StateMachine machine, Phase from, String reason, @Nullable RollingWindow window) {
    super(machine, from, Breaker.State.DISABLED, 0L, reason, window);
  }

  @Override
  void judge(WindowCounts counts, long now) {
    // Counted, never judged.
  }
}
