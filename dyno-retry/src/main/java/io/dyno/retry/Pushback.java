package io.dyno.retry;

import io.dyno.retry.internal.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A server's hint, read from a failure, about when to try again: not at all, after a given delay,
 * or whenever the backoff says. A {@link Retry} built with {@link Retry.Builder#pushback} asks its
 * extractor for one after each failure it would retry.
 *
 * <pre>{@code
 * Retry fetch = Retry.builder("fetch")
 *     .maxAttempts(4)
 *     .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0))
 *     .pushback(failure -> failure instanceof Throttled t
 *         ? Pushback.after(t.retryAfter())
 *         : Pushback.none())
 *     .build();
 * }</pre>
 *
 * <p>Immutable; equal by value.
 */
public final class Pushback {

  private static final Pushback NONE = new Pushback(null, false);
  private static final Pushback STOP = new Pushback(null, true);

  private final @Nullable Duration delay;
  private final boolean stop;

  private Pushback(@Nullable Duration delay, boolean stop) {
    this.delay = delay;
    this.stop = stop;
  }

  /**
   * Returns the absence of a hint: the retry waits as its backoff says.
   *
   * @return no hint
   */
  public static Pushback none() {
    return NONE;
  }

  /**
   * Returns a hint to make the next attempt after exactly {@code delay}, instead of the backoff's
   * wait. The retry's {@code maxDuration} and budget still apply.
   *
   * @param delay the wait before the next attempt, zero or more
   * @return the hint
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public static Pushback after(Duration delay) {
    Objects.requireNonNull(delay, "delay must not be null");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
    return new Pushback(delay, false);
  }

  /**
   * Returns a hint not to retry: the retry stops with {@link StopReason#PUSHBACK}, and the call
   * fails with the failure the hint was read from.
   *
   * @return the hint
   */
  public static Pushback stop() {
    return STOP;
  }

  /**
   * Returns the delay of an {@link #after} hint.
   *
   * @return the delay, or empty for {@link #none()} and {@link #stop()}
   */
  public Optional<Duration> delay() {
    return Optional.ofNullable(delay);
  }

  /**
   * Returns whether this is the {@link #stop()} hint.
   *
   * @return true if the server said not to retry
   */
  public boolean stops() {
    return stop;
  }

  /** The delay of an {@link #after} hint, or null. */
  @Nullable Duration delayOrNull() {
    return delay;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Pushback p && stop == p.stop && Objects.equals(delay, p.delay);
  }

  @Override
  public int hashCode() {
    return Objects.hash(delay, stop);
  }

  /** Returns {@code Pushback[none]}, {@code Pushback[stop]} or {@code Pushback[after=2.00 s]}. */
  @Override
  public String toString() {
    Duration d = delay;
    if (d != null) {
      return "Pushback[after=" + Durations.format(d) + "]";
    }
    return stop ? "Pushback[stop]" : "Pushback[none]";
  }
}
