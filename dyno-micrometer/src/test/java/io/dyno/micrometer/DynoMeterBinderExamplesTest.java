package io.dyno.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.MetricsRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/micrometer.md and the javadoc, compiled and run. Each snippet in the guide
 * appears here line for line, which dyno-examples' documentation test verifies.
 */
class DynoMeterBinderExamplesTest {

  /** Spring's {@code @Bean}, a stand-in: this module does not depend on Spring. */
  @Retention(RetentionPolicy.RUNTIME)
  @interface Bean {}

  /** A quote. */
  record Quote(String symbol, long cents) {}

  /** A quote service that always answers. */
  static final class Quotes {
    Quote fetch() throws IOException {
      return new Quote("DYNO", 4200);
    }
  }

  private final Quotes quotes = new Quotes();
  private final MeterRegistry meterRegistry = new SimpleMeterRegistry();

  @Test
  void quickStart() throws Exception {
    MetricsRegistry board = MetricsRegistry.create();
    DynoMeterBinder.of(board).bindTo(meterRegistry);
    Quote q = board.metrics("payments").call(() -> quotes.fetch());

    assertThat(q.cents()).isEqualTo(4200);
    assertThat(
            meterRegistry
                .get("dyno.calls")
                .tags("name", "payments", "outcome", "success")
                .functionCounter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void everyOption() {
    MetricsRegistry board = MetricsRegistry.create();
    DynoMeterBinder binder =
        DynoMeterBinder.builder(board)
            .tags(Tags.of("region", "eu-west-1"))
            .percentiles(0.5, 0.99)
            .reuseReadingsFor(Duration.ofMillis(500))
            .build();
    binder.bindTo(meterRegistry);
    board.metrics("payments");

    assertThat(meterRegistry.find("dyno.call.latency").tag("region", "eu-west-1").timeGauges())
        .hasSize(2);
  }

  @Test
  void springBoot() {
    MetricsRegistry board = MetricsRegistry.create();
    MeterBinder binder = dynoMeters(board);
    binder.bindTo(meterRegistry);
    board.metrics("payments");

    assertThat(meterRegistry.find("dyno.calls").tag("name", "payments").functionCounters())
        .hasSize(5);
  }

  // Spring Boot binds every MeterBinder bean to its MeterRegistry.
  @Bean
  MeterBinder dynoMeters(MetricsRegistry board) {
    return DynoMeterBinder.of(board);
  }

  @Test
  void prometheus() throws Exception {
    MetricsRegistry board = MetricsRegistry.create();
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DynoMeterBinder.of(board).bindTo(prometheus);
    board.metrics("payments").call(() -> quotes.fetch());
    String scrape = prometheus.scrape(); // the text Prometheus reads from /metrics

    assertThat(scrape).contains("dyno_calls_total{name=\"payments\",outcome=\"success\"} 1.0");
  }

  @Test
  void javadoc() {
    MetricsRegistry board = MetricsRegistry.create();
    DynoMeterBinder.of(board).bindTo(meterRegistry);
    DynoMeterBinder binder =
        DynoMeterBinder.builder(board)
            .tags(Tags.of("region", "eu-west-1"))
            .percentiles(0.5, 0.99)
            .build();

    assertThat(binder.percentiles()).containsExactly(0.5, 0.99);
  }
}
