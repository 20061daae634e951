package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.MetricsStatus.Circuit;
import io.dyno.metrics.MetricsStatus.Pool;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link MetricsStatus} and its {@link Pool}: the figures they accept and what they answer. */
class MetricsStatusTest {

  private static final Pool POOL = new Pool(10, 4, 6, 3, 2, 100);

  @Test
  void pool_keepsItsFigures_andAcceptsTheSmallestOfEach() {
    assertThat(POOL.maxSize()).isEqualTo(10);
    assertThat(POOL.size()).isEqualTo(4);
    assertThat(POOL.largest()).isEqualTo(6);
    assertThat(POOL.active()).isEqualTo(3);
    assertThat(POOL.queued()).isEqualTo(2);
    assertThat(POOL.completed()).isEqualTo(100);

    Pool idle = new Pool(1, 0, 0, 0, 0, 0);
    assertThat(idle.maxSize()).isEqualTo(1);
    assertThat(idle.completed()).isZero();
  }

  @Test
  void pool_refusesAMaxSizeBelowOne_namingItAndTheValue() {
    assertThatThrownBy(() -> new Pool(0, 0, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSize must be >= 1, was 0");
  }

  @Test
  void pool_refusesEachNegativeFigure_namingItAndTheValue() {
    assertThatThrownBy(() -> new Pool(1, -1, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size must be >= 0, was -1");
    assertThatThrownBy(() -> new Pool(1, 0, -2, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("largest must be >= 0, was -2");
    assertThatThrownBy(() -> new Pool(1, 0, 0, -3, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("active must be >= 0, was -3");
    assertThatThrownBy(() -> new Pool(1, 0, 0, 0, -4, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queued must be >= 0, was -4");
    assertThatThrownBy(() -> new Pool(1, 0, 0, 0, 0, -5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("completed must be >= 0, was -5");
  }

  @Test
  void nextTrialIn_isAcceptedForAnOpenCircuit_downToZero() {
    MetricsStatus open = MetricsStatus.circuit(Circuit.OPEN, Duration.ofSeconds(3));
    MetricsStatus due = MetricsStatus.circuit(Circuit.OPEN, Duration.ZERO);

    assertThat(open.nextTrialIn()).isEqualTo(Duration.ofSeconds(3));
    assertThat(due.nextTrialIn()).isEqualTo(Duration.ZERO);
    assertThat(MetricsStatus.circuit(Circuit.OPEN, null).nextTrialIn()).isNull();
  }

  @Test
  void nextTrialIn_mustNotBeNegative() {
    assertThatThrownBy(() -> MetricsStatus.circuit(Circuit.OPEN, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nextTrialIn must not be negative, was PT-0.001S");
  }

  @Test
  void nextTrialIn_isRefusedForEveryStateButOpen_andWithNoCircuit() {
    for (Circuit c : new Circuit[] {Circuit.CLOSED, Circuit.HALF_OPEN, Circuit.FORCED_OPEN}) {
      assertThatThrownBy(() -> MetricsStatus.circuit(c, Duration.ofSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("nextTrialIn is only for an OPEN circuit, was PT1S with " + c);
    }
    assertThatThrownBy(() -> new MetricsStatus(null, Duration.ofSeconds(1), POOL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nextTrialIn is only for an OPEN circuit, was PT1S with null");
  }

  @Test
  void isCircuitOpen_isTrueForOpenAndForcedOpenOnly() {
    assertThat(MetricsStatus.circuit(Circuit.OPEN, null).isCircuitOpen()).isTrue();
    assertThat(MetricsStatus.circuit(Circuit.FORCED_OPEN, null).isCircuitOpen()).isTrue();
    assertThat(MetricsStatus.circuit(Circuit.CLOSED, null).isCircuitOpen()).isFalse();
    assertThat(MetricsStatus.circuit(Circuit.HALF_OPEN, null).isCircuitOpen()).isFalse();
    assertThat(MetricsStatus.circuit(Circuit.DISABLED, null).isCircuitOpen()).isFalse();
  }

  @Test
  void isCircuitOpen_isFalseWithNoCircuit() {
    assertThat(MetricsStatus.pool(POOL).isCircuitOpen()).isFalse();
    assertThat(new MetricsStatus(null, null, null).isCircuitOpen()).isFalse();
  }

  @Test
  void factories_andWithPool_setOnlyTheirComponents() {
    MetricsStatus pooled = MetricsStatus.pool(POOL);
    assertThat(pooled).isEqualTo(new MetricsStatus(null, null, POOL));

    MetricsStatus open = MetricsStatus.circuit(Circuit.OPEN, Duration.ofSeconds(2));
    MetricsStatus both = open.withPool(POOL);
    assertThat(both).isEqualTo(new MetricsStatus(Circuit.OPEN, Duration.ofSeconds(2), POOL));
    assertThat(open.pool()).isNull();
  }

  @Test
  void nullArguments_areRefusedByName() {
    assertThatThrownBy(() -> MetricsStatus.circuit(null, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("circuit must not be null");
    assertThatThrownBy(() -> MetricsStatus.pool(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("pool must not be null");
    assertThatThrownBy(() -> MetricsStatus.circuit(Circuit.CLOSED, null).withPool(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("pool must not be null");
  }
}
