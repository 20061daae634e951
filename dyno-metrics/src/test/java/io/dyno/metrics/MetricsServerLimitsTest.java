package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link MetricsServer} under load and misuse: refusing before working, one reading shared by every
 * client, clients that stop reading, and floods of connections.
 */
class MetricsServerLimitsTest extends CountedServerTestBase {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private void addMetrics(int count) {
    for (int i = 0; i < count; i++) {
      board.metrics(String.format("service-%03d", i)).recordRejection();
    }
  }

  @Test
  void aStreamRefusedForWantOfAPlace_readsNoMetric() throws Exception {
    addMetrics(3);
    server = MetricsServer.builder(board).maxStreams(1).streamInterval(Duration.ofHours(1)).start();
    try (SseClient first = new SseClient(server.port())) {
      assertThat(first.nextData()).contains("service-000");
      int before = reads.get();

      try (SseClient second = new SseClient(server.port())) {
        assertThat(second.status).isEqualTo(503);
      }

      assertThat(reads.get()).as("snapshots taken to say no").isEqualTo(before);
    }
  }

  @Test
  void clientsThatConnectWithinOneInterval_shareOneReadingOfTheRegistry() throws Exception {
    addMetrics(3);
    server = MetricsServer.builder(board).streamInterval(Duration.ofHours(1)).start();
    List<SseClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        SseClient c = new SseClient(server.port());
        clients.add(c);
        assertThat(c.nextData()).contains("service-000");
      }

      assertThat(reads.get()).as("one snapshot per metric, shared by 4 clients").isEqualTo(3);
    } finally {
      for (SseClient c : clients) {
        c.close();
      }
    }
  }

  @Test
  void aStreamClientThatNeverReads_losesItsPlaceWithinTheWriteTimeout() throws Exception {
    addMetrics(300);
    server =
        MetricsServer.builder(board)
            .maxStreams(1)
            .streamInterval(Duration.ofMillis(10))
            .writeTimeout(Duration.ofMillis(200))
            .start();
    try (Socket stuck = new Socket()) {
      // A small window makes the server's writes block soon; this client never reads a byte.
      stuck.setReceiveBufferSize(4096);
      stuck.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
      OutputStream out = stuck.getOutputStream();
      out.write(
          "GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(server.awaitOpenStreams(1, WAIT)).isTrue();

      assertThat(server.awaitOpenStreams(0, WAIT))
          .as("the stuck client's place is freed while it is still connected")
          .isTrue();
      try (SseClient next = new SseClient(server.port())) {
        assertThat(next.status).isEqualTo(200);
        assertThat(next.nextData()).contains("service-000");
      }
    }
  }

  @Test
  void sixHundredStreamConnectionsThatHangUp_leaveMetricsJsonAnswering() throws Exception {
    addMetrics(300);
    server = MetricsServer.builder(board).streamInterval(Duration.ofMillis(100)).start();
    int port = server.port();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> flood = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        flood.add(
            pool.submit(
                () -> {
                  go.await(10, TimeUnit.SECONDS);
                  try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    s.getOutputStream()
                        .write(
                            "GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                  }
                  return null;
                }));
      }
      go.countDown();

      // Asked while the connections come and go: each answer must arrive.
      for (int i = 0; i < 5; i++) {
        assertThat(getMetricsJson(port)).startsWith("{\"service-000\":");
      }
      for (Future<?> f : flood) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(getMetricsJson(port)).contains("\"service-299\"");
      assertThat(server.awaitOpenStreams(0, WAIT)).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  private static String getMetricsJson(int port) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + port + "/metrics.json").toURL().openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(10_000);
    try (InputStream in = c.getInputStream()) {
      assertThat(c.getResponseCode()).isEqualTo(200);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }
}
