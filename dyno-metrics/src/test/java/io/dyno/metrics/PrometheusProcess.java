package io.dyno.metrics;

import static org.assertj.core.api.Assertions.fail;

import io.dyno.metrics.internal.MiniJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A real Prometheus server for a test: Debian's {@code /usr/bin/prometheus} on a free loopback
 * port, with a configuration of its own in a temporary directory that scrapes one target's {@code
 * /metrics} every second. {@link #close()} stops it and deletes the directory.
 */
final class PrometheusProcess implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/prometheus");

  private final Path dir;
  private final Process process;
  private final int port;

  private PrometheusProcess(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  /**
   * Starts Prometheus scraping {@code http://target/metrics} every second, and waits until it is
   * ready.
   *
   * @param target the host and port to scrape, as {@code 127.0.0.1:7979}
   * @param readyWithin how long it may take to become ready
   */
  static PrometheusProcess scraping(String target, Duration readyWithin) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      fail(
          BINARY
              + " is missing: install Debian's prometheus package"
              + " (apt-get install --no-install-recommends prometheus)");
    }
    Path dir = Files.createTempDirectory("dyno-prometheus");
    int port = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: dyno
            metrics_path: /metrics
            static_configs:
              - targets: ['%s']
        """
            .formatted(target),
        StandardCharsets.UTF_8);
    Process process =
        new ProcessBuilder(
                BINARY.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    PrometheusProcess prometheus = new PrometheusProcess(dir, process, port);
    try {
      prometheus.awaitReady(readyWithin);
    } catch (RuntimeException | Error | IOException e) {
      prometheus.close();
      throw e;
    }
    return prometheus;
  }

  /** Polls {@code /-/ready} until it answers 200, the process ends, or the deadline passes. */
  private void awaitReady(Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      if (!process.isAlive()) {
        fail("Prometheus exited with " + process.exitValue() + " before it was ready; " + log());
      }
      if (status("/-/ready") == 200) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        fail("Prometheus was not ready within " + within + "; " + log());
      }
      // Polling an external process: there is nothing to wait on but its answer.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
  }

  /**
   * Waits until Prometheus has scraped its target once, successfully: its first scrape comes only
   * once service discovery has handed it the target, a few seconds after it is ready.
   *
   * @param within how long that may take
   */
  void awaitFirstScrape(Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    while (scalar("up", System.currentTimeMillis() / 1000.0) != 1) {
      if (System.nanoTime() - deadline > 0) {
        fail("Prometheus had not scraped its target within " + within + "; " + log());
      }
      // Polling an external process: there is nothing to wait on but its answer.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  /** The answer's HTTP status to a GET of {@code path}, or -1 when nothing answers yet. */
  private int status(String path) {
    try {
      HttpURLConnection c = open(path);
      try {
        return c.getResponseCode();
      } finally {
        c.disconnect();
      }
    } catch (IOException notListeningYet) {
      return -1;
    }
  }

  private HttpURLConnection open(String pathAndQuery) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + port + pathAndQuery).toURL().openConnection();
    c.setConnectTimeout(5_000);
    c.setReadTimeout(10_000);
    return c;
  }

  /**
   * Evaluates an instant query at {@code time}, in Unix seconds, and returns its result: one map
   * per series, {@code {"metric": {labels}, "value": [time, "value"]}}.
   */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> query(String promql, double time) throws IOException {
    Map<String, Object> data =
        (Map<String, Object>)
            get("/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                    + "&time="
                    + String.format(java.util.Locale.ROOT, "%.3f", time))
                .get("data");
    return (List<Map<String, Object>>) data.get("result");
  }

  /** The value of a query that gives one series, or NaN when it gives none. */
  @SuppressWarnings("unchecked")
  double scalar(String promql, double time) throws IOException {
    List<Map<String, Object>> result = query(promql, time);
    if (result.isEmpty()) {
      return Double.NaN;
    }
    if (result.size() > 1) {
      fail("query " + promql + " gave " + result.size() + " series: " + result);
    }
    List<Object> value = (List<Object>) result.get(0).get("value");
    return Double.parseDouble((String) value.get(1));
  }

  /** A GET of the HTTP API, which must answer {@code "status": "success"}. */
  Map<String, Object> get(String pathAndQuery) throws IOException {
    HttpURLConnection c = open(pathAndQuery);
    try {
      int code = c.getResponseCode();
      InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream();
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Map<String, Object> json = MiniJson.object(body);
      if (code != 200 || !"success".equals(json.get("status"))) {
        fail("Prometheus answered " + code + " to " + pathAndQuery + ": " + body);
      }
      return json;
    } finally {
      c.disconnect();
    }
  }

  /** The server's log so far, for a failure's message. */
  String log() {
    try {
      return "its log:\n" + Files.readString(dir.resolve("prometheus.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "its log is unreadable: " + e;
    }
  }

  /** Stops Prometheus, forcibly after 10 s, and deletes its directory. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
