package io.dyno.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A wall clock whose time moves only when the test moves it, for builders' {@code clock(Clock)}. It
 * follows a {@link FakeTicker}, so that a ticker and a clock handed to the same code move together:
 *
 * <pre>{@code
 * FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * Harness harness = Harness.builder("payments").ticker(clock.ticker()).clock(clock).build();
 * clock.advance(Duration.ofSeconds(1)); // both read one second later
 * }</pre>
 *
 * <p>Thread-safe; reading it does not count as a read of its ticker.
 */
public final class FakeClock extends Clock {

  private final FakeTicker ticker;
  private final Instant start;
  private final ZoneId zone;

  FakeClock(FakeTicker ticker, Instant start, ZoneId zone) {
    this.ticker = ticker;
    this.start = start;
    this.zone = zone;
  }

  /**
   * Returns a clock in UTC that reads {@code start} until moved, backed by a new {@link
   * FakeTicker}.
   *
   * @param start the first reading
   * @return a new clock
   */
  public static FakeClock at(Instant start) {
    return FakeTicker.create().clock(start);
  }

  /**
   * Moves time forward, for this clock and its ticker alike.
   *
   * @param d how far, zero or positive
   * @return this clock
   * @throws IllegalArgumentException if {@code d} is negative
   */
  public FakeClock advance(Duration d) {
    ticker.advance(d);
    return this;
  }

  /**
   * Returns the ticker this clock follows.
   *
   * @return the ticker
   */
  public FakeTicker ticker() {
    return ticker;
  }

  @Override
  public Instant instant() {
    return start.plus(ticker.elapsed());
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** Returns a clock with the same time in another zone. */
  @Override
  public Clock withZone(ZoneId zone) {
    return new FakeClock(ticker, start, Objects.requireNonNull(zone, "zone must not be null"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FakeClock other
        && other.ticker == ticker
        && other.start.equals(start)
        && other.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(System.identityHashCode(ticker), start, zone);
  }

  @Override
  public String toString() {
    return "FakeClock[instant=" + instant() + ", zone=" + zone + "]";
  }
}
