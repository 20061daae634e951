package io.dyno.injection.internal;

import java.time.Duration;
import java.util.Locale;

/** Formats durations for exception messages. */
public final class Durations {

  private Durations() {}

  /**
   * Formats a duration in the largest unit that keeps it readable: {@code 850 µs}, {@code 12 ms},
   * {@code 3.20 s}.
   *
   * @param d the duration, not negative
   * @return the formatted duration
   */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos < 1_000_000L) {
      return (nanos / 1_000L) + " µs";
    }
    if (nanos < 1_000_000_000L) {
      return (nanos / 1_000_000L) + " ms";
    }
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }
}
