package io.dyno.timing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationFormatTest {

  /** A fixed seed keeps every run identical; change it to explore other values. */
  private static final String SEED = "20261127";

  private static final Map<String, Double> UNIT_NANOS =
      Map.of("ns", 1.0, "µs", 1e3, "ms", 1e6, "s", 1e9, "min", 60e9, "h", 3600e9);

  @ParameterizedTest(name = "{0} ns -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0                    | 0 ns",
        "1                    | 1 ns",
        "999                  | 999 ns",
        "1000                 | 1.00 µs",
        "1004                 | 1.00 µs",
        "1005                 | 1.01 µs",
        "9994                 | 9.99 µs",
        "9995                 | 10.0 µs",
        "99949                | 99.9 µs",
        "99950                | 100 µs",
        "999499               | 999 µs",
        "999500               | 1.00 ms",
        "4560000              | 4.56 ms",
        "12345678             | 12.3 ms",
        "999499999            | 999 ms",
        "999500000            | 1.00 s",
        "59000000000          | 59.0 s",
        "59940000000          | 59.9 s",
        "59970000000          | 1.00 min",
        "60000000000          | 1.00 min",
        "999500000000         | 16.7 min",
        "3597000000000        | 60.0 min",
        "3598200000000        | 1.00 h",
        "3600000000000        | 1.00 h",
        "9000000000000        | 2.50 h",
        "3594600000000000     | 999 h",
        "3598200000000000     | 1000 h",
        "3600000000000000     | 1000 h",
        "36000000000000000    | 10000 h",
        "9223372036854775807  | 2562048 h",
        "-1                   | -1 ns",
        "-999                 | -999 ns",
        "-1500                | -1.50 µs",
        "-9223372036854775808 | -2562048 h",
      })
  void format_usesThreeSignificantDigitsInTheLargestFittingUnit(long nanos, String expected) {
    assertThat(DurationFormat.format(nanos)).isEqualTo(expected);
  }

  @Property(tries = 1000, seed = SEED)
  void format_isWithinHalfAUnitInTheThirdDigitOfTheValue(
      @ForAll @LongRange(min = 0, max = 3_000_000_000_000_000L) long nanos) {
    String formatted = DurationFormat.format(nanos);
    String[] parts = formatted.split(" ");
    assertThat(parts).hasSize(2);
    double shown = Double.parseDouble(parts[0]) * UNIT_NANOS.get(parts[1]);
    if (nanos < 1000) {
      assertThat(formatted).isEqualTo(nanos + " ns");
      return;
    }
    assertThat(shown).isCloseTo((double) nanos, within(nanos * 0.005 + 1e-3));
    double value = Double.parseDouble(parts[0]);
    if (parts[1].equals("h") && value >= 1000) {
      assertThat(parts[0]).doesNotContain(".");
    } else {
      assertThat(parts[0].replace(".", "")).hasSize(3);
      assertThat(value).isBetween(1.0, 999.0);
    }
  }

  @Property(tries = 200, seed = SEED)
  void format_ofANegativeValueIsTheFormatOfItsMagnitudeWithAMinusSign(
      @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long nanos) {
    assertThat(DurationFormat.format(-nanos)).isEqualTo("-" + DurationFormat.format(nanos));
  }
}
