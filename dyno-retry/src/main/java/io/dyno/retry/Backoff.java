package io.dyno.retry;

import io.dyno.retry.internal.Backoffs;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long a {@link Retry} waits after a failed attempt before the next one.
 *
 * <p>The built-in backoffs are immutable values; {@link #withMaxDelay} and {@link #withJitter} wrap
 * one in another and apply in the order written, so {@code
 * exponential(...).withMaxDelay(max).withJitter(0.5)} may wait up to 1.5 × max, while {@code
 * exponential(...).withJitter(0.5).withMaxDelay(max)} never waits longer than max.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2.0)   // 100 ms, 200 ms, 400 ms, ...
 *     .withMaxDelay(Duration.ofSeconds(5))
 *     .withJitter(0.5);                                              // each within ±50 %
 * Backoff custom = (attempt, random) -> Duration.ofMillis(50L * attempt);
 * }</pre>
 *
 * <p>A custom backoff is a lambda. It must be thread-safe (one {@code Retry} serves many calls at
 * once), must not return null or a negative duration, and should draw any randomness from the
 * generator it is given, which is the retry's injected one, so that tests can fix it.
 */
@FunctionalInterface
public interface Backoff {

  /**
   * Returns the wait after the given failed attempt, before the next one.
   *
   * @param attempt the number of the attempt that just failed, from 1
   * @param random the retry's random generator, for jitter
   * @return the delay, zero or positive
   * @throws IllegalArgumentException if {@code attempt} is below 1 (the built-in backoffs check)
   */
  Duration delay(int attempt, RandomGenerator random);

  /**
   * Returns a backoff that never waits.
   *
   * @return the zero backoff
   */
  static Backoff none() {
    return Backoffs.NONE;
  }

  /**
   * Returns a backoff that waits the same time after every failure.
   *
   * @param delay the wait, zero or positive
   * @return the fixed backoff
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  static Backoff fixed(Duration delay) {
    return new Backoffs.Fixed(Backoffs.requireNonNegative(delay, "delay"));
  }

  /**
   * Returns a backoff that waits {@code initial} after the first failure and {@code multiplier}
   * times longer after each further one: initial · multiplier<sup>attempt − 1</sup>. The result
   * saturates at the longest {@code Duration} a {@code long} of nanoseconds holds (about 292 years)
   * rather than overflowing; cap it with {@link #withMaxDelay}.
   *
   * @param initial the first wait, positive
   * @param multiplier the growth factor, at least 1
   * @return the exponential backoff
   * @throws IllegalArgumentException if {@code initial} is not positive or {@code multiplier} is
   *     less than 1 or not finite
   */
  static Backoff exponential(Duration initial, double multiplier) {
    Backoffs.requirePositive(initial, "initial");
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be >= 1 and finite, was " + multiplier);
    }
    return new Backoffs.Exponential(initial, multiplier);
  }

  /**
   * Returns a backoff that waits a uniformly random time in [min, max] after every failure.
   *
   * @param min the shortest wait, zero or positive
   * @param max the longest wait, at least {@code min}
   * @return the random backoff
   * @throws IllegalArgumentException if {@code min} is negative or greater than {@code max}
   */
  static Backoff random(Duration min, Duration max) {
    Backoffs.requireNonNegative(min, "min");
    Objects.requireNonNull(max, "max must not be null");
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException("max must be >= min (" + min + "), was " + max);
    }
    return new Backoffs.Random(min, max);
  }

  /**
   * Returns this backoff with every wait capped at {@code max}.
   *
   * @param max the longest wait, zero or positive
   * @return the capped backoff
   * @throws IllegalArgumentException if {@code max} is negative
   */
  default Backoff withMaxDelay(Duration max) {
    return new Backoffs.Capped(this, Backoffs.requireNonNegative(max, "max"));
  }

  /**
   * Returns this backoff with each wait spread uniformly over [d · (1 − fraction), d · (1 +
   * fraction)], so that many clients that failed together do not retry together.
   *
   * @param fraction the spread, in [0, 1]; 0 changes nothing
   * @return the jittered backoff
   * @throws IllegalArgumentException if {@code fraction} is outside [0, 1]
   */
  default Backoff withJitter(double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in [0, 1], was " + fraction);
    }
    return new Backoffs.Jittered(this, fraction);
  }
}
