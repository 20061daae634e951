package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MetricsServer}'s streams at their edges: a given executor that stops taking work ends the
 * streams, closing from an interrupted thread keeps the interrupt and from any other thread leaves
 * none and logs nothing, and a board with no clients is read no more.
 */
class MetricsServerStreamEdgeTest {

  private MetricsServer server;

  @AfterEach
  void closeServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aGivenExecutorThatStopsTakingWork_endsTheStreams() throws Exception {
    MetricsRegistry board = MetricsRegistry.create();
    board.metrics("payments").recordRejection();
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      server =
          MetricsServer.builder(board).executor(pool).streamInterval(Duration.ofMillis(5)).start();
      try (SseClient client = new SseClient(server.port())) {
        assertThat(client.nextData()).contains("\"name\":\"payments\"");

        pool.shutdown();

        assertThat(client.readsToEnd()).as("the stream ends, not times out").isTrue();
        assertThat(server.awaitOpenStreams(0, Duration.ofSeconds(10))).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void close_fromAnInterruptedThread_keepsTheInterrupt() throws Exception {
    MetricsRegistry board = MetricsRegistry.create();
    board.metrics("payments").recordRejection();
    server = MetricsServer.builder(board).streamInterval(Duration.ofHours(1)).start();
    try (SseClient client = new SseClient(server.port())) {
      assertThat(client.nextData()).contains("\"name\":\"payments\"");

      Thread.currentThread().interrupt();
      try {
        server.close();
      } finally {
        assertThat(Thread.interrupted()).isTrue();
      }
      assertThat(server.toString()).endsWith(", state=CLOSED]");
    }
  }

  @Test
  void close_withAStreamOpen_leavesTheCallerUninterrupted_andLogsNothing() throws Exception {
    MetricsRegistry board = MetricsRegistry.create();
    board.metrics("payments").recordRejection();
    server = MetricsServer.builder(board).streamInterval(Duration.ofHours(1)).start();
    String logged;
    try (SseClient client = new SseClient(server.port())) {
      assertThat(client.nextData()).contains("\"name\":\"payments\"");

      logged = StandardError.during(server::close);
    }

    assertThat(Thread.interrupted()).as("the caller's interrupt status after close").isFalse();
    assertThat(logged).as("what close logged").isEmpty();
  }

  @Test
  void afterTheLastClientLeaves_theBoardIsReadNoMore() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    Clock counting = CallbackClock.atEpoch(reads::incrementAndGet);
    MetricsRegistry board =
        MetricsRegistry.create(name -> Metrics.builder(name).clock(counting).build());
    board.metrics("payments").recordRejection();
    // The server's ticker stands still, so that no write is ever found stuck; its readings on the
    // scheduler's thread, by the check for stuck writes, show the schedule going on.
    Semaphore scheduled = new Semaphore(0);
    FakeTicker standing = FakeTicker.create();
    LongSupplier ticker =
        () -> {
          if (Thread.currentThread().getName().contains("-tick-")) {
            scheduled.release();
          }
          return standing.read();
        };
    server =
        MetricsServer.builder(board)
            .streamInterval(Duration.ofMillis(1))
            .writeTimeout(Duration.ofMillis(4))
            .ticker(ticker)
            .start();
    try (SseClient client = new SseClient(server.port())) {
      assertThat(client.nextData()).contains("\"name\":\"payments\"");
      assertThat(client.nextData()).contains("\"name\":\"payments\"");
    }
    assertThat(server.awaitOpenStreams(0, Duration.ofSeconds(10))).isTrue();
    // Once the scheduler has run past any tick begun before the client went, count the readings.
    scheduled.drainPermits();
    assertThat(scheduled.tryAcquire(1, 10, TimeUnit.SECONDS)).isTrue();
    int before = reads.get();

    assertThat(scheduled.tryAcquire(20, 10, TimeUnit.SECONDS)).isTrue();

    assertThat(reads.get()).as("readings of the board with nobody watching").isEqualTo(before);
  }
}
