package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.MetricsStatus.Arms;
import io.dyno.metrics.MetricsStatus.Circuit;
import io.dyno.metrics.MetricsStatus.Hedging;
import io.dyno.metrics.MetricsStatus.Limit;
import io.dyno.metrics.MetricsStatus.Pool;
import io.dyno.metrics.MetricsStatus.Throttle;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link MetricsStatus}, its {@link Pool}, its {@link Arms}, its {@link Limit}, its {@link
 * Throttle} and its {@link Hedging}: the figures they accept and what they answer.
 */
class MetricsStatusTest {

  private static final Pool POOL = new Pool(10, 4, 6, 3, 2, 100);
  private static final Arms ARMS = new Arms("new-panel", 20, 1234, 4910, false);
  private static final Limit LIMIT = new Limit("search", "gradient2", 48, 37);
  private static final Throttle THROTTLE = new Throttle("search", 0.12, 4000, 1200);
  private static final Hedging HEDGING = new Hedging(Duration.ofMillis(12), 2, 41, 17);

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
  void arms_keepTheirFigures_andAcceptTheEdgesOfEach() {
    assertThat(ARMS.name()).isEqualTo("new-panel");
    assertThat(ARMS.percent()).isEqualTo(20.0);
    assertThat(ARMS.admitted()).isEqualTo(1234);
    assertThat(ARMS.refused()).isEqualTo(4910);
    assertThat(ARMS.tripped()).isFalse();

    Arms none = new Arms("x", 0, 0, 0, true);
    assertThat(none.percent()).isZero();
    assertThat(none.admitted()).isZero();
    assertThat(none.refused()).isZero();
    assertThat(none.tripped()).isTrue();
    assertThat(new Arms("x", 100, Long.MAX_VALUE, Long.MAX_VALUE, false).percent())
        .isEqualTo(100.0);
  }

