package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Exact counts when threads record at once, released together by a latch. */
class MetricsConcurrencyTest {

  private static final int THREADS = 4;
  private static final int CALLS = 20_000;

  @Test
  void fourThreads_recordingAtOnce_loseNoCountAndNoLatency() throws Exception {
    AtomicLong now = new AtomicLong();
    Metrics metrics =
        Metrics.builder("contended")
            .window(Duration.ofSeconds(60), 60)
            .latencyWindow(Duration.ofSeconds(60), 6)
            .ticker(now::get)
            .build();
    IOException boom = new IOException("boom");
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await(10, TimeUnit.SECONDS);
                  for (int i = 0; i < CALLS; i++) {
                    // The ticker moves 0.5 ms per call: 40 s in all, across dozens of count
                    // buckets and several latency buckets, inside both windows.
                    metrics.run(() -> now.addAndGet(500_000));
                    try {
                      metrics.call(
                          () -> {
                            throw boom;
                          });
                    } catch (IOException expected) {
                      // counted
                    }
                    metrics.recordShortCircuit();
                    if (i % 2 == 0) {
                      metrics.start().timeout();
                    } else {
                      metrics.recordRejection();
                    }
                  }
                  return null;
                }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    MetricsSnapshot s = metrics.snapshot();
    assertThat(now.get()).isEqualTo(Duration.ofSeconds(40).toNanos());
    assertThat(s.successes()).isEqualTo(THREADS * CALLS);
    assertThat(s.failures()).isEqualTo(THREADS * CALLS);
    assertThat(s.failuresByType().get("java.io.IOException")).isEqualTo(THREADS * CALLS);
    assertThat(s.shortCircuits()).isEqualTo(THREADS * CALLS);
    assertThat(s.timeouts()).isEqualTo(THREADS * CALLS / 2);
    assertThat(s.rejections()).isEqualTo(THREADS * CALLS / 2);
    assertThat(s.latencyCount()).isEqualTo(THREADS * CALLS * 5L / 2);
    assertThat(s.inFlight()).isZero();
    assertThat(s.maxInFlight()).isBetween(1L, (long) THREADS);
  }
}
