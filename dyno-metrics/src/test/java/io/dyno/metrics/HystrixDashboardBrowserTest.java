package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stock Netflix Hystrix dashboard 1.5.18, unchanged, run by jetty-runner and opened in a real
 * headless Chromium on a {@link MetricsServer}'s {@code /stream}: the dashboard's own proxy reads
 * the stream and its monitor page draws a card per command and per thread pool.
 *
 * <p>The war, jetty-runner and the underscore webjar are copied into {@code
 * target/hystrix-dashboard} by the build. The page loads underscore from cdnjs.cloudflare.com,
 * which Chromium is made to resolve to a {@link LocalCdn} serving the webjar's copy.
 */
class HystrixDashboardBrowserTest {

  private static final Path ARTIFACTS = Path.of("target", "hystrix-dashboard");
  private static final Path WAR = ARTIFACTS.resolve("hystrix-dashboard.war");
  private static final Path JETTY_RUNNER = ARTIFACTS.resolve("jetty-runner.jar");
  private static final Path UNDERSCORE_JAR = ARTIFACTS.resolve("underscorejs.jar");
  private static final String UNDERSCORE_ENTRY =
      "META-INF/resources/webjars/underscorejs/1.8.3/underscore-min.js";
  private static final String CDN_HOST = "cdnjs.cloudflare.com";
  private static final String CDN_PATH = "/ajax/libs/underscore.js/1.8.3/underscore-min.js";
  private static final Path SCREENSHOT = Path.of("target", "hystrix-dashboard.png");

  /**
   * Waits in the page until it shows every expected card with the expected texts, or 10 s have
   * passed, then hands back what it shows. The driver's script timeout (20 s) is longer, so a
   * mismatch comes back as data for the assertions to describe.
   *
   * <p>A command card is the hystrixCircuitContainer template ({@code div.monitor} with {@code
   * p.name}) under {@code #dependencies_0}; the hystrixCircuit template writes the circuit's state
   * in the {@code font} element of {@code div.circuitStatus}. A thread pool card is the same under
   * {@code #dependencyThreadPools_0}, its figures in header and data cells of {@code div.tableRow}.
   * Each list shows {@code span.loading} ("Loading ...") until its first card.
   */
  private static final String READ_PAGE =
      """
      var expected = arguments[0], done = arguments[arguments.length - 1];
      var deadline = Date.now() + 10000;
      function text(e) { return e ? e.textContent.replace(/\\s+/g, " ").trim() : null; }
      function loading(listId) {
        var e = document.querySelector("#" + listId + " span.loading");
        return e ? text(e) : null;
      }
      function cards(listId, read) {
        var out = {}, monitors = document.querySelectorAll("#" + listId + " div.monitor");
        for (var i = 0; i < monitors.length; i++) {
          out[text(monitors[i].querySelector("p.name"))] = read(monitors[i]);
        }
        return out;
      }
      function command(card) {
        return {
          circuit: text(card.querySelector("div.circuitStatus font")),
          circuitStatus: text(card.querySelector("div.circuitStatus")),
          success: text(card.querySelector("a.success")),
          shortCircuited: text(card.querySelector("a.shortCircuited"))
        };
      }
      function pool(card) {
        var out = {}, rows = card.querySelectorAll("div.tableRow");
        for (var r = 0; r < rows.length; r++) {
          var cells = rows[r].querySelectorAll("div.cell");
          for (var c = 0; c + 1 < cells.length; c += 2) {
            out[text(cells[c])] = text(cells[c + 1]);
          }
        }
        return out;
      }
      function read() {
        var out = {
          underscore: typeof _ === "undefined" ? null : _.VERSION,
          commands: cards("dependencies_0", command),
          pools: cards("dependencyThreadPools_0", pool)
        };
        /* Only a list still loading has the key: a null would come back as the text "null". */
        var commandsLoading = loading("dependencies_0");
        var poolsLoading = loading("dependencyThreadPools_0");
        if (commandsLoading !== null) { out.commandsLoading = commandsLoading; }
        if (poolsLoading !== null) { out.poolsLoading = poolsLoading; }
        return out;
      }
      function matches(out) {
        for (var list in expected) {
          for (var name in expected[list]) {
            var card = out[list][name];
            if (!card) { return false; }
            for (var field in expected[list][name]) {
              if (card[field] !== expected[list][name][field]) { return false; }
            }
          }
        }
        return true;
      }
      """
          + DashboardBrowserTest.POLL_UNTIL_MATCHED;