  @Test
  void arms_refuseANullOrBlankName_namingItAndTheValue() {
    assertThatThrownBy(() -> new Arms(null, 20, 0, 0, false))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> new Arms("", 20, 0, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ''");
    assertThatThrownBy(() -> new Arms(" \t", 20, 0, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' \t'");
  }

  @Test
  void arms_refuseAPercentOutsideZeroToHundred_andNaN() {
    assertThatThrownBy(() -> new Arms("x", -0.1, 0, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percent must be in [0, 100], was -0.1");
    assertThatThrownBy(() -> new Arms("x", 100.5, 0, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percent must be in [0, 100], was 100.5");
    assertThatThrownBy(() -> new Arms("x", Double.NaN, 0, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percent must be in [0, 100], was NaN");
  }

  @Test
  void arms_refuseNegativeCounts_namingThemAndTheValue() {
    assertThatThrownBy(() -> new Arms("x", 20, -1, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("admitted must be >= 0, was -1");
    assertThatThrownBy(() -> new Arms("x", 20, 0, -2, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refused must be >= 0, was -2");
  }

  @Test
  void armsFactory_andWithArms_setOnlyTheArms_andWithPoolKeepsThem() {
    MetricsStatus split = MetricsStatus.arms(ARMS);
    assertThat(split).isEqualTo(new MetricsStatus(null, null, null, ARMS));
    assertThat(split.isCircuitOpen()).isFalse();

    MetricsStatus open = MetricsStatus.circuit(Circuit.OPEN, Duration.ofSeconds(2));
    MetricsStatus withArms = open.withArms(ARMS);
    assertThat(withArms)
        .isEqualTo(new MetricsStatus(Circuit.OPEN, Duration.ofSeconds(2), null, ARMS));
    assertThat(open.arms()).isNull();

    MetricsStatus all = withArms.withPool(POOL);
    assertThat(all).isEqualTo(new MetricsStatus(Circuit.OPEN, Duration.ofSeconds(2), POOL, ARMS));
    Arms tripped = new Arms("new-panel", 20, 1234, 4911, true);
    assertThat(all.withArms(tripped).arms()).isEqualTo(tripped);
    assertThat(all.withArms(tripped).pool()).isEqualTo(POOL);
  }

  @Test
  void theThreeArgumentConstructor_andTheOtherFactories_giveNoArms() {
    assertThat(new MetricsStatus(Circuit.CLOSED, null, POOL).arms()).isNull();
    assertThat(new MetricsStatus(null, null, null).arms()).isNull();
    assertThat(MetricsStatus.circuit(Circuit.CLOSED, null).arms()).isNull();
    assertThat(MetricsStatus.pool(POOL).arms()).isNull();
    assertThat(MetricsStatus.pool(POOL).withPool(POOL).arms()).isNull();
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
    assertThatThrownBy(() -> MetricsStatus.arms(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("arms must not be null");
    assertThatThrownBy(() -> MetricsStatus.pool(POOL).withArms(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("arms must not be null");
  }

  @Test
  void limit_keepsItsFigures_andAcceptsTheEdges_andInFlightAboveTheLimit() {
    assertThat(LIMIT.name()).isEqualTo("search");
    assertThat(LIMIT.algorithm()).isEqualTo("gradient2");
    assertThat(LIMIT.limit()).isEqualTo(48);
    assertThat(LIMIT.inFlight()).isEqualTo(37);

    Limit idle = new Limit("x", "fixed", 1, 0);
    assertThat(idle.limit()).isEqualTo(1);
    assertThat(idle.inFlight()).isZero();
    Limit justDropped = new Limit("x", "gradient2", 10, 14);
    assertThat(justDropped.inFlight()).isEqualTo(14);
  }

  @Test
  void limit_refusesANullOrBlankNameOrAlgorithm_namingItAndTheValue() {
    assertThatThrownBy(() -> new Limit(null, "fixed", 1, 0))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> new Limit(" ", "fixed", 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> new Limit("x", null, 1, 0))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("algorithm must not be null");
    assertThatThrownBy(() -> new Limit("x", "", 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("algorithm must not be blank, was ''");
  }

  @Test
  void limit_refusesALimitBelowOne_andANegativeInFlight() {
    assertThatThrownBy(() -> new Limit("x", "fixed", 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be >= 1, was 0");
    assertThatThrownBy(() -> new Limit("x", "fixed", 1, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inFlight must be >= 0, was -1");
  }

  @Test
  void throttle_keepsItsFigures_andAcceptsTheEdgesOfEach() {
    assertThat(THROTTLE.name()).isEqualTo("search");
    assertThat(THROTTLE.probability()).isEqualTo(0.12);
    assertThat(THROTTLE.requests()).isEqualTo(4000);
    assertThat(THROTTLE.accepts()).isEqualTo(1200);

    Throttle none = new Throttle("x", 0, 0, 0);
    assertThat(none.probability()).isZero();
    assertThat(none.requests()).isZero();
    assertThat(none.accepts()).isZero();
    assertThat(new Throttle("x", 1, Long.MAX_VALUE, Long.MAX_VALUE).probability()).isEqualTo(1.0);
  }

  @Test
  void throttle_refusesANullOrBlankName_aProbabilityOutsideZeroToOne_andNegativeCounts() {
    assertThatThrownBy(() -> new Throttle(null, 0, 0, 0))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> new Throttle("\t", 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was '\t'");
    assertThatThrownBy(() -> new Throttle("x", -0.01, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("probability must be in [0, 1], was -0.01");
    assertThatThrownBy(() -> new Throttle("x", 1.5, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("probability must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> new Throttle("x", Double.NaN, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("probability must be in [0, 1], was NaN");
    assertThatThrownBy(() -> new Throttle("x", 0.5, -1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requests must be >= 0, was -1");
    assertThatThrownBy(() -> new Throttle("x", 0.5, 0, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("accepts must be >= 0, was -2");
  }

  @Test
  void limitAndThrottleFactories_setOnlyTheirComponent() {
    assertThat(MetricsStatus.limit(LIMIT))
        .isEqualTo(new MetricsStatus(null, null, null, null, LIMIT, null));
    assertThat(MetricsStatus.throttle(THROTTLE))
        .isEqualTo(new MetricsStatus(null, null, null, null, null, THROTTLE));
    assertThat(MetricsStatus.limit(LIMIT).isCircuitOpen()).isFalse();
  }

  @Test
  void everyWith_keepsEveryOtherComponent() {
    MetricsStatus all =
        MetricsStatus.circuit(Circuit.OPEN, Duration.ofSeconds(2))
            .withPool(POOL)
            .withArms(ARMS)
            .withLimit(LIMIT)
            .withThrottle(THROTTLE);
    assertThat(all)
        .isEqualTo(
            new MetricsStatus(Circuit.OPEN, Duration.ofSeconds(2), POOL, ARMS, LIMIT, THROTTLE));

    Pool busier = new Pool(10, 10, 10, 10, 5, 200);
    Arms tripped = new Arms("new-panel", 20, 1234, 4911, true);
    Limit lower = new Limit("search", "gradient2", 30, 37);
    Throttle harder = new Throttle("search", 0.5, 5000, 900);
    assertThat(all.withPool(busier))
        .isEqualTo(
            new MetricsStatus(Circuit.OPEN, Duration.ofSeconds(2), busier, ARMS, LIMIT, THROTTLE));
    assertThat(all.withArms(tripped))
        .isEqualTo(
            new MetricsStatus(Circuit.OPEN, Duration.ofSeconds(2), POOL, tripped, LIMIT, THROTTLE));
    assertThat(all.withLimit(lower))
        .isEqualTo(
            new MetricsStatus(Circuit.OPEN, Duration.ofSeconds(2), POOL, ARMS, lower, THROTTLE));
    assertThat(all.withThrottle(harder))
        .isEqualTo(
            new MetricsStatus(Circuit.OPEN, Duration.ofSeconds(2), POOL, ARMS, LIMIT, harder));
  }

  @Test
  void theThreeAndFourArgumentConstructors_andTheOtherFactories_giveNoLimitAndNoThrottle() {
    for (MetricsStatus s :
        new MetricsStatus[] {
          new MetricsStatus(Circuit.CLOSED, null, POOL),
          new MetricsStatus(Circuit.CLOSED, null, POOL, ARMS),
          MetricsStatus.circuit(Circuit.CLOSED, null),
          MetricsStatus.pool(POOL),
          MetricsStatus.arms(ARMS),
          MetricsStatus.pool(POOL).withArms(ARMS)
        }) {
      assertThat(s.limit()).isNull();
      assertThat(s.throttle()).isNull();
    }
    assertThat(MetricsStatus.limit(LIMIT).throttle()).isNull();
    assertThat(MetricsStatus.throttle(THROTTLE).limit()).isNull();
  }

  @Test
  void nullLimitAndThrottle_areRefusedByName() {
    assertThatThrownBy(() -> MetricsStatus.limit(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("limit must not be null");
    assertThatThrownBy(() -> MetricsStatus.throttle(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("throttle must not be null");
    assertThatThrownBy(() -> MetricsStatus.pool(POOL).withLimit(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("limit must not be null");
    assertThatThrownBy(() -> MetricsStatus.pool(POOL).withThrottle(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("throttle must not be null");
  }

  @Test
  void hedging_keepsItsFigures_andAcceptsTheEdgesOfEach() {
    assertThat(HEDGING.delay()).isEqualTo(Duration.ofMillis(12));
    assertThat(HEDGING.maxExtra()).isEqualTo(2);
    assertThat(HEDGING.sent()).isEqualTo(41);
    assertThat(HEDGING.won()).isEqualTo(17);

    Hedging fresh = new Hedging(Duration.ZERO, 1, 0, 0);
    assertThat(fresh.delay()).isZero();
    assertThat(fresh.maxExtra()).isEqualTo(1);
    assertThat(fresh.sent()).isZero();
    assertThat(fresh.won()).isZero();
    Hedging most = new Hedging(Duration.ofSeconds(3), 10, Long.MAX_VALUE, Long.MAX_VALUE);
    assertThat(most.maxExtra()).isEqualTo(10);
    assertThat(most.won()).isEqualTo(most.sent());
  }

  @Test
  void hedging_refusesANullOrNegativeDelay_namingItAndTheValue() {
    assertThatThrownBy(() -> new Hedging(null, 1, 0, 0))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("delay must not be null");
    assertThatThrownBy(() -> new Hedging(Duration.ofNanos(-1), 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must be >= 0, was PT-0.000000001S");
  }

  @Test
  void hedging_refusesMaxExtraOutsideOneToTen_namingItAndTheValue() {
    assertThatThrownBy(() -> new Hedging(Duration.ZERO, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxExtra must be in [1, 10], was 0");
    assertThatThrownBy(() -> new Hedging(Duration.ZERO, 11, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxExtra must be in [1, 10], was 11");
  }

  @Test
  void hedging_refusesNegativeSent_andWonOutsideZeroToSent_namingThemAndTheValues() {
    assertThatThrownBy(() -> new Hedging(Duration.ZERO, 1, -1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sent must be >= 0, was -1");
    assertThatThrownBy(() -> new Hedging(Duration.ZERO, 1, 5, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("won must be in [0, sent], was -1 with sent 5");
    assertThatThrownBy(() -> new Hedging(Duration.ZERO, 1, 5, 6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("won must be in [0, sent], was 6 with sent 5");
  }

  @Test
  void hedgingFactory_setsOnlyHedging_andWithHedgingKeepsEveryOtherComponent() {
    assertThat(MetricsStatus.hedging(HEDGING))
        .isEqualTo(new MetricsStatus(null, null, null, null, null, null, HEDGING));
    assertThat(MetricsStatus.hedging(HEDGING).isCircuitOpen()).isFalse();

    MetricsStatus all =
        MetricsStatus.circuit(Circuit.OPEN, Duration.ofSeconds(2))
            .withPool(POOL)
            .withArms(ARMS)
            .withLimit(LIMIT)
            .withThrottle(THROTTLE)
            .withHedging(HEDGING);
    assertThat(all)
        .isEqualTo(
            new MetricsStatus(
                Circuit.OPEN, Duration.ofSeconds(2), POOL, ARMS, LIMIT, THROTTLE, HEDGING));

    Hedging later = new Hedging(Duration.ofMillis(15), 2, 50, 20);
    assertThat(all.withHedging(later))
        .isEqualTo(
            new MetricsStatus(
                Circuit.OPEN, Duration.ofSeconds(2), POOL, ARMS, LIMIT, THROTTLE, later));
    Pool busier = new Pool(10, 10, 10, 10, 5, 200);
    Arms tripped = new Arms("new-panel", 20, 1234, 4911, true);
    Limit lower = new Limit("search", "gradient2", 30, 37);
    Throttle harder = new Throttle("search", 0.5, 5000, 900);
    assertThat(all.withPool(busier).hedging()).isEqualTo(HEDGING);
    assertThat(all.withArms(tripped).hedging()).isEqualTo(HEDGING);
    assertThat(all.withLimit(lower).hedging()).isEqualTo(HEDGING);
    assertThat(all.withThrottle(harder).hedging()).isEqualTo(HEDGING);
  }

  @Test
  void everyEarlierConstructor_andTheOtherFactories_giveNoHedging() {
    for (MetricsStatus s :
        new MetricsStatus[] {
          new MetricsStatus(Circuit.CLOSED, null, POOL),
          new MetricsStatus(Circuit.CLOSED, null, POOL, ARMS),
          new MetricsStatus(Circuit.CLOSED, null, POOL, ARMS, LIMIT, THROTTLE),
          MetricsStatus.circuit(Circuit.CLOSED, null),
          MetricsStatus.pool(POOL),
          MetricsStatus.arms(ARMS),
          MetricsStatus.limit(LIMIT),
          MetricsStatus.throttle(THROTTLE)
        }) {
      assertThat(s.hedging()).isNull();
    }
    MetricsStatus six = new MetricsStatus(Circuit.CLOSED, null, POOL, ARMS, LIMIT, THROTTLE);
    assertThat(six)
        .isEqualTo(new MetricsStatus(Circuit.CLOSED, null, POOL, ARMS, LIMIT, THROTTLE, null));
    MetricsStatus hedged = MetricsStatus.hedging(HEDGING);
    assertThat(hedged.circuit()).isNull();
    assertThat(hedged.pool()).isNull();
    assertThat(hedged.arms()).isNull();
    assertThat(hedged.limit()).isNull();
    assertThat(hedged.throttle()).isNull();
  }

  @Test
  void theSixArgumentConstructor_checksNextTrialInAsTheCanonicalOne() {
    assertThatThrownBy(
            () -> new MetricsStatus(Circuit.CLOSED, Duration.ofSeconds(1), null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nextTrialIn");
  }

  @Test
  void nullHedging_isRefusedByName() {
    assertThatThrownBy(() -> MetricsStatus.hedging(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("hedging must not be null");
    assertThatThrownBy(() -> MetricsStatus.pool(POOL).withHedging(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("hedging must not be null");
  }
}
