package io.dyno.examples.shop;

import io.dyno.retry.Sleeper;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Time moved by hand for a shop under test, and sleepers that never really wait. */
final class FakeTime {

  /** Far from zero, so that nothing passes for a fresh start by accident. */
  static final long START = 1_000_000_000_000L;

  final AtomicLong now = new AtomicLong(START);

  /** Sets the time to {@code elapsed} after the start. */
  void set(Duration elapsed) {
    now.set(START + elapsed.toNanos());
  }

  /** A clockwork whose sleeper returns at once, leaving the time where it is. */
  Clockwork frozen() {
    return with(d -> {});
  }

  /** A clockwork whose sleeper moves the time on by the duration slept. */
  Clockwork advancing() {
    return with(d -> now.addAndGet(d.toNanos()));
  }

  Clockwork with(Sleeper sleeper) {
    return new Clockwork(now::get, sleeper, 42);
  }
}
