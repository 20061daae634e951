package io.dyno.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A ticker whose time moves only when the test moves it: hand it to any dyno builder's {@code
 * ticker(LongSupplier)} and call {@link #advance(Duration)} where the real code would wait.
 *
 * <pre>{@code
 * FakeTicker ticker = FakeTicker.create();
 * Breaker breaker = Breaker.builder("payments").ticker(ticker).openDuration(Duration.ofSeconds(5)).build();
 * breaker.trip();
 * ticker.advance(Duration.ofSeconds(5));
 * assertThat(breaker.state()).isEqualTo(Breaker.State.HALF_OPEN);
 * }</pre>
 *
 * <p>Readings are nanoseconds and wrap around as {@link System#nanoTime()} may: a ticker started
 * near {@code Long.MAX_VALUE} ({@link #startingAt(long)}) proves that the code under test compares
 * readings by difference. It counts its reads, so a test can assert how often code reads the time,
 * and can move on by a fixed step after each read ({@link #autoAdvance(Duration)}), for code that
 * measures its own work. Thread-safe: any thread may read or move it.
 */
public final class FakeTicker implements LongSupplier {

  private final long origin;
  private final AtomicLong nanos;
  private final AtomicLong reads = new AtomicLong();
  private volatile long autoStep;

  private FakeTicker(long origin) {
    this.origin = origin;
    this.nanos = new AtomicLong(origin);
  }

  /**
   * Returns a ticker that reads 0 until moved.
   *
   * @return a new ticker
   */
  public static FakeTicker create() {
    return new FakeTicker(0);
  }

  /**
   * Returns a ticker that reads {@code nanos} until moved; start near {@code Long.MAX_VALUE} to
   * catch code that compares readings directly instead of by difference.
   *
   * @param nanos the first reading, any value
   * @return a new ticker
   */
  public static FakeTicker startingAt(long nanos) {
    return new FakeTicker(nanos);
  }

  /**
   * Returns the reading in nanoseconds, then moves on by the automatic step, if one is set.
   *
   * @return the reading
   */
  @Override
  public long getAsLong() {
    reads.incrementAndGet();
    long step = autoStep;
    return step == 0 ? nanos.get() : nanos.getAndAdd(step);
  }

  /**
   * Returns the reading in nanoseconds, as {@link #getAsLong()} does.
   *
   * @return the reading
   */
  public long read() {
    return getAsLong();
  }

  /**
   * Moves time forward.
   *
   * @param d how far, zero or positive
   * @return this ticker
   * @throws IllegalArgumentException if {@code d} is negative
   */
  public FakeTicker advance(Duration d) {
    Objects.requireNonNull(d, "d must not be null");
    if (d.isNegative()) {
      throw new IllegalArgumentException("d must not be negative, was " + d);
    }
    return advance(d.toNanos());
  }

  /**
   * Moves time forward.
   *
   * @param nanos how far in nanoseconds, zero or positive
   * @return this ticker
   * @throws IllegalArgumentException if {@code nanos} is negative
   */
  public FakeTicker advance(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("nanos must not be negative, was " + nanos);
    }
    this.nanos.addAndGet(nanos);
    return this;
  }

  /**
   * Sets the reading, forward or backward: for tests of code that must survive a ticker that jumps.
   *
   * @param nanos the new reading
   * @return this ticker
   */
  public FakeTicker set(long nanos) {
    this.nanos.set(nanos);
    return this;
  }

  /**
   * Makes every later read move time on by {@code step} after it is read; zero stops it.
   *
   * @param step how far each read moves time, zero or positive
   * @return this ticker
   * @throws IllegalArgumentException if {@code step} is negative
   */
  public FakeTicker autoAdvance(Duration step) {
    Objects.requireNonNull(step, "step must not be null");
    if (step.isNegative()) {
      throw new IllegalArgumentException("step must not be negative, was " + step);
    }
    this.autoStep = step.toNanos();
    return this;
  }

  /**
   * Returns how far time has moved since this ticker was created, without reading it.
   *
   * @return the time moved, negative only after {@link #set(long)} moved it back
   */
  public Duration elapsed() {
    return Duration.ofNanos(nanos.get() - origin);
  }

  /**
   * Returns how many times the ticker has been read.
   *
   * @return the reads so far
   */
  public long reads() {
    return reads.get();
  }

  /**
   * Returns a clock that moves with this ticker: it reads {@code start} plus the time this ticker
   * has moved since it was created.
   *
   * @param start the clock's reading while this ticker has not moved
   * @return a clock following this ticker
   */
  public FakeClock clock(Instant start) {
    return new FakeClock(
        this, Objects.requireNonNull(start, "start must not be null"), ZoneOffset.UTC);
  }

  /** The reading, without counting it as a read. */
  long peek() {
    return nanos.get();
  }

  @Override
  public String toString() {
    return "FakeTicker[nanos=" + nanos.get() + ", elapsed=" + elapsed() + "]";
  }
}
