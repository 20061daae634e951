package io.dyno.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What Prometheus scrapes: Micrometer's dotted names rendered with underscores, {@code _total} on
 * counters, {@code _seconds} on times, and the tags as labels, sorted by name.
 */
class PrometheusScrapeTest {

  private final Fixture f = new Fixture();
  private final PrometheusMeterRegistry prometheus =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Metrics m = f.board.metrics("payments");

  @Test
  void aScrape_showsTheCountersTimerAndGauges_asPrometheusNamesAndLabels() {
    DynoMeterBinder.builder(f.board).tags(Tags.of("region", "eu")).build().bindTo(prometheus);
    f.succeed(m, 3, Duration.ofMillis(20));
    f.fail(m, 2, Duration.ofMillis(20), Fixture.io());
    f.timeOut(m, 1, Duration.ofMillis(20));
    m.recordShortCircuit();
    MetricsSnapshot snapshot = m.snapshot();

    String scrape = prometheus.scrape();

    String labels = "name=\"payments\",region=\"eu\"";
    assertThat(lines(scrape))
        .contains(
            "# TYPE dyno_calls_total counter",
            "dyno_calls_total{name=\"payments\",outcome=\"success\",region=\"eu\"} 3.0",
            "dyno_calls_total{name=\"payments\",outcome=\"failure\",region=\"eu\"} 2.0",
            "dyno_calls_total{name=\"payments\",outcome=\"timeout\",region=\"eu\"} 1.0",
            "dyno_calls_total{name=\"payments\",outcome=\"short_circuit\",region=\"eu\"} 1.0",
            "dyno_calls_total{name=\"payments\",outcome=\"rejection\",region=\"eu\"} 0.0",
            "# TYPE dyno_call_duration_seconds summary",
            "dyno_call_duration_seconds_count{" + labels + "} 6",
            "# TYPE dyno_calls_in_flight gauge",
            "dyno_calls_in_flight{" + labels + "} 0.0",
            "dyno_calls_in_flight_max{" + labels + "} 1.0",
            "# TYPE dyno_call_latency_seconds gauge");
    assertThat(value(scrape, "dyno_call_duration_seconds_sum{" + labels + "}"))
        .isEqualTo(m.totals().latencySum().toNanos() / 1e9);
    assertThat(
            value(
                scrape,
                "dyno_call_latency_seconds{name=\"payments\",percentile=\"0.99\",region=\"eu\"}"))
        .isEqualTo(snapshot.latencyP99().toNanos() / 1e9);
    assertThat(scrape).contains("percentile=\"0.5\"", "percentile=\"0.9\"", "percentile=\"0.999\"");

    // The exception type, first seen by the scrape above, is a series from the next one.
    String next = prometheus.scrape();

    assertThat(lines(next))
        .contains(
            "# TYPE dyno_call_failures_total counter",
            "dyno_call_failures_total{exception=\"java.io.IOException\",name=\"payments\",region=\"eu\"} 2.0");
  }

  @Test
  void aScrape_showsTheCircuitAndThePool() {
    m.reportStatus(
        () ->
            MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofMillis(1500))
                .withPool(new MetricsStatus.Pool(8, 4, 6, 2, 1, 42)));
    DynoMeterBinder.of(f.board).bindTo(prometheus);
    prometheus.scrape();

    String scrape = prometheus.scrape();

    assertThat(lines(scrape))
        .contains(
            "dyno_circuit_state{name=\"payments\",state=\"open\"} 1.0",
            "dyno_circuit_state{name=\"payments\",state=\"closed\"} 0.0",
            "dyno_circuit_state{name=\"payments\",state=\"half_open\"} 0.0",
            "dyno_circuit_state{name=\"payments\",state=\"forced_open\"} 0.0",
            "dyno_circuit_state{name=\"payments\",state=\"disabled\"} 0.0",
            "dyno_circuit_next_trial_seconds{name=\"payments\"} 1.5",
            "dyno_pool_max_threads{name=\"payments\"} 8.0",
            "dyno_pool_size_threads{name=\"payments\"} 4.0",
            "dyno_pool_largest_threads{name=\"payments\"} 6.0",
            "dyno_pool_active_threads{name=\"payments\"} 2.0",
            "dyno_pool_queued_tasks{name=\"payments\"} 1.0",
            "dyno_pool_completed_tasks_total{name=\"payments\"} 42.0");
  }

  @Test
  void aScrape_showsTheLimitAndTheThrottle_underTheNamesOfDynoMetricsOwnExposition() {
    m.reportStatus(
        () ->
            MetricsStatus.limit(new MetricsStatus.Limit("search", "gradient2", 48, 37))
                .withThrottle(new MetricsStatus.Throttle("search", 0.12, 4000, 1200)));
    DynoMeterBinder.of(f.board).bindTo(prometheus);
    prometheus.scrape();

    String scrape = prometheus.scrape();

    assertThat(lines(scrape))
        .contains(
            "# TYPE dyno_limit gauge",
            "dyno_limit{algorithm=\"gradient2\",limiter=\"search\",name=\"payments\"} 48.0",
            "# TYPE dyno_limit_in_flight gauge",
            "dyno_limit_in_flight{limiter=\"search\",name=\"payments\"} 37.0",
            "# TYPE dyno_throttle_probability gauge",
            "dyno_throttle_probability{name=\"payments\",throttle=\"search\"} 0.12",
            "# TYPE dyno_throttle_requests gauge",
            "dyno_throttle_requests{name=\"payments\",throttle=\"search\"} 4000.0",
            "# TYPE dyno_throttle_accepts gauge",
            "dyno_throttle_accepts{name=\"payments\",throttle=\"search\"} 1200.0");
  }

  @Test
  void aScrape_showsHedging_underTheNamesOfDynoMetricsOwnExposition() {
    m.reportStatus(
        () ->
            MetricsStatus.hedging(
                new MetricsStatus.Hedging(Duration.ofNanos(12_345_678), 2, 41, 17)));
    DynoMeterBinder.of(f.board).bindTo(prometheus);
    prometheus.scrape();

    String scrape = prometheus.scrape();

    assertThat(lines(scrape))
        .contains(
            "# TYPE dyno_hedge_delay_seconds gauge",
            "dyno_hedge_delay_seconds{name=\"payments\"} 0.012345678",
            "# TYPE dyno_hedges_sent_total counter",
            "dyno_hedges_sent_total{name=\"payments\"} 41.0",
            "# TYPE dyno_hedges_won_total counter",
            "dyno_hedges_won_total{name=\"payments\"} 17.0");
  }

  @Test
  void aRemovedMetric_leavesTheScrape() {
    f.board.metrics("inventory");
    DynoMeterBinder.of(f.board).bindTo(prometheus);
    assertThat(prometheus.scrape()).contains("name=\"payments\"", "name=\"inventory\"");

    f.board.remove("payments");

    assertThat(prometheus.scrape())
        .doesNotContain("name=\"payments\"")
        .contains("name=\"inventory\"");
  }

  private static List<String> lines(String scrape) {
    return scrape.lines().toList();
  }

  private static double value(String scrape, String series) {
    String line = scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst().orElseThrow();
    return Double.parseDouble(line.substring(series.length() + 1));
  }
}
