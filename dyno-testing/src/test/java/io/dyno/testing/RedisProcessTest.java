package io.dyno.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisProcessTest {

  @BeforeAll
  static void serverInstalled() {
    if (System.getenv("CI") != null && !RedisProcess.installed()) {
      throw new IllegalStateException(RedisProcess.BINARY + " is missing, and CI is set");
    }
    assumeTrue(RedisProcess.installed(), RedisProcess.BINARY + " is missing: skipped");
  }

  @Test
  void aStartedServer_answersOnItsPort_untilKilled_andARestartBringsItBackEmpty() throws Exception {
    try (RedisProcess redis = RedisProcess.start()) {
      assertThat(redis.running()).isTrue();
      assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
      assertThat(redis.toString()).isEqualTo("RedisProcess{" + redis.uri() + ", running}");
      assertThat(send(redis.port(), "SET k v\r\n")).isEqualTo("+OK");
      assertThat(send(redis.port(), "EXISTS k\r\n")).isEqualTo(":1");

      redis.kill();
      assertThat(redis.running()).isFalse();
      assertThat(redis.toString()).endsWith(", stopped}");
      assertThatThrownBy(() -> send(redis.port(), "PING\r\n")).isInstanceOf(IOException.class);
      redis.kill(); // nothing left to kill

      redis.restart();
      assertThat(send(redis.port(), "EXISTS k\r\n")).isEqualTo(":0");
      redis.restart(); // running: nothing to do
      assertThat(redis.running()).isTrue();
    }
  }

  @Test
  void close_stopsTheServer_andIsIdempotent() throws Exception {
    RedisProcess redis = RedisProcess.start();
    redis.close();
    assertThat(redis.running()).isFalse();
    assertThatThrownBy(() -> send(redis.port(), "PING\r\n")).isInstanceOf(IOException.class);
    redis.close();
    assertThat(redis.running()).isFalse();
  }

  @Test
  void startOn_aGivenPort_listensThere() throws Exception {
    int port = RedisProcess.freePort();
    try (RedisProcess redis = RedisProcess.startOn(port)) {
      assertThat(redis.port()).isEqualTo(port);
      assertThat(send(port, "PING\r\n")).isEqualTo("+PONG");
    }
  }

  @Test
  void startOn_aPortOutOfRange_namesIt() {
    assertThatThrownBy(() -> RedisProcess.startOn(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 1 and 65535, was 0");
    assertThatThrownBy(() -> RedisProcess.startOn(65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 1 and 65535, was 65536");
  }

  @Test
  void aServerThatCannotListen_failsItsStart_namingThePortAndTheLog() throws Exception {
    try (RedisProcess first = RedisProcess.start()) {
      assertThatThrownBy(() -> RedisProcess.startOn(first.port()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("redis-server on port " + first.port() + " exited with")
          .hasMessageContaining("redis-" + first.port() + ".log");
    }
  }

  @Test
  void aServerWhoseJvmIsKilled_stopsWithIt() throws Exception {
    String classPath =
        String.join(
            File.pathSeparator,
            Path.of("target", "classes").toAbsolutePath().toString(),
            Path.of("target", "test-classes").toAbsolutePath().toString());
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                RedisProcessOrphanMain.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
      int port = Integer.parseInt(out.readLine());
      assertThat(send(port, "PING\r\n")).isEqualTo("+PONG");

      jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (answers(port)) {
        assertThat(System.nanoTime() - deadline).as("server gone within 30 s").isNegative();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
    } finally {
      jvm.destroyForcibly();
    }
  }

  private static boolean answers(int port) {
    try {
      return send(port, "PING\r\n").equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  /** Sends one inline command and returns the first line of the reply. */
  private static String send(int port, String command) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(command.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != '\r' && c != -1; c = in.read()) {
        line.append((char) c);
      }
      return line.toString();
    }
  }
}
