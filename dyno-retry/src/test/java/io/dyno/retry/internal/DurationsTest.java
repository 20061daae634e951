package io.dyno.retry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link Durations#format}: "three significant digits in the largest unit that fits". The unit
 * changes where three significant digits would round up to 1000 of the smaller one, so 999.5 µs
 * reads "1.00 ms", not "1000 µs".
 */
class DurationsTest {

  /** A fixed seed keeps every run identical; change it to explore other samples. */
  private static final String SEED = "20261127";

  private static final Map<String, Double> NANOS_PER_UNIT =
      Map.of("ns", 1.0, "µs", 1e3, "ms", 1e6, "s", 1e9, "min", 60e9);

  private static String format(long nanos) {
    return Durations.format(Duration.ofNanos(nanos));
  }

  @Test
  void format_belowOneMicrosecond_showsWholeNanoseconds() {
    assertThat(format(0)).isEqualTo("0 ns");
    assertThat(format(1)).isEqualTo("1 ns");
    assertThat(format(812)).isEqualTo("812 ns");
    assertThat(format(999)).isEqualTo("999 ns");
  }

  @Test
  void format_microseconds_showThreeSignificantDigits() {
    assertThat(format(1_000)).isEqualTo("1.00 µs");
    assertThat(format(1_234)).isEqualTo("1.23 µs");
    assertThat(format(12_340)).isEqualTo("12.3 µs");
    assertThat(format(123_456)).isEqualTo("123 µs");
  }

  @Test
  void format_roundsAtTheThirdSignificantDigit_changingTheNumberOfDecimals() {
    assertThat(format(9_994)).isEqualTo("9.99 µs");
    assertThat(format(9_995)).isEqualTo("10.0 µs");
    assertThat(format(99_949)).isEqualTo("99.9 µs");
    assertThat(format(99_950)).isEqualTo("100 µs");
    assertThat(format(9_995_000)).isEqualTo("10.0 ms");
    assertThat(format(99_950_000)).isEqualTo("100 ms");
    assertThat(format(9_995_000_000L)).isEqualTo("10.0 s");
    assertThat(format(99_950_000_000L)).isEqualTo("1.67 min");
  }

  @Test
  void format_whereRoundingReachesAThousand_movesToTheNextUnit() {
    assertThat(format(999_499)).isEqualTo("999 µs");
    assertThat(format(999_500)).isEqualTo("1.00 ms");
    assertThat(format(999_499_999)).isEqualTo("999 ms");
    assertThat(format(999_500_000)).isEqualTo("1.00 s");
  }

  @Test
  void format_justBelowWhereRoundingReachesAThousand_staysInTheSmallerUnit() {
    // 0.995 ms to three significant digits is 0.995, not 1.00: it stays 995 µs.
    assertThat(format(995_000)).isEqualTo("995 µs");
    assertThat(format(999_000)).isEqualTo("999 µs");
    assertThat(format(995_000_000)).isEqualTo("995 ms");
  }

  @Test
  void format_millisecondsAndSeconds() {
    assertThat(format(1_000_000)).isEqualTo("1.00 ms");
    assertThat(format(250_000_000)).isEqualTo("250 ms");
    assertThat(format(1_200_000_000)).isEqualTo("1.20 s");
    assertThat(format(59_940_000_000L)).isEqualTo("59.9 s");
    assertThat(format(59_949_999_999L)).isEqualTo("59.9 s");
  }

  @Test
  void format_minutes_areTheLargestUnit() {
    assertThat(format(Duration.ofMinutes(10).toNanos())).isEqualTo("10.0 min");
    assertThat(format(Duration.ofMinutes(60).toNanos())).isEqualTo("60.0 min");
    assertThat(format(5_996_999_999_999L)).isEqualTo("99.9 min");
    assertThat(format(5_997_000_000_000L)).isEqualTo("100 min");
    // Minutes are the largest unit: a day has four digits of them.
    assertThat(format(Duration.ofDays(1).toNanos())).isEqualTo("1440 min");
  }

