package io.dyno.breaker.internal;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations for people: three significant digits in the largest unit (ns, µs, ms, s, min) in which
 * the value is at least 1, such as {@code 812 ns}, {@code 1.20 s} or {@code 10.0 s}.
 */
public final class Durations {

  private static final String[] UNITS = {"ns", "µs", "ms", "s", "min"};

  /** The size of each unit in nanoseconds. */
  private static final double[] NANOS = {1, 1e3, 1e6, 1e9, 60e9};

  private Durations() {}

  /** Formats {@code d}; a negative duration is its magnitude with a minus sign. */
  public static String format(Duration d) {
    return formatNanos(toNanosSaturated(d));
  }

  /** Formats a number of nanoseconds as {@link #format} does. */
  public static String formatNanos(long nanos) {
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

  /** {@code d} in nanoseconds, saturated at {@code Long.MAX_VALUE} and {@code Long.MIN_VALUE}. */
  public static long toNanosSaturated(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** Formats a percentage with one decimal, as {@code 52.0%}. */
  public static String percent(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", rate);
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
