package io.dyno.harness;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time moved by hand: a ticker and a clock that advance together, so that no test sleeps. The
 * ticker may start anywhere, near {@code Long.MAX_VALUE} too, to prove that readings may wrap.
 */
final class FakeTime {

  /** The wall-clock time at which every fake clock starts. */
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final long origin;
  private final AtomicLong nanos;

  FakeTime() {
    this(0);
  }

  FakeTime(long tickerOrigin) {
    this.origin = tickerOrigin;
    this.nanos = new AtomicLong(tickerOrigin);
  }

  /** Returns the ticker's reading, in nanoseconds. */
  long ticker() {
    return nanos.get();
  }

  /** Returns a clock that reads {@link #START} plus the time advanced so far. */
  Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        return START.plusNanos(nanos.get() - origin);
      }
    };
  }

  /** Moves both the ticker and the clock forward. */
  void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }
}
