package io.dyno.metrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stock Hystrix dashboard war run by Jetty's {@code jetty-runner}, as a child process of the
 * test on the same {@code java} the test runs on, listening on a loopback port the system picks.
 * The port is read from Jetty's own start-up line; the dashboard's page is then fetched once to
 * check that it is served. Its output is kept (the last {@value #OUTPUT_LINES} lines) for failure
 * messages. {@link #close()} stops it and waits for it to exit.
 */
final class HystrixDashboardServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int OUTPUT_LINES = 300;

  /** Jetty's line once the connector listens: {@code Started ServerConnector@..{127.0.0.1:P}}. */
  private static final Pattern STARTED =
      Pattern.compile("Started ServerConnector@.*\\{127\\.0\\.0\\.1:(\\d+)}");

  private final Process process;
  private final Deque<String> output = new ArrayDeque<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();

  private HystrixDashboardServer(Process process) {
    this.process = process;
  }

  /**
   * Starts {@code war} at the root context with {@code jettyRunner}, unpacking it under {@code
   * tempDir}, and returns once the dashboard's monitor page is served.
   */
  static HystrixDashboardServer start(Path jettyRunner, Path war, Path tempDir)
      throws IOException, InterruptedException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process p =
        new ProcessBuilder(
                List.of(
                    java,
                    // Quick to start, and light on a machine busy with the build.
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-Djava.io.tmpdir=" + tempDir,
                    // Jetty logs through a no-op slf4j otherwise, and its start-up line names the
                    // port.
                    "-Dorg.eclipse.jetty.util.log.class=org.eclipse.jetty.util.log.StdErrLog",
                    "-jar",
                    jettyRunner.toString(),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--path",
                    "/",
                    war.toString()))
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    HystrixDashboardServer server = new HystrixDashboardServer(p);
    try {
      server.drain();
      server.awaitServing();
      return server;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  private void drain() {
    Thread drain =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  synchronized (output) {
                    output.addLast(line);
                    if (output.size() > OUTPUT_LINES) {
                      output.removeFirst();
                    }
                  }
                  Matcher m = STARTED.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (IOException e) {
                port.completeExceptionally(e);
              }
              port.completeExceptionally(
                  new IllegalStateException("jetty-runner exited before it listened"));
            },
            "jetty-runner-output");
    drain.setDaemon(true);
    drain.start();
  }

  private void awaitServing() throws IOException, InterruptedException {
    int listening;
    try {
      listening = port.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "jetty-runner did not listen within " + START_TIMEOUT + "; output:\n" + output(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "jetty-runner did not start: " + e.getCause() + "; output:\n" + output(), e);
    }
    // Jetty starts the web application before the connector, so the page is served by now.
    String page = url("/monitor/monitor.html");
    HttpURLConnection c = (HttpURLConnection) URI.create(page).toURL().openConnection();
    c.setConnectTimeout((int) HTTP_TIMEOUT.toMillis());
    c.setReadTimeout((int) HTTP_TIMEOUT.toMillis());
    try {
      int status = c.getResponseCode();
      if (status != 200) {
        throw new IllegalStateException(
            "GET "
                + page
                + " answered "
                + status
                + " on port "
                + listening
                + "; output:\n"
                + output());
      }
    } finally {
      c.disconnect();
    }
  }

  /** Returns the port the dashboard listens on. */
  int port() {
    return port.join();
  }

  /** Returns the dashboard's URL for {@code path}, which starts with a slash. */
  String url(String path) {
    return "http://localhost:" + port() + path;
  }

  /** Returns the last lines the process wrote, one per line. */
  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** Stops the process and any it started, waits for them to exit, and kills them if they hang. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    awaitExit(process.toHandle());
    children.forEach(HystrixDashboardServer::awaitExit);
  }

  private static void awaitExit(ProcessHandle p) {
    try {
      p.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      p.destroyForcibly();
      p.onExit().join();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
