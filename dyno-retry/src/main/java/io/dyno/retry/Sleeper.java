package io.dyno.retry;

import io.dyno.retry.internal.Durations;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How a {@link Retry} waits between attempts on the calling thread: the seam that lets tests record
 * the waits instead of sleeping.
 *
 * <pre>{@code
 * List<Duration> waits = new ArrayList<>();
 * Retry retry = Retry.builder("test").maxAttempts(3).sleeper(waits::add).build();
 * }</pre>
 *
 * <p>An implementation must be thread-safe and, when the thread is interrupted, throw {@link
 * InterruptedException} promptly.
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Blocks the calling thread for the given time.
   *
   * @param duration how long, zero or positive
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * Returns the sleeper that really waits, with {@link TimeUnit#sleep}. A virtual thread unmounts
   * from its carrier while it waits.
   *
   * @return the system sleeper
   */
  static Sleeper system() {
    return duration -> TimeUnit.NANOSECONDS.sleep(Durations.toNanosSaturated(duration));
  }
}
