package io.dyno.testing;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code redis-server} as a child process on a loopback port, with no persistence: for tests
 * and benchmarks of code that talks to Redis, started by the test and stopped after it.
 *
 * <pre>{@code
 * try (RedisProcess redis = RedisProcess.start()) {
 *   RedisCache<String, String> cache =
 *       RedisCache.builder("prices").redis(redis.uri()).values(ValueCodec.string()).ttl(ttl).build();
 *   ...
 *   redis.kill();     // as a crash would
 *   redis.restart();  // the same port, empty
 * }
 * }</pre>
 *
 * <p>A start returns once the server answers, or fails within 10 seconds naming the port and the
 * log file ({@code target/redis-<port>.log}, the server's output). The server runs under a small
 * {@code /bin/sh} watcher that reads the JVM's instructions from a pipe: when the JVM ends, however
 * it ends (a test process killed on a timeout included), the pipe closes and the watcher stops the
 * server, so no server outlives its test. Not thread-safe: one thread starts and stops it.
 */
public final class RedisProcess implements AutoCloseable {

  /** Where Debian's {@code redis-server} package installs the server. */
  public static final Path BINARY = Path.of("/usr/bin/redis-server");

  /**
   * Starts the server in the background, then waits for an instruction on standard input: {@code
   * kill} kills it at once, anything else (end of input included, when the JVM is gone) stops it
   * politely. Exits with the server's status, whenever the server ends.
   */
  private static final String WATCHER =
      "exec 3<&0\n"
          + "\"$0\" \"$@\" & server=$!\n"
          + "( read -r what <&3; if [ \"$what\" = kill ]; then kill -9 $server;"
          + " else kill $server; fi ) 2>/dev/null &\n"
          + "watcher=$!\n"
          + "wait $server; status=$?\n"
          + "kill $watcher 2>/dev/null\n"
          + "exit $status\n";

  private final int port;
  private @Nullable Process process;

  private RedisProcess(int port) {
    this.port = port;
  }

  /**
   * Returns whether {@link #BINARY} is installed here.
   *
   * @return true if the server can be started
   */
  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Starts a server on a free loopback port.
   *
   * @return the running server
   * @throws IOException if the process cannot be started
   * @throws InterruptedException if interrupted while waiting for the server to answer
   * @throws IllegalStateException if the server exits or does not answer within 10 seconds
   */
  public static RedisProcess start() throws IOException, InterruptedException {
    return startOn(freePort());
  }

  /**
   * Starts a server on {@code port} of the loopback interface.
   *
   * @param port between 1 and 65535
   * @return the running server
   * @throws IllegalArgumentException if {@code port} is out of range
   * @throws IOException if the process cannot be started
   * @throws InterruptedException if interrupted while waiting for the server to answer
   * @throws IllegalStateException if the server exits or does not answer within 10 seconds
   */
  public static RedisProcess startOn(int port) throws IOException, InterruptedException {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
    }
    RedisProcess redis = new RedisProcess(port);
    redis.restart();
    return redis;
  }

  /**
   * Returns a loopback port that nothing listens on now.
   *
   * @return the port
   * @throws IOException if no port can be bound
   */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Returns the server's port.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Returns the server's URI.
   *
   * @return {@code redis://127.0.0.1:<port>}
   */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * Returns whether the server's process is running.
   *
   * @return true while it runs
   */
  public boolean running() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * Kills the server at once, as a crash would; {@link #restart()} starts it again.
   *
   * @throws InterruptedException if interrupted while waiting for it to exit
   * @throws IllegalStateException if it has not exited within 10 seconds
   */
  public void kill() throws InterruptedException {
    Process p = process;
    if (p == null) {
      return;
    }
    tell(p, "kill");
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      destroyAll(p);
      throw new IllegalStateException("redis-server on port " + port + " did not stop");
    }
    process = null;
  }

  /**
   * Starts the server again on the same port, empty; does nothing while it runs.
   *
   * @throws IOException if the process cannot be started
   * @throws InterruptedException if interrupted while waiting for the server to answer
   * @throws IllegalStateException if {@link #BINARY} is missing, or the server exits or does not
   *     answer within 10 seconds
   */
  public void restart() throws IOException, InterruptedException {
    if (running()) {
      return;
    }
    if (!installed()) {
      throw new IllegalStateException(
          BINARY + " is missing: install Debian's redis-server package");
    }
    Path log = Path.of("target", "redis-" + port + ".log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(
                "/bin/sh",
                "-c",
                WATCHER,
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
    process = p;
    awaitPong(p, log);
  }

  /** Stops the server: a polite shutdown, then a forced one after 10 seconds. Idempotent. */
  @Override
  public void close() {
    Process p = process;
    if (p == null) {
      return;
    }
    process = null;
    tell(p, "stop");
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        destroyAll(p);
      }
    } catch (InterruptedException e) {
      destroyAll(p);
      Thread.currentThread().interrupt();
    }
  }

  /** Sends the watcher its instruction and closes the pipe. */
  private static void tell(Process p, String instruction) {
    try (OutputStream in = p.getOutputStream()) {
      in.write((instruction + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      // The watcher is gone already (the server ended): nothing left to tell.
    }
  }

  /** Kills the server and its watcher at once. */
  private static void destroyAll(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  @Override
  public String toString() {
    return "RedisProcess{" + uri() + (running() ? ", running}" : ", stopped}");
  }

  /** Waits, at most 10 seconds, until the server started as {@code p} answers. */
  private void awaitPong(Process p, Path log) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() - deadline < 0) {
      if (!p.isAlive()) {
        process = null;
        throw new IllegalStateException(
            "redis-server on port " + port + " exited with " + p.exitValue() + "; see " + log);
      }
      if (answersAs(p)) {
        return;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    destroyAll(p);
    process = null;
    throw new IllegalStateException(
        "redis-server on port " + port + " did not answer within 10 s; see " + log);
  }

  /**
   * Whether the server on the port is the one {@code p} started: it answers {@code INFO server}
   * with the id of a child of {@code p} (another server may hold the port while this one fails to
   * bind it).
   */
  private boolean answersAs(Process p) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] reply = new byte[4096];
      int n = in.read(reply);
      String info = n > 0 ? new String(reply, 0, n, StandardCharsets.US_ASCII) : "";
      return p.children().anyMatch(c -> info.contains("\nprocess_id:" + c.pid() + "\r"));
    } catch (IOException e) {
      return false; // not listening yet
    }
  }
}
