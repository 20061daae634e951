package io.dyno.metrics;

import io.dyno.testing.FakeClock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A clock that runs a hook before each reading, to count the readings or to make them fail; the
 * time it reads is a {@link FakeClock}'s. A test instrument for the places that read wall time, not
 * a fake of time itself: {@code FakeClock} does not count its readings nor fail.
 */
final class CallbackClock extends Clock {

  private final FakeClock time;
  private final Runnable beforeRead;

  private CallbackClock(FakeClock time, Runnable beforeRead) {
    this.time = time;
    this.beforeRead = beforeRead;
  }

  /** Returns a clock at the epoch, in UTC, that runs {@code beforeRead} before each reading. */
  static CallbackClock atEpoch(Runnable beforeRead) {
    return new CallbackClock(FakeClock.at(Instant.EPOCH), beforeRead);
  }

  /** Returns a clock at the epoch that fails each reading with "clock broke" while asked to. */
  static CallbackClock breaking(java.util.function.BooleanSupplier broken) {
    return atEpoch(
        () -> {
          if (broken.getAsBoolean()) {
            throw new IllegalStateException("clock broke");
          }
        });
  }

  @Override
  public ZoneId getZone() {
    return time.getZone();
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    beforeRead.run();
    return time.instant();
  }
}
