package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Threads that record at once into a window's stripe, or a stripe's page, that does not exist yet:
 * the stripe and the page are created once, and no value goes into a copy that lost the race.
 */
class StripeHistogramRaceTest {

  private static final int THREADS = 2;
  private static final int ROUNDS = 300;

  @Test
  void threadsRecordingTheirFirstValuesAtOnce_intoOneStripe_loseNone() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        // One stripe, so that every thread needs the same stripe and the same page first.
        RollingLatency latency = new RollingLatency(1_000, 1, 0, 1);
        AtomicInteger arrived = new AtomicInteger();
        Future<?>[] recorders = new Future<?>[THREADS];
        for (int t = 0; t < THREADS; t++) {
          recorders[t] =
              pool.submit(
                  () -> {
                    // Released together, as closely as the scheduler allows, to race the creation.
                    arrived.incrementAndGet();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    while (arrived.get() < THREADS && System.nanoTime() - deadline < 0) {
                      Thread.onSpinWait();
                    }
                    latency.record(0, 1_000_000);
                  });
        }
        for (Future<?> recorder : recorders) {
          recorder.get(10, TimeUnit.SECONDS);
        }

        assertThat(latency.summarize(1, List.of(50.0)).count())
            .as("round %d", round)
            .isEqualTo(THREADS);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void threadsRecordingAtOnce_intoAPageNotYetCreated_loseNone() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        StripeHistogram stripe = new StripeHistogram();
        AtomicInteger arrived = new AtomicInteger();
        Future<?>[] recorders = new Future<?>[THREADS];
        for (int t = 0; t < THREADS; t++) {
          recorders[t] =
              pool.submit(
                  () -> {
                    arrived.incrementAndGet();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    while (arrived.get() < THREADS && System.nanoTime() - deadline < 0) {
                      Thread.onSpinWait();
                    }
                    stripe.record(1_000_000);
                  });
        }
        for (Future<?> recorder : recorders) {
          recorder.get(10, TimeUnit.SECONDS);
        }

        assertThat(stripe.drainTo((value, count) -> {})).as("round %d", round).isEqualTo(THREADS);
        assertThat(stripe.pagesAllocated()).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
