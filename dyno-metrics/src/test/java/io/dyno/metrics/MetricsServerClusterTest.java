package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.dyno.metrics.internal.MiniJson;
import io.dyno.metrics.internal.hdr.Histogram;
import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /cluster.json}: the metrics of several instances merged by name, counts summed and
 * percentiles those of the union of their latency histograms; {@code /metrics.json?histograms=true}
 * that carries them; and the peers that fail, listed without failing the answer.
 */
class MetricsServerClusterTest {

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  record Response(int status, String body) {}

  private static Response send(String method, int port, String path) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(20_000);
    c.setRequestMethod(method);
    try {
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Response(status, body);
    } finally {
      c.disconnect();
    }
  }

  private static Map<String, Object> getJson(int port, String path) throws IOException {
    Response r = send("GET", port, path);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return MiniJson.object(r.body());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> member(Map<String, Object> m, String name) {
    return (Map<String, Object>) m.get(name);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> instances(Map<String, Object> cluster) {
    return (List<Map<String, Object>>) cluster.get("instances");
  }

  private MetricsRegistry registry(FakeTicker ticker) {
    return MetricsRegistry.create(
        name -> Metrics.builder(name).ticker(ticker).clock(ticker.clock(Instant.EPOCH)).build());
  }

  private MetricsServer start(MetricsServer.Builder builder) throws IOException {
    MetricsServer s = builder.start();
    closing.add(s);
    return s;
  }

  private static URI url(MetricsServer s) {
    return URI.create("http://127.0.0.1:" + s.port() + "/");
  }

  /** Times one successful call of {@code nanos} on the fake ticker. */
  private static void call(Metrics m, FakeTicker ticker, long nanos) {
    Metrics.Sample sample = m.start();
    ticker.advance(nanos);
    sample.success();
  }

  /** A value of milliseconds as metrics.json writes a latency of {@code nanos}. */
  private static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }

  @Test
  void twoInstances_addTheirCounts_andTakePercentilesFromTheUnionOfTheirLatencies()
      throws Exception {
    FakeTicker ta = FakeTicker.create();
    FakeTicker tb = FakeTicker.create();
    MetricsRegistry a = registry(ta);
    MetricsRegistry b = registry(tb);
    Histogram union = new Histogram(3);
    for (int i = 0; i < 1000; i++) {
      long nanos = 1_000_000 + (i * 4_003L) % 4_000_000;
      call(a.metrics("payments"), ta, nanos);
      union.recordValue(nanos);
    }
    for (int i = 0; i < 10; i++) {
      call(b.metrics("payments"), tb, 200_000_000);
      union.recordValue(200_000_000);
    }
    b.metrics("payments").start().failure(new IOException("down"));
    union.recordValue(0);
    b.metrics("payments").recordRejection();
    a.metrics("orders").recordShortCircuit();
    MetricsServer sb = start(MetricsServer.builder(b));
    MetricsServer sa = start(MetricsServer.builder(a).cluster(url(sb)));

    Map<String, Object> cluster = getJson(sa.port(), "/cluster.json");

    assertThat(instances(cluster))
        .extracting(i -> i.get("url"), i -> i.get("self"), i -> i.get("ok"), i -> i.get("error"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "http://127.0.0.1:" + sa.port() + "/", true, true, "null"),
            org.assertj.core.groups.Tuple.tuple(url(sb).toString(), false, true, "null"));
    Map<String, Object> payments = member(member(cluster, "metrics"), "payments");
    assertThat(payments)
        .containsEntry("successes", 1010.0)
        .containsEntry("failures", 1.0)
        .containsEntry("rejections", 1.0)
        .containsEntry("requests", 1012.0)
        .containsEntry("errors", 2.0)
        .containsEntry("errorPercentage", 100.0 * 2 / 1012)
        .containsEntry("latencyCount", 1011.0)
        .containsEntry("hosts", 2.0)
        .containsEntry("failuresByType", Map.of("java.io.IOException", 1.0));
    Map<String, Object> latency = member(payments, "latencyMillis");
    assertThat(latency.get("50")).isEqualTo(millis(union.getValueAtPercentile(50)));
    assertThat(latency.get("99")).isEqualTo(millis(union.getValueAtPercentile(99)));
    assertThat(latency.get("99.9")).isEqualTo(millis(union.getValueAtPercentile(99.9)));
    assertThat(latency.get("100")).isEqualTo(millis(union.getMaxValue()));
    assertThat(latency.get("0")).isEqualTo(millis(union.getMinValue()));
    assertThat(latency.get("99.5")).isEqualTo(millis(union.getValueAtPercentile(99.5)));
    // Averaging the instances' p99.5 (about 5 ms and 200 ms) would say about 100 ms; over every
    // call, the slowest 0.5% take 200 ms.
    assertThat((Double) latency.get("99.5")).isBetween(199.0, 201.0);
    assertThat((Double) latency.get("99")).isBetween(4.9, 5.1);
    assertThat(member(member(cluster, "metrics"), "orders"))
        .containsEntry("shortCircuits", 1.0)
        .containsEntry("hosts", 1.0);
  }

  @Test
  void aClusterOfOne_givesExactlyItsOwnMetricsJson() throws Exception {
    FakeTicker ticker = FakeTicker.create();
    MetricsRegistry board = registry(ticker);
    Metrics payments = board.metrics("payments");
    for (int i = 0; i < 300; i++) {
      call(payments, ticker, 10_000 + i * 7_919L);
    }
    payments.start().failure(new IllegalStateException());
    payments.start().timeout();
    payments.recordRejection();
    var inFlight = payments.start();
    var unused =
        payments.reportStatus(
            () ->
                MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofMillis(1234))
                    .withPool(new MetricsStatus.Pool(8, 4, 6, 2, 3, 99)));
    board.metrics("idle");
    MetricsServer server = start(MetricsServer.builder(board).cluster());

    Map<String, Object> own = getJson(server.port(), "/metrics.json");
    Map<String, Object> merged = member(getJson(server.port(), "/cluster.json"), "metrics");

    assertThat(merged.keySet()).containsExactlyElementsOf(own.keySet());
    for (String name : own.keySet()) {
      Map<String, Object> expected = member(own, name);
      Map<String, Object> actual = member(merged, name);
      assertThat(actual).containsAllEntriesOf(expected).containsEntry("hosts", 1.0);
    }
    assertThat(member(merged, "payments"))
        .containsEntry("circuits", Map.of("OPEN", 1.0))
        .containsEntry("inFlight", 1.0);
    assertThat(inFlight.success()).isZero();
    assertThat(member(merged, "idle")).containsEntry("circuits", Map.of());
  }

  @Test
  void withoutPeers_theClusterIsThisInstanceAlone() throws Exception {
    MetricsRegistry board = registry(FakeTicker.create());
    board.metrics("payments").recordRejection();
    MetricsServer server = start(MetricsServer.builder(board));

    Map<String, Object> cluster = getJson(server.port(), "/cluster.json");

    assertThat(instances(cluster)).hasSize(1);
    assertThat(instances(cluster).get(0)).containsEntry("self", true).containsEntry("ok", true);
    assertThat(member(member(cluster, "metrics"), "payments")).containsEntry("rejections", 1.0);
  }

  @Test
  void aPeerThatIsDown_isListedAsNotOk_andTheOthersAreStillServed() throws Exception {
    MetricsRegistry gone = registry(FakeTicker.create());
    MetricsServer closed = MetricsServer.builder(gone).start();
    URI down = url(closed);
    closed.close();
    MetricsRegistry board = registry(FakeTicker.create());
    board.metrics("payments").recordRejection();
    MetricsServer server = start(MetricsServer.builder(board).cluster(down));

    Map<String, Object> cluster = getJson(server.port(), "/cluster.json");

    assertThat(instances(cluster).get(1))
        .containsEntry("url", down.toString())
        .containsEntry("self", false)
        .containsEntry("ok", false)
        .containsEntry("error", "connection refused");
    assertThat(member(member(cluster, "metrics"), "payments"))
        .containsEntry("rejections", 1.0)
        .containsEntry("hosts", 1.0);
  }

  @Test
  void peersThatAnswer403OrGarbage_areListedWithWhatWentWrong() throws Exception {
    FakePeer forbidden = fakePeer(403, "Forbidden\n");
    FakePeer garbage = fakePeer(200, "{\"payments\": [1, 2");
    FakePeer older = fakePeer(200, "{\"payments\": {\"name\": \"payments\"}}");
    FakePeer failing = fakePeer(500, "Internal error\n");
    MetricsRegistry board = registry(FakeTicker.create());
    board.metrics("payments").recordRejection();
    MetricsServer server =
        start(
            MetricsServer.builder(board)
                .cluster(forbidden.url(), garbage.url(), older.url(), failing.url()));

    List<Map<String, Object>> listed = instances(getJson(server.port(), "/cluster.json"));

    assertThat(listed)
        .extracting(i -> i.get("ok"))
        .containsExactly(true, false, false, false, false);
    assertThat((String) listed.get(1).get("error"))
        .startsWith("HTTP 403: the peer does not allow the Host '127.0.0.1:")
        .endsWith("add '127.0.0.1' to its allowHosts");
    assertThat((String) listed.get(2).get("error"))
        .startsWith("bad answer: malformed JSON at position 18:");
    assertThat((String) listed.get(3).get("error"))
        .startsWith("bad answer: metric 'payments': time must be a whole number >= 0, was null");
    assertThat((String) listed.get(4).get("error")).startsWith("HTTP 500");
    assertThat(forbidden.hits.get()).isEqualTo(1);
    assertThat(forbidden.lastPath).isEqualTo("/metrics.json?histograms=true");
  }

  @Test
  void peersAreRead_atMostOncePerStreamInterval_howeverManyClientsAsk() throws Exception {
    FakePeer peer = fakePeer(200, "{}");
    FakeTicker serverTicker = FakeTicker.create();
    MetricsServer server =
        start(
            MetricsServer.builder(registry(FakeTicker.create()))
                .ticker(serverTicker)
                .streamInterval(Duration.ofSeconds(5))
                .cluster(List.of(peer.url())));

    for (int i = 0; i < 3; i++) {
      assertThat(send("GET", server.port(), "/cluster.json").status()).isEqualTo(200);
    }
    assertThat(peer.hits.get()).isEqualTo(1);
    serverTicker.advance(Duration.ofSeconds(5));
    assertThat(send("GET", server.port(), "/cluster.json").status()).isEqualTo(200);

    assertThat(peer.hits.get()).isEqualTo(2);
  }

  @Test
  void head_ofTheClusterReadsNoPeer_andTheNotFoundPageListsEveryPath() throws Exception {
    FakePeer peer = fakePeer(200, "{}");
    MetricsServer server =
        start(MetricsServer.builder(registry(FakeTicker.create())).cluster(peer.url()));

    Response head = send("HEAD", server.port(), "/cluster.json");
    Response missing = send("GET", server.port(), "/nope");

    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(peer.hits.get()).isZero();
    assertThat(missing.body())
        .isEqualTo(
            "Not found: the paths are /, /stream, /metrics, /metrics.json and /cluster.json\n");
  }

  @Test
  void circuitsAndStatuses_mergeToTheMostSevere_theNearestTrial_andThePoolsSummed()
      throws Exception {
    List<MetricsServer> peers = new ArrayList<>();
    MetricsStatus[] statuses = {
      MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofSeconds(2))
          .withPool(new MetricsStatus.Pool(10, 4, 6, 2, 1, 100)),
      MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null),
      MetricsStatus.pool(new MetricsStatus.Pool(5, 3, 3, 1, 0, 50)),
    };
    for (MetricsStatus status : statuses) {
      MetricsRegistry board = registry(FakeTicker.create());
      var unused = board.metrics("payments").reportStatus(() -> status);
      board.metrics("plain").recordRejection();
      peers.add(start(MetricsServer.builder(board)));
    }
    MetricsRegistry self = registry(FakeTicker.create());
    var unused =
        self.metrics("payments")
            .reportStatus(
                () -> MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofSeconds(9)));
    MetricsServer server =
        start(
            MetricsServer.builder(self)
                .cluster(peers.stream().map(MetricsServerClusterTest::url).toList()));

    Map<String, Object> metrics = member(getJson(server.port(), "/cluster.json"), "metrics");

    Map<String, Object> payments = member(metrics, "payments");
    assertThat(payments)
        .containsEntry("hosts", 4.0)
        .containsEntry("circuits", Map.of("OPEN", 2.0, "CLOSED", 1.0));
    assertThat(member(payments, "status"))
        .containsEntry("circuit", "OPEN")
        .containsEntry("nextTrialInMillis", 2000.0)
        .containsEntry(
            "pool",
            Map.of(
                "maxSize",
                15.0,
                "size",
                7.0,
                "largest",
                9.0,
                "active",
                3.0,
                "queued",
                1.0,
                "completed",
                150.0));
    assertThat(member(metrics, "plain"))
        .containsEntry("hosts", 3.0)
        .containsEntry("status", "null")
        .containsEntry("circuits", Map.of());
  }

  @Test
  void arms_mergeToTheFirstName_theRangeOfPercents_theSums_andTrippedWhenAnyIs() throws Exception {
    List<MetricsServer> peers = new ArrayList<>();
    MetricsStatus[] statuses = {
      MetricsStatus.arms(new MetricsStatus.Arms("new-panel", 20, 1234, 4910, false)),
      MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null)
          .withArms(new MetricsStatus.Arms("new-panel", 10, 6, 90, true)),
      MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null),
    };
    for (MetricsStatus status : statuses) {
      MetricsRegistry board = registry(FakeTicker.create());
      var unused = board.metrics("pages").reportStatus(() -> status);
      peers.add(start(MetricsServer.builder(board)));
    }
    MetricsRegistry self = registry(FakeTicker.create());
    self.metrics("pages").recordRejection();
    MetricsServer server =
        start(
            MetricsServer.builder(self)
                .cluster(peers.stream().map(MetricsServerClusterTest::url).toList()));

    Map<String, Object> pages =
        member(member(getJson(server.port(), "/cluster.json"), "metrics"), "pages");

    assertThat(pages).containsEntry("hosts", 4.0);
    assertThat(member(member(pages, "status"), "arms"))
        .containsEntry("name", "new-panel")
        .containsEntry("percent", 10.0)
        .containsEntry("percentMax", 20.0)
        .containsEntry("admitted", 1240.0)
        .containsEntry("refused", 5000.0)
        .containsEntry("tripped", true);
  }

  @Test
  void limitsAndThrottles_mergeToSums_aMixedAlgorithm_andTheRangeOfProbabilities()
      throws Exception {
    List<MetricsServer> peers = new ArrayList<>();
    MetricsStatus[] statuses = {
      MetricsStatus.limit(new MetricsStatus.Limit("search", "gradient2", 48, 37))
          .withThrottle(new MetricsStatus.Throttle("search", 0.12, 4000, 1200)),
      MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null)
          .withLimit(new MetricsStatus.Limit("search-b", "fixed", 10, 3))
          .withThrottle(new MetricsStatus.Throttle("search-b", 0.3, 1000, 100)),
      MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null),
    };
    for (MetricsStatus status : statuses) {
      MetricsRegistry board = registry(FakeTicker.create());
      var unused = board.metrics("search").reportStatus(() -> status);
      peers.add(start(MetricsServer.builder(board)));
    }
    MetricsRegistry self = registry(FakeTicker.create());
    var unused =
        self.metrics("search")
            .reportStatus(
                () -> MetricsStatus.limit(new MetricsStatus.Limit("search", "gradient2", 20, 25)));
    MetricsServer server =
        start(
            MetricsServer.builder(self)
                .cluster(peers.stream().map(MetricsServerClusterTest::url).toList()));

    Map<String, Object> search =
        member(member(getJson(server.port(), "/cluster.json"), "metrics"), "search");

    assertThat(search).containsEntry("hosts", 4.0);
    Map<String, Object> status = member(search, "status");
    assertThat(member(status, "limit"))
        .containsOnly(
            Map.entry("name", "search"),
            Map.entry("algorithm", "mixed"),
            Map.entry("limit", 78.0),
            Map.entry("inFlight", 65.0));
    assertThat(member(status, "throttle"))
        .containsOnly(
            Map.entry("name", "search"),
            Map.entry("probability", 0.3),
            Map.entry("probabilityMin", 0.12),
            Map.entry("requests", 5000.0),
            Map.entry("accepts", 1300.0));
    Map<String, Object> own =
        member(
            member(member(getJson(server.port(), "/metrics.json"), "search"), "status"), "limit");
    assertThat(own)
        .containsOnly(
            Map.entry("name", "search"),
            Map.entry("algorithm", "gradient2"),
            Map.entry("limit", 20.0),
            Map.entry("inFlight", 25.0));
    assertThat(member(member(getJson(server.port(), "/metrics.json"), "search"), "status"))
        .containsEntry("throttle", "null");
  }

  @Test
  void hedging_mergesToSums_theHighestMaxExtra_andTheRangeOfDelays() throws Exception {
    List<MetricsServer> peers = new ArrayList<>();
    MetricsStatus[] statuses = {
      MetricsStatus.hedging(new MetricsStatus.Hedging(Duration.ofNanos(12_300_000), 1, 41, 17)),
      MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null)
          .withHedging(new MetricsStatus.Hedging(Duration.ofMillis(30), 3, 9, 2)),
      MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null),
    };
    for (MetricsStatus status : statuses) {
      MetricsRegistry board = registry(FakeTicker.create());
      var unused = board.metrics("search").reportStatus(() -> status);
      peers.add(start(MetricsServer.builder(board)));
    }
    MetricsRegistry self = registry(FakeTicker.create());
    var unused =
        self.metrics("search")
            .reportStatus(
                () ->
                    MetricsStatus.hedging(
                        new MetricsStatus.Hedging(Duration.ofNanos(4_500_000), 2, 50, 1)));
    MetricsServer server =
        start(
            MetricsServer.builder(self)
                .cluster(peers.stream().map(MetricsServerClusterTest::url).toList()));

    Map<String, Object> search =
        member(member(getJson(server.port(), "/cluster.json"), "metrics"), "search");

    assertThat(search).containsEntry("hosts", 4.0);
    assertThat(member(member(search, "status"), "hedging"))
        .containsOnly(
            Map.entry("delayMs", 30.0),
            Map.entry("delayMinMs", 4.5),
            Map.entry("maxExtra", 3.0),
            Map.entry("sent", 100.0),
            Map.entry("won", 20.0));
    Map<String, Object> own =
        member(
            member(member(getJson(server.port(), "/metrics.json"), "search"), "status"), "hedging");
    assertThat(own)
        .containsOnly(
            Map.entry("delayMs", 4.5),
            Map.entry("maxExtra", 2.0),
            Map.entry("sent", 50.0),
            Map.entry("won", 1.0));
  }

  @Test
  void aForcedOpenCircuit_outranksAnOpenOne() throws Exception {
    MetricsRegistry peer = registry(FakeTicker.create());
    var unused =
        peer.metrics("payments")
            .reportStatus(() -> MetricsStatus.circuit(MetricsStatus.Circuit.FORCED_OPEN, null));
    MetricsServer peerServer = start(MetricsServer.builder(peer));
    MetricsRegistry self = registry(FakeTicker.create());
    var unusedToo =
        self.metrics("payments")
            .reportStatus(() -> MetricsStatus.circuit(MetricsStatus.Circuit.HALF_OPEN, null));
    MetricsServer server = start(MetricsServer.builder(self).cluster(url(peerServer)));

    Map<String, Object> payments =
        member(member(getJson(server.port(), "/cluster.json"), "metrics"), "payments");

    assertThat(member(payments, "status"))
        .containsEntry("circuit", "FORCED_OPEN")
        .containsEntry("nextTrialInMillis", "null");
    assertThat(payments).containsEntry("circuits", Map.of("FORCED_OPEN", 1.0, "HALF_OPEN", 1.0));
  }

  @Test
  void histogramsTrue_carriesEachLatencyWindow_decodableByHdrHistogram() throws Exception {
    FakeTicker ticker = FakeTicker.create();
    MetricsRegistry board = registry(ticker);
    for (int i = 0; i < 50; i++) {
      call(board.metrics("payments"), ticker, 3_000_000 + i * 1_001L);
    }
    board.metrics("idle");
    MetricsServer server = start(MetricsServer.builder(board));

    Map<String, Object> with = getJson(server.port(), "/metrics.json?histograms=true");
    Map<String, Object> without = getJson(server.port(), "/metrics.json");

    Histogram payments = decode(member(with, "payments").get("latencyHistogram"));
    assertThat(payments.getTotalCount()).isEqualTo(50);
    assertThat(payments.getNumberOfSignificantValueDigits()).isEqualTo(3);
    assertThat(millis(payments.getValueAtPercentile(90)))
        .isEqualTo(member(member(with, "payments"), "latencyMillis").get("90"));
    assertThat(decode(member(with, "idle").get("latencyHistogram")).getTotalCount()).isZero();
    assertThat(member(without, "payments")).doesNotContainKey("latencyHistogram");
    Map<String, Object> stripped = new java.util.LinkedHashMap<>(member(with, "payments"));
    stripped.remove("latencyHistogram");
    assertThat(stripped).isEqualTo(member(without, "payments"));
  }

  @Test
  void peersThatAreNotHttpUrls_areRefusedNamingTheirPlace() {
    MetricsServer.Builder b = MetricsServer.builder(MetricsRegistry.create());

    assertThatThrownBy(() -> b.cluster(URI.create("http://a:1/"), URI.create("ftp://x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("peers[1] must be an http or https URL, was 'ftp://x'");
    assertThatThrownBy(() -> b.cluster(URI.create("/relative")))
        .hasMessage("peers[0] must be an http or https URL, was '/relative'");
    assertThatThrownBy(() -> b.cluster(URI.create("mailto:ops@example.com")))
        .hasMessage("peers[0] must be an http or https URL, was 'mailto:ops@example.com'");
    assertThatThrownBy(() -> b.cluster(URI.create("http://a:1/?x=1")))
        .hasMessage("peers[0] must be a base URL without query or fragment, was 'http://a:1/?x=1'");
    assertThatThrownBy(() -> b.cluster(URI.create("http://a:1/"), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("peers[1] must not be null");
    assertThatThrownBy(() -> b.cluster((List<URI>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("peers must not be null");
    assertThatThrownBy(() -> b.cluster(URI.create("http:metrics.internal")))
        .hasMessage("peers[0] must be an http or https URL, was 'http:metrics.internal'");
    assertThatThrownBy(() -> b.cluster(URI.create("http:///metrics")))
        .hasMessage("peers[0] must be an http or https URL, was 'http:///metrics'");
    assertThatThrownBy(() -> b.cluster(URI.create("http://a:1/#top")))
        .hasMessage("peers[0] must be a base URL without query or fragment, was 'http://a:1/#top'");
    assertThat(b.cluster(URI.create("HTTPS://metrics.internal:7979"))).isSameAs(b);
  }

  @Test
  void aPeerHasTheStreamIntervalToAnswer_atLeastASecond_andAtMostTen() {
    assertThat(MetricsServer.clusterTimeout(Duration.ofMillis(1))).isEqualTo(Duration.ofSeconds(1));
    assertThat(MetricsServer.clusterTimeout(Duration.ofMillis(999)))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(MetricsServer.clusterTimeout(Duration.ofMillis(1001)))
        .isEqualTo(Duration.ofMillis(1001));
    assertThat(MetricsServer.clusterTimeout(Duration.ofSeconds(10)))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(MetricsServer.clusterTimeout(Duration.ofMillis(10_001)))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(MetricsServer.clusterTimeout(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void histograms_areAddedOnlyWhenTheQueryHasHistogramsTrue() throws Exception {
    MetricsRegistry board = registry(FakeTicker.create());
    board.metrics("payments").recordRejection();
    MetricsServer server = start(MetricsServer.builder(board));

    for (String query :
        List.of("?histograms=true", "?a=1&histograms=true&b=2", "?x&histograms=true")) {
      assertThat(member(getJson(server.port(), "/metrics.json" + query), "payments"))
          .as(query)
          .containsKey("latencyHistogram");
    }
    for (String query :
        List.of("", "?histograms=false", "?histograms=truest", "?a=1&b=2", "?xhistograms=true")) {
      assertThat(member(getJson(server.port(), "/metrics.json" + query), "payments"))
          .as(query)
          .doesNotContainKey("latencyHistogram");
    }
  }

  @Test
  void aMetricWhoseReadingFails_isListedAsBrokenWithHistograms_andLoggedOncePerSpell()
      throws Exception {
    java.util.concurrent.atomic.AtomicBoolean broken =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    MetricsRegistry board =
        MetricsRegistry.create(
            name ->
                name.equals("flaky")
                    ? Metrics.builder(name).clock(CallbackClock.breaking(broken::get)).build()
                    : Metrics.of(name));
    board.metrics("flaky");
    board.metrics("good").recordRejection();
    MetricsServer server = start(MetricsServer.builder(board).cluster());
    String path = "/metrics.json?histograms=true";

    String firstSpell =
        StandardError.during(
            () -> {
              assertThat(member(getJson(server.port(), path), "flaky"))
                  .isEqualTo(Map.of("name", "flaky", "error", "snapshot failed"));
              getJson(server.port(), path);
              broken.set(false);
              assertThat(member(getJson(server.port(), path), "flaky"))
                  .containsKey("latencyHistogram");
            });
    broken.set(true);
    String secondSpell = StandardError.during(() -> getJson(server.port(), path));

    String warning = "MetricsServer: reading Metrics[name=flaky,";
    assertThat(firstSpell.split(java.util.regex.Pattern.quote(warning), -1)).hasSize(2);
    assertThat(firstSpell).contains("WARN", "clock broke");
    assertThat(secondSpell.split(java.util.regex.Pattern.quote(warning), -1)).hasSize(2);
    assertThat(member(getJson(server.port(), path), "good")).containsEntry("rejections", 1.0);
  }

  @Test
  void closingAClusterServer_onAnInterruptedThread_keepsTheInterrupt() throws Exception {
    FakePeer peer = fakePeer(200, "{}");
    MetricsServer server =
        MetricsServer.builder(registry(FakeTicker.create())).cluster(peer.url()).start();
    assertThat(send("GET", server.port(), "/cluster.json").status()).isEqualTo(200);

    Thread.currentThread().interrupt();
    boolean interrupted;
    try {
      server.close();
    } finally {
      interrupted = Thread.interrupted();
    }

    assertThat(interrupted).isTrue();
    assertThatThrownBy(() -> send("GET", server.port(), "/cluster.json"))
        .isInstanceOf(IOException.class);
  }

  private static Histogram decode(Object base64) throws Exception {
    byte[] bytes = Base64.getDecoder().decode((String) base64);
    return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
  }

  /** An HTTP server that answers every request with one status and body, counting them. */
  private static final class FakePeer implements AutoCloseable {
    final HttpServer http;
    final AtomicInteger hits = new AtomicInteger();
    volatile String lastPath;

    FakePeer(int status, String body) throws IOException {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.createContext(
          "/",
          exchange -> {
            hits.incrementAndGet();
            lastPath = exchange.getRequestURI().toString();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          });
      http.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }

  private FakePeer fakePeer(int status, String body) throws IOException {
    FakePeer peer = new FakePeer(status, body);
    closing.add(peer);
    return peer;
  }
}
