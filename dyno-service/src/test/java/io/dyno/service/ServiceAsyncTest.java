package io.dyno.service;

import static io.dyno.service.TestSupport.await;
import static io.dyno.service.TestSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.retry.Backoff;
import io.dyno.retry.Retry;
import io.dyno.retry.RetryStoppedException;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import io.dyno.testing.RecordingSleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** callAsync(): the same flow without blocking the caller. */
class ServiceAsyncTest {

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);
  private final Metrics metrics = TestSupport.metrics("inventory", now);
  private final ManualScheduler manual = ManualScheduler.on(now);
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicInteger invocations = new AtomicInteger();
  private final AtomicReference<Thread> workThread = new AtomicReference<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  /** Work that fails with each of {@code failures} in turn, then returns "stock". */
  private Callable<String> failing(Exception... failures) {
    return () -> {
      workThread.set(Thread.currentThread());
      int i = invocations.getAndIncrement();
      if (i < failures.length) {
        throw failures[i];
      }
      return "stock";
    };
  }

  private Retry retry(int maxAttempts) {
    return Retry.builder("inventory")
        .maxAttempts(maxAttempts)
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .ticker(now)
        .build();
  }

  @Test
  void callAsync_withoutPool_completesOnCallerThread() {
    Service<String> service = Service.builder("inventory", failing()).metrics(metrics).build();

    CompletableFuture<String> f = service.callAsync();

    assertThat(f).isCompletedWithValue("stock");
    assertThat(workThread.get()).isSameAs(Thread.currentThread());
    assertThat(metrics.snapshot().successes()).isEqualTo(1);
  }

  @Test
  void callAsync_withPool_completesFromPoolThread() throws Exception {
    Service<String> service =
        closeLater(
            Service.builder(
                    "async-pool",
                    () -> {
                      workThread.set(Thread.currentThread());
                      await(release);
                      return "stock";
                    })
                .pool(1)
                .metrics(metrics)
                .build());

    CompletableFuture<String> f = service.callAsync();
    AtomicReference<Thread> completer = new AtomicReference<>();
    CountDownLatch completed = new CountDownLatch(1);
    CompletableFuture<?> unused =
        f.whenComplete(
            (v, t) -> {
              completer.set(Thread.currentThread());
              completed.countDown();
            });
    assertThat(f).isNotDone();
    release.countDown();

    // No thread waits on f, so only the thread that completes it runs its dependents.
    await(completed);
    assertThat(completer.get()).isSameAs(workThread.get());
    assertThat(completer.get().getName()).startsWith("dyno-service-async-pool-");
    assertThat(f).isCompletedWithValue("stock");
    assertThat(metrics.snapshot().successes()).isEqualTo(1);
  }

  @Test
  void callAsync_whenWorkFails_failsWithSameInstance() {
    IOException failure = new IOException("down");
    Service<String> service =
        Service.builder("inventory", failing(failure)).metrics(metrics).build();

    CompletableFuture<String> f = service.callAsync();

    assertThat(f).isCompletedExceptionally();
    assertThat(catchThrowable(f::get))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(failure);
    assertThat(metrics.snapshot().failures()).isEqualTo(1);
  }

  @Test
  void callAsync_withPool_whenWorkFails_failsWithSameInstance() throws Exception {
    IOException failure = new IOException("down");
    Service<String> service =
        closeLater(Service.builder("inventory", failing(failure)).pool(1).build());

    CompletableFuture<String> f = service.callAsync();

    assertThat(catchThrowable(() -> result(f)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(failure);
  }

  @Test
  void callAsync_withRetry_waitsBetweenAttemptsOnScheduler() throws Exception {
    Breaker breaker = Breaker.builder("inventory").ticker(now).build();
    Service<String> service =
        Service.builder("inventory", failing(new IOException("1"), new IOException("2")))
            .retry(retry(3))
            .scheduler(manual)
            .metrics(metrics)
            .breaker(breaker)
            .build();

    CompletableFuture<String> f = service.callAsync();

    assertThat(f).isNotDone();
    assertThat(invocations).hasValue(1);
    assertThat(manual.runNext()).isTrue();
    assertThat(f).isNotDone();
    assertThat(invocations).hasValue(2);
    assertThat(manual.runNext()).isTrue();
    assertThat(f).isCompletedWithValue("stock");
    assertThat(manual.delays()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.failures()).isEqualTo(2);
    assertThat(s.successes()).isEqualTo(1);
    assertThat(breaker.metrics().calls()).isEqualTo(3);
    assertThat(breaker.metrics().failures()).isEqualTo(2);
  }

  @Test
  void callAsync_withRetry_whenAllFail_failsWithLastAndEarlierSuppressed() {
    IOException first = new IOException("1");
    IOException second = new IOException("2");
    Service<String> service =
        Service.builder("inventory", failing(first, second))
            .retry(retry(2))
            .scheduler(manual)
            .build();

    CompletableFuture<String> f = service.callAsync();
    assertThat(manual.runNext()).isTrue();

    Throwable cause = catchThrowable(f::get).getCause();
    assertThat(cause).isSameAs(second);
    assertThat(cause.getSuppressed()).hasSize(2);
    assertThat(cause.getSuppressed()[0]).isInstanceOf(RetryStoppedException.class);
    assertThat(cause.getSuppressed()[1]).isSameAs(first);
  }

  @Test
  void callAsync_withRetryAndFallback_givesUnwrappedLastFailureToFallback() {
    IOException last = new IOException("2");
    List<Throwable> given = new ArrayList<>();
    Service<String> service =
        Service.builder("inventory", failing(new IOException("1"), last))
            .retry(retry(2))
            .scheduler(manual)
            .fallback(
                (Throwable t) -> {
                  given.add(t);
                  return "unknown";
                })
            .build();

    CompletableFuture<String> f = service.callAsync();
    assertThat(manual.runNext()).isTrue();

    assertThat(f).isCompletedWithValue("unknown");
    assertThat(given).containsExactly(last);
  }

  @Test
  void callAsync_withPoolAndRetryButNoScheduler_retriesOnOwnTimerThread() throws Exception {
    Service<String> service =
        Service.builder("async-timer", failing(new IOException("1")))
            .pool(1)
            .retry(Retry.of("inventory", 2))
            .metrics(metrics)
            .build();

    assertThat(result(service.callAsync())).isEqualTo("stock");

    assertThat(TestSupport.threadsNamed("dyno-service-async-timer-timer-")).hasSize(1);
    assertThat(metrics.snapshot().failures()).isEqualTo(1);
    assertThat(metrics.snapshot().successes()).isEqualTo(1);
    service.close();
    TestSupport.assertThreadsGone("dyno-service-async-timer-");
  }

  @Test
  void callAsync_whenWorkFails_appliesFallbackWithFailure() {
    IOException failure = new IOException("down");
    List<Throwable> given = new ArrayList<>();
    Service<String> service =
        Service.builder("inventory", failing(failure))
            .fallback(
                (Throwable t) -> {
                  given.add(t);
                  return "unknown";
                })
            .build();

    assertThat(service.callAsync()).isCompletedWithValue("unknown");
    assertThat(given).containsExactly(failure);
  }

  @Test
  void callAsync_whenWorkSucceeds_withFallback_completesWithValue() {
    AtomicInteger fallbacks = new AtomicInteger();
    Service<String> service =
        Service.builder("inventory", failing())
            .fallback(
                () -> {
                  fallbacks.incrementAndGet();
                  return "unknown";
                })
            .build();

    assertThat(service.callAsync()).isCompletedWithValue("stock");
    assertThat(fallbacks).hasValue(0);
  }

  @Test
  void callAsync_whenBreakerOpen_failsWithShortCircuit() {
    Breaker breaker = Breaker.builder("inventory").ticker(now).build();
    breaker.trip();
    Service<String> service =
        Service.builder("inventory", failing()).breaker(breaker).metrics(metrics).build();

    CompletableFuture<String> f = service.callAsync();

    assertThat(catchThrowable(f::get))
        .cause()
        .isInstanceOfSatisfying(
            ShortCircuitException.class,
            e -> assertThat(e.state()).isEqualTo(Breaker.State.FORCED_OPEN));
    assertThat(invocations).hasValue(0);
    assertThat(metrics.snapshot().shortCircuits()).isEqualTo(1);
  }

  @Test
  void callAsync_whenBreakerOpen_withFallback_completesWithFallback() {
    Breaker breaker = Breaker.builder("inventory").ticker(now).build();
    breaker.trip();
    List<Throwable> given = new ArrayList<>();
    Service<String> service =
        Service.builder("inventory", failing())
            .breaker(breaker)
            .fallback(
                (Throwable t) -> {
                  given.add(t);
                  return "unknown";
                })
            .build();

    assertThat(service.callAsync()).isCompletedWithValue("unknown");
    assertThat(given).singleElement().isInstanceOf(ShortCircuitException.class);
    assertThat(invocations).hasValue(0);
  }

  @Test
  void callAsync_whenFallbackFails_failsWithFallbackFailed() {
    IOException failure = new IOException("down");
    IllegalStateException fallbackFailure = new IllegalStateException("no cache");
    Service<String> service =
        Service.builder("inventory", failing(failure))
            .fallback(
                () -> {
                  throw fallbackFailure;
                })
            .build();

    Throwable cause = catchThrowable(service.callAsync()::get).getCause();

    assertThat(cause)
        .isInstanceOfSatisfying(
            FallbackFailedException.class,
            e -> {
              assertThat(e.failure()).isSameAs(failure);
              assertThat(e.fallbackFailure()).isSameAs(fallbackFailure);
            });
  }

  @Test
  void callAsync_withPool_whenWorkThrowsError_failsWithItAndSkipsFallback() throws Exception {
    ServiceTest.Boom boom = new ServiceTest.Boom();
    AtomicInteger fallbacks = new AtomicInteger();
    Service<String> service =
        closeLater(
            Service.<String>builder(
                    "inventory",
                    () -> {
                      throw boom;
                    })
                .pool(1)
                .fallback(
                    () -> {
                      fallbacks.incrementAndGet();
                      return "unknown";
                    })
                .build());

    CompletableFuture<String> f = service.callAsync();

    assertThat(catchThrowable(() -> result(f))).cause().isSameAs(boom);
    assertThat(fallbacks).hasValue(0);
  }

  @Test
  void callAsync_whenPoolFull_failsWithRejection() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    Service<String> service =
        closeLater(
            Service.builder(
                    "inventory",
                    () -> {
                      if (invocations.getAndIncrement() == 0) {
                        started.countDown();
                        await(release);
                      }
                      return "stock";
                    })
                .pool(1)
                .metrics(metrics)
                .build());
    CompletableFuture<String> first = service.callAsync();
    await(started);

    CompletableFuture<String> second = service.callAsync();

    assertThat(catchThrowable(second::get))
        .cause()
        .isInstanceOfSatisfying(
            RejectedException.class, e -> assertThat(e.maxConcurrent()).isEqualTo(1));
    release.countDown();
    assertThat(result(first)).isEqualTo("stock");
    assertThat(metrics.snapshot().rejections()).isEqualTo(1);
  }

  @Test
  void callAsync_whenCancelled_doesNotInterruptRunningAttempt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean sawInterrupt = new AtomicBoolean(true);
    CountDownLatch finished = new CountDownLatch(1);
    Service<String> service =
        closeLater(
            Service.builder(
                    "inventory",
                    () -> {
                      started.countDown();
                      await(release);
                      sawInterrupt.set(Thread.currentThread().isInterrupted());
                      finished.countDown();
                      return "stock";
                    })
                .pool(1)
                .metrics(metrics)
                .build());
    CompletableFuture<String> f = service.callAsync();
    await(started);

    assertThat(f.cancel(true)).isTrue();
    release.countDown();

    await(finished);
    assertThat(sawInterrupt).isFalse();
    assertThat(f).isCancelled();
  }

  @Test
  void callAsync_afterClose_failsWithClosedRejection() {
    Service<String> service = Service.builder("inventory", failing()).build();
    service.close();

    Throwable cause = catchThrowable(service.callAsync()::get).getCause();

    assertThat(cause)
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.isClosed()).isTrue());
    assertThat(invocations).hasValue(0);
  }

  @Test
  void callAsync_afterClose_refusesAtOnceAndStartsNoThread() throws Exception {
    Service<String> service =
        Service.builder("closed-async", failing())
            .pool(1)
            .timeout(Duration.ofSeconds(5))
            .retry(retry(3))
            .metrics(metrics)
            .build();
    service.close();

    CompletableFuture<String> f = service.callAsync();

    // Refused at once: no retry waits on a timer that the closed service would have to start.
    assertThat(f).isCompletedExceptionally();
    assertThat(catchThrowable(f::get).getCause())
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.isClosed()).isTrue());
    assertThat(TestSupport.threadsNamed("dyno-service-closed-async-")).isEmpty();
    assertThat(invocations).hasValue(0);
    assertThat(metrics.snapshot().rejections()).isEqualTo(1);
  }

  @Test
  void callAsync_afterClose_withFallback_failsAsClosedWithoutFallingBackOrStartingAThread()
      throws Exception {
    AtomicInteger fallbacks = new AtomicInteger();
    Service<String> service =
        Service.builder("closed-fallback", failing())
            .pool(1)
            .timeout(Duration.ofSeconds(5))
            .retry(retry(3))
            .fallback(
                failure -> {
                  fallbacks.incrementAndGet();
                  return "unknown";
                })
            .build();
    service.close();

    CompletableFuture<String> f = service.callAsync();

    assertThat(f).isCompletedExceptionally();
    assertThat(catchThrowable(f::join))
        .cause()
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.isClosed()).isTrue())
        .hasMessage("Service 'closed-fallback' rejected the call: it is closed");
    assertThat(fallbacks).hasValue(0);
    assertThat(TestSupport.threadsNamed("dyno-service-closed-fallback-")).isEmpty();
  }

  @Test
  void call_afterClose_withRetry_refusesOnceWithoutRetrying() {
    RecordingSleeper sleeper = RecordingSleeper.create();
    Retry counting =
        Retry.builder("inventory")
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ofMillis(100)))
            .ticker(now)
            .sleeper(sleeper::sleep)
            .build();
    Service<String> service =
        Service.builder("closed-sync", failing()).retry(counting).metrics(metrics).build();
    service.close();

    assertThat(catchThrowable(service::call))
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.isClosed()).isTrue());
    assertThat(sleeper.count()).as("backoff waits on a closed service").isZero();
    assertThat(metrics.snapshot().rejections()).isEqualTo(1);
  }
}
