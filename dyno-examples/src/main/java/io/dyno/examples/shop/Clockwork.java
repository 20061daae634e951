package io.dyno.examples.shop;

import io.dyno.retry.Sleeper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The time and chance a shop runs on: a monotonic ticker, a sleeper that stands in for the time a
 * remote call takes, and the seed of every random choice.
 *
 * <p>The demo uses {@link #system(long)}; tests pass a ticker they move by hand and a sleeper that
 * returns at once, so that a whole incident schedule plays out without waiting.
 *
 * @param ticker monotonic nanoseconds
 * @param sleeper waits as a slow remote would; must throw {@link InterruptedException} promptly
 * @param seed seeds every random choice of the simulation
 */
public record Clockwork(LongSupplier ticker, Sleeper sleeper, long seed) {

  /**
   * Checks the parts.
   *
   * @param ticker monotonic nanoseconds
   * @param sleeper waits as a slow remote would
   * @param seed seeds every random choice
   * @throws NullPointerException if {@code ticker} or {@code sleeper} is null
   */
  public Clockwork {
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * Returns the real clockwork: {@link System#nanoTime()} and a sleeper that blocks the thread.
   *
   * @param seed the random seed
   * @return the clockwork
   */
  public static Clockwork system(long seed) {
    return new Clockwork(System::nanoTime, Sleeper.system(), seed);
  }

  /**
   * Returns a wall clock that starts at the current epoch time and moves with the ticker: as fast
   * as the simulation's time, and read without a system call. Shops that share prices through Redis
   * compare expiries in epoch milliseconds, so they share one such clock; call this once per run.
   *
   * @return the clock, in UTC
   */
  public Clock wallClock() {
    return new TickingClock(ticker, Clock.systemUTC().millis(), ticker.getAsLong(), ZoneOffset.UTC);
  }

  /** Epoch time that follows a ticker from a starting point. */
  private static final class TickingClock extends Clock {
    private final LongSupplier ticker;
    private final long startMillis;
    private final long startNanos;
    private final ZoneId zone;

    TickingClock(LongSupplier ticker, long startMillis, long startNanos, ZoneId zone) {
      this.ticker = ticker;
      this.startMillis = startMillis;
      this.startNanos = startNanos;
      this.zone = zone;
    }

    @Override
    public long millis() {
      return startMillis + (ticker.getAsLong() - startNanos) / 1_000_000L;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return new TickingClock(
          ticker, startMillis, startNanos, Objects.requireNonNull(zone, "zone"));
    }
  }
}
