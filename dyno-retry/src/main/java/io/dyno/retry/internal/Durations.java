package io.dyno.retry.internal;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations for people: three significant digits in the largest unit (ns, µs, ms, s, min) in which
 * the value is at least 1, moving up a unit when rounding reaches it, such as {@code 812 ns},
 * {@code 1.20 s} or {@code 3.50 min}; whole nanoseconds print as they are.
 */
public final class Durations {

  private static final String[] UNITS = {"ns", "µs", "ms", "s", "min"};

  /** The size of each unit in nanoseconds. */
  private static final double[] NANOS = {1, 1e3, 1e6, 1e9, 60e9};

  private Durations() {}

  /** Formats {@code d}; a negative duration is its magnitude with a minus sign. */
  public static String format(Duration d) {
    long nanos = Backoffs.toNanosSaturated(d);
    String sign = nanos < 0 ? "-" : "";
    double magnitude = Math.abs((double) nanos);
    if (magnitude < 999.5) {
      return sign + Math.round(magnitude) + " ns";
    }
    int unit = 0;
    while (unit < UNITS.length - 1 && magnitude >= NANOS[unit + 1]) {
      unit++;
    }
    String text = threeDigits(magnitude / NANOS[unit]);
    // Rounding may reach the next unit: 999.5 µs is 1.00 ms, and 59.95 s is 1.00 min.
    if (unit < UNITS.length - 1 && Double.parseDouble(text) * NANOS[unit] >= NANOS[unit + 1]) {
      unit++;
      text = threeDigits(magnitude / NANOS[unit]);
    }
    return sign + text + " " + UNITS[unit];
  }

  private static String threeDigits(double v) {
    if (v >= 99.95) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (v >= 9.995) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
