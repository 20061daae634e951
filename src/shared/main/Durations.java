package io.dyno.${dyno.module}.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Durations for people and for arithmetic, alike in every dyno module: {@code 999 ns}, {@code 1.00
 * µs}, {@code 12.3 ms}, {@code 45.6 s}, {@code 16.7 min}, {@code 2.50 h}.
 *
 * <p>The unit is the largest of µs, ms, s, min and h in which the value, rounded half up to three
 * significant digits, is at least 1; so 999.5 µs is {@code 1.00 ms} and 59.97 s is {@code 1.00
 * min}. Below 1000 ns the value is shown in whole nanoseconds, and from 1000 hours on in whole
 * hours. A negative value gets a minus sign. The result is the same in every locale.
 *
 * <p>One source, {@code src/shared/main/Durations.java}, is compiled into each module's internal
 * package, so that the modules agree without depending on one another. Not API.
 */
public final class Durations {

  private static final long[] UNIT_NANOS = {
    1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L
  };
  private static final String[] UNIT_NAMES = {" µs", " ms", " s", " min", " h"};
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  private static final MathContext THREE_DIGITS = new MathContext(3, RoundingMode.HALF_UP);

  private Durations() {}

  /**
   * Returns {@code d} in a readable unit with three significant digits; a duration beyond the
   * range of {@code long} nanoseconds prints as the nearest one within it.
   *
   * @param d a duration
   * @return the formatted duration, such as {@code 12.3 ms}
   */
  public static String format(Duration d) {
    return format(toNanosSaturated(d));
  }

  /**
   * Returns {@code nanos} in a readable unit with three significant digits.
   *
   * @param nanos a duration in nanoseconds
   * @return the formatted duration, such as {@code 12.3 ms}
   */
  public static String format(long nanos) {
    if (nanos > -1000 && nanos < 1000) {
      return nanos + " ns";
    }
    BigDecimal exact = BigDecimal.valueOf(nanos);
    // The largest unit in which the value, rounded to three significant digits, is at least 1.
    // From 1000 ns on, microseconds always are, so the search ends there.
    int u = UNIT_NANOS.length - 1;
    while (exact.divide(unit(u), THREE_DIGITS).abs().compareTo(BigDecimal.ONE) < 0) {
      u--;
    }
    // Three significant digits show as 1.23, 12.3 or 123; from 1000 (hours only) on, whole units.
    // The number of decimals comes from the value rounded to three digits, so that 9.996 shows
    // as 10.0; the digits come from rounding the exact value to that many decimals.
    BigDecimal shown = exact.divide(unit(u), THREE_DIGITS).abs();
    int decimals;
    if (shown.compareTo(BigDecimal.TEN) < 0) {
      decimals = 2;
    } else if (shown.compareTo(HUNDRED) < 0) {
      decimals = 1;
    } else {
      decimals = 0;
    }
    return exact.divide(unit(u), decimals, RoundingMode.HALF_UP).toPlainString() + UNIT_NAMES[u];
  }

  private static BigDecimal unit(int u) {
    return BigDecimal.valueOf(UNIT_NANOS[u]);
  }

  /**
   * Returns {@code d} in nanoseconds, or {@code Long.MAX_VALUE} or {@code Long.MIN_VALUE} where it
   * does not fit.
   *
   * @param d a duration
   * @return its nanoseconds, saturated
   */
  public static long toNanosSaturated(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /**
   * Returns {@code a + b}, or {@code Long.MAX_VALUE} or {@code Long.MIN_VALUE} where the sum
   * overflows.
   *
   * @param a a number
   * @param b another
   * @return their sum, saturated
   */
  public static long saturatedAdd(long a, long b) {
    long sum = a + b;
    // Overflow only when both operands have the sign the sum lacks; the sum's sign then tells
    // which way it overflowed (MIN_VALUE + MIN_VALUE wraps to 0, which is not negative).
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return sum < 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return sum;
  }
}
