package io.dyno.breaker.internal;

import io.dyno.breaker.Breaker;
import org.jspecify.annotations.Nullable;

/**
 * A phase that lets every call through and counts it in the window: {@link Closed}, which judges
 * the window after each call that may open it, and {@link Disabled}, which never does.
 */
abstract class Counting extends Phase {

  Counting(
      StateMachine machine,
      @Nullable Phase from,
      Breaker.State state,
      long since,
      String reason,
      @Nullable RollingWindow window) {
    super(machine, from, state, since, reason, window);
  }

  @Override
  final Phase admit() {
    return this;
  }

  @Override
  public final boolean permits() {
    return true;
  }

  @Override
  final void succeeded(long durationNanos, boolean slow, long now, boolean knowsNow) {
    count(false, slow, now, knowsNow);
  }

  @Override
  final void failed(long durationNanos, boolean slow, long now, boolean knowsNow) {
    count(true, slow, now, knowsNow);
  }

  /** Counts a call in the window at its end, and judges the window if the call may open it. */
  private void count(boolean failed, boolean slow, long now, boolean knowsNow) {
    RollingWindow w = window;
    if (w == null) {
      return;
    }
    long at = knowsNow ? now : machine.now();
    if (failed || slow) {
      judge(w.record(at, failed, slow), at);
    } else if (w.addSuccess(at)) {
      // The hot path: a striped increment, and a judgement only when the window needs one.
      judge(w.counts(at), at);
    }
  }

  /** Judges the window's counts after a call that ended at {@code now}. */
  abstract void judge(WindowCounts counts, long now);
}
