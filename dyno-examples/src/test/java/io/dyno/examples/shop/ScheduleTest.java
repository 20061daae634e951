package io.dyno.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScheduleTest {

  private final Schedule ten = Schedule.of(Duration.ofSeconds(10));
  private final Schedule thirty = Schedule.of(Duration.ofSeconds(30));

  @Test
  void at_scalesWithTheRunLength() {
    assertThat(ten.at(Incident.PAYMENTS_DOWN)).isEqualTo(Duration.ofMillis(1_500));
    assertThat(thirty.at(Incident.PAYMENTS_DOWN)).isEqualTo(Duration.ofMillis(4_500));
    assertThat(ten.at(Incident.HEALTHY)).isZero();
    assertThat(thirty.length()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void incidents_areInTimeOrderWithinTheRun() {
    double last = 0;
    for (Incident i : Incident.values()) {
      assertThat(i.at()).isGreaterThanOrEqualTo(last).isLessThan(1.0);
      assertThat(i.description()).isNotBlank();
      last = i.at();
    }
  }

  @Test
  void payments_failsEveryCallOnlyDuringItsOutage() {
    assertThat(ten.payments(Duration.ofMillis(1_499)).failureRate()).isEqualTo(0.01);
    assertThat(ten.payments(Duration.ofMillis(1_500)).failureRate()).isEqualTo(1.0);
    assertThat(ten.payments(Duration.ofMillis(3_999)).failureRate()).isEqualTo(1.0);
    assertThat(ten.payments(Duration.ofSeconds(4)).failureRate()).isEqualTo(0.01);
  }

  @Test
  void inventory_spikesPastItsTimeoutOnlyDuringTheSpike() {
    assertThat(ten.inventory(Duration.ofSeconds(1)).latency()).isEqualTo(Duration.ofMillis(20));
    Behaviour spike = ten.inventory(Duration.ofSeconds(4));
    assertThat(spike.latency()).isEqualTo(Duration.ofMillis(400));
    assertThat(spike.latency().toMillis() * (1 - spike.jitter())).isGreaterThan(150);
    assertThat(ten.inventory(Duration.ofSeconds(5)).latency()).isEqualTo(Duration.ofMillis(20));
  }

  @Test
  void pricing_isSlowAndFlakyOnlyInItsPhase() {
    assertThat(ten.pricing(Duration.ofSeconds(5))).isEqualTo(Behaviour.of(15, 0.01));
    assertThat(ten.pricing(Duration.ofSeconds(6))).isEqualTo(Behaviour.of(120, 0.4));
    assertThat(ten.pricing(Duration.ofSeconds(8))).isEqualTo(Behaviour.of(15, 0.01));
    assertThat(ten.personalised().latency()).isGreaterThan(ten.popular().latency());
  }

  @Test
  void scaledSettings_stayWithinTheirBounds() {
    assertThat(ten.breakerOpenDuration()).isEqualTo(Duration.ofMillis(500));
    assertThat(Schedule.of(Duration.ofSeconds(1)).breakerOpenDuration())
        .isEqualTo(Duration.ofMillis(250));
    assertThat(Schedule.of(Duration.ofDays(1)).breakerOpenDuration())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(thirty.breakerWindow()).isEqualTo(Duration.ofSeconds(5));
    assertThat(Schedule.of(Duration.ofSeconds(1)).breakerWindow()).isEqualTo(Duration.ofSeconds(1));
    assertThat(thirty.priceTtl()).isEqualTo(Duration.ofSeconds(2));
    assertThat(Schedule.of(Duration.ofDays(1)).priceTtl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(ten.toString()).isEqualTo("Schedule[PT10S]");
  }

  @Test
  void of_rejectsARunWithoutLength() {
    assertThatThrownBy(() -> Schedule.of(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("length must be positive, was PT0S");
    assertThatThrownBy(() -> Schedule.of(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
