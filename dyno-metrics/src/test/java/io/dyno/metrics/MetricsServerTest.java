package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dyno.metrics.internal.MiniJson;
import io.dyno.testing.FakeClock;
import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link MetricsServer}: the page, the JSON snapshot, bad requests, settings and closing. */
class MetricsServerTest {

  private final FakeTicker now = FakeTicker.create();
  private final Clock clock = FakeClock.at(Instant.parse("2026-01-02T03:04:05Z"));
  private final MetricsRegistry board =
      MetricsRegistry.create(name -> Metrics.builder(name).ticker(now).clock(clock).build());
  private MetricsServer server;

  @AfterEach
  void closeServer() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * A response as the tests read it; HttpURLConnection, since the module does not read
   * java.net.http.
   */
  record Response(int statusCode, Map<String, List<String>> headers, String body) {
    Optional<String> header(String name) {
      List<String> values = headers.get(name);
      return values == null ? Optional.empty() : Optional.of(values.get(0));
    }
  }

  private Response send(String method, String path) throws Exception {
    return send(server.port(), method, path);
  }

  private static Response send(int port, String method, String path) throws Exception {
    HttpURLConnection c =
        (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(10_000);
    c.setRequestMethod(method);
    try {
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      c.getHeaderFields().forEach((k, v) -> headers.put(k == null ? "" : k, v));
      return new Response(status, headers, body);
    } finally {
      c.disconnect();
    }
  }

  @Test
  void start_onPortZero_listensOnAFreePortOfTheLoopback() throws Exception {
    server = MetricsServer.start(board, 0);

    assertThat(server.port()).isPositive();
    assertThat(send("GET", "/metrics.json").statusCode()).isEqualTo(200);
    assertThat(server.toString())
        .isEqualTo(
            "MetricsServer[port="
                + server.port()
                + ", streamInterval=1.00 s, openStreams=0, state=OPEN]");
  }

  @Test
  void executor_runsTheRequests_andIsLeftRunningOnClose() throws Exception {
    AtomicInteger tasks = new AtomicInteger();
    ExecutorService pool = Executors.newCachedThreadPool();
    Executor counting =
        task -> {
          tasks.incrementAndGet();
          pool.execute(task);
        };
    try {
      server = MetricsServer.builder(board).executor(counting).start();

      assertThat(send("GET", "/metrics.json").statusCode()).isEqualTo(200);
      assertThat(tasks.get()).isPositive();
      server.close();
      assertThat(pool.isShutdown()).as("a given executor is the caller's to shut down").isFalse();
    } finally {
      pool.shutdownNow();
    }
    assertThatThrownBy(() -> MetricsServer.builder(board).executor(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("executor must not be null");
  }

  @Test
  void metricsJson_isOneObjectKeyedByName_matchingTheSnapshots() throws Exception {
    Metrics payments = board.metrics("payments");
    payments.run(() -> now.advance(Duration.ofMillis(20)));
    payments.recordRejection();
    assertThatThrownBy(
            () ->
                payments.call(
                    () -> {
                      throw new IOException("down");
                    }))
        .isInstanceOf(IOException.class);
    board.metrics("idle");
    server = MetricsServer.start(board, 0);

    Response response = send("GET", "/metrics.json?pretty=no");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.header("Content-Type")).hasValue("application/json");
    Map<String, Object> json = MiniJson.object(response.body());
    assertThat(json).containsOnlyKeys("idle", "payments");
    MetricsSnapshot s = payments.snapshot();
    @SuppressWarnings("unchecked")
    Map<String, Object> p = (Map<String, Object>) json.get("payments");
    assertThat(p)
        .containsEntry("name", "payments")
        .containsEntry("time", (double) s.time().toEpochMilli())
        .containsEntry("requests", (double) s.requests())
        .containsEntry("successes", 1.0)
        .containsEntry("failures", 1.0)
        .containsEntry("rejections", 1.0)
        .containsEntry("errorPercentage", s.errorPercentage())
        .containsEntry("failuresByType", Map.of("java.io.IOException", 1.0))
        .containsEntry("latencyCount", 2.0);
    @SuppressWarnings("unchecked")
    Map<String, Object> latency = (Map<String, Object>) p.get("latencyMillis");
    // Milliseconds to the microsecond: HdrHistogram keeps 20 ms as 20.005 ms.
    assertThat(latency).containsEntry("100", Math.round(s.latencyMax().toNanos() / 1e3) / 1e3);
    assertThat((Double) latency.get("100")).isCloseTo(20.0, within(0.02));
  }

  @Test
  void dashboard_isServedAsHtmlFromTheJar_andReachesNothingOutside() throws Exception {
    server = MetricsServer.start(board, 0);

    Response response = send("GET", "/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.header("Content-Type")).hasValue("text/html; charset=utf-8");
    String page = response.body();
    assertThat(page)
        .startsWith("<!DOCTYPE html>")
        .contains(
            "\"metrics.json\"", "\"cluster.json\"", "data-metric", "count-success", "latency-p995")
        .contains("id=\"metrics\"", "id=\"sort\"", "id=\"status\"")
        .doesNotContain("http://", "https://", "//cdn", "<script src", "<link", "@import");
  }

  @Test
  void unknownPath_is404_andWrongMethod_is405WithAllow_neverWithAStackTrace() throws Exception {
    server = MetricsServer.start(board, 0);

    Response missing = send("GET", "/nope");
    Response post = send("POST", "/stream");
    Response delete = send("DELETE", "/");
    Response putMissing = send("PUT", "/stream/extra");

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body())
        .isEqualTo(
            "Not found: the paths are /, /stream, /metrics, /metrics.json and /cluster.json\n");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.header("Allow")).hasValue("GET, HEAD");
    assertThat(post.body()).isEqualTo("Method not allowed: use GET or HEAD\n");
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(putMissing.statusCode()).isEqualTo(404);
  }

  @Test
  void aMetricWhoseSnapshotFails_isShownAsBroken_andTheOthersAreStillServed() throws Exception {
    MetricsRegistry broken =
        MetricsRegistry.create(
            name -> Metrics.builder(name).clock(CallbackClock.breaking(() -> true)).build());
    broken.metrics("x");
    MetricsRegistry mixed =
        MetricsRegistry.create(name -> name.equals("x") ? broken.metrics("x") : Metrics.of(name));
    mixed.metrics("a").recordRejection();
    mixed.metrics("x");
    server = MetricsServer.start(mixed, 0);

    Response json = send("GET", "/metrics.json");

    assertThat(json.statusCode()).isEqualTo(200);
    Map<String, Object> body = MiniJson.object(json.body());
    assertThat(body).containsOnlyKeys("a", "x");
    assertThat(body.get("x")).isEqualTo(Map.of("name", "x", "error", "snapshot failed"));
    assertThat(json.body()).doesNotContain("clock broke");
    try (SseClient stream = new SseClient(server.port())) {
      assertThat(stream.status).isEqualTo(200);
      assertThat(stream.nextData()).contains("\"name\":\"a\"");
    }
    assertThat(send("GET", "/").statusCode()).isEqualTo(200);
  }

  @Test
  void head_answersLikeGet_withoutABody_onEveryPath() throws Exception {
    board.metrics("payments").recordRejection();
    server = MetricsServer.start(board, 0);

    Response page = send("HEAD", "/");
    Response json = send("HEAD", "/metrics.json");
    Response stream = send("HEAD", "/stream");
    Response missing = send("HEAD", "/nope");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.header("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).isEmpty();
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(json.header("Content-Type")).hasValue("application/json");
    assertThat(json.body()).isEmpty();
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.header("Content-Type")).hasValue("text/event-stream;charset=UTF-8");
    assertThat(stream.body()).isEmpty();
    assertThat(server.openStreams()).as("a HEAD opens no stream").isZero();
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(send("GET", "/metrics.json").statusCode()).isEqualTo(200);
  }

  @Test
  void aHostThatIsNotLoopback_is403_onEveryPath_unlessAllowed() throws Exception {
    server = MetricsServer.start(board, 0);

    assertThat(rawStatus(server.port(), "GET /metrics.json", "evil.example")).isEqualTo(403);
    assertThat(rawStatus(server.port(), "GET /", "evil.example:" + server.port())).isEqualTo(403);
    assertThat(rawStatus(server.port(), "GET /stream", "evil.example")).isEqualTo(403);
    assertThat(rawStatus(server.port(), "GET /nope", "evil.example")).isEqualTo(403);
    assertThat(rawStatus(server.port(), "GET /", null)).as("no Host at all").isEqualTo(403);
    assertThat(server.openStreams()).isZero();
    for (String host : List.of("localhost", "LocalHost:80", "127.0.0.1:1", "[::1]", "[::1]:8")) {
      assertThat(rawStatus(server.port(), "GET /metrics.json", host)).as(host).isEqualTo(200);
    }
    server.close();

    server = MetricsServer.builder(board).allowHosts("Metrics.Internal", "[fd00::7]").start();
    assertThat(rawStatus(server.port(), "GET /metrics.json", "metrics.internal:7979"))
        .isEqualTo(200);
    assertThat(rawStatus(server.port(), "GET /metrics.json", "[fd00::7]")).isEqualTo(200);
    assertThat(rawStatus(server.port(), "GET /metrics.json", "localhost")).isEqualTo(200);
    assertThat(rawStatus(server.port(), "GET /metrics.json", "evil.example")).isEqualTo(403);
  }

  /** The status of a request sent by hand, so that the Host header is exactly {@code host}. */
  private static int rawStatus(int port, String requestLine, String host) throws IOException {
    try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(10_000);
      String request =
          requestLine
              + " HTTP/1.1\r\n"
              + (host == null ? "" : "Host: " + host + "\r\n")
              + "Connection: close\r\n\r\n";
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String statusLine =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      return Integer.parseInt(statusLine.substring(9, 12));
    }
  }

