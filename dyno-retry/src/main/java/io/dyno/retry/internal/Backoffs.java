package io.dyno.retry.internal;

import io.dyno.retry.Backoff;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** The built-in {@link Backoff} values, as records so that they compare and print by value. */
public final class Backoffs {

  /** The longest delay a {@code long} of nanoseconds can express. */
  static final long MAX_NANOS = Long.MAX_VALUE;

  /** The backoff that never waits. */
  public static final Backoff NONE = new Fixed(Duration.ZERO);

  private Backoffs() {}

  /** Checks that a duration is given and not negative, naming the parameter otherwise. */
  public static Duration requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name + " must not be null");
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, was " + d);
    }
    return d;
  }

  /** Checks that a duration is given and positive, naming the parameter otherwise. */
  public static Duration requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name + " must not be null");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    return d;
  }

  /**
   * Checks the attempt number a backoff is asked about: attempts count from 1, and a retry never
   * asks about attempt 0, so a caller that does has a bug worth hearing about.
   */
  static int requireAttempt(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, was " + attempt);
    }
    return attempt;
  }

  /** A nanosecond count as a duration, rounding a double and saturating at the ends. */
  static Duration ofNanos(double nanos) {
    if (nanos >= MAX_NANOS) {
      return Duration.ofNanos(MAX_NANOS);
    }
    return Duration.ofNanos(Math.max(0, Math.round(nanos)));
  }

  /** The same delay after every failure. */
  public record Fixed(Duration delay) implements Backoff {
    @Override
    public Duration delay(int attempt, RandomGenerator random) {
      requireAttempt(attempt);
      return delay;
    }
  }

  /** initial · multiplier^(attempt − 1), saturating. */
  public record Exponential(Duration initial, double multiplier) implements Backoff {
    @Override
    public Duration delay(int attempt, RandomGenerator random) {
      double nanos =
          Durations.toNanosSaturated(initial) * Math.pow(multiplier, requireAttempt(attempt) - 1);
      return ofNanos(nanos);
    }
  }

  /** Uniform in [min, max]. */
  public record Random(Duration min, Duration max) implements Backoff {
    @Override
    public Duration delay(int attempt, RandomGenerator random) {
      requireAttempt(attempt);
      long lo = Durations.toNanosSaturated(min);
      long hi = Durations.toNanosSaturated(max);
      if (lo == hi) {
        return min;
      }
      // hi - lo cannot overflow: both are non-negative.
      return Duration.ofNanos(lo + random.nextLong(hi - lo + (hi < MAX_NANOS ? 1 : 0)));
    }
  }

  /** Another backoff's delay, capped. */
  public record Capped(Backoff backoff, Duration max) implements Backoff {
    @Override
    public Duration delay(int attempt, RandomGenerator random) {
      Duration d = backoff.delay(requireAttempt(attempt), random);
      // A broken custom backoff's null or negative delay passes through unchanged, so that the
      // retry reports it instead of this wrapper hiding it or failing on it.
      return d != null && d.compareTo(max) > 0 ? max : d;
    }
  }

  /** Another backoff's delay, spread uniformly by ± fraction. */
  public record Jittered(Backoff backoff, double fraction) implements Backoff {
    @Override
    public Duration delay(int attempt, RandomGenerator random) {
      Duration d = backoff.delay(requireAttempt(attempt), random);
      // A null or negative delay from a broken custom backoff passes through for the retry to
      // report: jittered and rounded up to zero, it would go unnoticed.
      if (d == null || d.isNegative() || d.isZero() || fraction == 0) {
        return d;
      }
      double nanos = Durations.toNanosSaturated(d);
      // u in [0, 1) maps to a factor in [1 - fraction, 1 + fraction).
      double factor = 1 + fraction * (2 * random.nextDouble() - 1);
      return ofNanos(nanos * factor);
    }
  }
}
