package io.dyno.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A sleeper that returns at once and remembers how long it was asked to wait, optionally moving a
 * {@link FakeTicker} by as much: for code that waits on the calling thread, such as dyno-retry's
 * {@code sleeper(Sleeper)}, whose single method this one's {@link #sleep(Duration)} matches.
 *
 * <pre>{@code
 * FakeTicker ticker = FakeTicker.create();
 * RecordingSleeper sleeper = RecordingSleeper.advancing(ticker);
 * Retry retry = Retry.builder("payments").ticker(ticker).sleeper(sleeper::sleep).build();
 * retry.call(this::fetch);
 * assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
 * }</pre>
 *
 * <p>Like {@link Thread#sleep}, it throws {@link InterruptedException} (and clears the flag) when
 * the calling thread is interrupted, recording nothing. Thread-safe.
 */
public final class RecordingSleeper {

  private final @Nullable FakeTicker ticker;
  private final List<Duration> sleeps = new ArrayList<>();

  private RecordingSleeper(@Nullable FakeTicker ticker) {
    this.ticker = ticker;
  }

  /**
   * Returns a sleeper that records and moves no time.
   *
   * @return a new sleeper
   */
  public static RecordingSleeper create() {
    return new RecordingSleeper(null);
  }

  /**
   * Returns a sleeper that records and moves {@code ticker} forward by each wait, as if the time
   * had passed.
   *
   * @param ticker the ticker to move
   * @return a new sleeper
   */
  public static RecordingSleeper advancing(FakeTicker ticker) {
    return new RecordingSleeper(Objects.requireNonNull(ticker, "ticker must not be null"));
  }

  /**
   * Records a wait of {@code duration} and returns at once, after moving the ticker by it if this
   * sleeper has one.
   *
   * @param duration how long the caller asked to wait, zero or positive
   * @throws InterruptedException if the calling thread is interrupted; the flag is cleared
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public void sleep(Duration duration) throws InterruptedException {
    Objects.requireNonNull(duration, "duration must not be null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative, was " + duration);
    }
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before a recorded sleep of " + duration);
    }
    synchronized (sleeps) {
      sleeps.add(duration);
    }
    FakeTicker t = ticker;
    if (t != null) {
      t.advance(duration);
    }
  }

  /**
   * Returns every wait recorded so far, in order.
   *
   * @return the waits
   */
  public List<Duration> sleeps() {
    synchronized (sleeps) {
      return List.copyOf(sleeps);
    }
  }

  /**
   * Returns how many waits were recorded.
   *
   * @return the count
   */
  public int count() {
    synchronized (sleeps) {
      return sleeps.size();
    }
  }

  /**
   * Returns the sum of the waits recorded.
   *
   * @return the total
   */
  public Duration total() {
    synchronized (sleeps) {
      return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }
  }

  @Override
  public String toString() {
    return "RecordingSleeper[sleeps=" + sleeps() + "]";
  }
}
