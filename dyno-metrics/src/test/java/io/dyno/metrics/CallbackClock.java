package io.dyno.metrics;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/** A UTC clock whose every reading asks a callback: to count readings, or to make them fail. */
final class CallbackClock extends Clock {

  private final Supplier<Instant> instant;

  CallbackClock(Supplier<Instant> instant) {
    this.instant = instant;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return instant.get();
  }
}
