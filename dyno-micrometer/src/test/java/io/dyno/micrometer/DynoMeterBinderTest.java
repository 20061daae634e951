package io.dyno.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsTotals;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DynoMeterBinderTest {

  private final Fixture f = new Fixture();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void aMetricRemovedBeforeAnyBind_isLetGoQuietly() throws Exception {
    f.board.metrics("payments");
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);

    // The board logs a listener that throws; the binder's must not.
    String log = StandardError.during(() -> f.board.remove("payments"));
    binder.bindTo(registry);

    assertThat(log).isEmpty();
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void everyMeterOfAMetric_readsTheExactFigures_ofTheTotalsAndTheSnapshot() {
    Metrics m = f.board.metrics("payments");
    DynoMeterBinder.of(f.board).bindTo(registry);
    f.succeed(m, 7, Duration.ofMillis(10));
    f.fail(m, 3, Duration.ofMillis(40), Fixture.io());
    f.fail(m, 2, Duration.ofMillis(40), Fixture.timeout());
    f.timeOut(m, 4, Duration.ofMillis(100));
    m.recordShortCircuit();
    m.recordShortCircuit();
    m.recordRejection();
    Metrics.Sample running = m.start();
    MetricsTotals totals = m.totals();
    MetricsSnapshot snapshot = m.snapshot();

    assertThat(calls("payments", "success")).isEqualTo(7);
    assertThat(calls("payments", "failure")).isEqualTo(5);
    assertThat(calls("payments", "timeout")).isEqualTo(4);
    assertThat(calls("payments", "short_circuit")).isEqualTo(2);
    assertThat(calls("payments", "rejection")).isEqualTo(1);
    assertThat(failures("payments", "java.io.IOException")).isEqualTo(3);
    assertThat(failures("payments", "java.util.concurrent.TimeoutException")).isEqualTo(2);
    FunctionTimer duration =
        registry.get("dyno.call.duration").tag("name", "payments").functionTimer();
    assertThat(duration.count()).isEqualTo(16);
    assertThat(duration.totalTime(TimeUnit.NANOSECONDS))
        .isEqualTo((double) totals.latencySum().toNanos())
        .isCloseTo(7 * 10e6 + 5 * 40e6 + 4 * 100e6, within(0.001 * 670e6));
    assertThat(gauge("dyno.calls.in.flight", "payments")).isEqualTo(1);
    assertThat(gauge("dyno.calls.in.flight.max", "payments")).isEqualTo(1);
    Map<String, Double> percents = Map.of("0.5", 50.0, "0.9", 90.0, "0.99", 99.0, "0.999", 99.9);
    percents.forEach(
        (label, percent) -> {
          TimeGauge latency =
              registry
                  .get("dyno.call.latency")
                  .tags("name", "payments", "percentile", label)
                  .timeGauge();
          assertThat(latency.value(TimeUnit.NANOSECONDS))
              .as("p%s", label)
              .isEqualTo((double) snapshot.latencyPercentile(percent).toNanos());
        });
    assertThat(
            registry
                .get("dyno.call.latency")
                .tags("name", "payments", "percentile", "0.5")
                .timeGauge()
                .value(TimeUnit.MILLISECONDS))
        .isCloseTo(40, within(0.1));
    running.success();
  }

  @Test
  void theCounters_keepCountingAfterTheWindowHasPassed_andTheGaugesDecay() {
    Metrics m = f.board.metrics("payments");
    DynoMeterBinder.of(f.board).bindTo(registry);
    f.succeed(m, 5, Duration.ofMillis(10));
    assertThat(calls("payments", "success")).isEqualTo(5);

    f.ticker.advance(Duration.ofMinutes(2));

    assertThat(calls("payments", "success")).isEqualTo(5);
    assertThat(registry.get("dyno.call.duration").functionTimer().count()).isEqualTo(5);
    assertThat(
            registry
                .get("dyno.call.latency")
                .tag("percentile", "0.99")
                .timeGauge()
                .value(TimeUnit.NANOSECONDS))
        .isZero();
  }

  @Test
  void aMetricAddedAfterBinding_getsItsMeters() {
    DynoMeterBinder.of(f.board).bindTo(registry);
    assertThat(registry.getMeters()).isEmpty();

    Metrics later = f.board.metrics("inventory");
    f.succeed(later, 2, Duration.ofMillis(1));

    assertThat(calls("inventory", "success")).isEqualTo(2);
    assertThat(metersOf(registry, "inventory")).hasSize(5 + 1 + 2 + 4);
  }

  @Test
  void aRemovedMetric_losesItsMeters_inEveryRegistryBound() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    f.board.metrics("payments");
    f.board.metrics("inventory");
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);
    binder.bindTo(registry);
    binder.bindTo(other);

    f.board.remove("payments");

    assertThat(metersOf(registry, "payments")).isEmpty();
    assertThat(metersOf(other, "payments")).isEmpty();
    assertThat(metersOf(registry, "inventory")).hasSize(12);
    assertThat(metersOf(other, "inventory")).hasSize(12);
    assertThat(binder).hasToString("DynoMeterBinder[registries=2, metrics=1, tags=[]]");
  }

  @Test
  void aMetricRemovedAndMadeAgain_isShownByTheNewInstance() {
    Metrics old = f.board.metrics("payments");
    DynoMeterBinder.of(f.board).bindTo(registry);
    f.succeed(old, 4, Duration.ofMillis(1));
    assertThat(calls("payments", "success")).isEqualTo(4);

    f.board.remove("payments");
    Metrics fresh = f.board.metrics("payments");
    f.succeed(fresh, 1, Duration.ofMillis(1));

    assertThat(calls("payments", "success")).isEqualTo(1);
    assertThat(metersOf(registry, "payments")).hasSize(12);
  }

  @Test
  void twoRegistries_eachGetEveryMeter_andReadTheSameFigures() {
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    Metrics m = f.board.metrics("payments");
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);
    binder.bindTo(registry);
    binder.bindTo(other);
    f.succeed(m, 3, Duration.ofMillis(1));
    f.board.metrics("inventory");

    assertThat(
            other
                .get("dyno.calls")
                .tags("name", "payments", "outcome", "success")
                .functionCounter()
                .count())
        .isEqualTo(3);
    assertThat(calls("payments", "success")).isEqualTo(3);
    assertThat(metersOf(other, "inventory")).hasSize(12);
    assertThat(other.getMeters()).hasSameSizeAs(registry.getMeters());
  }

  @Test
  void bindingARegistryTwice_registersNothingMore() {
    f.board.metrics("payments");
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);
    binder.bindTo(registry);
    List<Meter> once = registry.getMeters();

    binder.bindTo(registry);
    f.board.metrics("inventory");

    assertThat(metersOf(registry, "payments")).hasSameSizeAs(once);
    assertThat(metersOf(registry, "inventory")).hasSize(12);
    assertThat(binder).hasToString("DynoMeterBinder[registries=1, metrics=2, tags=[]]");
  }

  @Test
  void theUsersTags_areOnEveryMeter_andThePercentilesAreTheChosenOnes() {
    Metrics m = f.board.metrics("payments");
    DynoMeterBinder binder =
        DynoMeterBinder.builder(f.board)
            .tags(Tags.of("region", "eu", "app", "shop"))
            .percentiles(1.0, 0.25, 0)
            .build();
    binder.bindTo(registry);
    f.fail(m, 1, Duration.ofMillis(3), Fixture.io());
    calls("payments", "failure");

    assertThat(registry.getMeters())
        .isNotEmpty()
        .allSatisfy(
            meter ->
                assertThat(meter.getId().getTags())
                    .contains(
                        Tag.of("region", "eu"), Tag.of("app", "shop"), Tag.of("name", "payments")));
    assertThat(registry.find("dyno.call.latency").timeGauges())
        .map(g -> g.getId().getTag("percentile"))
        .containsExactlyInAnyOrder("1.0", "0.25", "0.0");
    assertThat(registry.get("dyno.call.latency").tag("percentile", "1.0").timeGauge().value())
        .isCloseTo(0.003, within(0.00001));
    assertThat(binder.tags()).containsExactly(Tag.of("app", "shop"), Tag.of("region", "eu"));
    assertThat(binder.percentiles()).containsExactly(1.0, 0.25, 0.0);
    assertThat(binder)
        .hasToString("DynoMeterBinder[registries=1, metrics=1, tags=[app=shop, region=eu]]");
  }

  @Test
  void theDefaults_areFourPercentiles_noTags_andReadingsReusedForASecond() {
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);

    assertThat(binder.percentiles()).containsExactly(0.5, 0.9, 0.99, 0.999);
    assertThat(binder.tags()).isEmpty();
    assertThat(binder.reuseReadingsFor()).isEqualTo(Duration.ofSeconds(1));
    assertThat(DynoMeterBinder.builder(f.board).percentiles().build().percentiles()).isEmpty();
    assertThat(
            DynoMeterBinder.builder(f.board)
                .reuseReadingsFor(Duration.ofMillis(5))
                .build()
                .reuseReadingsFor())
        .isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void aMetricMadeAgainBeforeTheOldOnesRemovalIsTold_keepsTheNewOnesMeters() {
    // A listener told before the binder makes the metric again while the board removes it: the
    // binder hears of the new instance first, then of the old one's removal.
    f.board.onRemoved(old -> f.board.metrics(old.name()));
    Metrics old = f.board.metrics("payments");
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);
    binder.bindTo(registry);
    f.succeed(old, 4, Duration.ofMillis(1));
    assertThat(calls("payments", "success")).isEqualTo(4);

    f.board.remove("payments");
    Metrics fresh = f.board.metrics("payments");
    f.succeed(fresh, 1, Duration.ofMillis(1));
    f.ticker.advance(Duration.ofSeconds(1));

    assertThat(fresh).isNotSameAs(old);
    assertThat(calls("payments", "success")).isEqualTo(1);
    assertThat(metersOf(registry, "payments")).hasSize(12);
    assertThat(binder).hasToString("DynoMeterBinder[registries=1, metrics=1, tags=[]]");
  }

  @Test
  void aMetricAddedOnAnotherThread_getsItsMeters() throws Exception {
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);
    binder.bindTo(registry);

    java.util.concurrent.CompletableFuture.runAsync(() -> f.board.metrics("inventory"))
        .get(10, TimeUnit.SECONDS);
    java.util.concurrent.CompletableFuture.runAsync(() -> binder.bindTo(registry))
        .get(10, TimeUnit.SECONDS);

    assertThat(metersOf(registry, "inventory")).hasSize(12);
  }

  @Test
  void aBinderNeverBound_registersNothing_butFollowsTheBoard() {
    DynoMeterBinder binder = DynoMeterBinder.of(f.board);
    f.board.metrics("payments");
    f.board.metrics("inventory");
    f.board.remove("inventory");

    assertThat(binder).hasToString("DynoMeterBinder[registries=0, metrics=1, tags=[]]");
    binder.bindTo(registry);
    assertThat(metersOf(registry, "payments")).hasSize(12);
    assertThat(metersOf(registry, "inventory")).isEmpty();
  }

  private double calls(String name, String outcome) {
    return registry
        .get("dyno.calls")
        .tags("name", name, "outcome", outcome)
        .functionCounter()
        .count();
  }

  private double failures(String name, String exception) {
    FunctionCounter c =
        registry
            .get("dyno.call.failures")
            .tags("name", name, "exception", exception)
            .functionCounter();
    return c.count();
  }

  private double gauge(String meter, String name) {
    Gauge g = registry.get(meter).tag("name", name).gauge();
    return g.value();
  }

  static List<Meter> metersOf(MeterRegistry r, String name) {
    return r.getMeters().stream().filter(m -> name.equals(m.getId().getTag("name"))).toList();
  }
}