  /** What the page must show, in {@link #READ_PAGE}'s terms. */
  private static final String EXPECTED =
      """
      [{"commands": {"payments": {"circuit": "Open"}, "search": {"circuit": "Closed"},
                     "inventory": {}},
        "pools": {"inventory": {"Active": "3", "Queued": "1"}}}]
      """;

  private static @Nullable Path workDir;
  private static @Nullable LocalCdn cdn;
  private static @Nullable HystrixDashboardServer dashboard;
  private static @Nullable WebDriverClient browser;

  private final FakeTicker now = FakeTicker.create();
  private final MetricsRegistry registry =
      MetricsRegistry.create(name -> Metrics.builder(name).ticker(now).build());

  @BeforeAll
  static void startDashboardAndBrowser() throws Exception {
    assumeTrue(
        Files.exists(WebDriverClient.CHROMIUM) && Files.exists(WebDriverClient.CHROMEDRIVER),
        "needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's chromium and"
            + " chromium-driver), which .ci/run installs");
    for (Path artifact : List.of(WAR, JETTY_RUNNER, UNDERSCORE_JAR)) {
      assertThat(artifact)
          .as(
              "%s, which the build copies there (maven-dependency-plugin, execution"
                  + " hystrix-dashboard-copy): run the test through Maven",
              artifact.toAbsolutePath())
          .isRegularFile();
    }
    Path dir = Files.createTempDirectory("dyno-hystrix-dashboard-");
    workDir = dir;
    cdn =
        LocalCdn.start(
            CDN_HOST, CDN_PATH, underscore(), "application/javascript; charset=utf-8", dir);
    Path jettyTemp = Files.createDirectory(dir.resolve("jetty"));
    dashboard = HystrixDashboardServer.start(JETTY_RUNNER, WAR, jettyTemp);
    browser = WebDriverClient.start(cdn.chromiumArgs());
    browser.scriptTimeout(Duration.ofSeconds(20));
  }

  @AfterAll
  static void stopAll() throws IOException {
    WebDriverClient b = browser;
    HystrixDashboardServer d = dashboard;
    LocalCdn c = cdn;
    Path dir = workDir;
    browser = null;
    dashboard = null;
    cdn = null;
    workDir = null;
    try {
      if (b != null) {
        b.close();
      }
    } finally {
      try {
        if (d != null) {
          d.close();
        }
      } finally {
        if (c != null) {
          c.close();
        }
        if (dir != null) {
          deleteRecursively(dir);
        }
      }
    }
  }

