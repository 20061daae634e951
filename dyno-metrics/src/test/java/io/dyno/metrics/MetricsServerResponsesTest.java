package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What {@link MetricsServer} answers: the caching headers of every path, HEAD requests that read
 * nothing, a failure inside the server as a bare 500, the limits of its settings, and threads that
 * never keep the JVM alive.
 */
class MetricsServerResponsesTest extends CountedServerTestBase {

  record Response(int status, String contentType, String cacheControl, String body) {}

  private Response send(String method, String path) throws Exception {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + server.port() + path).toURL().openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(10_000);
    c.setRequestMethod(method);
    try {
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Response(
          status, c.getHeaderField("Content-Type"), c.getHeaderField("Cache-Control"), body);
    } finally {
      c.disconnect();
    }
  }

  @Test
  void thePageAndTheJson_areNeverCached() throws Exception {
    board.metrics("payments").recordRejection();
    server = MetricsServer.start(board, 0);

    Response page = send("GET", "/");
    Response json = send("GET", "/metrics.json");
    Response missing = send("GET", "/nope");

    assertThat(page.cacheControl()).isEqualTo("no-cache");
    assertThat(json.cacheControl()).isEqualTo("no-cache");
    assertThat(json.contentType()).isEqualTo("application/json");
    assertThat(missing.cacheControl()).isEqualTo("no-cache");
    assertThat(missing.contentType()).isEqualTo("text/plain; charset=utf-8");
  }

  @Test
  void theStream_forbidsEveryCache_asTheHystrixStreamDoes() throws Exception {
    board.metrics("payments").recordRejection();
    server = MetricsServer.builder(board).streamInterval(Duration.ofHours(1)).start();

    try (SseClient client = new SseClient(server.port())) {
      assertThat(client.status).isEqualTo(200);
      assertThat(client.headers)
          .containsEntry("content-type", "text/event-stream;charset=UTF-8")
          .containsEntry("cache-control", "no-cache, no-store, max-age=0, must-revalidate")
          .containsEntry("pragma", "no-cache");
      assertThat(client.nextData()).contains("\"name\":\"payments\"");
    }
  }

  @Test
  void head_ofTheJsonAndTheStream_readsNoMetric() throws Exception {
    board.metrics("payments").recordRejection();
    board.metrics("orders").recordRejection();
    server = MetricsServer.builder(board).streamInterval(Duration.ofHours(1)).start();
    int before = reads.get();

    Response json = send("HEAD", "/metrics.json");
    Response stream = send("HEAD", "/stream");

    assertThat(json.status()).isEqualTo(200);
    assertThat(json.contentType()).isEqualTo("application/json");
    assertThat(stream.status()).isEqualTo(200);
    assertThat(stream.contentType()).isEqualTo("text/event-stream;charset=UTF-8");
    assertThat(reads.get()).as("snapshots taken for HEAD").isEqualTo(before);
    assertThat(server.awaitOpenStreams(0, Duration.ofSeconds(10))).isTrue();
    assertThat(send("GET", "/metrics.json").body()).contains("\"payments\"", "\"orders\"");
    assertThat(reads.get()).isEqualTo(before + 2);
  }

  @Test
  void aServerTickerThatFails_isAnswered500WithoutDetail_andTheStreamsPlaceIsFreed()
      throws Exception {
    AtomicBoolean broken = new AtomicBoolean(true);
    FakeTicker standing = FakeTicker.create();
    board.metrics("payments").recordRejection();
    server =
        MetricsServer.builder(board)
            .maxStreams(1)
            .streamInterval(Duration.ofHours(1))
            .ticker(
                () -> {
                  if (broken.get()) {
                    throw new IllegalStateException("ticker broke");
                  }
                  return standing.read();
                })
            .start();

    Response failed = send("GET", "/stream");

    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.contentType()).isEqualTo("text/plain; charset=utf-8");
    assertThat(failed.body()).isEqualTo("Internal error\n");
    assertThat(server.openStreams()).isZero();
    broken.set(false);
    try (SseClient client = new SseClient(server.port())) {
      assertThat(client.status).as("the one place is free again").isEqualTo(200);
      assertThat(client.nextData()).contains("\"name\":\"payments\"");
    }
  }

  @Test
  void theServersThreads_areDaemons_soTheyNeverKeepTheJvmAlive() throws Exception {
    board.metrics("payments").recordRejection();
    server = MetricsServer.builder(board).streamInterval(Duration.ofHours(1)).start();
    String prefix = "dyno-metrics-server-" + server.port() + "-";

    try (SseClient client = new SseClient(server.port())) {
      assertThat(client.nextData()).contains("\"name\":\"payments\"");
      assertThat(send("GET", "/metrics.json").status()).isEqualTo(200);

      Set<Thread> own =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().startsWith(prefix))
              .collect(Collectors.toSet());
      assertThat(own)
          .extracting(t -> t.getName().substring(prefix.length(), prefix.length() + 4))
          .contains("http", "stre", "tick");
      assertThat(own).allSatisfy(t -> assertThat(t.isDaemon()).as(t.getName()).isTrue());
    }
  }

  @Test
  void awaitOpenStreams_givesUpAtOnce_whenTheTimeoutIsZero() throws Exception {
    server = MetricsServer.start(board, 0);

    assertThat(server.awaitOpenStreams(1, Duration.ZERO)).isFalse();
    assertThat(server.awaitOpenStreams(0, Duration.ZERO)).isTrue();
  }

  @Test
  void streamIntervalAndWriteTimeout_acceptExactlyOneMillisecondAndOneHour() {
    MetricsServer.Builder b = MetricsServer.builder(board);

    assertThat(b.streamInterval(Duration.ofMillis(1))).isSameAs(b);
    assertThat(b.streamInterval(Duration.ofHours(1))).isSameAs(b);
    assertThat(b.writeTimeout(Duration.ofMillis(1))).isSameAs(b);
    assertThat(b.writeTimeout(Duration.ofHours(1))).isSameAs(b);
    assertThatThrownBy(() -> b.streamInterval(Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("streamInterval must be between PT0.001S and PT1H, was PT0.000999999S");
    assertThatThrownBy(() -> b.streamInterval(Duration.ofHours(1).plusNanos(1)))
        .hasMessage("streamInterval must be between PT0.001S and PT1H, was PT1H0.000000001S");
    assertThatThrownBy(() -> b.writeTimeout(Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("writeTimeout must be between PT0.001S and PT1H, was PT0.000999999S");
    assertThatThrownBy(() -> b.writeTimeout(Duration.ofHours(1).plusNanos(1)))
        .hasMessage("writeTimeout must be between PT0.001S and PT1H, was PT1H0.000000001S");
  }

  @Test
  void allowHosts_refusesNamesThatAreEmptyOrOnlyAPortOrHoldAControlCharacter() {
    MetricsServer.Builder b = MetricsServer.builder(board);

    for (String bad : List.of("", ":80", "[fd00::7]:80", "a\tb", "a\u0000b", "metrics ")) {
      assertThatThrownBy(() -> b.allowHosts(bad))
          .as("'%s'", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("hosts must be host names without a port, was '" + bad + "'");
    }
    assertThat(b.allowHosts("metrics!internal", "10.0.0.7", "[fd00::7]")).isSameAs(b);
  }

  @Test
  void hostName_dropsThePort_andKeepsAnUnclosedBracketWhole() {
    assertThat(MetricsServer.hostName("[::1]:8080")).isEqualTo("[::1]");
    assertThat(MetricsServer.hostName("[::1]")).isEqualTo("[::1]");
    assertThat(MetricsServer.hostName("[::1")).isEqualTo("[::1");
    assertThat(MetricsServer.hostName("localhost:80")).isEqualTo("localhost");
    assertThat(MetricsServer.hostName(":80")).isEmpty();
    assertThat(MetricsServer.hostName("localhost")).isEqualTo("localhost");
  }
}
