package io.dyno.cache.redis;

import io.dyno.testing.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis server for a test class ({@link #perClass()}) or for each test ({@link #perTest()},
 * for tests that stop it): a {@link RedisProcess} on a free loopback port, stopped after. Where
 * {@code /usr/bin/redis-server} is absent the tests are skipped with a message, unless the
 * environment variable {@code CI} is set: there they must run, so they fail.
 */
final class RedisServer
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  /**
   * The command timeout of the tests' caches where Redis is up: long enough for a loaded build
   * machine, where the default 100 ms can pass before a first command's reply.
   */
  static final Duration PATIENT = Duration.ofSeconds(5);

  private final boolean perTest;
  private @Nullable RedisProcess process;
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
      start();
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
      start();
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
    return running().uri();
  }

  int port() {
    return running().port();
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
    running().kill();
  }

  /** Starts the server again on the same port, empty. */
  void restart() throws IOException, InterruptedException {
    running().restart();
  }

  private RedisProcess running() {
    RedisProcess p = process;
    if (p == null) {
      throw new IllegalStateException("no Redis server was started for this test");
    }
    return p;
  }

  private void start() throws IOException, InterruptedException {
    boolean present = RedisProcess.installed();
    if (!present && System.getenv("CI") != null) {
      throw new IllegalStateException(
          RedisProcess.BINARY + " is missing, and CI is set: the Redis tests must run here");
    }
    Assumptions.assumeTrue(
        present, RedisProcess.BINARY + " is missing: the tests against a real Redis are skipped");
    process = RedisProcess.start();
  }

  private void shutdown() {
    for (RedisClient client : clients) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    clients.clear();
    RedisProcess p = process;
    if (p != null) {
      p.close();
    }
  }

  /** A loopback port that nothing listens on now. */
  static int freePort() throws IOException {
    return RedisProcess.freePort();
  }
}
