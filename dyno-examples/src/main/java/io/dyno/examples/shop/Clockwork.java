package io.dyno.examples.shop;

import io.dyno.retry.Sleeper;
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
}