  @Test
  void format_ofADurationBeyondLongNanoseconds_saturates() {
    assertThat(Durations.format(Duration.ofDays(365L * 1000)))
        .isEqualTo(format(Long.MAX_VALUE))
        .isEqualTo("153722867 min");
  }

  @Test
  void format_fromAMinute_showsMinutes() {
    assertThat(format(59_950_000_000L)).isEqualTo("1.00 min");
    assertThat(format(Duration.ofMinutes(1).toNanos())).isEqualTo("1.00 min");
    assertThat(format(Duration.ofSeconds(90).toNanos())).isEqualTo("1.50 min");
    assertThat(format(Duration.ofSeconds(210).toNanos())).isEqualTo("3.50 min");
    assertThat(format(Duration.ofSeconds(599).toNanos())).isEqualTo("9.98 min");
  }

  @Test
  void format_justBelowTenMinutes_showsMinutesNotSeconds() {
    assertThat(format(599_500_000_000L)).isEqualTo("9.99 min");
    assertThat(format(599_600_000_000L)).isEqualTo("9.99 min");
    assertThat(format(599_950_000_000L)).isEqualTo("10.0 min");
  }

  @Test
  void format_ofANegativeDuration_usesTheUnitOfItsMagnitude() {
    assertThat(format(-1_500)).isEqualTo("-1.50 µs");
    assertThat(format(-2_000_000_000L)).isEqualTo("-2.00 s");
  }

  @Test
  void format_ofANegativeDurationBeyondLongNanoseconds_saturatesWithItsSign() {
    assertThat(Durations.format(Duration.ofDays(-365L * 1000)))
        .isEqualTo(format(Long.MIN_VALUE))
        .isEqualTo("-153722867 min");
  }

  @Property(tries = 1_000, seed = SEED)
  void format_isWithinRoundingOfTheTruth_withThreeSignificantDigits(
      @ForAll @DoubleRange(min = 1, max = 10) double mantissa,
      @ForAll @IntRange(min = 0, max = 14) int exponent) {
    long nanos = Math.round(mantissa * Math.pow(10, exponent));

    String formatted = format(nanos);

    String[] parts = formatted.split(" ");
    assertThat(parts).as(formatted).hasSize(2);
    String number = parts[0];
    String unit = parts[1];
    assertThat(NANOS_PER_UNIT).as(formatted).containsKey(unit);
    double value = Double.parseDouble(number);
    int decimals = number.contains(".") ? number.length() - number.indexOf('.') - 1 : 0;
    // Rounding to `decimals` places is off by at most half the last place.
    double tolerance = 0.5 * Math.pow(10, -decimals) * NANOS_PER_UNIT.get(unit);
    assertThat(value * NANOS_PER_UNIT.get(unit))
        .as(formatted + " for " + nanos + " ns")
        .isBetween(nanos - tolerance * (1 + 1e-9), nanos + tolerance * (1 + 1e-9));
    if (unit.equals("ns")) {
      assertThat(number).as(formatted).matches("\\d{1,3}");
    } else {
      // The largest unit that fits: at least 1, and less than one of the next unit.
      assertThat(value).as(formatted).isGreaterThanOrEqualTo(1);
      if (unit.equals("s")) {
        assertThat(value).as(formatted).isLessThan(60);
      } else if (!unit.equals("min")) {
        assertThat(value).as(formatted).isLessThan(1000);
      }
      if (value < 1000) {
        assertThat(number.replace(".", "")).as(formatted).hasSize(3);
      }
    }
  }

  @Property(tries = 300, seed = SEED)
  void format_ofANegativeDuration_isItsMagnitudeWithAMinusSign(
      @ForAll @DoubleRange(min = 1, max = 10) double mantissa,
      @ForAll @IntRange(min = 0, max = 14) int exponent) {
    long nanos = Math.round(mantissa * Math.pow(10, exponent));

    assertThat(format(-nanos)).isEqualTo("-" + format(nanos));
  }
}
