package io.dyno.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link Durations}, as the reasons and messages of a breaker show them: three significant digits
 * in the largest unit the value reaches, at each unit's edge and where rounding reaches the next.
 */
class DurationsTest {

  @Test
  void nanoseconds_areWholeNumbers_withASignOnlyWhenNegative() {
    assertThat(Durations.formatNanos(0)).isEqualTo("0 ns");
    assertThat(Durations.formatNanos(5)).isEqualTo("5 ns");
    assertThat(Durations.formatNanos(-5)).isEqualTo("-5 ns");
    assertThat(Durations.formatNanos(999)).isEqualTo("999 ns");
  }

  @Test
  void eachUnit_startsExactlyAtItsSize() {
    assertThat(Durations.formatNanos(1_000)).isEqualTo("1.00 µs");
    assertThat(Durations.formatNanos(1_000_000)).isEqualTo("1.00 ms");
    assertThat(Durations.formatNanos(1_000_000_000)).isEqualTo("1.00 s");
    assertThat(Durations.formatNanos(60_000_000_000L)).isEqualTo("1.00 min");
    assertThat(Durations.formatNanos(-1_000_000)).isEqualTo("-1.00 ms");
  }

  @Test
  void threeSignificantDigits_atTheEdgesBetweenTwoAndOneDecimals() {
    assertThat(Durations.formatNanos(9_994)).isEqualTo("9.99 µs");
    assertThat(Durations.formatNanos(9_995)).isEqualTo("10.0 µs");
    assertThat(Durations.formatNanos(99_940)).isEqualTo("99.9 µs");
    assertThat(Durations.formatNanos(99_950)).isEqualTo("100 µs");
    assertThat(Durations.formatNanos(150_000_000)).isEqualTo("150 ms");
    assertThat(Durations.formatNanos(1_500_000_000)).isEqualTo("1.50 s");
  }

  @Test
  void roundingThatReachesTheNextUnit_isShownInThatUnit() {
    assertThat(Durations.formatNanos(999_499)).isEqualTo("999 µs");
    assertThat(Durations.formatNanos(999_500)).isEqualTo("1.00 ms");
    assertThat(Durations.formatNanos(59_940_000_000L)).isEqualTo("59.9 s");
    assertThat(Durations.formatNanos(59_950_000_000L)).isEqualTo("1.00 min");
  }

  @Test
  void minutes_areTheLargestUnit() {
    assertThat(Durations.formatNanos(90_000_000_000L)).isEqualTo("1.50 min");
    assertThat(Durations.format(Duration.ofMinutes(200))).isEqualTo("200 min");
    assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("10080 min");
    assertThat(Durations.formatNanos(Long.MAX_VALUE)).isEqualTo("153722867 min");
  }

  @Test
  void durationsTooLongForNanoseconds_saturate() {
    assertThat(Durations.toNanosSaturated(Duration.ofSeconds(Long.MAX_VALUE)))
        .isEqualTo(Long.MAX_VALUE);
    assertThat(Durations.toNanosSaturated(Duration.ofSeconds(Long.MIN_VALUE)))
        .isEqualTo(Long.MIN_VALUE);
    assertThat(Durations.format(Duration.ofMillis(-1_500))).isEqualTo("-1.50 s");
  }

  @Test
  void percent_hasOneDecimal() {
    assertThat(Durations.percent(50)).isEqualTo("50.0%");
    assertThat(Durations.percent(200.0 / 3)).isEqualTo("66.7%");
  }
}
