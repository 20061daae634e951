package io.dyno.cache;

import static io.dyno.cache.Latches.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conventions dyno-cache shares with every dyno module: time comes through {@code ticker} on
 * the builder, names are checked alike, {@code toString()} has one shape, and the interrupt policy
 * is dyno's except where the guide says otherwise.
 */
class ConventionsTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(Latches.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theTypesThatReadTime_takeItOnTheirBuilder() {
    assertThat(PublicApi.declaring("ticker", LongSupplier.class))
        .containsExactly(Cache.Builder.class);
    assertThat(PublicApi.declaring("clock", Clock.class)).isEmpty();
  }

  @Test
  void toString_showsTheTypeThenTheNameThenKeyFields() {
    Cache<String, String> cache =
        Cache.builder("profiles").ttl(Duration.ofMinutes(5)).maximumSize(10).build();
    assertThat(cache.toString())
        .startsWith("Cache[name=profiles, ")
        .isEqualTo(
            "Cache[name=profiles, ttl=5.00 min, earlyRecompute=xfetch(1.0), maximumSize=10,"
                + " size=0]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void blankNames_areRefusedWithTheSharedMessage_byEveryFactory(String blank) {
    String message = "name must not be blank, was '" + blank + "'";
    Function<String, String> identity = k -> k;
    Supplier<String> constant = () -> "v";
    assertThatThrownBy(() -> Cache.builder(blank))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> Cache.memoize(blank, identity, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> Cache.memoize(blank, constant, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void aNullName_isRefusedNamingTheParameter() {
    assertThatThrownBy(() -> Cache.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
  }

  /**
   * The documented difference from dyno's interrupt policy: a reader waiting for another reader's
   * computation is not cut short by an interrupt; it gets the computation's value and keeps its
   * interrupt flag.
   */
  @Test
  void anInterruptedReader_waitingForAComputation_stillGetsItsValue_andKeepsTheInterrupt()
      throws Exception {
    Cache<String, String> cache = Cache.builder("interrupts").ttl(Duration.ofSeconds(1)).build();
    CountDownLatch computing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<Thread> waiterThread = new AtomicReference<>();
    Future<String> owner =
        pool.submit(
            () ->
                cache.get(
                    "k",
                    key -> {
                      computing.countDown();
                      await(release);
                      return "computed";
                    }));
    await(computing);
    Future<Boolean> waiter =
        pool.submit(
            () -> {
              waiterThread.set(Thread.currentThread());
              String value = cache.get("k", key -> "own load");
              // Read before the pool clears it: the flag the reader returned with.
              boolean interrupted = Thread.interrupted();
              return value.equals("computed") && interrupted;
            });
    Thread waiting = awaitParked(waiterThread);
    waiting.interrupt();
    release.countDown();

    assertThat(owner.get(Latches.WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("computed");
    assertThat(waiter.get(Latches.WAIT_SECONDS, TimeUnit.SECONDS))
        .as("the waiter got the shared value and its interrupt flag back")
        .isTrue();
    assertThat(cache.stats().loads()).isEqualTo(1);
  }

  /** Returns the thread once it is set and parked. */
  private static Thread awaitParked(AtomicReference<Thread> ref) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Latches.WAIT_SECONDS);
    while (ref.get() == null) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the reader did not start in time");
      }
      Thread.onSpinWait();
    }
    Latches.awaitParked(ref.get());
    return ref.get();
  }
}