  @Test
  void close_isIdempotent_andStopsListening() throws Exception {
    server = MetricsServer.builder(board).bindAddress(InetAddress.getLoopbackAddress()).start();
    int port = server.port();

    server.close();
    server.close();

    assertThat(server.toString()).endsWith(", state=CLOSED]");
    assertThatThrownBy(() -> send(port, "GET", "/")).isInstanceOf(ConnectException.class);
  }

  @Test
  void aPortInUse_failsNamingThePortAndTheRemedy_keepingTheJdksExceptionAsCause() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      String expected =
          "port "
              + port
              + " is in use: stop what listens there, or pass another port (0 picks a free one)";

      assertThatThrownBy(() -> server = MetricsServer.start(board, port))
          .isInstanceOf(BindException.class)
          .isInstanceOf(IOException.class)
          .hasMessage(expected)
          .cause()
          .isInstanceOf(BindException.class)
          .hasMessageNotContaining("stop what listens");
      assertThatThrownBy(() -> server = MetricsServer.builder(board).port(port).start())
          .isInstanceOf(BindException.class)
          .hasMessage(expected)
          .hasCauseInstanceOf(BindException.class);
    }
  }

  @Test
  void builder_refusesBadSettings_namingTheParameterAndValue() {
    MetricsServer.Builder b = MetricsServer.builder(board);

    assertThatThrownBy(() -> MetricsServer.builder(null)).hasMessage("registry must not be null");
    assertThatThrownBy(() -> b.port(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 0 and 65535, was -1");
    assertThatThrownBy(() -> b.port(65_536))
        .hasMessage("port must be between 0 and 65535, was 65536");
    assertThatThrownBy(() -> b.bindAddress(null)).hasMessage("bindAddress must not be null");
    assertThatThrownBy(() -> b.streamInterval(null)).hasMessage("streamInterval must not be null");
    assertThatThrownBy(() -> b.streamInterval(Duration.ZERO))
        .hasMessage("streamInterval must be between PT0.001S and PT1H, was PT0S");
    assertThatThrownBy(() -> b.streamInterval(Duration.ofHours(2)))
        .hasMessage("streamInterval must be between PT0.001S and PT1H, was PT2H");
    assertThatThrownBy(() -> b.maxStreams(0))
        .hasMessage("maxStreams must be between 1 and 1000, was 0");
    assertThatThrownBy(() -> b.maxStreams(1001))
        .hasMessage("maxStreams must be between 1 and 1000, was 1001");
    assertThatThrownBy(() -> b.group(null)).hasMessage("group must not be null");
    assertThatThrownBy(() -> b.group(" ")).hasMessage("group must not be blank, was ' '");
    assertThatThrownBy(() -> b.writeTimeout(null)).hasMessage("writeTimeout must not be null");
    assertThatThrownBy(() -> b.writeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("writeTimeout must be between PT0.001S and PT1H, was PT0S");
    assertThatThrownBy(() -> b.writeTimeout(Duration.ofHours(2)))
        .hasMessage("writeTimeout must be between PT0.001S and PT1H, was PT2H");
    assertThatThrownBy(() -> b.allowHosts((String[]) null)).hasMessage("hosts must not be null");
    assertThatThrownBy(() -> b.allowHosts("ok", null)).hasMessage("hosts[1] must not be null");
    assertThatThrownBy(() -> b.allowHosts("metrics:80"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hosts must be host names without a port, was 'metrics:80'");
    assertThatThrownBy(() -> b.allowHosts(" "))
        .hasMessage("hosts must be host names without a port, was ' '");
    assertThatThrownBy(() -> b.allowHosts("a b"))
        .hasMessage("hosts must be host names without a port, was 'a b'");
    assertThat(b.writeTimeout(Duration.ofSeconds(1)).allowHosts("x")).isSameAs(b);
    assertThat(b.port(65_535).port(0).maxStreams(1000).group("g")).isSameAs(b);
  }

  @Test
  void start_onABusyPort_throwsIOException() throws Exception {
    server = MetricsServer.start(board, 0);

    assertThatThrownBy(() -> MetricsServer.start(board, server.port()))
        .isInstanceOf(IOException.class);
  }
}
