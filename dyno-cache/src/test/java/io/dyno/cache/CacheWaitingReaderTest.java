package io.dyno.cache;

import static io.dyno.cache.Latches.await;
import static io.dyno.cache.Latches.awaitParked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A reader that finds the key being computed by another reader waits for that computation. */
class CacheWaitingReaderTest {

  private static final long WAIT_SECONDS = 10;
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aReaderWaitingForAComputationThatFails_getsTheSameFailure_andDoesNotLoadItself()
      throws Exception {
    Cache<String, String> cache = Cache.builder("waiting").ttl(Duration.ofSeconds(1)).build();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicInteger ownLoads = new AtomicInteger();
    AtomicReference<Thread> waiterThread = new AtomicReference<>();

    Future<String> first =
        pool.submit(
            () ->
                cache.get(
                    "k",
                    key -> {
                      started.countDown();
                      await(release);
                      throw boom;
                    }));
    await(started);
    CountDownLatch waiterRunning = new CountDownLatch(1);
    Future<String> waiter =
        pool.submit(
            () -> {
              waiterThread.set(Thread.currentThread());
              waiterRunning.countDown();
              return cache.get(
                  "k",
                  key -> {
                    ownLoads.incrementAndGet();
                    return "own";
                  });
            });
    await(waiterRunning);
    awaitParked(waiterThread.get());
    release.countDown();

    assertThatThrownBy(() -> first.get(WAIT_SECONDS, TimeUnit.SECONDS)).cause().isSameAs(boom);
    assertThatThrownBy(() -> waiter.get(WAIT_SECONDS, TimeUnit.SECONDS)).cause().isSameAs(boom);
    assertThat(ownLoads).hasValue(0);
    assertThat(cache.stats().loadFailures()).isEqualTo(1);
    assertThat(cache.size()).isZero();
  }
}
