package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard page in a real headless Chromium: the cards show what was recorded, and follow the
 * stream as more calls come in.
 */
class DashboardBrowserTest {

  /**
   * Waits in the page until every expected card shows the expected texts and the status is live, or
   * 15 s have passed, then hands back what the page shows. The driver's own script timeout (20 s)
   * is longer, so a mismatch comes back as data for the assertions to describe.
   */
  private static final String READ_CARDS =
      """
      var expected = arguments[0], done = arguments[arguments.length - 1];
      var FIELDS = ["count-success", "count-failure", "count-timeout", "count-short-circuited",
        "count-rejected", "error-percentage", "latency-p50", "latency-p99", "rate"];
      var deadline = Date.now() + 15000;
      function read() {
        var out = {status: document.getElementById("status").getAttribute("data-state"), cards: {}};
        var sections = document.querySelectorAll("section.metric");
        for (var i = 0; i < sections.length; i++) {
          var s = sections[i], c = {};
          FIELDS.forEach(function (f) {
            var e = s.querySelector("td." + f);
            c[f] = e ? e.textContent : null;
          });
          var circle = s.querySelector(".circle");
          c["colour"] = circle.getAttribute("data-colour");
          c["size"] = circle.getAttribute("data-size");
          out.cards[s.getAttribute("data-metric")] = c;
        }
        return out;
      }
      function matches(out) {
        if (out.status !== "live") { return false; }
        for (var name in expected) {
          var c = out.cards[name];
          if (!c) { return false; }
          for (var f in expected[name]) {
            if (c[f] !== expected[name][f]) { return false; }
          }
        }
        return true;
      }
      function poll() {
        var out = read();
        out.matched = matches(out);
        if (out.matched || Date.now() > deadline) {
          done(out);
        } else {
          setTimeout(poll, 50);
        }
      }
      poll();
      """;

  private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

  private static @Nullable WebDriverClient browser;

  private final FakeTicker now = FakeTicker.create();
  private final MetricsRegistry board =
      MetricsRegistry.create(name -> Metrics.builder(name).ticker(now).build());
  private @Nullable MetricsServer server;

  @BeforeAll
  static void startBrowser() throws Exception {
    assumeTrue(
        Files.exists(WebDriverClient.CHROMIUM) && Files.exists(WebDriverClient.CHROMEDRIVER),
        "needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's chromium and"
            + " chromium-driver), which .ci/run installs");
    browser = WebDriverClient.start();
    browser.scriptTimeout(Duration.ofSeconds(20));
  }

  @AfterAll
  static void stopBrowser() throws Exception {
    if (browser != null) {
      browser.close();
      browser = null;
    }
  }

  @AfterEach
  void closeServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void dashboard_showsTheRecordedCountsPercentilesAndCircles_andFollowsNewCalls() throws Exception {
    WebDriverClient web = browser();
    Metrics payments = board.metrics("payments");
    Metrics inventory = board.metrics("inventory");
    Metrics search = board.metrics("search");
    succeed(payments, 90, Duration.ofMillis(2));
    fail(payments, 10, Duration.ofMillis(50));
    succeed(inventory, 40, Duration.ofMillis(5));
    timeOut(inventory, 2, Duration.ofSeconds(1));
    for (int i = 0; i < 3; i++) {
      inventory.recordShortCircuit();
    }
    inventory.recordRejection();
    succeed(search, 200, Duration.ofMillis(1));
    server = MetricsServer.builder(board).streamInterval(Duration.ofMillis(100)).start();

    web.navigate("http://127.0.0.1:" + server.port() + "/");
    Map<String, Object> page =
        read(
            web,
            Map.of(
                "payments", counts(payments.snapshot()),
                "inventory", counts(inventory.snapshot()),
                "search", counts(search.snapshot())));

    assertThat(page).containsEntry("status", "live").containsEntry("matched", true);
    Map<String, Object> p = card(page, "payments");
    Map<String, Object> inv = card(page, "inventory");
    Map<String, Object> s = card(page, "search");
    assertThat(p)
        .containsEntry("count-success", "90")
        .containsEntry("count-failure", "10")
        .containsEntry("count-timeout", "0")
        .containsEntry("count-short-circuited", "0")
        .containsEntry("count-rejected", "0");
    assertThat(inv)
        .containsEntry("count-success", "40")
        .containsEntry("count-failure", "0")
        .containsEntry("count-timeout", "2")
        .containsEntry("count-short-circuited", "3")
        .containsEntry("count-rejected", "1");
    assertThat(s).containsEntry("count-success", "200").containsEntry("count-failure", "0");
    assertShowsSnapshot(p, payments.snapshot());
    assertShowsSnapshot(inv, inventory.snapshot());
    assertShowsSnapshot(s, search.snapshot());
    // The recorded latencies themselves, within HdrHistogram's precision.
    assertThat(number(p, "latency-p50")).isCloseTo(2.0, within(0.01));
    assertThat(number(p, "latency-p99")).isCloseTo(50.0, within(0.05));
    assertThat(number(inv, "latency-p50")).isCloseTo(5.0, within(0.01));
    assertThat(number(inv, "error-percentage")).isEqualTo(13.0); // 6 of 46, as the stream rounds
    // Healthy and failing metrics are shaded apart; the circle grows with the rate.
    assertThat(s.get("colour")).isEqualTo("hsl(120, 70%, 45%)");
    assertThat(p.get("colour")).isNotEqualTo(s.get("colour"));
    assertThat(inv.get("colour")).isNotEqualTo(s.get("colour")).isNotEqualTo(p.get("colour"));
    assertThat(number(s, "size")).isGreaterThan(number(p, "size"));
    assertThat(number(p, "size")).isGreaterThan(number(inv, "size"));

    succeed(payments, 30, Duration.ofMillis(2));
    fail(payments, 5, Duration.ofMillis(50));
    inventory.recordRejection();
    Map<String, Object> later =
        read(
            web,
            Map.of(
                "payments", counts(payments.snapshot()),
                "inventory", counts(inventory.snapshot())));

    assertThat(later).containsEntry("matched", true);
    Map<String, Object> p2 = card(later, "payments");
    assertThat(p2).containsEntry("count-success", "120").containsEntry("count-failure", "15");
    assertThat(card(later, "inventory")).containsEntry("count-rejected", "2");
    assertShowsSnapshot(p2, payments.snapshot());
    assertThat(number(p2, "size")).isGreaterThan(number(p, "size"));
    Files.createDirectories(SCREENSHOT.getParent());
    Files.write(SCREENSHOT, web.screenshot());
  }

