package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link MetricsServer}'s {@code /metrics}: both formats, HEAD, and a metric that fails. */
class MetricsServerPrometheusTest {

  private static final String OPENMETRICS =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final FakeTicker now = FakeTicker.create();
  private final MetricsRegistry board =
      MetricsRegistry.create(name -> Metrics.builder(name).ticker(now).build());
  private MetricsServer server;

  @AfterEach
  void closeServer() {
    if (server != null) {
      server.close();
    }
  }

  record Response(int status, @Nullable String contentType, @Nullable String vary, String body) {}

  private Response send(String method, @Nullable String accept) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + server.port() + "/metrics").toURL().openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(10_000);
    c.setRequestMethod(method);
    if (accept != null) {
      c.setRequestProperty("Accept", accept);
    }
    try {
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Response(status, c.getHeaderField("Content-Type"), c.getHeaderField("Vary"), body);
    } finally {
      c.disconnect();
    }
  }

  @Test
  void get_answersTheTextFormat_withTheTotalsSinceCreation() throws Exception {
    Metrics payments = board.metrics("payments");
    payments.start().success();
    now.advance(Duration.ofMillis(3));
    payments.start().failure(new IOException("down"));
    payments.recordRejection();
    // Past every window: the snapshot's counts are gone, the totals are not.
    now.advance(Duration.ofMinutes(5));
    Metrics.Sample running = payments.start();
    server = MetricsServer.start(board, 0);

    Response r = send("GET", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo(TEXT);
    assertThat(r.vary()).isEqualTo("Accept");
    assertThat(r.body())
        .startsWith("# HELP dyno_calls_total ")
        .contains("\n# TYPE dyno_calls_total counter\n")
        .contains("dyno_calls_total{name=\"payments\",outcome=\"success\"} 1\n")
        .contains("dyno_calls_total{name=\"payments\",outcome=\"failure\"} 1\n")
        .contains("dyno_calls_total{name=\"payments\",outcome=\"rejection\"} 1\n")
        .contains(
            "dyno_call_failures_total{name=\"payments\",exception=\"java.io.IOException\"} 1\n")
        .contains("dyno_call_duration_seconds_count{name=\"payments\"} 2\n")
        .contains("dyno_calls_in_flight{name=\"payments\"} 1\n")
        .doesNotContain("# EOF");
    running.success();
  }

  @Test
  void get_answersOpenMetrics_whenAcceptAsksForIt() throws Exception {
    board.metrics("payments").recordShortCircuit();
    server = MetricsServer.start(board, 0);

    Response r =
        send(
            "GET",
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo(OPENMETRICS);
    assertThat(r.body())
        .contains("# TYPE dyno_calls counter\n")
        .contains("dyno_calls_total{name=\"payments\",outcome=\"short_circuit\"} 1\n")
        .endsWith("# EOF\n");
  }

  @Test
  void head_sendsTheNegotiatedHeaders_withoutABody_readingNoMetric() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    Metrics.StatusReport report =
        board
            .metrics("payments")
            .reportStatus(
                () -> {
                  reads.incrementAndGet();
                  return MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null);
                });
    server = MetricsServer.start(board, 0);

    Response text = send("HEAD", null);
    Response open = send("HEAD", "application/openmetrics-text");

    assertThat(text.status()).isEqualTo(200);
    assertThat(text.contentType()).isEqualTo(TEXT);
    assertThat(text.body()).isEmpty();
    assertThat(open.contentType()).isEqualTo(OPENMETRICS);
    assertThat(open.body()).isEmpty();
    assertThat(reads).hasValue(0);
    assertThat(send("GET", null).body())
        .contains("dyno_circuit_state{name=\"payments\",state=\"closed\"} 1\n");
    assertThat(reads).hasValue(1);
    report.close();
  }

  @Test
  void aMetricWhoseReadingFails_isLeftOut_andLoggedOncePerSpell() throws Exception {
    AtomicBoolean broken = new AtomicBoolean(true);
    MetricsRegistry mixed =
        MetricsRegistry.create(
            name ->
                name.equals("flaky")
                    ? Metrics.builder(name).clock(CallbackClock.breaking(broken::get)).build()
                    : Metrics.of(name));
    mixed.metrics("flaky");
    mixed.metrics("good").recordRejection();
    server = MetricsServer.start(mixed, 0);

    String[] bodies = new String[3];
    String firstSpell =
        StandardError.during(
            () -> {
              bodies[0] = send("GET", null).body();
              bodies[1] = send("GET", null).body();
              broken.set(false);
              bodies[2] = send("GET", null).body();
            });
    broken.set(true);
    String secondSpell = StandardError.during(() -> send("GET", null));

    assertThat(bodies[0])
        .doesNotContain("flaky")
        .contains("dyno_calls_total{name=\"good\",outcome=\"rejection\"} 1\n");
    assertThat(bodies[1]).doesNotContain("flaky");
    assertThat(bodies[2]).contains("dyno_calls_in_flight{name=\"flaky\"} 0\n");
    String warning = "MetricsServer: reading Metrics[name=flaky,";
    assertThat(firstSpell.split(Pattern.quote(warning), -1)).hasSize(2);
    assertThat(firstSpell).contains("WARN", "for /metrics failed", "clock broke");
    assertThat(secondSpell.split(Pattern.quote(warning), -1)).hasSize(2);
  }

  @Test
  void otherMethods_are405_andTheRouteIsListedIn404() throws Exception {
    server = MetricsServer.start(board, 0);

    assertThat(send("POST", null).status()).isEqualTo(405);
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + server.port() + "/metricz").toURL().openConnection();
    try {
      assertThat(c.getResponseCode()).isEqualTo(404);
      assertThat(new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
          .contains("/metrics, ");
    } finally {
      c.disconnect();
    }
  }
}
