package io.dyno.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsStatus;
import io.dyno.metrics.MetricsStatus.Circuit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The meters that appear once a reading shows them (an exception type, a circuit, a pool, a
 * rollout's arms, a concurrency limit, a throttle, hedging), and the reuse of one reading by the
 * reads of a scrape.
 */
class DynoMeterBinderStatusTest {

  private final Fixture f = new Fixture();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Metrics m = f.board.metrics("payments");
  private final AtomicReference<MetricsStatus> status =
      new AtomicReference<>(MetricsStatus.circuit(Circuit.CLOSED, null));
  private final AtomicInteger statusReads = new AtomicInteger();

  DynoMeterBinderStatusTest() {
    m.reportStatus(
        () -> {
          statusReads.incrementAndGet();
          return status.get();
        });
  }

  @Test
  void aNewExceptionType_getsItsCounter_atTheFirstReadingThatShowsIt_inEveryRegistry() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);
    binder.bindTo(registry);
    binder.bindTo(other);
    f.fail(m, 2, Duration.ofMillis(1), Fixture.io());
    assertThat(registry.find("dyno.call.failures").functionCounters()).isEmpty();

    readCalls();

    assertThat(failures(registry, "java.io.IOException")).isEqualTo(2);
    assertThat(failures(other, "java.io.IOException")).isEqualTo(2);

    f.ticker.advance(Duration.ofSeconds(1));
    f.fail(m, 1, Duration.ofMillis(1), Fixture.timeout());
    readCalls();

    assertThat(failures(registry, "java.util.concurrent.TimeoutException")).isEqualTo(1);
    assertThat(registry.find("dyno.call.failures").functionCounters()).hasSize(2);
    assertThat(other.find("dyno.call.failures").functionCounters()).hasSize(2);
  }

  @Test
  void aTypeSeenBeforeARegistryIsBound_isRegisteredThereAtOnce() {
    status.set(
        MetricsStatus.circuit(Circuit.CLOSED, null)
            .withPool(new MetricsStatus.Pool(10, 6, 8, 4, 3, 1234)));
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);
    binder.bindTo(registry);
    f.fail(m, 2, Duration.ofMillis(1), Fixture.io());
    readCalls();
    SimpleMeterRegistry later = new SimpleMeterRegistry();

    binder.bindTo(later);

    assertThat(failures(later, "java.io.IOException")).isEqualTo(2);
    assertThat(later.find("dyno.circuit.state").gauges()).hasSize(5);
    assertThat(later.get("dyno.pool.size").gauge().value()).isEqualTo(6);
    assertThat(later.get("dyno.pool.completed").functionCounter().count()).isEqualTo(1234);
    assertThat(later.getMeters()).hasSameSizeAs(registry.getMeters());
  }

  @Test
  void theCircuitState_isOneForTheCurrentState_andZeroForTheOthers() {
    DynoMeterBinder.of(f.board).bindTo(registry);
    assertThat(registry.find("dyno.circuit.state").gauges()).isEmpty();
    readCalls();

    assertThat(state("closed")).isEqualTo(1);
    assertThat(state("open")).isZero();
    assertThat(state("half_open")).isZero();
    assertThat(state("forced_open")).isZero();
    assertThat(state("disabled")).isZero();
    assertThat(nextTrial()).isNaN();

    status.set(MetricsStatus.circuit(Circuit.OPEN, Duration.ofMillis(2500)));
    f.ticker.advance(Duration.ofSeconds(1));

    assertThat(state("closed")).isZero();
    assertThat(state("open")).isEqualTo(1);
    assertThat(nextTrial()).isEqualTo(2.5);

    status.set(MetricsStatus.circuit(Circuit.HALF_OPEN, null));
    f.ticker.advance(Duration.ofSeconds(1));

    assertThat(state("half_open")).isEqualTo(1);
    assertThat(state("open")).isZero();
    assertThat(nextTrial()).isNaN();
  }

  @Test
  void thePoolsFigures_areGauges_andItsCompletedTasksACounter() {
    status.set(
        MetricsStatus.circuit(Circuit.CLOSED, null)
            .withPool(new MetricsStatus.Pool(10, 6, 8, 4, 3, 1234)));
    DynoMeterBinder.of(f.board).bindTo(registry);
    readCalls();

    assertThat(pool("dyno.pool.max")).isEqualTo(10);
    assertThat(pool("dyno.pool.size")).isEqualTo(6);
    assertThat(pool("dyno.pool.largest")).isEqualTo(8);
    assertThat(pool("dyno.pool.active")).isEqualTo(4);
    assertThat(pool("dyno.pool.queued")).isEqualTo(3);
    assertThat(registry.get("dyno.pool.completed").functionCounter().count()).isEqualTo(1234);
    assertThat(registry.get("dyno.pool.size").gauge().getId().getBaseUnit()).isEqualTo("threads");
    assertThat(registry.get("dyno.pool.queued").gauge().getId().getBaseUnit()).isEqualTo("tasks");

    status.set(MetricsStatus.circuit(Circuit.OPEN, null));
    f.ticker.advance(Duration.ofSeconds(1));

    assertThat(pool("dyno.pool.size")).isNaN();
    assertThat(state("open")).isEqualTo(1);
  }

  @Test
  void aRolloutsArms_appearAtTheFirstReadingThatShowsThem_inEveryRegistry_taggedWithItsName() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);
    binder.bindTo(registry);
    readCalls();
    assertThat(registry.find("dyno.rollout.admitted").functionCounters()).isEmpty();

    status.set(MetricsStatus.arms(new MetricsStatus.Arms("new-panel", 20, 120, 480, false)));
    f.ticker.advance(Duration.ofSeconds(1));
    readCalls();
    binder.bindTo(other);

    for (SimpleMeterRegistry r : List.of(registry, other)) {
      assertThat(
              r.get("dyno.rollout.admitted").tag("rollout", "new-panel").functionCounter().count())
          .isEqualTo(120);
      assertThat(
              r.get("dyno.rollout.refused").tag("rollout", "new-panel").functionCounter().count())
          .isEqualTo(480);
      assertThat(r.get("dyno.rollout.admitted.ratio").gauge().value()).isEqualTo(0.2);
      assertThat(r.get("dyno.rollout.tripped").gauge().value()).isZero();
    }

    status.set(MetricsStatus.arms(new MetricsStatus.Arms("new-panel", 20, 130, 600, true)));
    f.ticker.advance(Duration.ofSeconds(1));

    assertThat(registry.get("dyno.rollout.tripped").gauge().value()).isEqualTo(1);
    assertThat(registry.get("dyno.rollout.refused").functionCounter().count()).isEqualTo(600);
    assertThat(registry.find("dyno.rollout.admitted").functionCounters()).hasSize(1);

    status.set(MetricsStatus.circuit(Circuit.CLOSED, null));
    f.ticker.advance(Duration.ofSeconds(1));

    assertThat(registry.get("dyno.rollout.admitted.ratio").gauge().value()).isNaN();
    assertThat(registry.get("dyno.rollout.admitted").functionCounter().count()).isNaN();
    assertThat(state("closed")).isEqualTo(1);
  }

  @Test
  void aRolloutsCounters_readNaN_whileTheStatusSourceFails() throws Exception {
    status.set(MetricsStatus.arms(new MetricsStatus.Arms("new-panel", 20, 1, 4, false)));
    DynoMeterBinder.of(f.board).bindTo(registry);
    readCalls();
    assertThat(registry.get("dyno.rollout.refused").functionCounter().count()).isEqualTo(4);

    status.set(null);
    f.ticker.advance(Duration.ofSeconds(1));
    double[] refused = new double[1];
    StandardError.during(
        () -> refused[0] = registry.get("dyno.rollout.refused").functionCounter().count());

    assertThat(refused[0]).isNaN();
  }

  @Test
  void aLimit_appearsAtTheFirstReadingThatShowsIt_inEveryRegistry_taggedWithItsNameAndAlgorithm() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);
    binder.bindTo(registry);
    readCalls();
    assertThat(registry.find("dyno.limit").gauges()).isEmpty();
    assertThat(registry.find("dyno.limit.in.flight").gauges()).isEmpty();

    status.set(MetricsStatus.limit(new MetricsStatus.Limit("search", "gradient2", 48, 37)));
    f.ticker.advance(Duration.ofSeconds(1));
    readCalls();
    binder.bindTo(other);

    for (SimpleMeterRegistry r : List.of(registry, other)) {
      assertThat(
              r.get("dyno.limit")
                  .tag("name", "payments")
                  .tag("limiter", "search")
                  .tag("algorithm", "gradient2")
                  .gauge()
                  .value())
          .isEqualTo(48);
      assertThat(r.get("dyno.limit.in.flight").tag("limiter", "search").gauge().value())
          .isEqualTo(37);
    }

    // The limit dropped below the calls already running: both figures follow, under one meter each.
    status.set(MetricsStatus.limit(new MetricsStatus.Limit("search", "gradient2", 30, 41)));
    f.ticker.advance(Duration.ofSeconds(1));

    assertThat(registry.get("dyno.limit").gauge().value()).isEqualTo(30);
    assertThat(registry.get("dyno.limit.in.flight").gauge().value()).isEqualTo(41);
    assertThat(registry.find("dyno.limit").gauges()).hasSize(1);
    assertThat(registry.find("dyno.throttle.probability").gauges()).isEmpty();

    status.set(MetricsStatus.circuit(Circuit.CLOSED, null));
    f.ticker.advance(Duration.ofSeconds(1));

    assertThat(registry.get("dyno.limit").gauge().value()).isNaN();
    assertThat(registry.get("dyno.limit.in.flight").gauge().value()).isNaN();
    assertThat(state("closed")).isEqualTo(1);
  }

  @Test
  void aThrottle_appearsAtTheFirstReadingThatShowsIt_itsWindowCountsAsGauges_taggedWithItsName() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);
    binder.bindTo(registry);
    readCalls();
    assertThat(registry.find("dyno.throttle.probability").gauges()).isEmpty();

    status.set(
        MetricsStatus.circuit(Circuit.CLOSED, null)
            .withThrottle(new MetricsStatus.Throttle("search", 0.12, 4000, 1200)));
    f.ticker.advance(Duration.ofSeconds(1));
    readCalls();
    binder.bindTo(other);

    for (SimpleMeterRegistry r : List.of(registry, other)) {
      assertThat(
              r.get("dyno.throttle.probability")
                  .tag("name", "payments")
                  .tag("throttle", "search")
                  .gauge()
                  .value())
          .isEqualTo(0.12);
      assertThat(r.get("dyno.throttle.requests").tag("throttle", "search").gauge().value())
          .isEqualTo(4000);
      assertThat(r.get("dyno.throttle.accepts").tag("throttle", "search").gauge().value())
          .isEqualTo(1200);
    }

    // The window moved on: its counts fall, as a gauge's may.
    status.set(MetricsStatus.throttle(new MetricsStatus.Throttle("search", 0, 300, 300)));
    f.ticker.advance(Duration.ofSeconds(1));

    assertThat(registry.get("dyno.throttle.probability").gauge().value()).isZero();
    assertThat(registry.get("dyno.throttle.requests").gauge().value()).isEqualTo(300);
    assertThat(registry.get("dyno.throttle.accepts").gauge().value()).isEqualTo(300);
    assertThat(registry.find("dyno.throttle.requests").gauges()).hasSize(1);
    assertThat(registry.find("dyno.limit").gauges()).isEmpty();

    status.set(MetricsStatus.circuit(Circuit.OPEN, null));
    f.ticker.advance(Duration.ofSeconds(1));

    assertThat(registry.get("dyno.throttle.probability").gauge().value()).isNaN();
    assertThat(registry.get("dyno.throttle.accepts").gauge().value()).isNaN();
  }

  @Test
  void aLimitAndAThrottleSeenBeforeARegistryIsBound_areRegisteredThereAtOnce() {
    status.set(
        MetricsStatus.limit(new MetricsStatus.Limit("search", "fixed", 8, 2))
            .withThrottle(new MetricsStatus.Throttle("search", 0.5, 10, 5)));
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);
    binder.bindTo(registry);
    readCalls();
    SimpleMeterRegistry later = new SimpleMeterRegistry();

    binder.bindTo(later);

    assertThat(later.get("dyno.limit").tag("algorithm", "fixed").gauge().value()).isEqualTo(8);
    assertThat(later.get("dyno.limit.in.flight").gauge().value()).isEqualTo(2);
    assertThat(later.get("dyno.throttle.probability").gauge().value()).isEqualTo(0.5);
    assertThat(later.get("dyno.throttle.accepts").gauge().value()).isEqualTo(5);
    assertThat(later.getMeters()).hasSameSizeAs(registry.getMeters());
  }

  @Test
  void hedging_appearsAtTheFirstReadingThatShowsIt_itsDelayAGauge_itsTotalsCounters() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);
    binder.bindTo(registry);
    readCalls();
    assertThat(registry.find("dyno.hedge.delay").timeGauges()).isEmpty();
    assertThat(registry.find("dyno.hedges.sent").functionCounters()).isEmpty();

    status.set(
        MetricsStatus.circuit(Circuit.CLOSED, null)
            .withHedging(new MetricsStatus.Hedging(Duration.ofNanos(12_345_678), 2, 41, 17)));
    f.ticker.advance(Duration.ofSeconds(1));
    readCalls();
    binder.bindTo(other);

    for (SimpleMeterRegistry r : List.of(registry, other)) {
      assertThat(
              r.get("dyno.hedge.delay").tag("name", "payments").timeGauge().value(TimeUnit.SECONDS))
          .isEqualTo(0.012345678);
      assertThat(r.get("dyno.hedges.sent").tag("name", "payments").functionCounter().count())
          .isEqualTo(41);
      assertThat(r.get("dyno.hedges.won").tag("name", "payments").functionCounter().count())
          .isEqualTo(17);
    }

    // The delay followed the latencies; more copies went out and won, under one meter each.
    status.set(MetricsStatus.hedging(new MetricsStatus.Hedging(Duration.ofMillis(250), 2, 60, 20)));
    f.ticker.advance(Duration.ofSeconds(1));

    assertThat(registry.get("dyno.hedge.delay").timeGauge().value(TimeUnit.MILLISECONDS))
        .isEqualTo(250);
    assertThat(registry.get("dyno.hedges.sent").functionCounter().count()).isEqualTo(60);
    assertThat(registry.get("dyno.hedges.won").functionCounter().count()).isEqualTo(20);
    assertThat(registry.find("dyno.hedge.delay").timeGauges()).hasSize(1);
    assertThat(registry.find("dyno.hedges.sent").functionCounters()).hasSize(1);
    assertThat(registry.find("dyno.throttle.probability").gauges()).isEmpty();
    assertThat(registry.find("dyno.limit").gauges()).isEmpty();

    status.set(MetricsStatus.circuit(Circuit.OPEN, null));
    f.ticker.advance(Duration.ofSeconds(1));

    assertThat(registry.get("dyno.hedge.delay").timeGauge().value(TimeUnit.SECONDS)).isNaN();
    assertThat(state("open")).isEqualTo(1);
  }

  @Test
  void hedgingSeenBeforeARegistryIsBound_isRegisteredThereAtOnce() {
    status.set(MetricsStatus.hedging(new MetricsStatus.Hedging(Duration.ofMillis(8), 1, 6, 5)));
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);
    binder.bindTo(registry);
    readCalls();
    SimpleMeterRegistry later = new SimpleMeterRegistry();

    binder.bindTo(later);

    assertThat(later.get("dyno.hedge.delay").timeGauge().value(TimeUnit.MILLISECONDS)).isEqualTo(8);
    assertThat(later.get("dyno.hedges.sent").functionCounter().count()).isEqualTo(6);
    assertThat(later.get("dyno.hedges.won").functionCounter().count()).isEqualTo(5);
    assertThat(later.getMeters()).hasSameSizeAs(registry.getMeters());
  }

  @Test
  void hedgingsCounters_readNaN_afterAStatusWithoutHedging_andAfterAFailedSnapshot()
      throws Exception {
    status.set(MetricsStatus.hedging(new MetricsStatus.Hedging(Duration.ofMillis(8), 1, 6, 5)));
    DynoMeterBinder.of(f.board).bindTo(registry);
    readCalls();
    assertThat(registry.get("dyno.hedges.sent").functionCounter().count()).isEqualTo(6);

    status.set(MetricsStatus.circuit(Circuit.CLOSED, null));
    f.ticker.advance(Duration.ofSeconds(1));

    assertThat(registry.get("dyno.hedges.sent").functionCounter().count()).isNaN();
    assertThat(registry.get("dyno.hedges.won").functionCounter().count()).isNaN();

    status.set(null);
    f.ticker.advance(Duration.ofSeconds(1));
    double[] read = new double[2];
    StandardError.during(
        () -> {
          read[0] = registry.get("dyno.hedges.sent").functionCounter().count();
          read[1] = registry.get("dyno.hedges.won").functionCounter().count();
        });

    assertThat(read[0]).isNaN();
    assertThat(read[1]).isNaN();
  }

  @Test
  void aHedgeDelayOfOneAndAHalfSeconds_readsOneAndAHalfSeconds() {
    status.set(MetricsStatus.hedging(new MetricsStatus.Hedging(Duration.ofMillis(1500), 1, 0, 0)));
    DynoMeterBinder.of(f.board).bindTo(registry);
    readCalls();

    assertThat(registry.get("dyno.hedge.delay").timeGauge().value(TimeUnit.SECONDS)).isEqualTo(1.5);
  }

  @Test
  void aCircuitWithoutAPool_getsNoPoolMeters() {
    DynoMeterBinder.of(f.board).bindTo(registry);
    f.fail(m, 1, Duration.ofMillis(1), Fixture.io());
    readCalls();

    assertThat(state("closed")).isEqualTo(1);
    assertThat(failures(registry, "java.io.IOException")).isEqualTo(1);
    assertThat(registry.getMeters())
        .extracting(meter -> meter.getId().getName())
        .noneMatch(name -> name.startsWith("dyno.pool."));
  }

  @Test
  void aPoolWithoutACircuit_getsNoCircuitMeters() {
    status.set(MetricsStatus.pool(new MetricsStatus.Pool(2, 1, 1, 1, 0, 5)));
    DynoMeterBinder.of(f.board).bindTo(registry);
    readCalls();

    assertThat(pool("dyno.pool.max")).isEqualTo(2);
    assertThat(registry.find("dyno.circuit.state").gauges()).isEmpty();
    assertThat(registry.find("dyno.circuit.next.trial").timeGauges()).isEmpty();
  }

  @Test
  void aFailingStatusSource_turnsTheGaugesToNaN_andTheCountersCarryOn() throws Exception {
    DynoMeterBinder.of(f.board).bindTo(registry);
    f.succeed(m, 2, Duration.ofMillis(1));
    readCalls();
    status.set(null);
    f.ticker.advance(Duration.ofSeconds(1));
    f.succeed(m, 1, Duration.ofMillis(1));

    double[] read = new double[2];
    String log =
        StandardError.during(
            () -> {
              read[0] =
                  registry.get("dyno.calls").tag("outcome", "success").functionCounter().count();
              read[1] = registry.get("dyno.calls.in.flight").gauge().value();
              f.ticker.advance(Duration.ofSeconds(1));
              assertThat(state("closed")).isNaN();
            });

    assertThat(read[0]).isEqualTo(3);
    assertThat(read[1]).isNaN();
    // One warning for the spell, with its cause, however many readings fail in it.
    String warning = "DynoMeterBinder: the snapshot of " + m + " failed;";
    assertThat(log.split(java.util.regex.Pattern.quote(warning), -1)).hasSize(2);
    assertThat(log).contains("its gauges read NaN until it reads again");

    status.set(MetricsStatus.circuit(Circuit.DISABLED, null));
    f.ticker.advance(Duration.ofSeconds(1));

    assertThat(registry.get("dyno.calls.in.flight").gauge().value()).isZero();
    assertThat(state("disabled")).isEqualTo(1);
  }

  @Test
  void everyReadOfAScrape_sharesOneReading_untilTheReuseTimeHasPassed() {
    DynoMeterBinder.of(f.board).bindTo(registry);
    readCalls();
    statusReads.set(0);
    f.ticker.advance(Duration.ofSeconds(1));

    registry.getMeters().forEach(meter -> meter.measure().forEach(ms -> ms.getValue()));
    assertThat(statusReads).hasValue(1);

    Metrics.Sample s = m.start();
    f.ticker.advance(Duration.ofMillis(999));
    assertThat(registry.get("dyno.calls.in.flight").gauge().value()).isZero();
    assertThat(statusReads).hasValue(1);

    f.ticker.advance(Duration.ofMillis(1));
    assertThat(registry.get("dyno.calls.in.flight").gauge().value()).isEqualTo(1);
    assertThat(statusReads).hasValue(2);
    s.success();
  }

  @Test
  void noReuse_takesAReadingAtEveryRead() {
    DynoMeterBinder.builder(f.board).reuseReadingsFor(Duration.ZERO).build().bindTo(registry);
    readCalls();
    statusReads.set(0);

    Metrics.Sample s = m.start();
    assertThat(registry.get("dyno.calls.in.flight").gauge().value()).isEqualTo(1);
    s.success();
    assertThat(registry.get("dyno.calls.in.flight").gauge().value()).isZero();
    assertThat(statusReads).hasValue(2);
  }

  @Test
  void aReadingIsReused_whenTheTickerHasWrappedAround() {
    Fixture late = new Fixture();
    late.ticker.set(Long.MAX_VALUE - 100);
    Metrics wrapped = late.board.metrics("payments");
    DynoMeterBinder.of(late.board).bindTo(registry);
    registry.get("dyno.calls.in.flight").gauge().value();
    Metrics.Sample s = wrapped.start();
    late.ticker.advance(Duration.ofMillis(500));

    assertThat(registry.get("dyno.calls.in.flight").gauge().value()).isZero();
    late.ticker.advance(Duration.ofMillis(500));
    assertThat(registry.get("dyno.calls.in.flight").gauge().value()).isEqualTo(1);
    s.success();
  }

  private void readCalls() {
    registry.get("dyno.calls").tag("outcome", "success").functionCounter().count();
  }

  private double state(String state) {
    return registry.get("dyno.circuit.state").tag("state", state).gauge().value();
  }

  private double nextTrial() {
    return registry.get("dyno.circuit.next.trial").timeGauge().value(TimeUnit.SECONDS);
  }

  private double pool(String name) {
    return registry.get(name).gauge().value();
  }

  private static double failures(SimpleMeterRegistry r, String type) {
    return r.get("dyno.call.failures").tag("exception", type).functionCounter().count();
  }
}
