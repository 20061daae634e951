package io.dyno.breaker.internal;

import io.dyno.breaker.Breaker;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@code CLOSED}: every call goes through and is counted; after each call that may change the
 * verdict, the window is judged, and the breaker opens once it holds at least the minimum volume
 * and a rate reaches its threshold.
 */
final class Closed extends Counting {

  Closed(
      StateMachine machine,
      @Nullable Phase from,
      long since,
      String reason,
      @Nullable RollingWindow window) {
    super(machine, from, Breaker.State.CLOSED, since, reason, window);
  }

  @Override
  void judge(WindowCounts counts, long now) {
    Settings s = machine.settings();
    if (counts.calls() < s.minimumCalls()) {
      return;
    }
    String reason;
    if (counts.failureRate() >= s.failureRateThreshold()) {
      reason = percent(counts.failureRate()) + " failures" + machine.inTheLastWindow();
    } else if (s.slowCallThreshold() != null
        && counts.slowCallRate() >= s.slowCallRateThreshold()) {
      reason =
          percent(counts.slowCallRate())
              + " of calls slower than "
              + Durations.format(machine.slowNanos())
              + machine.inTheLastWindow();
    } else {
      RollingWindow w = window;
      if (w != null) {
        w.judgedSafe(counts);
      }
      return;
    }
    machine.transition(
        this,
        new Open(machine, this, now, reason, counts.failureRate(), counts.slowCallRate(), window));
  }

  /** Formats a percentage with one decimal, as {@code 52.0%}. */
  private static String percent(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", rate);
  }
}
