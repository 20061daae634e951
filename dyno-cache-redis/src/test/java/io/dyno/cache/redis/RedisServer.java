package io.dyno.cache.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis server for a test class ({@link #perClass()}) or for each test ({@link #perTest()},
 * for tests that stop it): {@code redis-server} on a free loopback port, with no persistence,
 * started as a child process, ready once it answers PING, stopped after. Where {@code
 * /usr/bin/redis-server} is absent the tests are skipped with a message, unless the environment
 * variable {@code CI} is set: there they must run, so they fail.
 */
final class RedisServer
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  static final Path BINARY = Path.of("/usr/bin/redis-server");

  /**
   * The command timeout of the tests' caches where Redis is up: long enough for a loaded build
   * machine, where the default 100 ms can pass before a first command's reply.
   */
  static final Duration PATIENT = Duration.ofSeconds(5);

  private final boolean perTest;
  private int port;
  private Process process;
  private final List<RedisClient> clients = new ArrayList<>();

  private RedisServer(boolean perTest) {
    this.perTest = perTest;
  }

  /** A server started before the class's first test and stopped after its last. */
  static RedisServer perClass() {
    return new RedisServer(false);
  }

  /** A server started before each test and stopped after it. */
  static RedisServer perTest() {
    return new RedisServer(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (!perTest) {
      start(freePort());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!perTest) {
      shutdown();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (perTest) {
      start(freePort());
    } else {
      commands().flushall();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      shutdown();
    }
  }

  /** The server's URI, {@code redis://127.0.0.1:<port>}. */
  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** Commands on a connection of the test's own, closed with the server. */
  RedisCommands<String, String> commands() {
    RedisClient client = RedisClient.create(uri());
    clients.add(client);
    StatefulRedisConnection<String, String> connection = client.connect();
    connection.setTimeout(Duration.ofSeconds(5));
    return connection.sync();
  }

  /** Stops the server, as a crash would. */
  void stop() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("redis-server on port " + port + " did not stop");
    }
  }

  /** Starts the server again on the same port, empty. */
  void restart() throws IOException, InterruptedException {
    start(port);
  }

  private void start(int port) throws IOException, InterruptedException {
    boolean present = Files.isExecutable(BINARY);
    if (!present && System.getenv("CI") != null) {
      throw new IllegalStateException(
          BINARY + " is missing, and CI is set: the Redis tests must run here");
    }
    Assumptions.assumeTrue(
        present, BINARY + " is missing: the tests against a real Redis are skipped");
    this.port = port;
    Path log = Path.of("target", "redis-" + port + ".log");
    Files.createDirectories(log.getParent());
    process =
        new ProcessBuilder(
                BINARY.toString(),
                "--port",
                Integer.toString(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--bind",
                "127.0.0.1")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    awaitPong();
  }

  private void shutdown() {
    for (RedisClient client : clients) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    clients.clear();
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits, at most 10 seconds, until the server answers PING with PONG. */
  private void awaitPong() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited with " + process.exitValue() + "; see target/redis-*.log");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        s.setSoTimeout(1000);
        OutputStream out = s.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] reply = new byte[7];
        int n = in.readNBytes(reply, 0, 7);
        if (new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG")) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    throw new IllegalStateException("redis-server on port " + port + " did not answer PING");
  }

  /** A loopback port that nothing listens on now. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
