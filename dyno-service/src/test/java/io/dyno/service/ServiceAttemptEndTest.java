package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.retry.Retry;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How an attempt ends and what it leaves behind: the slot free for a call made from the previous
 * one's completion, the worker thread's interrupt flag as it found it, the timer cancelled, the
 * breaker told on its own clock, and a closed service refusing before any retry.
 */
class ServiceAttemptEndTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);
  private final Metrics metrics = TestSupport.metrics("inventory", now);
  private final ManualScheduler manual = ManualScheduler.on(now);
  private final QueueingExecutor queue = new QueueingExecutor();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void callAsync_madeFromThePreviousCallsCompletion_findsItsSlotFree() {
    Service<String> service =
        Service.builder("inventory", () -> "stock")
            .executor(queue)
            .pool(1)
            .metrics(metrics)
            .build();
    AtomicReference<CompletableFuture<String>> second = new AtomicReference<>();
    CompletableFuture<String> first = service.callAsync();
    CompletableFuture<Void> chained = first.thenRun(() -> second.set(service.callAsync()));

    queue.runNext();

    assertThat(first).isCompletedWithValue("stock");
    assertThat(chained).isCompleted();
    assertThat(second.get()).as("queued, not rejected as full").isNotDone();
    queue.runNext();
    assertThat(second.get()).isCompletedWithValue("stock");
    assertThat(metrics.snapshot().rejections()).isZero();
  }

  @Test
  void aTimedOutAttemptThatIgnoresTheInterrupt_leavesItsThreadUninterrupted() {
    AtomicBoolean workSawInterrupt = new AtomicBoolean();
    Service<String> service =
        Service.builder(
                "inventory",
                () -> {
                  assertThat(manual.runNext()).isTrue(); // the timeout fires while the work runs
                  workSawInterrupt.set(Thread.currentThread().isInterrupted());
                  return "late";
                })
            .executor(queue)
            .timeout(TIMEOUT)
            .scheduler(manual)
            .metrics(metrics)
            .build();
    CompletableFuture<String> future = service.callAsync();

    queue.runNext(); // on this test thread

    assertThat(workSawInterrupt).as("the timeout interrupted the work").isTrue();
    assertThat(Thread.currentThread().isInterrupted())
        .as("the interrupt the service sent does not outlive the attempt")
        .isFalse();
    assertThat(catchThrowable(future::join)).hasCauseInstanceOf(ServiceTimeoutException.class);
  }

  @Test
  void aTimedOutAttemptWhosePropagatorFailsAfterTheWork_leavesItsThreadUninterrupted() {
    IllegalStateException afterWork = new IllegalStateException("propagator failed after work");
    Service<String> service =
        Service.builder(
                "inventory",
                () -> {
                  assertThat(manual.runNext()).isTrue();
                  return "late";
                })
            .executor(queue)
            .timeout(TIMEOUT)
            .scheduler(manual)
            .metrics(metrics)
            .contextPropagator(
                task ->
                    () -> {
                      task.run();
                      throw afterWork;
                    })
            .build();
    CompletableFuture<String> future = service.callAsync();

    assertThat(catchThrowable(queue::runNext)).as("handed to the executor").isSameAs(afterWork);

    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(catchThrowable(future::join)).hasCauseInstanceOf(ServiceTimeoutException.class);
  }

  @Test
  void anAttemptTimedOutBeforeItRan_leavesTheThreadsOwnInterruptAlone() {
    AtomicInteger invocations = new AtomicInteger();
    Service<String> service =
        Service.builder("inventory", () -> "stock" + invocations.incrementAndGet())
            .executor(queue)
            .timeout(TIMEOUT)
            .scheduler(manual)
            .metrics(metrics)
            .build();
    CompletableFuture<String> future = service.callAsync();
    assertThat(manual.runNext()).isTrue(); // timed out while waiting for a thread

    Thread.currentThread().interrupt(); // the worker's own interrupt, nothing to do with the call
    queue.runNext();

    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(invocations).hasValue(0);
    assertThat(catchThrowable(future::join)).hasCauseInstanceOf(ServiceTimeoutException.class);
  }

  @Test
  void call_whenTheCallerIsInterruptedWhileWaiting_cancelsTheTimeoutsTimer() {
    Service<String> service =
        Service.builder("inventory", () -> "stock")
            .executor(queue)
            .timeout(TIMEOUT)
            .scheduler(manual)
            .metrics(metrics)
            .build();

    Thread.currentThread().interrupt();
    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown).isInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(manual.pendingCount()).as("the timer of an attempt nobody waits for").isZero();
  }

  @Test
  void callAsync_afterClose_withRetry_refusesAtOnceWithoutSchedulingARetry() {
    Retry retry = Retry.builder("inventory").maxAttempts(3).ticker(manual.ticker()).build();
    Service<String> service =
        Service.builder("inventory", () -> "stock")
            .retry(retry)
            .scheduler(manual)
            .metrics(metrics)
            .build();
    service.close();

    CompletableFuture<String> future = service.callAsync();

    assertThat(future).isCompletedExceptionally();
    assertThat(catchThrowable(future::join))
        .cause()
        .isInstanceOf(RejectedException.class)
        .hasMessage("Service 'inventory' rejected the call: it is closed");
    assertThat(manual.pendingCount()).isZero();
    assertThat(metrics.snapshot().rejections()).isOne();
  }

  @Test
  void callAsync_whenWorkThrowsACompletionException_givesItsCauseToTheFallback() {
    IOException down = new IOException("down");
    AtomicReference<Throwable> given = new AtomicReference<>();
    Service<String> service =
        Service.<String>builder(
                "inventory",
                () -> {
                  throw new CompletionException(down);
                })
            .metrics(metrics)
            .fallback(
                failure -> {
                  given.set(failure);
                  return "cached";
                })
            .build();

    assertThat(service.callAsync()).isCompletedWithValue("cached");
    assertThat(given.get()).isSameAs(down);
  }

  @Test
  void callAsync_whenWorkThrowsACompletionExceptionWithoutCause_givesItToTheFallback() {
    CompletionException bare = new CompletionException("lost its cause", null);
    AtomicReference<Throwable> given = new AtomicReference<>();
    Service<String> service =
        Service.<String>builder(
                "inventory",
                () -> {
                  throw bare;
                })
            .metrics(metrics)
            .fallback(
                failure -> {
                  given.set(failure);
                  return "cached";
                })
            .build();

    assertThat(service.callAsync()).isCompletedWithValue("cached");
    assertThat(given.get()).isSameAs(bare);
  }

  @Test
  void callAsync_whenAFallbackPassesOnABareThrowable_failsWithFallbackFailed() throws Exception {
    Throwable bare = new Throwable("neither exception nor error");
    try (Service<String> service =
        Service.<String>builder(
                "inventory",
                () -> {
                  sneakyThrow(bare);
                  return "never";
                })
            .executor(queue)
            .metrics(metrics)
            .fallback(
                failure -> {
                  sneakyThrow(failure);
                  return "never";
                })
            .build()) {
      CompletableFuture<String> future = service.callAsync();
      queue.runNext();

      Throwable thrown = catchThrowable(() -> future.get(5, TimeUnit.SECONDS));
      assertThat(thrown).isInstanceOf(ExecutionException.class);
      assertThat(thrown.getCause()).isInstanceOf(FallbackFailedException.class);
      FallbackFailedException failed = (FallbackFailedException) thrown.getCause();
      assertThat(failed.failure()).isSameAs(bare);
      assertThat(failed.fallbackFailure()).isSameAs(bare);
    }
  }

  @Test
  void call_withBreakerOnItsOwnTickerAndSystemMetrics_letsTheBreakerReadItsOwnClock() {
    // A ticker of the breaker's own, which counts the breaker's reads.
    FakeTicker breakerTicker = FakeTicker.startingAt(1_000_000_000L);
    Breaker breaker = Breaker.builder("inventory").ticker(breakerTicker).build();
    AtomicInteger calls = new AtomicInteger();
    Service<String> service =
        Service.builder(
                "inventory",
                () -> {
                  if (calls.incrementAndGet() == 1) {
                    throw new IOException("down");
                  }
                  return "stock";
                })
            .breaker(breaker)
            .build();
    long before = breakerTicker.reads();

    assertThat(catchThrowable(service::call)).isInstanceOf(IOException.class);
    assertThat(breakerTicker.reads() - before)
        .as("the failure's bucket, on the breaker's clock")
        .isEqualTo(1);
    assertThat(service.get()).isEqualTo("stock");
    assertThat(breakerTicker.reads() - before)
        .as("the success's bucket, on the breaker's clock")
        .isEqualTo(2);
  }

  @Test
  void call_withBreakerOnAnotherTicker_tellsItAFailureOnItsOwnClock() {
    // A ticker of the breaker's own, which counts the breaker's reads.
    FakeTicker breakerTicker = FakeTicker.startingAt(1_000_000_000L);
    Breaker breaker = Breaker.builder("inventory").ticker(breakerTicker).build();
    Service<String> service =
        Service.<String>builder(
                "inventory",
                () -> {
                  throw new IOException("down");
                })
            .metrics(metrics)
            .breaker(breaker)
            .build();
    long before = breakerTicker.reads();

    assertThat(catchThrowable(service::call)).isInstanceOf(IOException.class);

    assertThat(breakerTicker.reads() - before).as("the failure's bucket").isEqualTo(1);
    assertThat(breaker.metrics().failures()).isEqualTo(1);
  }

  @Test
  void close_afterAnotherThreadStartedTheOwnTimer_stopsIt() throws Exception {
    Service<String> service =
        Service.builder("inventory-timer", () -> "stock").pool(1).timeout(TIMEOUT).build();
    CompletableFuture<String> elsewhere = CompletableFuture.supplyAsync(service);
    assertThat(TestSupport.result(elsewhere)).isEqualTo("stock");

    CompletableFuture<Void> closing = CompletableFuture.runAsync(service::close);

    TestSupport.result(closing);
    assertThat(service.isClosed()).isTrue();
    TestSupport.assertThreadsGone("dyno-service-inventory-timer-");
  }

  /** Throws any throwable past the compiler, as some libraries do. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void sneakyThrow(Throwable t) throws E {
    throw (E) t;
  }
}
