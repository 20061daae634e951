package io.dyno.metrics;

import io.dyno.metrics.internal.MiniJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A minimal W3C WebDriver client for tests: starts {@code chromedriver} as a child process, opens
 * one headless Chromium session and speaks the protocol's JSON over plain HTTP, without Selenium.
 *
 * <p>HttpURLConnection rather than java.net.http, since the module under test does not read
 * java.net.http and its tests are patched into it. Every request has a connect and a read timeout,
 * so a test never hangs on a stuck browser. Not thread-safe.
 */
final class WebDriverClient implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final int STATUS_ATTEMPTS = 100;
  private static final Duration STATUS_PAUSE = Duration.ofMillis(100);

  private final Process driver;
  private final String base;
  private final Path userDataDir;
  private final List<String> extraArgs;
  private final List<String> driverLog = new ArrayList<>();
  private String session = "";

  private WebDriverClient(Process driver, int port, Path userDataDir, List<String> extraArgs) {
    this.driver = driver;
    this.base = "http://127.0.0.1:" + port;
    this.userDataDir = userDataDir;
    this.extraArgs = extraArgs;
  }

  /**
   * Starts chromedriver on a free port, waits until it reports ready and opens a headless Chromium
   * session with a fresh profile directory.
   */
  static WebDriverClient start() throws Exception {
    return start(List.of());
  }

  /**
   * As {@link #start()}, with {@code extraArgs} added to Chromium's command line (such as {@code
   * --host-resolver-rules=...}).
   */
  static WebDriverClient start(List<String> extraArgs) throws Exception {
    List<String> args = List.copyOf(extraArgs);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path profile = Files.createTempDirectory("dyno-chromium-");
    Process p =
        new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
            .redirectErrorStream(true)
            .start();
    WebDriverClient client = new WebDriverClient(p, port, profile, args);
    try {
      client.awaitReady();
      client.newSession();
      return client;
    } catch (Exception | AssertionError e) {
      client.close();
      throw e;
    }
  }

  private void awaitReady() throws Exception {
    CompletableFuture<Boolean> started = new CompletableFuture<>();
    Thread drain =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  synchronized (driverLog) {
                    driverLog.add(line);
                  }
                  if (line.contains("started successfully")) {
                    started.complete(true);
                  }
                }
              } catch (IOException e) {
                // The driver is gone; its exit is noticed below.
              }
              started.complete(false);
            },
            "chromedriver-output");
    drain.setDaemon(true);
    drain.start();
    boolean announced;
    try {
      announced = started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "chromedriver did not start within " + START_TIMEOUT + "; output: " + log(), e);
    }
    if (!announced) {
      throw new IllegalStateException("chromedriver exited at start; output: " + log());
    }
    // Announced is not yet ready: poll /status a bounded number of times, pausing on the
    // driver's exit (which ends the wait early if it dies) rather than sleeping.
    for (int attempt = 1; attempt <= STATUS_ATTEMPTS; attempt++) {
      try {
        Object value = request("GET", "/status", null);
        if (value instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("ready"))) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet: try again after the pause.
      }
      try {
        driver.onExit().get(STATUS_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        throw new IllegalStateException("chromedriver exited; output: " + log());
      } catch (TimeoutException stillRunning) {
        // The expected case: the pause is over.
      }
    }
    throw new IllegalStateException(
        "chromedriver not ready after " + STATUS_ATTEMPTS + " attempts; output: " + log());
  }

  private void newSession() throws IOException {
    String args =
        Stream.concat(
                Stream.of(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--user-data-dir=" + userDataDir,
                    "--window-size=1280,900"),
                extraArgs.stream())
            .map(WebDriverClient::quote)
            .reduce((a, b) -> a + "," + b)
            .orElseThrow();
    String body =
        "{\"capabilities\":{\"alwaysMatch\":{\"browserName\":\"chrome\","
            + "\"goog:chromeOptions\":{\"binary\":"
            + quote(CHROMIUM.toString())
            + ",\"args\":["
            + args
            + "]},\"goog:loggingPrefs\":{\"browser\":\"ALL\"}}}}";
    Object value = request("POST", "/session", body);
    if (!(value instanceof Map<?, ?> m) || !(m.get("sessionId") instanceof String id)) {
      throw new IllegalStateException("no sessionId in the new session's answer: " + value);
    }
    session = id;
  }

  /** Sets how long an asynchronous script may run before the driver gives up on it. */
  void scriptTimeout(Duration timeout) throws IOException {
    request("POST", sessionPath("/timeouts"), "{\"script\":" + timeout.toMillis() + "}");
  }

  /** Opens {@code url} in the session's window, returning once the page has loaded. */
  void navigate(String url) throws IOException {
    request("POST", sessionPath("/url"), "{\"url\":" + quote(url) + "}");
  }

  /**
   * Runs {@code script} in the page with {@code argsJson} (a JSON array) as its arguments, the last
   * being the callback that ends it, and returns what the callback was given, as MiniJson parses
   * it.
   */
  Object executeAsync(String script, String argsJson) throws IOException {
    return request(
        "POST",
        sessionPath("/execute/async"),
        "{\"script\":" + quote(script) + ",\"args\":" + argsJson + "}");
  }

  /**
   * Returns the browser's log entries since the last call, oldest first: the page's console
   * messages, its uncaught errors and the resources it failed to load, each a map with {@code
   * level} ({@code SEVERE} for errors), {@code message}, {@code source} and {@code timestamp}.
   */
  List<Map<String, Object>> browserLog() throws IOException {
    Object value = request("POST", sessionPath("/se/log"), "{\"type\":\"browser\"}");
    if (!(value instanceof List<?> entries)) {
      throw new IllegalStateException("the browser log is not a list: " + value);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object e : entries) {
      if (!(e instanceof Map<?, ?> m)) {
        throw new IllegalStateException("a browser log entry is not an object: " + e);
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      m.forEach((k, v) -> entry.put(String.valueOf(k), v));
      out.add(entry);
    }
    return out;
  }

  /** Returns a PNG screenshot of the window. */
  byte[] screenshot() throws IOException {
    Object value = request("GET", sessionPath("/screenshot"), null);
    if (!(value instanceof String base64)) {
      throw new IllegalStateException("screenshot is not a string: " + value);
    }
    return Base64.getDecoder().decode(base64);
  }

  /** Ends the session, stops chromedriver and its children and deletes the browser profile. */
  @Override
  public void close() throws IOException {
    try {
      if (!session.isEmpty()) {
        String id = session;
        session = "";
        request("DELETE", "/session/" + id, null);
      }
    } catch (IOException | RuntimeException e) {
      // The processes are killed below either way.
    } finally {
      stopDriver();
      deleteRecursively(userDataDir);
    }
  }

  private void stopDriver() {
    List<ProcessHandle> children = driver.descendants().toList();
    children.forEach(ProcessHandle::destroy);
    driver.destroy();
    awaitExit(driver.toHandle());
    children.forEach(WebDriverClient::awaitExit);
  }

  /** Waits up to 10 s for a process told to stop, then kills it. */
  private static void awaitExit(ProcessHandle process) {
    try {
      process.onExit().get(10, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private String sessionPath(String suffix) {
    if (session.isEmpty()) {
      throw new IllegalStateException("no WebDriver session");
    }
    return "/session/" + session + suffix;
  }

  /** Sends one WebDriver command and returns its {@code value}, failing on a WebDriver error. */
  private Object request(String method, String path, String body) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
    c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
    c.setReadTimeout((int) READ_TIMEOUT.toMillis());
    c.setRequestMethod(method);
    try {
      if (body != null) {
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json; charset=utf-8");
        try (OutputStream out = c.getOutputStream()) {
          out.write(body.getBytes(StandardCharsets.UTF_8));
        }
      }
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Object value = MiniJson.object(text).get("value");
      if (status >= 400) {
        throw new IllegalStateException(
            "WebDriver " + method + " " + path + " answered " + status + ": " + value);
      }
      return value;
    } finally {
      c.disconnect();
    }
  }

  private String log() {
    synchronized (driverLog) {
      return String.join("\n", driverLog);
    }
  }

  /** Returns {@code s} as a JSON string literal. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (ch < 0x20) {
            sb.append(String.format("\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
