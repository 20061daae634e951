package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.internal.HystrixFields;
import io.dyno.metrics.internal.MiniJson;
import io.dyno.testing.FakeTicker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MetricsServer}'s {@code /stream} over real sockets: the frames, many clients, clients that
 * vanish, and closing. The interval is short so that frames come quickly, but no assertion depends
 * on how many intervals pass: every wait is for a frame or a state, with a timeout.
 */
class MetricsServerStreamTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final List<String> REQUIRED = HystrixFields.REQUIRED;

  private final FakeTicker now = FakeTicker.create();
  private final MetricsRegistry board =
      MetricsRegistry.create(name -> Metrics.builder(name).ticker(now).build());
  private MetricsServer server;

  @AfterEach
  void closeServer() {
    if (server != null) {
      server.close();
    }
  }

  private MetricsServer start() throws Exception {
    server = MetricsServer.builder(board).streamInterval(Duration.ofMillis(20)).start();
    return server;
  }

  @Test
  void anEmptyRegistry_streamsPingComments() throws Exception {
    start();
    try (SseClient client = new SseClient(server.port())) {
      assertThat(client.status).isEqualTo(200);
      assertThat(client.headers)
          .containsEntry("content-type", "text/event-stream;charset=UTF-8")
          .containsEntry("transfer-encoding", "chunked");
      assertThat(client.nextFrame()).isEqualTo(": ping");
      assertThat(client.nextFrame()).isEqualTo(": ping");
    }
  }

  @Test
  void eachInterval_sendsOneHystrixCommandFramePerMetric_withTheRecordedCounts() throws Exception {
    Metrics payments = board.metrics("payments");
    for (int i = 0; i < 3; i++) {
      payments.run(() -> now.advance(Duration.ofMillis(4)));
    }
    payments.start().timeout();
    payments.recordShortCircuit();
    payments.recordRejection();
    Metrics.Sample running = payments.start();
    board.metrics("stock");
    start();

    try (SseClient client = new SseClient(server.port())) {
      List<Map<String, Object>> frames = new ArrayList<>();
      String first = client.nextData();
      frames.add(MiniJson.object(first));
      for (int i = 1; i < 4; i++) {
        frames.add(MiniJson.object(client.nextData()));
      }

      // Each emission lists the metrics in name order, one frame each.
      assertThat(frames)
          .extracting(f -> f.get("name"))
          .containsExactly("payments", "stock", "payments", "stock");
      Map<String, Object> p = frames.get(0);
      assertThat(p).containsKeys(REQUIRED.toArray(String[]::new));
      assertThat(p)
          .containsEntry("type", "HystrixCommand")
          .containsEntry("group", "dyno")
          .containsEntry("reportingHosts", 1.0)
          .containsEntry("isCircuitBreakerOpen", false)
          .containsEntry("requestCount", 6.0)
          .containsEntry("errorCount", 3.0)
          .containsEntry("errorPercentage", 50.0)
          .containsEntry("rollingCountSuccess", 3.0)
          .containsEntry("rollingCountTimeout", 1.0)
          .containsEntry("rollingCountShortCircuited", 1.0)
          // No pool: the rejection is the semaphore's, the count the dashboard shows.
          .containsEntry("rollingCountSemaphoreRejected", 1.0)
          .containsEntry("rollingCountThreadPoolRejected", 0.0)
          .containsEntry("currentConcurrentExecutionCount", 1.0);
      // Three calls of 4 ms and a timeout of 0 ms, in whole milliseconds as Hystrix sends them.
      Map<String, Object> exact = MiniJson.exact(first);
      assertThat(exact.get("latencyExecute_mean")).isEqualTo(3L);
      @SuppressWarnings("unchecked")
      Map<String, Object> latency = (Map<String, Object>) exact.get("latencyExecute");
      assertThat(latency.get("50")).isEqualTo(4L);
      assertThat(latency.get("0")).isEqualTo(0L);
      assertThat(frames.get(1)).containsEntry("requestCount", 0.0);
    } finally {
      running.success();
    }
  }

  @Test
  void aReportedStatus_showsAsTheCircuit_andAsAThreadPoolFrameAfterItsCommand() throws Exception {
    Metrics payments = board.metrics("payments");
    payments.run(() -> now.advance(Duration.ofMillis(2)));
    payments.recordRejection();
    AtomicReference<MetricsStatus> status =
        new AtomicReference<>(
            MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofSeconds(3))
                .withPool(new MetricsStatus.Pool(4, 2, 3, 1, 0, 9)));
    payments.reportStatus(status::get);
    board.metrics("stock");
    start();

    try (SseClient client = new SseClient(server.port())) {
      Map<String, Object> command = MiniJson.exact(client.nextData());
      Map<String, Object> pool = MiniJson.exact(client.nextData());
      Map<String, Object> stock = MiniJson.exact(client.nextData());

      assertThat(command)
          .containsEntry("type", "HystrixCommand")
          .containsEntry("name", "payments")
          .containsEntry("isCircuitBreakerOpen", true)
          .containsEntry("propertyValue_circuitBreakerEnabled", true)
          .containsEntry("propertyValue_executionIsolationStrategy", "THREAD")
          .containsEntry("rollingCountThreadPoolRejected", 1L)
          .containsEntry("threadPool", "payments");
      assertThat(pool)
          .containsEntry("type", "HystrixThreadPool")
          .containsEntry("name", "payments")
          .containsEntry("currentActiveCount", 1L)
          .containsEntry("currentMaximumPoolSize", 4L)
          .containsEntry("currentTaskCount", 10L)
          .containsEntry("rollingCountThreadsExecuted", 1L)
          .containsEntry("rollingCountCommandRejections", 1L);
      assertThat(stock)
          .containsEntry("name", "stock")
          .containsEntry("isCircuitBreakerOpen", false)
          .containsEntry("propertyValue_circuitBreakerEnabled", false)
          .containsEntry("threadPool", "dyno");

      // The breaker closes and the pool goes: the frames say so, with no thread pool frame.
      status.set(MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null));
      Map<String, Object> next;
      do {
        next = MiniJson.exact(client.nextData());
      } while (!next.get("name").equals("payments")
          || !next.get("type").equals("HystrixCommand")
          || next.get("isCircuitBreakerOpen").equals(true));
      assertThat(next)
          .containsEntry("propertyValue_executionIsolationStrategy", "SEMAPHORE")
          .containsEntry("threadPool", "dyno");
      assertThat(MiniJson.exact(client.nextData())).containsEntry("name", "stock");
    }
  }

  @Test
  void tenClientsAtOnce_eachGetFrames() throws Exception {
    board.metrics("payments").run(() -> {});
    start();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    CountDownLatch go = new CountDownLatch(1);
    List<SseClient> clients = new CopyOnWriteArrayList<>();
    try {
      List<Future<String>> names = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        names.add(
            pool.submit(
                () -> {
                  go.await(10, TimeUnit.SECONDS);
                  SseClient c = new SseClient(server.port());
                  clients.add(c);
                  // Several frames each, so that all ten are served across intervals.
                  String name = "";
                  for (int f = 0; f < 3; f++) {
                    name = (String) MiniJson.object(c.nextData()).get("name");
                  }
                  return name;
                }));
      }
      go.countDown();
      for (Future<String> name : names) {
        assertThat(name.get(10, TimeUnit.SECONDS)).isEqualTo("payments");
      }
      assertThat(server.awaitOpenStreams(10, WAIT)).isTrue();
    } finally {
      pool.shutdownNow();
      for (SseClient c : clients) {
        c.close();
      }
    }
    assertThat(server.awaitOpenStreams(0, WAIT)).as("closed clients are dropped").isTrue();
  }

  @Test
  void aClientThatVanishesMidStream_isDropped_andOthersAreStillServed() throws Exception {
    board.metrics("payments");
    start();
    try (SseClient stays = new SseClient(server.port())) {
      SseClient leaves = new SseClient(server.port());
      assertThat(leaves.nextData()).contains("\"payments\"");
      assertThat(server.awaitOpenStreams(2, WAIT)).isTrue();

      leaves.abort();

      assertThat(server.awaitOpenStreams(1, WAIT)).as("the writer noticed the reset").isTrue();
      board.metrics("later");
      String next;
      do {
        next = stays.nextData();
      } while (next != null && !next.contains("\"later\""));
      assertThat(next).contains("\"name\":\"later\"");
      try (SseClient newcomer = new SseClient(server.port())) {
        assertThat(newcomer.nextData()).contains("\"name\":\"later\"");
      }
    }
  }

  @Test
  void close_endsEveryOpenStream_andStopsTheServersThreads() throws Exception {
    board.metrics("payments");
    start();
    String prefix = "dyno-metrics-server-" + server.port() + "-";
    List<SseClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        SseClient c = new SseClient(server.port());
        clients.add(c);
        assertThat(c.nextData()).isNotNull();
      }
      assertThat(server.openStreams()).isEqualTo(3);

      server.close();

      for (SseClient c : clients) {
        assertThat(c.readsToEnd()).as("stream ended, not timed out").isTrue();
      }
      assertThat(server.openStreams()).isZero();
      // An executor counts as terminated while its last thread is still returning from its run
      // loop: give each of the server's threads a bounded join before checking none is left.
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith(prefix)) {
          t.join(10_000);
        }
      }
      assertThat(Thread.getAllStackTraces().keySet())
          .filteredOn(t -> t.getName().startsWith(prefix) && t.isAlive())
          .isEmpty();
    } finally {
      for (SseClient c : clients) {
        c.close();
      }
    }
  }

  @Test
  void beyondMaxStreams_aClientGets503_untilAStreamCloses() throws Exception {
    server =
        MetricsServer.builder(board).maxStreams(1).streamInterval(Duration.ofMillis(20)).start();
    try (SseClient first = new SseClient(server.port())) {
      assertThat(first.nextFrame()).isEqualTo(": ping");
      try (SseClient second = new SseClient(server.port())) {
        assertThat(second.status).isEqualTo(503);
        assertThat(second.headers).containsEntry("retry-after", "5");
      }
    }
    assertThat(server.awaitOpenStreams(0, WAIT)).isTrue();
    try (SseClient third = new SseClient(server.port())) {
      assertThat(third.status).isEqualTo(200);
    }
  }

  @Test
  void aTickThatFails_isLogged_andTheStreamGoesOnOnceTheRegistryRecovers() throws Exception {
    AtomicBoolean broken = new AtomicBoolean();
    CountDownLatch failedTick = new CountDownLatch(1);
    Clock flaky =
        CallbackClock.breaking(
            () -> {
              if (broken.get()) {
                failedTick.countDown();
                return true;
              }
              return false;
            });
    MetricsRegistry flakyBoard =
        MetricsRegistry.create(n -> Metrics.builder(n).clock(flaky).build());
    flakyBoard.metrics("x");
    server = MetricsServer.builder(flakyBoard).streamInterval(Duration.ofMillis(20)).start();
    try (SseClient client = new SseClient(server.port())) {
      assertThat(client.nextData()).contains("\"x\"");
      broken.set(true);
      flakyBoard.remove("x");
      flakyBoard.metrics("y");
      // A tick fails while the clock is broken; once it mends, frames arrive again.
      assertThat(failedTick.await(10, TimeUnit.SECONDS)).isTrue();
      broken.set(false);
      String next;
      do {
        next = client.nextData();
      } while (next != null && !next.contains("\"y\""));
      assertThat(next).contains("\"name\":\"y\"");
    }
  }
}
