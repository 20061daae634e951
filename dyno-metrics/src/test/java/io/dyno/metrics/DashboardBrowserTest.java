package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dyno.metrics.internal.hdr.Histogram;
import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard page in a real headless Chromium: the cards show what {@code /metrics.json} says,
 * follow it as more calls come in, show the breaker's state, the pool, the rollout's arms, the
 * concurrency limit, the throttle and the hedging a metric's owner reports, and chart the last
 * minutes.
 */
class DashboardBrowserTest {

  /**
   * The end of a page script that defines {@code read()}, {@code matches(out)}, {@code deadline}
   * and {@code done}: reads the page every 50 ms until it matches or the deadline has passed, then
   * hands the last reading, with {@code matched}, to {@code done}.
   */
  static final String POLL_UNTIL_MATCHED =
      """
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

  /** An expected value meaning: the page shows no such element. */
  static final String ABSENT = "<absent>";

  /**
   * Waits in the page until the page and every expected card show the expected values, or 15 s have
   * passed, then hands back what the page shows. The driver's own script timeout (20 s) is longer,
   * so a mismatch comes back as data for the assertions to describe.
   *
   * <p>What the page does not show reads {@link #ABSENT}. An expected value is matched exactly,
   * except {@code ">=n"}, which wants a number at least n, and {@code "~regex"}, a text the regex
   * finds.
   */
  static final String READ_PAGE =
      """
      var expected = arguments[0], done = arguments[arguments.length - 1];
      var FIELDS = ["count-success", "count-failure", "count-timeout", "count-short-circuited",
        "count-rejected", "error-percentage", "latency-p50", "latency-p99", "rate"];
      var ABSENT = "<absent>", deadline = Date.now() + 15000;
      function one(root, selector) { return root.querySelector(selector); }
      function text(e) { return e ? e.textContent : ABSENT; }
      function attr(e, name) { return e && e.hasAttribute(name) ? e.getAttribute(name) : ABSENT; }
      function read() {
        var viewBox = document.getElementById("view-box");
        var instances = document.getElementById("instances");
        var options = [].map.call(document.getElementById("view").options,
          function (o) { return o.textContent; });
        var page = {
          "status": attr(document.getElementById("status"), "data-state"),
          "status-text": text(document.getElementById("status")),
          "view": viewBox.hidden ? ABSENT : document.getElementById("view").value,
          "view-options": viewBox.hidden ? ABSENT : options.join("|"),
          "instances": instances.hidden ? ABSENT : [].map.call(instances.querySelectorAll("li"),
            function (li) { return text(one(li, ".url")) + "=" + li.getAttribute("data-ok"); }).join(","),
          "errors": window.dashboardErrors.join("\\n")
        };
        var out = {page: page, cards: {}};
        var sections = document.querySelectorAll("section.metric");
        for (var i = 0; i < sections.length; i++) {
          var s = sections[i], c = {};
          FIELDS.forEach(function (f) { c[f] = text(one(s, "td." + f)); });
          c["colour"] = attr(one(s, ".circle"), "data-colour");
          c["size"] = attr(one(s, ".circle"), "data-size");
          c["badge"] = attr(one(s, ".badge"), "data-circuit");
          c["badge-text"] = text(one(s, ".badge"));
          c["next-trial"] = text(one(s, ".next-trial"));
          var pool = one(s, ".pool");
          c["pool"] = text(pool);
          ["active", "max", "queued", "size"].forEach(function (a) {
            c["pool-" + a] = attr(pool, "data-" + a);
          });
          var arms = one(s, ".arms");
          c["arms"] = text(arms);
          ["name", "admitted", "refused", "percent", "percent-max", "tripped"].forEach(function (a) {
            c["arms-" + a] = attr(arms, "data-" + a);
          });
          var limit = one(s, ".limit");
          c["limit"] = text(limit);
          ["name", "algorithm", "limit", "in-flight", "over"].forEach(function (a) {
            c["limit-" + a] = attr(limit, "data-" + a);
          });
          var throttle = one(s, ".throttle");
          c["throttle"] = text(throttle);
          ["name", "probability", "probability-min", "requests", "accepts", "rejecting"].forEach(
            function (a) { c["throttle-" + a] = attr(throttle, "data-" + a); });
          var hedging = one(s, ".hedging");
          c["hedging"] = text(hedging);
          c["hedging-title"] = hedging ? hedging.title : ABSENT;
          ["delay-ms", "delay-min-ms", "max-extra", "sent", "won"].forEach(
            function (a) { c["hedging-" + a] = attr(hedging, "data-" + a); });
          c["hosts"] = attr(one(s, ".hosts"), "data-hosts");
          c["hosts-text"] = text(one(s, ".hosts"));
          var circuits = one(s, ".circuits");
          c["circuits"] = circuits ? [].map.call(circuits.querySelectorAll("[data-state]"),
            function (e) { return e.getAttribute("data-state") + "=" + e.getAttribute("data-count"); }).join(",") : ABSENT;
          c["error"] = text(one(s, ".error"));
          c["stale"] = attr(s, "data-stale");
          ["rate", "error", "p99"].forEach(function (k) {
            var chart = one(s, "[data-chart=" + k + "]");
            c[k + "-points"] = attr(chart, "data-points");
            c[k + "-last"] = attr(chart, "data-last");
          });
          out.cards[s.getAttribute("data-metric")] = c;
        }
        return out;
      }
      function same(actual, want) {
        if (want.indexOf(">=") === 0) { return actual !== ABSENT && Number(actual) >= Number(want.slice(2)); }
        if (want.charAt(0) === "~") { return actual !== ABSENT && new RegExp(want.slice(1)).test(actual); }
        return actual === want;
      }
      function matches(out) {
        for (var p in expected.page) {
          if (!same(out.page[p], expected.page[p])) { return false; }
        }
        for (var name in expected.cards) {
          var c = out.cards[name];
          if (!c) { return false; }
          for (var f in expected.cards[name]) {
            if (!same(c[f], expected.cards[name][f])) { return false; }
          }
        }
        return true;
      }
      """
          + POLL_UNTIL_MATCHED;

  /**
   * Moves the mouse (a synthetic mousemove) to the right end of one chart of one card, where its
   * newest point is, and hands back the chart's tooltip ("<absent>" while hidden) and figures.
   */
  static final String HOVER_CHART =
      """
      var metric = arguments[0], key = arguments[1], done = arguments[arguments.length - 1];
      var box = document.querySelector('section.metric[data-metric="' + metric + '"] [data-chart="' + key + '"]');
      var canvas = box.querySelector("canvas"), r = canvas.getBoundingClientRect();
      canvas.dispatchEvent(new MouseEvent("mousemove",
        {clientX: r.right - 1, clientY: r.top + r.height / 2, bubbles: true}));
      var tip = box.querySelector(".tooltip");
      done({tooltip: tip.hidden ? "<absent>" : tip.textContent, last: box.getAttribute("data-last"),
        points: box.getAttribute("data-points")});
      """;

  /**
   * Reads one card's next-trial text every 50 ms for 1.5 s and hands back the texts seen, in order,
   * each once.
   */
  private static final String WATCH_COUNTDOWN =
      """
      var metric = arguments[0], done = arguments[arguments.length - 1];
      var seen = [], end = Date.now() + 1500;
      function sample() {
        var e = document.querySelector('section.metric[data-metric="' + metric + '"] .next-trial');
        var t = e ? e.textContent : "<absent>";
        if (seen[seen.length - 1] !== t) { seen.push(t); }
        if (Date.now() > end) { done(seen); } else { setTimeout(sample, 50); }
      }
      sample();
      """;

  private static final Pattern COUNTDOWN = Pattern.compile("next trial in (\\d+\\.\\d) s");
  private static final Pattern P99_TOOLTIP =
      Pattern.compile("p99 (\\d+(?:\\.\\d+)?) ms at \\d\\d:\\d\\d:\\d\\d");

  private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

  private static @Nullable WebDriverClient browser;

  private final FakeTicker now = FakeTicker.create();
  private final MetricsRegistry board =
      MetricsRegistry.create(name -> Metrics.builder(name).ticker(now).build());
  private @Nullable MetricsServer server;
  private @Nullable MetricsServer peer;

  @BeforeAll
  static void startBrowser() throws Exception {
    browser = startChromium();
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
    if (peer != null) {
      peer.close();
    }
  }

  @Test
  void clusterView_ofTwoRealServers_showsTheSummedCounts_andTheUnionsPercentiles()
      throws Exception {
    WebDriverClient web = browser();
    MetricsRegistry other =
        MetricsRegistry.create(name -> Metrics.builder(name).ticker(now).build());
    Histogram union = new Histogram(3);
    // Here 1,000 calls of 1 to 5 ms; there 15 calls of 20 ms and 5 of 200 ms. This instance's p99
    // is 5 ms, the other's 200 ms, their mean 102.5 ms; the p99 of all 1,020 calls is 20 ms.
    Metrics here = board.metrics("payments");
    for (int i = 0; i < 1000; i++) {
      Duration latency = Duration.ofMillis(1 + i % 5);
      succeed(here, 1, latency);
      union.recordValue(latency.toNanos());
    }
    Metrics there = other.metrics("payments");
    for (Duration latency : List.of(Duration.ofMillis(20), Duration.ofMillis(200))) {
      int calls = latency.toMillis() == 20 ? 15 : 5;
      succeed(there, calls, latency);
      union.recordValueWithCount(latency.toNanos(), calls);
    }
    fail(there, 2, Duration.ofMillis(20));
    union.recordValueWithCount(Duration.ofMillis(20).toNanos(), 2);
    peer = MetricsServer.builder(other).streamInterval(Duration.ofMillis(100)).start();
    server =
        MetricsServer.builder(board)
            .streamInterval(Duration.ofMillis(100))
            .cluster(URI.create("http://127.0.0.1:" + peer.port() + "/"))
            .start();

    web.navigate("http://127.0.0.1:" + server.port() + "/");
    Map<String, Object> page =
        read(
            web,
            Map.of("status", "live", "view", "cluster"),
            Map.of(
                "payments",
                Map.of(
                    "hosts", "2",
                    "count-success", "1020",
                    "count-failure", "2")));

    assertThat(page).containsEntry("matched", true);
    assertThat(pageFields(page))
        .containsEntry("view-options", "this instance|cluster of 2")
        .containsEntry("errors", "");
    Map<String, Object> merged = card(page, "payments");
    assertThat(number(merged, "latency-p99"))
        .as("the p99 of the union of both instances' latencies")
        .isCloseTo(union.getValueAtPercentile(99) / 1e6, within(0.006))
        .isCloseTo(20.0, within(0.05));
    assertThat(number(merged, "latency-p50"))
        .isCloseTo(union.getValueAtPercentile(50) / 1e6, within(0.006));
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

    assertThat(page).containsEntry("matched", true);
    assertThat(pageFields(page))
        .containsEntry("status", "live")
        .containsEntry("status-text", "live")
        .containsEntry("view", ABSENT)
        .containsEntry("errors", "");
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
    assertThat(inv).containsEntry("error-percentage", "13.04"); // 6 of 46, to 2 decimals
    // Healthy and failing metrics are shaded apart; the circle grows with the rate.
    assertThat(s.get("colour")).isEqualTo("hsl(120, 70%, 45%)");
    assertThat(p.get("colour")).isNotEqualTo(s.get("colour"));
    assertThat(inv.get("colour")).isNotEqualTo(s.get("colour")).isNotEqualTo(p.get("colour"));
    assertThat(number(s, "size")).isGreaterThan(number(p, "size"));
    assertThat(number(p, "size")).isGreaterThan(number(inv, "size"));
    // Metrics whose owner reports no status show neither badge, countdown nor pool.
    assertThat(p).containsEntry("badge", ABSENT).containsEntry("next-trial", ABSENT);
    assertThat(p).containsEntry("pool", ABSENT).containsEntry("hosts", ABSENT);

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
    assertThat(pageFields(later)).containsEntry("errors", "");
  }

  @Test
  void dashboard_showsTheReportedBreakerAndPool_countsDownToTheTrial_andChartsThePolls()
      throws Exception {
    WebDriverClient web = browser();
    MetricsStatus.Pool pool = new MetricsStatus.Pool(10, 7, 8, 3, 2, 1234);
    AtomicReference<MetricsStatus> status =
        new AtomicReference<>(
            MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofSeconds(5))
                .withPool(pool));
    Metrics payments = board.metrics("payments");
    Metrics search = board.metrics("search");
    payments.reportStatus(status::get);
    succeed(payments, 40, Duration.ofMillis(3));
    succeed(payments, 10, Duration.ofMillis(12).plusNanos(500_000));
    fail(payments, 2, Duration.ofMillis(4));
    succeed(search, 20, Duration.ofMillis(1));
    server = MetricsServer.builder(board).start();

    web.navigate("http://127.0.0.1:" + server.port() + "/");
    Map<String, Object> open =
        read(
            web,
            Map.of(
                "payments",
                Map.of(
                    "badge", "OPEN",
                    "badge-text", "open",
                    "next-trial", "~^next trial in \\d\\.\\d s$",
                    "pool-active", "3",
                    "p99-points", ">=1"),
                "search",
                Map.of("count-success", "20", "p99-points", ">=1")));

    assertThat(open).containsEntry("matched", true);
    Map<String, Object> p = card(open, "payments");
    assertThat(p)
        .containsEntry("pool", "active 3 / 10 \u00b7 queued 2 \u00b7 threads 7")
        .containsEntry("pool-max", "10")
        .containsEntry("pool-queued", "2")
        .containsEntry("pool-size", "7");
    assertThat(secondsToTrial((String) p.get("next-trial"))).isBetween(0.1, 5.0);
    assertThat(card(open, "search"))
        .as("no status reported: no badge, countdown nor pool")
        .containsEntry("badge", ABSENT)
        .containsEntry("badge-text", ABSENT)
        .containsEntry("next-trial", ABSENT)
        .containsEntry("pool", ABSENT);

    // Between polls the page counts down by itself, never below zero, from at most 5 s.
    @SuppressWarnings("unchecked")
    List<Object> countdown = (List<Object>) web.executeAsync(WATCH_COUNTDOWN, "[\"payments\"]");
    assertThat(countdown).hasSizeGreaterThan(1);
    for (Object text : countdown) {
      assertThat(secondsToTrial((String) text)).isBetween(0.1, 5.0);
    }

    status.set(MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofMillis(300)));
    assertThat(read(web, Map.of("payments", Map.of("next-trial", "trial due", "pool", ABSENT))))
        .as("the countdown reaches the trial and says so")
        .containsEntry("matched", true);

    Map<MetricsStatus.Circuit, String> badges = new LinkedHashMap<>();
    badges.put(MetricsStatus.Circuit.CLOSED, "closed");
    badges.put(MetricsStatus.Circuit.HALF_OPEN, "half-open");
    badges.put(MetricsStatus.Circuit.FORCED_OPEN, "forced open");
    badges.put(MetricsStatus.Circuit.DISABLED, "disabled");
    for (Map.Entry<MetricsStatus.Circuit, String> badge : badges.entrySet()) {
      status.set(MetricsStatus.circuit(badge.getKey(), null));
      Map<String, Object> shown =
          read(
              web,
              Map.of(
                  "payments",
                  Map.of(
                      "badge", badge.getKey().name(),
                      "badge-text", badge.getValue(),
                      "next-trial", ABSENT)));
      assertThat(shown).as("the %s badge", badge.getKey()).containsEntry("matched", true);
    }

    status.set(MetricsStatus.pool(new MetricsStatus.Pool(4, 4, 4, 4, 9, 80)));
    Map<String, Object> pooled =
        read(
            web,
            Map.of(
                "payments",
                Map.of(
                    "badge", ABSENT,
                    "pool", "active 4 / 4 \u00b7 queued 9 \u00b7 threads 4",
                    "pool-active", "4",
                    "pool-queued", "9")));
    assertThat(pooled).as("a pool without a breaker").containsEntry("matched", true);

    // Every poll adds a point to each chart; the newest is the last reading.
    int points = Integer.parseInt((String) card(pooled, "payments").get("p99-points"));
    Map<String, Object> charted =
        read(web, Map.of("payments", Map.of("p99-points", ">=" + (points + 2))));
    assertThat(charted).containsEntry("matched", true);
    MetricsSnapshot s = payments.snapshot();
    Map<String, Object> pc = card(charted, "payments");
    assertThat(number(pc, "rate-points")).isEqualTo(number(pc, "p99-points"));
    assertThat(number(pc, "rate-last")).isCloseTo(s.ratePerSecond(), within(1e-9));
    assertThat(number(pc, "error-last")).isCloseTo(s.errorPercentage(), within(1e-9));
    assertThat(number(pc, "p99-last")).isCloseTo(millis(s.latencyP99()), within(0.001));
    assertThat(number(pc, "p99-last")).isCloseTo(12.5, within(0.05));

    status.set(
        MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofSeconds(5)).withPool(pool));
    assertThat(read(web, Map.of("payments", Map.of("badge", "OPEN", "pool-active", "3"))))
        .containsEntry("matched", true);
    Map<String, Object> hover = hover(web, "payments", "p99");
    assertThat(hover.get("tooltip")).as("the tooltip").isNotEqualTo(ABSENT);
    Matcher tip = P99_TOOLTIP.matcher((String) hover.get("tooltip"));
    assertThat(tip.matches()).as("tooltip %s", hover.get("tooltip")).isTrue();
    assertThat(Double.parseDouble(tip.group(1)))
        .isCloseTo(Double.parseDouble((String) hover.get("last")), within(0.006));
    assertThat(pageFields(read(web, Map.of()))).containsEntry("errors", "");
    Files.createDirectories(SCREENSHOT.getParent());
    Files.write(SCREENSHOT, web.screenshot());
  }

  @Test
  void dashboard_showsARolloutsArms_theirShare_aTrippedRollout_andDropsTheLineWhenTheyGo()
      throws Exception {
    WebDriverClient web = browser();
    AtomicReference<MetricsStatus> status =
        new AtomicReference<>(
            MetricsStatus.arms(new MetricsStatus.Arms("new-panel", 20, 1234, 4910, false)));
    Metrics pages = board.metrics("pages");
    Metrics search = board.metrics("search");
    pages.reportStatus(status::get);
    succeed(pages, 10, Duration.ofMillis(2));
    succeed(search, 5, Duration.ofMillis(1));
    server = MetricsServer.builder(board).start();

    web.navigate("http://127.0.0.1:" + server.port() + "/");
    Map<String, Object> split =
        read(
            web,
            Map.of(
                "pages",
                Map.of("arms-admitted", "1234", "count-success", "10"),
                "search",
                Map.of("count-success", "5")));

    assertThat(split).containsEntry("matched", true);
    assertThat(card(split, "pages"))
        .containsEntry("arms", "rollout new-panel 20 % \u00b7 in 1,234 (20.1 %) \u00b7 out 4,910")
        .containsEntry("arms-name", "new-panel")
        .containsEntry("arms-refused", "4910")
        .containsEntry("arms-percent", "20")
        .containsEntry("arms-percent-max", ABSENT)
        .containsEntry("arms-tripped", "false")
        .containsEntry("badge", ABSENT)
        .containsEntry("pool", ABSENT);
    assertThat(card(split, "search")).as("no status: no arms").containsEntry("arms", ABSENT);

    status.set(MetricsStatus.arms(new MetricsStatus.Arms("new-panel", 12.5, 0, 0, false)));
    assertThat(
            read(
                web,
                Map.of(
                    "pages", Map.of("arms", "rollout new-panel 12.5 % \u00b7 in 0 \u00b7 out 0"))))
        .as("no callers counted yet: no share")
        .containsEntry("matched", true);

    status.set(MetricsStatus.arms(new MetricsStatus.Arms("new-panel", 20, 0, 4910, true)));
    Map<String, Object> tripped = read(web, Map.of("pages", Map.of("arms-tripped", "true")));
    assertThat(tripped).containsEntry("matched", true);
    assertThat(card(tripped, "pages"))
        .containsEntry("arms", "rollout new-panel tripped \u00b7 in 0 \u00b7 out 4,910")
        .containsEntry("arms-admitted", "0")
        .containsEntry("arms-refused", "4910")
        .containsEntry("arms-percent", "20");

    MetricsStatus.Pool pool = new MetricsStatus.Pool(4, 2, 2, 1, 0, 9);
    status.set(
        MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null)
            .withPool(pool)
            .withArms(new MetricsStatus.Arms("b", 100, 1_234_567, 0, false)));
    Map<String, Object> all =
        read(web, Map.of("pages", Map.of("badge", "CLOSED", "arms-name", "b")));
    assertThat(all).containsEntry("matched", true);
    assertThat(card(all, "pages"))
        .containsEntry("arms", "rollout b 100 % \u00b7 in 1,234,567 (100.0 %) \u00b7 out 0")
        .containsEntry("pool", "active 1 / 4 \u00b7 queued 0 \u00b7 threads 2");

    status.set(MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null).withPool(pool));
    Map<String, Object> gone = read(web, Map.of("pages", Map.of("arms", ABSENT)));
    assertThat(gone).as("the arms line goes with the arms").containsEntry("matched", true);
    assertThat(card(gone, "pages"))
        .containsEntry("arms-admitted", ABSENT)
        .containsEntry("pool-active", "1")
        .containsEntry("badge", "CLOSED");
    assertThat(pageFields(gone)).containsEntry("errors", "");
  }

  @Test
  void dashboard_showsALimitAndAThrottle_followsTheirFigures_andDropsTheLinesWhenTheyGo()
      throws Exception {
    WebDriverClient web = browser();
    MetricsStatus.Limit limit = new MetricsStatus.Limit("search", "gradient2", 48, 37);
    MetricsStatus.Throttle throttle = new MetricsStatus.Throttle("search", 0.12, 4000, 1200);
    AtomicReference<MetricsStatus> status =
        new AtomicReference<>(MetricsStatus.limit(limit).withThrottle(throttle));
    Metrics search = board.metrics("search");
    Metrics pages = board.metrics("pages");
    search.reportStatus(status::get);
    succeed(search, 10, Duration.ofMillis(2));
    succeed(pages, 5, Duration.ofMillis(1));
    server = MetricsServer.builder(board).start();

    web.navigate("http://127.0.0.1:" + server.port() + "/");
    Map<String, Object> both =
        read(
            web,
            Map.of(
                "search",
                Map.of("limit-in-flight", "37", "throttle-requests", "4000", "count-success", "10"),
                "pages",
                Map.of("count-success", "5")));

    assertThat(both).containsEntry("matched", true);
    assertThat(card(both, "search"))
        .containsEntry("limit", "limit search \u00b7 gradient2 \u00b7 37 in flight of 48")
        .containsEntry("limit-name", "search")
        .containsEntry("limit-algorithm", "gradient2")
        .containsEntry("limit-limit", "48")
        .containsEntry("limit-over", "false")
        .containsEntry(
            "throttle",
            "throttle search \u00b7 rejecting 12.0 % \u00b7 4,000 requests, 1,200 accepts")
        .containsEntry("throttle-name", "search")
        .containsEntry("throttle-probability", "0.12")
        .containsEntry("throttle-probability-min", ABSENT)
        .containsEntry("throttle-accepts", "1200")
        .containsEntry("throttle-rejecting", "true")
        .containsEntry("badge", ABSENT)
        .containsEntry("pool", ABSENT)
        .containsEntry("arms", ABSENT);
    assertThat(card(both, "pages"))
        .as("no status: no limit, no throttle")
        .containsEntry("limit", ABSENT)
        .containsEntry("throttle", ABSENT);

    // The limit dropped below the calls already running; the throttle calmed down.
    status.set(
        MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null)
            .withLimit(new MetricsStatus.Limit("search", "gradient2", 30, 41))
            .withThrottle(new MetricsStatus.Throttle("search", 0, 1_234_567, 1_234_567)));
    Map<String, Object> moved =
        read(web, Map.of("search", Map.of("badge", "CLOSED", "limit-over", "true")));
    assertThat(moved).containsEntry("matched", true);
    assertThat(card(moved, "search"))
        .containsEntry("limit", "limit search \u00b7 gradient2 \u00b7 41 in flight of 30")
        .containsEntry(
            "throttle",
            "throttle search \u00b7 rejecting 0.0 % \u00b7 1,234,567 requests, 1,234,567 accepts")
        .containsEntry("throttle-rejecting", "false");

    status.set(MetricsStatus.throttle(new MetricsStatus.Throttle("search", 1, 10, 0)));
    Map<String, Object> limitGone = read(web, Map.of("search", Map.of("limit", ABSENT)));
    assertThat(limitGone).as("the limit line goes with the limit").containsEntry("matched", true);
    assertThat(card(limitGone, "search"))
        .containsEntry("limit-in-flight", ABSENT)
        .containsEntry("badge", ABSENT)
        .containsEntry(
            "throttle", "throttle search \u00b7 rejecting 100.0 % \u00b7 10 requests, 0 accepts");

    status.set(MetricsStatus.limit(new MetricsStatus.Limit("search", "fixed", 8, 0)));
    Map<String, Object> throttleGone = read(web, Map.of("search", Map.of("throttle", ABSENT)));
    assertThat(throttleGone)
        .as("the throttle line goes with the throttle")
        .containsEntry("matched", true);
    assertThat(card(throttleGone, "search"))
        .containsEntry("throttle-requests", ABSENT)
        .containsEntry("limit", "limit search \u00b7 fixed \u00b7 0 in flight of 8");
    assertThat(pageFields(throttleGone)).containsEntry("errors", "");
  }

  @Test
  void dashboard_showsHedging_followsItsFigures_andDropsTheLineWhenItGoes() throws Exception {
    WebDriverClient web = browser();
    AtomicReference<MetricsStatus> status =
        new AtomicReference<>(
            MetricsStatus.hedging(
                new MetricsStatus.Hedging(Duration.ofNanos(12_345_678), 1, 41, 17)));
    Metrics search = board.metrics("search");
    Metrics pages = board.metrics("pages");
    search.reportStatus(status::get);
    succeed(search, 10, Duration.ofMillis(2));
    succeed(pages, 5, Duration.ofMillis(1));
    server = MetricsServer.builder(board).start();

    web.navigate("http://127.0.0.1:" + server.port() + "/");
    Map<String, Object> hedged =
        read(
            web,
            Map.of(
                "search",
                Map.of("hedging-sent", "41", "count-success", "10"),
                "pages",
                Map.of("count-success", "5")));

    assertThat(hedged).containsEntry("matched", true);
    assertThat(card(hedged, "search"))
        .containsEntry("hedging", "hedge after 12.3 ms \u00b7 41 sent \u00b7 17 won")
        .containsEntry("hedging-delay-ms", "12.346")
        .containsEntry("hedging-delay-min-ms", ABSENT)
        .containsEntry("hedging-max-extra", "1")
        .containsEntry("hedging-won", "17")
        .containsEntry("hedging-title", "at most 1 extra copy per call")
        .containsEntry("badge", ABSENT)
        .containsEntry("throttle", ABSENT)
        .containsEntry("limit", ABSENT);
    assertThat(card(hedged, "pages")).as("no status: no hedging").containsEntry("hedging", ABSENT);

    // The delay followed the latencies up; more copies went out, with a circuit and a throttle.
    status.set(
        MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null)
            .withThrottle(new MetricsStatus.Throttle("search", 0.5, 10, 5))
            .withHedging(new MetricsStatus.Hedging(Duration.ofMillis(250), 3, 1_234_567, 4_321)));
    Map<String, Object> moved =
        read(web, Map.of("search", Map.of("badge", "CLOSED", "hedging-max-extra", "3")));
    assertThat(moved).containsEntry("matched", true);
    assertThat(card(moved, "search"))
        .containsEntry("hedging", "hedge after 250.0 ms \u00b7 1,234,567 sent \u00b7 4,321 won")
        .containsEntry("hedging-title", "at most 3 extra copies per call")
        .containsEntry(
            "throttle", "throttle search \u00b7 rejecting 50.0 % \u00b7 10 requests, 5 accepts");

    status.set(MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null));
    Map<String, Object> gone = read(web, Map.of("search", Map.of("hedging", ABSENT)));
    assertThat(gone).as("the hedging line goes with the hedging").containsEntry("matched", true);
    assertThat(card(gone, "search"))
        .containsEntry("hedging-sent", ABSENT)
        .containsEntry("throttle", ABSENT)
        .containsEntry("badge", "CLOSED");
    assertThat(pageFields(gone)).containsEntry("errors", "");
  }

  /** Starts Chromium through chromedriver, or skips the tests where they are not installed. */
  static WebDriverClient startChromium() throws Exception {
    assumeTrue(
        Files.exists(WebDriverClient.CHROMIUM) && Files.exists(WebDriverClient.CHROMEDRIVER),
        "needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's chromium and"
            + " chromium-driver), which .ci/run installs");
    WebDriverClient web = WebDriverClient.start();
    web.scriptTimeout(Duration.ofSeconds(20));
    return web;
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

  /** The error percentage, rate and percentiles as the page formats them: 2 decimals. */
  private static void assertShowsSnapshot(Map<String, Object> card, MetricsSnapshot s) {
    assertThat(number(card, "error-percentage")).isCloseTo(s.errorPercentage(), within(0.006));
    assertThat(number(card, "rate")).isCloseTo(s.ratePerSecond(), within(0.006));
    assertThat(number(card, "latency-p50")).isCloseTo(millis(s.latencyP50()), within(0.006));
    assertThat(number(card, "latency-p99")).isCloseTo(millis(s.latencyP99()), within(0.006));
  }

  private static double secondsToTrial(String text) {
    Matcher m = COUNTDOWN.matcher(text);
    assertThat(m.matches()).as("countdown text '%s'", text).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1e6;
  }

  static double number(Map<String, Object> card, String field) {
    Object v = card.get(field);
    assertThat(v).as("%s in %s", field, card).isInstanceOf(String.class);
    return Double.parseDouble((String) v);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> card(Map<String, Object> page, String name) {
    Map<String, Object> cards = (Map<String, Object>) page.get("cards");
    assertThat(cards).as("cards on the page: %s", page).containsKey(name);
    return (Map<String, Object>) cards.get(name);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> pageFields(Map<String, Object> page) {
    return (Map<String, Object>) page.get("page");
  }

  /** Waits until the page is live and shows the expected cards; see {@link #READ_PAGE}. */
  static Map<String, Object> read(WebDriverClient web, Map<String, Map<String, String>> cards)
      throws IOException {
    return read(web, Map.of("status", "live"), cards);
  }

  /** Waits until the page shows the expected page fields and cards; see {@link #READ_PAGE}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> read(
      WebDriverClient web, Map<String, String> page, Map<String, Map<String, String>> cards)
      throws IOException {
    StringBuilder json = new StringBuilder("[{\"page\":");
    object(json, page);
    json.append(",\"cards\":{");
    String sep = "";
    for (Map.Entry<String, Map<String, String>> card : cards.entrySet()) {
      json.append(sep).append(WebDriverClient.quote(card.getKey())).append(':');
      object(json, card.getValue());
      sep = ",";
    }
    json.append("}}]");
    Object out = web.executeAsync(READ_PAGE, json.toString());
    assertThat(out).isInstanceOf(Map.class);
    return (Map<String, Object>) out;
  }

  private static void object(StringBuilder json, Map<String, String> fields) {
    json.append('{');
    String sep = "";
    for (Map.Entry<String, String> f : fields.entrySet()) {
      json.append(sep).append(WebDriverClient.quote(f.getKey())).append(':');
      json.append(WebDriverClient.quote(f.getValue()));
      sep = ",";
    }
    json.append('}');
  }

  /** Hovers over one chart; see {@link #HOVER_CHART}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> hover(WebDriverClient web, String metric, String chart)
      throws IOException {
    Object out =
        web.executeAsync(
            HOVER_CHART,
            "[" + WebDriverClient.quote(metric) + "," + WebDriverClient.quote(chart) + "]");
    assertThat(out).isInstanceOf(Map.class);
    return (Map<String, Object>) out;
  }
}
