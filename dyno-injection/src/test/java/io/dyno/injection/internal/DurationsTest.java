package io.dyno.injection.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void format_belowAMillisecond_isInMicroseconds() {
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0 µs");
    assertThat(Durations.format(Duration.ofNanos(850_000))).isEqualTo("850 µs");
    assertThat(Durations.format(Duration.ofNanos(999_999))).isEqualTo("999 µs");
  }

  @Test
  void format_fromAMillisecondToASecond_isInWholeMilliseconds() {
    assertThat(Durations.format(Duration.ofMillis(1))).isEqualTo("1 ms");
    assertThat(Durations.format(Duration.ofNanos(12_345_678))).isEqualTo("12 ms");
    assertThat(Durations.format(Duration.ofNanos(999_999_999))).isEqualTo("999 ms");
  }

  @Test
  void format_fromASecond_isInSecondsWithTwoDecimals() {
    assertThat(Durations.format(Duration.ofSeconds(1))).isEqualTo("1.00 s");
    assertThat(Durations.format(Duration.ofMillis(3_200))).isEqualTo("3.20 s");
    assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("120.00 s");
  }
}
