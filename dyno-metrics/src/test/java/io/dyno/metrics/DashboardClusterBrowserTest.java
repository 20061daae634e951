package io.dyno.metrics;

import static io.dyno.metrics.DashboardBrowserTest.ABSENT;
import static io.dyno.metrics.DashboardBrowserTest.card;
import static io.dyno.metrics.DashboardBrowserTest.pageFields;
import static io.dyno.metrics.DashboardBrowserTest.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard page in a real headless Chromium, served under a path prefix by a stand-in server
 * whose {@code metrics.json} and {@code cluster.json} answer what each test sets: the page finds a
 * cluster and opens on it, switches between the cluster and this instance, says when polls fail,
 * and shows a metric whose snapshot failed.
 */
class DashboardClusterBrowserTest {

  /** Where the stand-in serves the page, as a proxy might: the page must use relative URLs. */
  private static final String PREFIX = "/ops/metrics/";

  private static final String SELECT_VIEW =
      """
      var select = document.getElementById("view"), done = arguments[arguments.length - 1];
      select.value = arguments[0];
      select.dispatchEvent(new Event("change"));
      done(select.value);
      """;

  private static final String THREE_INSTANCES =
      """
      [{"url":"http://10.0.0.1:8081/","self":true,"ok":true,"error":null},
       {"url":"http://10.0.0.2:8081/","self":false,"ok":true,"error":null},
       {"url":"http://10.0.0.3:8081/","self":false,"ok":false,"error":"connect timed out"}]""";

  private static @Nullable WebDriverClient browser;

  /** The body of {@code metrics.json}; null answers 500. */
  private final AtomicReference<@Nullable String> metricsJson = new AtomicReference<>();

  /** The body of {@code cluster.json}; null answers 404, as a server without a cluster does. */
  private final AtomicReference<@Nullable String> clusterJson = new AtomicReference<>();

  private @Nullable HttpServer server;

  @BeforeAll
  static void startBrowser() throws Exception {
    browser = DashboardBrowserTest.startChromium();
  }

  @AfterAll
  static void stopBrowser() throws Exception {
    if (browser != null) {
      browser.close();
      browser = null;
    }
  }