  @Test
  void stockDashboard_showsEachCommandItsCircuitAndThePool() throws Exception {
    Metrics payments = registry.metrics("payments");
    Metrics inventory = registry.metrics("inventory");
    Metrics search = registry.metrics("search");
    for (int i = 0; i < 20; i++) {
      payments.recordShortCircuit();
    }
    succeed(inventory, 30, Duration.ofMillis(4));
    succeed(search, 50, Duration.ofMillis(1));
    Metrics.StatusReport paymentsStatus =
        payments.reportStatus(
            () -> MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofSeconds(5)));
    Metrics.StatusReport inventoryStatus =
        inventory.reportStatus(
            () -> MetricsStatus.pool(new MetricsStatus.Pool(10, 4, 6, 3, 1, 120)));
    try (MetricsServer server =
        MetricsServer.builder(registry).streamInterval(Duration.ofMillis(100)).start()) {
      WebDriverClient web = browser();
      String stream = "http://localhost:" + server.port() + "/stream";
      web.navigate(
          dashboard().url("/monitor/monitor.html?stream=")
              + URLEncoder.encode(stream, StandardCharsets.UTF_8)
              + "&title=dyno");

      Map<String, Object> page = readPage(web);
      Files.createDirectories(SCREENSHOT.toAbsolutePath().getParent());
      Files.write(SCREENSHOT, web.screenshot());
      List<String> errors = errors(web.browserLog());

      Map<String, Map<String, Object>> commands = section(page, "commands");
      Map<String, Map<String, Object>> pools = section(page, "pools");
      Map<String, @Nullable Object> shown = new LinkedHashMap<>();
      shown.put("underscore's version", page.get("underscore"));
      shown.put("command cards", new TreeSet<>(commands.keySet()));
      shown.put("command list loading text", page.get("commandsLoading"));
      shown.put("payments' circuit", field(commands, "payments", "circuit"));
      shown.put("payments' short-circuited count", field(commands, "payments", "shortCircuited"));
      shown.put("search's circuit", field(commands, "search", "circuit"));
      shown.put("search's success count", field(commands, "search", "success"));
      shown.put("thread pool cards", new TreeSet<>(pools.keySet()));
      shown.put("thread pool list loading text", page.get("poolsLoading"));
      shown.put("inventory pool's active count", field(pools, "inventory", "Active"));
      shown.put("inventory pool's queued count", field(pools, "inventory", "Queued"));
      shown.put("errors in the browser's log", errors);
      Map<String, @Nullable Object> expected = new LinkedHashMap<>();
      expected.put("underscore's version", "1.8.3");
      expected.put("command cards", new TreeSet<>(List.of("inventory", "payments", "search")));
      expected.put("command list loading text", null);
      expected.put("payments' circuit", "Open");
      expected.put("payments' short-circuited count", "20");
      expected.put("search's circuit", "Closed");
      expected.put("search's success count", "50");
      expected.put("thread pool cards", new TreeSet<>(List.of("inventory")));
      expected.put("thread pool list loading text", null);
      expected.put("inventory pool's active count", "3");
      expected.put("inventory pool's queued count", "1");
      expected.put("errors in the browser's log", List.of());

      assertThat(shown)
          .as(
              "what the stock dashboard showed; the whole page read: %s%nthe stand-in CDN served:"
                  + " %s%njetty-runner's output:%n%s",
              page, cdn().served(), dashboard().output())
          .containsExactlyEntriesOf(expected);
    } finally {
      paymentsStatus.close();
      inventoryStatus.close();
    }
  }

  private void succeed(Metrics m, int calls, Duration latency) {
    for (int i = 0; i < calls; i++) {
      Metrics.Sample sample = m.start();
      now.advance(latency.toNanos());
      sample.success();
    }
  }

  /**
   * The log entries that are errors: the page's uncaught exceptions and failed loads (level
   * SEVERE), and the dashboard's own message for a stream event it could not read, which it only
   * logs.
   */
  private static List<String> errors(List<Map<String, Object>> log) {
    List<String> errors = new ArrayList<>();
    for (Map<String, Object> entry : log) {
      String message = String.valueOf(entry.get("message"));
      // The war has no favicon.ico, which the browser asks for on its own, not the page.
      boolean favicon = message.contains("/favicon.ico ");
      boolean severe = "SEVERE".equals(entry.get("level")) && !favicon;
      if (severe || message.contains("Failed preProcessData")) {
        errors.add(entry.get("level") + " " + message);
      }
    }
    return errors;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> section(Map<String, Object> page, String name) {
    Object section = page.get(name);
    assertThat(section).as("%s in %s", name, page).isInstanceOf(Map.class);
    return (Map<String, Map<String, Object>>) section;
  }

  private static @Nullable Object field(
      Map<String, Map<String, Object>> cards, String card, String field) {
    Map<String, Object> c = cards.get(card);
    return c == null ? "(no card)" : c.get(field);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readPage(WebDriverClient web) throws IOException {
    Object out = web.executeAsync(READ_PAGE, EXPECTED);
    assertThat(out).as("what the page script handed back").isInstanceOf(Map.class);
    return (Map<String, Object>) out;
  }

  private static byte[] underscore() throws IOException {
    try (ZipFile jar = new ZipFile(UNDERSCORE_JAR.toFile())) {
      ZipEntry entry = jar.getEntry(UNDERSCORE_ENTRY);
      if (entry == null) {
        throw new IllegalStateException(UNDERSCORE_JAR + " has no " + UNDERSCORE_ENTRY);
      }
      try (InputStream in = jar.getInputStream(entry)) {
        return in.readAllBytes();
      }
    }
  }

  private static WebDriverClient browser() {
    if (browser == null) {
      throw new IllegalStateException("the browser did not start");
    }
    return browser;
  }

  private static HystrixDashboardServer dashboard() {
    if (dashboard == null) {
      throw new IllegalStateException("the dashboard did not start");
    }
    return dashboard;
  }

  private static LocalCdn cdn() {
    if (cdn == null) {
      throw new IllegalStateException("the stand-in CDN did not start");
    }
    return cdn;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