  private static WebDriverClient browser() {
    if (browser == null) {
      throw new IllegalStateException("the browser did not start");
    }
    return browser;
  }

  private void succeed(Metrics m, int calls, Duration latency) {
    for (int i = 0; i < calls; i++) {
      Metrics.Sample sample = m.start();
      now.advance(latency.toNanos());
      sample.success();
    }
  }

  private void fail(Metrics m, int calls, Duration latency) {
    for (int i = 0; i < calls; i++) {
      Metrics.Sample sample = m.start();
      now.advance(latency.toNanos());
      sample.failure(new IOException("down"));
    }
  }

  private void timeOut(Metrics m, int calls, Duration latency) {
    for (int i = 0; i < calls; i++) {
      Metrics.Sample sample = m.start();
      now.advance(latency.toNanos());
      sample.timeout();
    }
  }

  /** The counter texts a card must show for {@code s}, keyed by their cells' classes. */
  private static Map<String, String> counts(MetricsSnapshot s) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("count-success", String.valueOf(s.successes()));
    m.put("count-failure", String.valueOf(s.failures()));
    m.put("count-timeout", String.valueOf(s.timeouts()));
    m.put("count-short-circuited", String.valueOf(s.shortCircuits()));
    m.put("count-rejected", String.valueOf(s.rejections()));
    return m;
  }

  /** The error percentage, rate and percentiles as the page formats them, read back as numbers. */
  private static void assertShowsSnapshot(Map<String, Object> card, MetricsSnapshot s) {
    // The stream sends a whole error percentage; the page shows other numbers to 2 decimals.
    assertThat(number(card, "error-percentage")).isEqualTo((double) (long) s.errorPercentage());
    assertThat(number(card, "rate")).isCloseTo(s.ratePerSecond(), within(0.006));
    assertThat(number(card, "latency-p50")).isCloseTo(millis(s.latencyP50()), within(0.006));
    assertThat(number(card, "latency-p99")).isCloseTo(millis(s.latencyP99()), within(0.006));
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1e6;
  }

  private static double number(Map<String, Object> card, String field) {
    Object v = card.get(field);
    assertThat(v).as("%s in %s", field, card).isInstanceOf(String.class);
    return Double.parseDouble((String) v);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> card(Map<String, Object> page, String name) {
    Map<String, Object> cards = (Map<String, Object>) page.get("cards");
    assertThat(cards).as("cards on the page: %s", page).containsKey(name);
    return (Map<String, Object>) cards.get(name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(
      WebDriverClient web, Map<String, Map<String, String>> expected) throws IOException {
    StringBuilder json = new StringBuilder("[{");
    String sep = "";
    for (Map.Entry<String, Map<String, String>> card : expected.entrySet()) {
      json.append(sep).append(WebDriverClient.quote(card.getKey())).append(":{");
      String inner = "";
      for (Map.Entry<String, String> f : card.getValue().entrySet()) {
        json.append(inner)
            .append(WebDriverClient.quote(f.getKey()))
            .append(':')
            .append(WebDriverClient.quote(f.getValue()));
        inner = ",";
      }
      json.append('}');
      sep = ",";
    }
    json.append("}]");
    Object out = web.executeAsync(READ_CARDS, json.toString());
    assertThat(out).isInstanceOf(Map.class);
    return (Map<String, Object>) out;
  }
}
