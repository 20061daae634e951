package io.dyno.service;

import static io.dyno.service.TestSupport.await;
import static io.dyno.service.TestSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.retry.Backoff;
import io.dyno.retry.Retry;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import io.dyno.testing.RecordingSleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Timeouts: the manual scheduler's timer ends the attempt, whose thread is interrupted. */
class ServiceTimeoutTest {

  private static final Duration TIMEOUT = Duration.ofMillis(500);

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);
  private final Metrics metrics = TestSupport.metrics("inventory", now);
  private final Breaker breaker = Breaker.builder("inventory").ticker(now).build();
  private final ManualScheduler manual = ManualScheduler.on(now);
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicInteger invocations = new AtomicInteger();
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch workInterrupted = new CountDownLatch(1);

  /** Lets the interrupted first attempt return. */
  private final CountDownLatch mayReturn = new CountDownLatch(1);

  @AfterEach
  void tearDown() throws Exception {
    mayReturn.countDown();
    for (AutoCloseable c : toClose) {
      c.close();
    }
    callers.shutdownNow();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    Thread.interrupted();
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  /**
   * The first invocation blocks until it is interrupted, then waits for {@link #mayReturn} and
   * returns "late"; later ones record whether their thread was interrupted and return "fresh".
   */
  private String blockUntilInterrupted(AtomicBoolean laterSawInterrupt, AtomicReference<Thread> t)
      throws InterruptedException {
    if (invocations.getAndIncrement() == 0) {
      t.set(Thread.currentThread());
      started.countDown();
      try {
        // Never opens: only the timeout's interrupt ends the wait (or the bound, failing the test).
        assertThat(new CountDownLatch(1).await(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS))
            .isFalse();
      } catch (InterruptedException e) {
        workInterrupted.countDown();
      }
      await(mayReturn);
      return "late";
    }
    laterSawInterrupt.set(Thread.currentThread().isInterrupted());
    t.set(Thread.currentThread());
    return "fresh";
  }

  @Test
  void call_whenAttemptOutlivesTimeout_interruptsItAndThrowsServiceTimeout() throws Exception {
    WorkerExecutor worker = closeLater(new WorkerExecutor("user-worker"));
    AtomicBoolean laterSawInterrupt = new AtomicBoolean(true);
    AtomicReference<Thread> workThread = new AtomicReference<>();
    Service<String> service =
        closeLater(
            Service.builder("inventory", () -> blockUntilInterrupted(laterSawInterrupt, workThread))
                .executor(worker)
                .pool(1)
                .timeout(TIMEOUT)
                .scheduler(manual)
                .metrics(metrics)
                .breaker(breaker)
                .build());
    Future<String> call = callers.submit(service::call);
    assertThat(manual.awaitScheduled(1, Duration.ofSeconds(10))).isTrue();
    await(started);
    Thread firstThread = workThread.get();

    assertThat(manual.runNext()).isTrue();

    Throwable thrown = catchThrowable(() -> result(call));
    assertThat(thrown)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ServiceTimeoutException.class,
            e -> {
              assertThat(e.timeout()).isEqualTo(TIMEOUT);
              assertThat(e.name()).isEqualTo("inventory");
              assertThat(e.getMessage()).isEqualTo("Service 'inventory' timed out after 500 ms");
            });
    await(workInterrupted);
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.timeouts()).isEqualTo(1);
    assertThat(s.failures()).isZero();
    assertThat(s.successes()).isZero();
    assertThat(s.inFlight()).isZero();
    // The timer moved the clock to its due time; the histogram keeps 3 significant digits.
    assertThat((double) s.latencyMax().toNanos())
        .isCloseTo((double) TIMEOUT.toNanos(), within(TIMEOUT.toNanos() * 0.001));
    assertThat(breaker.metrics().calls()).isEqualTo(1);
    assertThat(breaker.metrics().failures()).isEqualTo(1);

    // The interrupted work has not returned yet: it still holds the only slot.
    assertThat(catchThrowable(service::call))
        .isInstanceOfSatisfying(
            RejectedException.class, e -> assertThat(e.maxConcurrent()).isEqualTo(1));

    mayReturn.countDown();
    WorkerExecutor.After after = worker.awaitTaskDone();
    assertThat(after.interrupted()).as("interrupt left on the worker thread").isFalse();

    assertThat(service.call()).isEqualTo("fresh");
    assertThat(workThread.get()).isSameAs(firstThread);
    assertThat(laterSawInterrupt).as("next attempt on that thread saw an interrupt").isFalse();
    assertThat(manual.pendingCount()).isZero();
    assertThat(manual.delays()).containsExactly(TIMEOUT, TIMEOUT);
    s = metrics.snapshot();
    assertThat(s.successes()).as("the late result is not counted").isEqualTo(1);
    assertThat(s.timeouts()).isEqualTo(1);
    assertThat(s.rejections()).isEqualTo(1);
    assertThat(s.inFlight()).isZero();
  }

  @Test
  void call_whenTimedOut_withFallback_givesTimeoutToFallback() throws Exception {
    List<Throwable> given = new ArrayList<>();
    mayReturn.countDown();
    Service<String> service =
        closeLater(
            Service.builder(
                    "inventory",
                    () -> blockUntilInterrupted(new AtomicBoolean(), new AtomicReference<>()))
                .pool(1)
                .timeout(TIMEOUT)
                .scheduler(manual)
                .metrics(metrics)
                .fallback(
                    (Throwable t) -> {
                      given.add(t);
                      return "unknown";
                    })
                .build());
    Future<String> call = callers.submit(service::call);
    assertThat(manual.awaitScheduled(1, Duration.ofSeconds(10))).isTrue();
    await(started);

    assertThat(manual.runNext()).isTrue();

    assertThat(result(call)).isEqualTo("unknown");
    assertThat(given)
        .singleElement()
        .isInstanceOfSatisfying(
            ServiceTimeoutException.class, e -> assertThat(e.timeout()).isEqualTo(TIMEOUT));
    await(workInterrupted);
    assertThat(metrics.snapshot().timeouts()).isEqualTo(1);
  }

  @Test
  void call_withOwnPool_whenTimedOut_interruptsTheServiceThread() throws Exception {
    mayReturn.countDown();
    AtomicReference<Thread> workThread = new AtomicReference<>();
    Service<String> service =
        closeLater(
            Service.builder(
                    "timing-out", () -> blockUntilInterrupted(new AtomicBoolean(), workThread))
                .pool(1)
                .timeout(TIMEOUT)
                .scheduler(manual)
                .metrics(metrics)
                .build());
    Future<String> call = callers.submit(service::call);
    assertThat(manual.awaitScheduled(1, Duration.ofSeconds(10))).isTrue();
    await(started);

    assertThat(manual.runNext()).isTrue();

    assertThat(catchThrowable(() -> result(call)))
        .cause()
        .isInstanceOf(ServiceTimeoutException.class);
    await(workInterrupted);
    assertThat(workThread.get().getName()).startsWith("dyno-service-timing-out-");
    assertThat(metrics.snapshot().timeouts()).isEqualTo(1);
  }

  @Test
  void call_whenAttemptFinishesBeforeTimer_isNotTimeoutAndCancelsTimer() throws Exception {
    Service<String> service =
        closeLater(
            Service.builder("inventory", () -> "stock")
                .pool(1)
                .timeout(TIMEOUT)
                .scheduler(manual)
                .metrics(metrics)
                .breaker(breaker)
                .build());

    assertThat(service.call()).isEqualTo("stock");

    assertThat(manual.delays()).containsExactly(TIMEOUT);
    assertThat(manual.pendingCount()).isZero();
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.timeouts()).isZero();
    assertThat(breaker.metrics().failures()).isZero();
  }

  @Test
  void call_whenExecutorRunsAttemptInline_cancelsTimerSetAfterItEnded() throws Exception {
    Service<String> service =
        Service.builder("inventory", () -> "stock")
            .executor(Runnable::run)
            .timeout(TIMEOUT)
            .scheduler(manual)
            .metrics(metrics)
            .build();

    assertThat(service.call()).isEqualTo("stock");

    assertThat(manual.delays()).containsExactly(TIMEOUT);
    assertThat(manual.pendingCount()).isZero();
    assertThat(metrics.snapshot().successes()).isEqualTo(1);
  }

  @Test
  void callAsync_whenTheExecutorStartsTheWorkBeforeReturning_stillTimesItOut() throws Exception {
    WorkerExecutor worker = closeLater(new WorkerExecutor("user-worker"));
    Service<String> service =
        Service.builder(
                "inventory",
                () -> {
                  started.countDown();
                  try {
                    mayReturn.await(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    workInterrupted.countDown();
                  }
                  return "late";
                })
            .executor(
                task -> {
                  worker.execute(task);
                  try {
                    await(started); // the work is running before execute returns
                  } catch (InterruptedException e) {
                    throw new AssertionError(e);
                  }
                })
            .timeout(TIMEOUT)
            .scheduler(manual)
            .metrics(metrics)
            .build();

    CompletableFuture<String> future = service.callAsync();

    assertThat(manual.pendingCount()).as("the running work's timer").isOne();
    assertThat(manual.runNext()).isTrue();
    assertThat(catchThrowable(() -> result(future)))
        .cause()
        .isInstanceOf(ServiceTimeoutException.class);
    await(workInterrupted);
    assertThat(worker.awaitTaskDone().interrupted()).isFalse();
    assertThat(metrics.snapshot().timeouts()).isEqualTo(1);
  }

  @Test
  void callAsync_whenTimedOutBeforeThreadFree_neverRunsWorkAndReleasesSlotWhenTaskRuns()
      throws Exception {
    QueueingExecutor queue = new QueueingExecutor();
    Service<String> service =
        Service.builder(
                "inventory",
                () -> {
                  invocations.incrementAndGet();
                  return "stock";
                })
            .executor(queue)
            .pool(1)
            .timeout(TIMEOUT)
            .scheduler(manual)
            .metrics(metrics)
            .build();
    CompletableFuture<String> f = service.callAsync();
    assertThat(queue.queued()).isEqualTo(1);

    assertThat(manual.runNext()).isTrue();

    assertThat(f).isCompletedExceptionally();
    assertThat(catchThrowable(f::join)).cause().isInstanceOf(ServiceTimeoutException.class);
    assertThat(metrics.snapshot().timeouts()).isEqualTo(1);
    // The ended task still holds the slot until its thread gets to it.
    assertThat(catchThrowable(service::call)).isInstanceOf(RejectedException.class);

    queue.runNext();

    assertThat(invocations).hasValue(0);
    CompletableFuture<String> next = service.callAsync();
    queue.runNext();
    assertThat(next).isCompletedWithValue("stock");
    assertThat(invocations).hasValue(1);
    assertThat(manual.pendingCount()).isZero();
  }

  @Test
  void callAsync_whenSchedulerRefusesTimer_endsAttemptAsRefusedInsteadOfRunningUnbounded()
      throws Exception {
    QueueingExecutor queue = new QueueingExecutor();
    manual.shutdown();
    Breaker halfOpen =
        Breaker.builder("inventory")
            .ticker(now)
            .minimumCalls(1)
            .openDuration(Duration.ofSeconds(1))
            .build();
    halfOpen.acquirePermission().onFailure(0, new IllegalStateException("down"));
    now.advance(Duration.ofSeconds(2).toNanos());
    Service<String> service =
        Service.builder(
                "inventory",
                () -> {
                  invocations.incrementAndGet();
                  return "stock";
                })
            .executor(queue)
            .pool(1)
            .timeout(TIMEOUT)
            .scheduler(manual)
            .metrics(metrics)
            .breaker(halfOpen)
            .build();

    CompletableFuture<String> f = service.callAsync();

    assertThat(catchThrowable(f::join))
        .cause()
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> {
              assertThat(e.isClosed()).isFalse();
              assertThat(e.getCause()).isInstanceOf(RejectedExecutionException.class);
            });
    queue.runNext();
    assertThat(invocations).hasValue(0);
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.inFlight()).isZero();
    assertThat(s.timeouts()).isZero();
    // The breaker's trial permit was given back and the slot freed: a later call may run.
    assertThat(halfOpen.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertThat(halfOpen.tryAcquirePermission()).isNotNull();
  }

  @Test
  void call_whenSchedulerRefusesTimerAfterInlineAttemptFinished_keepsResult() throws Exception {
    manual.shutdown();
    Service<String> service =
        Service.builder("inventory", () -> "stock")
            .executor(Runnable::run)
            .timeout(TIMEOUT)
            .scheduler(manual)
            .metrics(metrics)
            .build();

    assertThat(service.call()).isEqualTo("stock");

    assertThat(metrics.snapshot().successes()).isEqualTo(1);
    assertThat(metrics.snapshot().failures()).isZero();
  }

  @Test
  void call_withRetryAndTimeout_givesEachAttemptItsOwnTimeout() throws Exception {
    WorkerExecutor worker = closeLater(new WorkerExecutor("user-worker"));
    mayReturn.countDown();
    RecordingSleeper sleeper = RecordingSleeper.create();
    Retry retry =
        Retry.builder("inventory")
            .maxAttempts(2)
            .backoff(Backoff.fixed(Duration.ofMillis(100)))
            .ticker(now)
            .sleeper(
                d -> {
                  sleeper.sleep(d);
                  // The timed-out attempt gives its slot back when its work has returned.
                  worker.awaitTaskDone();
                })
            .build();
    AtomicBoolean laterSawInterrupt = new AtomicBoolean(true);
    Service<String> service =
        closeLater(
            Service.builder(
                    "inventory",
                    () -> blockUntilInterrupted(laterSawInterrupt, new AtomicReference<>()))
                .executor(worker)
                .pool(1)
                .timeout(TIMEOUT)
                .scheduler(manual)
                .retry(retry)
                .metrics(metrics)
                .breaker(breaker)
                .build());
    Future<String> call = callers.submit(service::call);
    assertThat(manual.awaitScheduled(1, Duration.ofSeconds(10))).isTrue();
    await(started);

    assertThat(manual.runNext()).isTrue();

    assertThat(result(call)).isEqualTo("fresh");
    assertThat(laterSawInterrupt).isFalse();
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(100));
    assertThat(manual.delays()).containsExactly(TIMEOUT, TIMEOUT);
    assertThat(manual.pendingCount()).isZero();
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.timeouts()).isEqualTo(1);
    assertThat(s.successes()).isEqualTo(1);
    assertThat(breaker.metrics().calls()).isEqualTo(2);
    assertThat(breaker.metrics().failures()).isEqualTo(1);
  }

  @Test
  void call_withTimeoutTooLongForNanos_schedulesSaturatedDelay() throws Exception {
    Service<String> service =
        closeLater(
            Service.builder("inventory", () -> "stock")
                .pool(1)
                .timeout(Duration.ofSeconds(Long.MAX_VALUE))
                .scheduler(manual)
                .build());

    assertThat(service.call()).isEqualTo("stock");

    assertThat(manual.delays()).containsExactly(Duration.ofNanos(Long.MAX_VALUE));
  }

  @Test
  void call_withTimeoutButNoScheduler_startsOwnTimerThreadAndCloseStopsIt() throws Exception {
    Service<String> service =
        Service.builder("own-timer", () -> "stock").pool(1).timeout(Duration.ofMinutes(1)).build();

    assertThat(service.call()).isEqualTo("stock");
    assertThat(service.call()).isEqualTo("stock");

    assertThat(TestSupport.threadsNamed("dyno-service-own-timer-timer-")).hasSize(1);
    service.close();
    TestSupport.assertThreadsGone("dyno-service-own-timer-");
  }

  @Test
  void close_leavesUserSchedulerRunning() throws Exception {
    Service<String> service =
        Service.builder("inventory", () -> "stock")
            .pool(1)
            .timeout(TIMEOUT)
            .scheduler(manual)
            .build();
    assertThat(service.call()).isEqualTo("stock");

    service.close();

    assertThat(manual.isShutdown()).isFalse();
  }
}