  @BeforeEach
  void startServer() throws IOException {
    byte[] page;
    try (InputStream in = MetricsServer.class.getResourceAsStream("dashboard.html")) {
      page = Objects.requireNonNull(in, "dashboard.html must be on the class path").readAllBytes();
    }
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.createContext(
        PREFIX,
        exchange -> {
          String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
          switch (path) {
            case "" -> send(exchange, 200, "text/html; charset=utf-8", page);
            case "metrics.json" -> answer(exchange, metricsJson.get(), 500);
            case "cluster.json" -> answer(exchange, clusterJson.get(), 404);
            default -> send(exchange, 404, "text/plain", new byte[0]);
          }
        });
    s.start();
    server = s;
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void withoutACluster_theInstanceIsShownWithoutSelector_failedPollsAndBrokenMetricsSaySo()
      throws Exception {
    WebDriverClient web = browser();
    metricsJson.set(
        "{\"payments\":"
            + metric("payments", 12, 3, "null", "")
            + ",\"ledger\":{\"name\":\"ledger\",\"error\":\"snapshot failed\"}}");
    web.navigate(url());

    Map<String, Object> first =
        read(
            web,
            Map.of("status", "live", "view", ABSENT, "instances", ABSENT),
            Map.of(
                "payments",
                Map.of(
                    "count-success", "12",
                    "count-failure", "3",
                    "error-percentage", "20",
                    "latency-p99", "7.25",
                    "rate", "1.5",
                    "error", ABSENT,
                    "hosts", ABSENT),
                "ledger",
                Map.of("error", "snapshot failed", "badge", ABSENT, "p99-points", "0")));
    assertThat(first).containsEntry("matched", true);

    metricsJson.set(null);
    Map<String, Object> down =
        read(
            web,
            Map.of("status", "disconnected", "status-text", "disconnected, retrying"),
            Map.of());
    assertThat(down).containsEntry("matched", true);
    assertThat(card(down, "payments"))
        .as("the last figures stay")
        .containsEntry("count-success", "12");

    metricsJson.set(
        "{\"payments\":"
            + metric("payments", 13, 3, "null", "")
            + ",\"ledger\":"
            + metric("ledger", 4, 0, "null", "")
            + "}");
    Map<String, Object> back =
        read(
            web,
            Map.of("status", "live", "status-text", "live"),
            Map.of(
                "payments",
                Map.of("count-success", "13"),
                "ledger",
                Map.of("error", ABSENT, "count-success", "4", "p99-points", "1")));
    assertThat(back).containsEntry("matched", true);
    assertThat(pageFields(back)).containsEntry("errors", "");
  }

  @Test
  void aClusterOfOne_isNoCluster_theInstanceIsShownWithoutSelector() throws Exception {
    WebDriverClient web = browser();
    metricsJson.set("{\"payments\":" + metric("payments", 12, 3, "null", "") + "}");
    clusterJson.set(
        "{\"instances\":[{\"url\":\"http://10.0.0.1:8081/\",\"self\":true,\"ok\":true,"
            + "\"error\":null}],\"metrics\":{\"payments\":"
            + metric("payments", 99, 0, "null", ",\"hosts\":1,\"circuits\":{}")
            + "}}");
    web.navigate(url());

    Map<String, Object> page =
        read(
            web,
            Map.of("status", "live", "view", ABSENT, "instances", ABSENT),
            Map.of("payments", Map.of("count-success", "12", "hosts", ABSENT)));
    assertThat(page).containsEntry("matched", true);
    assertThat(pageFields(page)).containsEntry("errors", "");
  }

  @Test
  void withACluster_thePageOpensOnIt_switchesToThisInstanceAndBack_andLeavesItWhenItGoes()
      throws Exception {
    WebDriverClient web = browser();
    metricsJson.set(
        "{\"payments\":"
            + metric(
                "payments",
                12,
                3,
                "{\"circuit\":\"OPEN\",\"nextTrialInMillis\":2500,\"pool\":null}",
                "")
            + "}");
    clusterJson.set(
        "{\"instances\":"
            + THREE_INSTANCES
            + ",\"metrics\":{\"payments\":"
            + metric(
                "payments", 30, 6, "null", ",\"hosts\":2,\"circuits\":{\"OPEN\":1,\"CLOSED\":1}")
            + "}}");
    web.navigate(url());

    Map<String, String> clusterPage =
        Map.of(
            "status", "live",
            "view", "cluster",
            "view-options", "this instance|cluster of 3",
            "instances",
                "http://10.0.0.1:8081/ (this)=true,http://10.0.0.2:8081/=true,"
                    + "http://10.0.0.3:8081/=false");
    Map<String, Map<String, String>> clusterCards =
        Map.of(
            "payments",
            Map.of(
                "count-success", "30",
                "count-failure", "6",
                "hosts", "2",
                "hosts-text", "2 hosts",
                "circuits", "CLOSED=1,OPEN=1"));
    assertThat(read(web, clusterPage, clusterCards))
        .as("the cluster view, chosen by default")
        .containsEntry("matched", true);

    assertThat(web.executeAsync(SELECT_VIEW, "[\"instance\"]")).isEqualTo("instance");
    Map<String, Object> instance =
        read(
            web,
            Map.of("status", "live", "view", "instance", "instances", ABSENT),
            Map.of(
                "payments",
                Map.of(
                    "count-success", "12",
                    "hosts", ABSENT,
                    "circuits", ABSENT,
                    "badge", "OPEN",
                    "next-trial", "~^next trial in \\d\\.\\d s$")));
    assertThat(instance).as("this instance's view").containsEntry("matched", true);

    assertThat(web.executeAsync(SELECT_VIEW, "[\"cluster\"]")).isEqualTo("cluster");
    assertThat(read(web, clusterPage, clusterCards))
        .as("the cluster view again")
        .containsEntry("matched", true);

    clusterJson.set(null);
    Map<String, Object> gone =
        read(
            web,
            Map.of("status", "live", "view", ABSENT, "instances", ABSENT),
            Map.of("payments", Map.of("count-success", "12", "hosts", ABSENT)));
    assertThat(gone)
        .as("back to this instance once cluster.json is gone")
        .containsEntry("matched", true);
    assertThat(pageFields(gone)).containsEntry("errors", "");
  }

  @Test
  void aClusterMidChange_showsTheRangeOfTheHostsPercents() throws Exception {
    WebDriverClient web = browser();
    String arms =
        "{\"circuit\":null,\"nextTrialInMillis\":null,\"pool\":null,\"arms\":{\"name\":"
            + "\"new-panel\",\"percent\":%s,%s\"admitted\":%d,\"refused\":%d,\"tripped\":%s}}";
    metricsJson.set(
        "{\"pages\":" + metric("pages", 12, 0, arms.formatted("20", "", 1, 4, "false"), "") + "}");
    clusterJson.set(
        "{\"instances\":"
            + THREE_INSTANCES
            + ",\"metrics\":{\"pages\":"
            + metric(
                "pages",
                30,
                0,
                arms.formatted("10", "\"percentMax\":20,", 1234, 4910, "false"),
                ",\"hosts\":2,\"circuits\":{}")
            + "}}");
    web.navigate(url());

    Map<String, Object> cluster =
        read(
            web,
            Map.of("status", "live", "view", "cluster"),
            Map.of(
                "pages",
                Map.of(
                    "arms",
                    "rollout new-panel 10\u201320 % \u00b7 in 1,234 (20.1 %) \u00b7 out 4,910",
                    "arms-percent",
                    "10",
                    "arms-percent-max",
                    "20")));
    assertThat(cluster).containsEntry("matched", true);

    assertThat(web.executeAsync(SELECT_VIEW, "[\"instance\"]")).isEqualTo("instance");
    Map<String, Object> instance =
        read(
            web,
            Map.of("status", "live", "view", "instance"),
            Map.of(
                "pages",
                Map.of(
                    "arms",
                    "rollout new-panel 20 % \u00b7 in 1 (20.0 %) \u00b7 out 4",
                    "arms-percent-max",
                    ABSENT)));
    assertThat(instance).containsEntry("matched", true);

    clusterJson.set(
        "{\"instances\":"
            + THREE_INSTANCES
            + ",\"metrics\":{\"pages\":"
            + metric(
                "pages",
                30,
                0,
                arms.formatted("20", "\"percentMax\":20,", 0, 4910, "true"),
                ",\"hosts\":2,\"circuits\":{}")
            + "}}");
    assertThat(web.executeAsync(SELECT_VIEW, "[\"cluster\"]")).isEqualTo("cluster");
    Map<String, Object> tripped =
        read(
            web,
            Map.of("status", "live", "view", "cluster"),
            Map.of(
                "pages",
                Map.of(
                    "arms", "rollout new-panel tripped \u00b7 in 0 \u00b7 out 4,910",
                    "arms-percent-max", ABSENT,
                    "arms-tripped", "true")));
    assertThat(tripped).containsEntry("matched", true);
    assertThat(pageFields(tripped)).containsEntry("errors", "");
  }

  @Test
  void aClusterView_showsTheSummedLimit_aMixedAlgorithm_andTheRangeOfRejection() throws Exception {
    WebDriverClient web = browser();
    String guards =
        "{\"circuit\":null,\"nextTrialInMillis\":null,\"pool\":null,\"arms\":null,"
            + "\"limit\":{\"name\":\"search\",\"algorithm\":\"%s\",\"limit\":%d,"
            + "\"inFlight\":%d},\"throttle\":{\"name\":\"search\",\"probability\":%s,%s"
            + "\"requests\":%d,\"accepts\":%d}}";
    metricsJson.set(
        "{\"search\":"
            + metric(
                "search", 12, 0, guards.formatted("gradient2", 48, 37, "0.12", "", 4000, 1200), "")
            + "}");
    clusterJson.set(
        "{\"instances\":"
            + THREE_INSTANCES
            + ",\"metrics\":{\"search\":"
            + metric(
                "search",
                30,
                0,
                guards.formatted("mixed", 58, 40, "0.3", "\"probabilityMin\":0.12,", 5000, 1300),
                ",\"hosts\":2,\"circuits\":{}")
            + "}}");
    web.navigate(url());

    Map<String, Object> cluster =
        read(
            web,
            Map.of("status", "live", "view", "cluster"),
            Map.of(
                "search",
                Map.of(
                    "limit",
                    "limit search \u00b7 mixed \u00b7 40 in flight of 58",
                    "throttle",
                    "throttle search \u00b7 rejecting 12.0\u201330.0 % \u00b7 5,000 requests,"
                        + " 1,300 accepts",
                    "throttle-probability-min",
                    "0.12")));
    assertThat(cluster).containsEntry("matched", true);

    assertThat(web.executeAsync(SELECT_VIEW, "[\"instance\"]")).isEqualTo("instance");
    Map<String, Object> instance =
        read(
            web,
            Map.of("status", "live", "view", "instance"),
            Map.of(
                "search",
                Map.of(
                    "limit",
                    "limit search \u00b7 gradient2 \u00b7 37 in flight of 48",
                    "throttle",
                    "throttle search \u00b7 rejecting 12.0 % \u00b7 4,000 requests, 1,200 accepts",
                    "throttle-probability-min",
                    ABSENT)));
    assertThat(instance).containsEntry("matched", true);
    assertThat(pageFields(instance)).containsEntry("errors", "");
  }

  @Test
  void aClusterView_showsTheSummedHedges_andTheRangeOfTheHostsDelays() throws Exception {
    WebDriverClient web = browser();
    String hedged =
        "{\"circuit\":null,\"nextTrialInMillis\":null,\"pool\":null,\"arms\":null,"
            + "\"limit\":null,\"throttle\":null,\"hedging\":{\"delayMs\":%s,%s"
            + "\"maxExtra\":%d,\"sent\":%d,\"won\":%d}}";
    metricsJson.set(
        "{\"search\":"
            + metric("search", 12, 0, hedged.formatted("12.3", "", 1, 41, 17), "")
            + "}");
    clusterJson.set(
        "{\"instances\":"
            + THREE_INSTANCES
            + ",\"metrics\":{\"search\":"
            + metric(
                "search",
                30,
                0,
                hedged.formatted("30", "\"delayMinMs\":12.3,", 2, 50, 19),
                ",\"hosts\":2,\"circuits\":{}")
            + "}}");
    web.navigate(url());

    Map<String, Object> cluster =
        read(
            web,
            Map.of("status", "live", "view", "cluster"),
            Map.of(
                "search",
                Map.of(
                    "hedging",
                    "hedge after 12.3\u201330.0 ms \u00b7 50 sent \u00b7 19 won",
                    "hedging-delay-min-ms",
                    "12.3",
                    "hedging-max-extra",
                    "2")));
    assertThat(cluster).containsEntry("matched", true);

    assertThat(web.executeAsync(SELECT_VIEW, "[\"instance\"]")).isEqualTo("instance");
    Map<String, Object> instance =
        read(
            web,
            Map.of("status", "live", "view", "instance"),
            Map.of(
                "search",
                Map.of(
                    "hedging",
                    "hedge after 12.3 ms \u00b7 41 sent \u00b7 17 won",
                    "hedging-delay-min-ms",
                    ABSENT)));
    assertThat(instance).containsEntry("matched", true);
    assertThat(pageFields(instance)).containsEntry("errors", "");
  }

  private String url() {
    HttpServer s = Objects.requireNonNull(server, "server must be started");
    return "http://127.0.0.1:" + s.getAddress().getPort() + PREFIX;
  }

  /**
   * One metric as {@code metrics.json} writes it: successes and failures over a 10 s window, fixed
   * latencies, the status JSON as given and any further members.
   */
  private static String metric(
      String name, long successes, long failures, String status, String more) {
    long requests = successes + failures;
    return ("{\"name\":\"%s\",\"time\":1700000000000,\"windowMillis\":10000,"
            + "\"latencyWindowMillis\":60000,\"requests\":%d,\"successes\":%d,\"failures\":%d,"
            + "\"timeouts\":0,\"shortCircuits\":0,\"rejections\":0,\"errors\":%d,"
            + "\"errorPercentage\":%s,\"ratePerSecond\":%s,\"inFlight\":0,\"maxInFlight\":1,"
            + "\"failuresByType\":{},\"latencyCount\":%d,\"latencyMeanMillis\":2.5,"
            + "\"latencyMillis\":{\"0\":1.0,\"25\":2.0,\"50\":2.5,\"75\":3.0,\"90\":4.0,"
            + "\"95\":5.0,\"99\":7.25,\"99.5\":8.0,\"99.9\":9.0,\"100\":10.0},"
            + "\"status\":%s%s}")
        .formatted(
            name,
            requests,
            successes,
            failures,
            failures,
            requests == 0 ? 0.0 : failures * 100.0 / requests,
            requests / 10.0,
            requests,
            status,
            more);
  }

  private static void answer(HttpExchange exchange, @Nullable String body, int otherwise)
      throws IOException {
    if (body == null) {
      send(exchange, otherwise, "text/plain", new byte[0]);
    } else {
      send(exchange, 200, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static WebDriverClient browser() {
    if (browser == null) {
      throw new IllegalStateException("the browser did not start");
    }
    return browser;
  }
}
