package io.dyno.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
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
  void dependencies_keepTheirHealthyBehaviour_theRecommendersWithALongTail() {
    assertThat(ten.inventory()).isEqualTo(Behaviour.of(20, 0.01));
    assertThat(ten.pricing()).isEqualTo(Behaviour.of(15, 0.01));
    assertThat(ten.payments()).isEqualTo(Behaviour.of(30, 0.01));
    assertThat(ten.personalised().latency()).isGreaterThan(ten.popular().latency());
    for (Behaviour recommender : List.of(ten.personalised(), ten.popular())) {
      assertThat(recommender.tailRate()).isEqualTo(0.03);
      assertThat(recommender.tailFactor()).isEqualTo(10);
    }
    assertThat(ten.inventory().tailRate()).isZero();
  }

  @Test
  void incidents_withChaosOff_areOnlyThoseThatInstallNoChaos() {
    assertThat(ten.chaos()).isTrue();
    assertThat(ten.incidents()).containsExactly(Incident.values());
    Schedule clean = ten.withChaos(false);

    assertThat(clean.chaos()).isFalse();
    assertThat(clean.incidents())
        .containsExactly(
            Incident.HEALTHY,
            Incident.RECOMMENDER_SWAPPED,
            Incident.FEATURE_OFF,
            Incident.FEATURE_ON);
    assertThat(clean.length()).isEqualTo(ten.length());
    assertThat(clean.withChaos(true).incidents()).containsExactly(Incident.values());
    assertThat(clean.toString()).isEqualTo("Schedule[PT10S, chaos off]");
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
