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
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
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
    BigDecimal magnitude = BigDecimal.valueOf(nanos).abs();
    String sign = nanos < 0 ? "-" : "";
    int hours = UNIT_NANOS.length - 1;
    for (int u = hours; u > 0; u--) {
      BigDecimal value = magnitude.divide(BigDecimal.valueOf(UNIT_NANOS[u]), THREE_DIGITS);
      if (value.compareTo(BigDecimal.ONE) >= 0) {
        if (u == hours && value.compareTo(THOUSAND) >= 0) {
          value = magnitude.divide(BigDecimal.valueOf(UNIT_NANOS[u]), 0, RoundingMode.HALF_UP);
        }
        return sign + threeDigits(value) + UNIT_NAMES[u];
      }
    }
    // At least 1000 ns, so at least 1.00 µs.
    return sign
        + threeDigits(magnitude.divide(BigDecimal.valueOf(UNIT_NANOS[0]), THREE_DIGITS))
        + UNIT_NAMES[0];
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
    // Overflow only when both operands have the sign the sum lacks.
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return sum;
  }

  /** Shows a value rounded to three significant digits with exactly three, or whole from 100. */
  private static String threeDigits(BigDecimal value) {
    int scale;
    if (value.compareTo(BigDecimal.TEN) < 0) {
      scale = 2;
    } else if (value.compareTo(HUNDRED) < 0) {
      scale = 1;
    } else {
      scale = 0;
    }
    return value.setScale(scale, RoundingMode.HALF_UP).toPlainString();
  }
}
