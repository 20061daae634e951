package io.dyno.service;

import static io.dyno.service.TestSupport.await;
import static io.dyno.service.TestSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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

/** The bulkhead: the service's own pool, a user's executor, rejections and close(). */
class ServicePoolTest {

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);
  private final Metrics metrics = TestSupport.metrics("inventory", now);
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicInteger invocations = new AtomicInteger();

  /** Opened by the first invocation of {@link #blockingFirst()}, once it is running. */
  private final CountDownLatch started = new CountDownLatch(1);

  /** Lets the first invocation of {@link #blockingFirst()} return. */
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
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

  /** Work whose first invocation blocks until {@link #release}; later ones return at once. */
  private Callable<String> blockingFirst() {
    return () -> {
      if (invocations.getAndIncrement() == 0) {
        started.countDown();
        await(release);
      }
      return "stock";
    };
  }

  /** A breaker in HALF_OPEN state that admits one trial call. */
  private Breaker halfOpenBreaker() {
    Breaker breaker =
        Breaker.builder("inventory")
            .ticker(now)
            .minimumCalls(1)
            .openDuration(Duration.ofSeconds(1))
            .build();
    breaker.acquirePermission().onFailure(0, new IOException("down"));
    assertThat(breaker.state()).isEqualTo(Breaker.State.OPEN);
    now.advance(Duration.ofSeconds(2).toNanos());
    return breaker;
  }

  // ---------------------------------------------------------------- own pool

  @Test
  void call_withPool_runsWorkOnServiceOwnThread() throws Exception {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    Service<String> service =
        closeLater(
            Service.builder(
                    "pooled",
                    () -> {
                      ranOn.set(Thread.currentThread());
                      now.advance(3_000_000L);
                      return "stock";
                    })
                .pool(2)
                .metrics(metrics)
                .build());

    assertThat(service.call()).isEqualTo("stock");

    assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
    assertThat(ranOn.get().getName()).startsWith("dyno-service-pooled-");
    assertThat(ranOn.get().isDaemon()).isTrue();
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.inFlight()).isZero();
    assertThat(s.latencyCount()).isEqualTo(1);
  }

  @Test
  void call_withPool_whenWorkFails_throwsSameInstanceAndReleasesSlot() throws Exception {
    IOException failure = new IOException("down");
    Breaker breaker = Breaker.builder("inventory").ticker(now).build();
    Service<String> service =
        closeLater(
            Service.builder(
                    "inventory",
                    () -> {
                      if (invocations.getAndIncrement() == 0) {
                        throw failure;
                      }
                      return "stock";
                    })
                .pool(1)
                .metrics(metrics)
                .breaker(breaker)
                .build());

    assertThat(catchThrowable(service::call)).isSameAs(failure);
    assertThat(service.call()).isEqualTo("stock");

    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.failures()).isEqualTo(1);
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.failuresByType()).isEqualTo(Map.of("java.io.IOException", 1L));
    assertThat(s.inFlight()).isZero();
    assertThat(breaker.metrics().calls()).isEqualTo(2);
    assertThat(breaker.metrics().failures()).isEqualTo(1);
  }

  @Test
  void call_withPool_whenWorkThrowsError_throwsItAsIsWithoutFallback() {
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

    assertThat(catchThrowable(service::call)).isSameAs(boom);
    assertThat(fallbacks).hasValue(0);
  }

  @Test
  void call_withPool_whenWorkThrowsBareThrowable_throwsExecutionException() {
    Throwable odd = new Throwable("neither Exception nor Error");
    Service<String> service =
        closeLater(
            Service.<String>builder(
                    "inventory",
                    () -> {
                      ServicePoolTest.<RuntimeException>sneakyThrow(odd);
                      return "never";
                    })
                .pool(1)
                .build());

    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown).isInstanceOf(ExecutionException.class).hasCause(odd);
  }

  @SuppressWarnings("unchecked")
  private static <X extends Throwable> void sneakyThrow(Throwable t) throws X {
    throw (X) t;
  }

  // ---------------------------------------------------------------- bulkhead

  @Test
  void call_whenPoolFull_rejectsAtOnceAndCountsRejectionAndBreakerFailure() throws Exception {
    Breaker breaker = Breaker.builder("inventory").ticker(now).build();
    Service<String> service =
        closeLater(
            Service.builder("inventory", blockingFirst())
                .pool(1)
                .metrics(metrics)
                .breaker(breaker)
                .build());
    Future<String> first = callers.submit(service::call);
    await(started);

    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown)
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> {
              assertThat(e.maxConcurrent()).isEqualTo(1);
              assertThat(e.isClosed()).isFalse();
              assertThat(e.getCause()).isNull();
              assertThat(e.name()).isEqualTo("inventory");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Service 'inventory' rejected the call: all 1 of its concurrent slots are"
                          + " busy");
            });
    assertThat(invocations).hasValue(1);
    assertThat(metrics.snapshot().rejections()).isEqualTo(1);
    assertThat(metrics.snapshot().inFlight()).isEqualTo(1);
    // As in Hystrix, a full pool counts against the dependency.
    assertThat(breaker.metrics().calls()).isEqualTo(1);
    assertThat(breaker.metrics().failures()).isEqualTo(1);

    release.countDown();
    assertThat(result(first)).isEqualTo("stock");
    assertThat(service.call()).isEqualTo("stock");
    assertThat(invocations).hasValue(2);
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.successes()).isEqualTo(2);
    assertThat(s.rejections()).isEqualTo(1);
    assertThat(s.inFlight()).isZero();
  }

  @Test
  void call_whenPoolFull_withFallback_returnsFallback() throws Exception {
    List<Throwable> given = new ArrayList<>();
    Service<String> service =
        closeLater(
            Service.builder("inventory", blockingFirst())
                .pool(1)
                .metrics(metrics)
                .fallback(
                    (Throwable t) -> {
                      given.add(t);
                      return "unknown";
                    })
                .build());
    Future<String> first = callers.submit(service::call);
    await(started);

    assertThat(service.call()).isEqualTo("unknown");

    assertThat(given).singleElement().isInstanceOf(RejectedException.class);
    release.countDown();
    assertThat(result(first)).isEqualTo("stock");
    assertThat(metrics.snapshot().rejections()).isEqualTo(1);
  }

  @Test
  void call_whenManyCallersContend_admitsExactlyMaxConcurrent() throws Exception {
    int callersCount = 8;
    int limit = 3;
    CountDownLatch entered = new CountDownLatch(limit);
    CountDownLatch rejected = new CountDownLatch(callersCount - limit);
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    Service<String> service =
        closeLater(
            Service.builder(
                    "inventory",
                    () -> {
                      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                      entered.countDown();
                      await(release);
                      running.decrementAndGet();
                      return "stock";
                    })
                .pool(limit)
                .metrics(metrics)
                .build());
    List<Future<String>> calls = new ArrayList<>();
    for (int i = 0; i < callersCount; i++) {
      calls.add(
          callers.submit(
              () -> {
                await(go);
                try {
                  return service.call();
                } catch (RejectedException e) {
                  rejected.countDown();
                  return "rejected";
                }
              }));
    }

    go.countDown();
    await(entered);
    await(rejected);
    release.countDown();

    List<String> results = new ArrayList<>();
    for (Future<String> f : calls) {
      results.add(result(f));
    }
    assertThat(results).filteredOn("stock"::equals).hasSize(limit);
    assertThat(results).filteredOn("rejected"::equals).hasSize(callersCount - limit);
    assertThat(maxRunning).hasValue(limit);
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.successes()).isEqualTo(limit);
    assertThat(s.rejections()).isEqualTo(callersCount - limit);
    assertThat(s.maxInFlight()).isEqualTo(limit);
    assertThat(s.inFlight()).isZero();
  }

  // ---------------------------------------------------------------- a user's executor

  @Test
  void call_withExecutor_runsWorkOnIt() throws Exception {
    WorkerExecutor worker = closeLater(new WorkerExecutor("user-worker"));
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    Service<String> service =
        closeLater(
            Service.builder(
                    "inventory",
                    () -> {
                      ranOn.set(Thread.currentThread());
                      return "stock";
                    })
                .executor(worker)
                .build());

    assertThat(service.call()).isEqualTo("stock");

    WorkerExecutor.After after = worker.awaitTaskDone();
    assertThat(ranOn.get()).isSameAs(after.thread());
    assertThat(ranOn.get().getName()).isEqualTo("user-worker");
    assertThat(worker.executed()).isEqualTo(1);
  }

  @Test
  void call_withExecutorAndPool_limitsConcurrencyOnThatExecutor() throws Exception {
    WorkerExecutor worker = closeLater(new WorkerExecutor("user-worker"));
    Service<String> service =
        closeLater(
            Service.builder("inventory", blockingFirst())
                .executor(worker)
                .pool(1)
                .metrics(metrics)
                .build());
    Future<String> first = callers.submit(service::call);
    await(started);

    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown)
        .isInstanceOfSatisfying(
            RejectedException.class, e -> assertThat(e.maxConcurrent()).isEqualTo(1));
    assertThat(worker.executed()).isEqualTo(1);
    release.countDown();
    assertThat(result(first)).isEqualTo("stock");
    assertThat(TestSupport.threadsNamed("dyno-service-inventory-")).isEmpty();
  }

  @Test
  void call_whenExecutorRefuses_rejectsWithCauseAndGivesBackSlotAndBreakerPermission()
      throws Exception {
    WorkerExecutor worker = closeLater(new WorkerExecutor("user-worker"));
    RejectedExecutionException refusal = new RejectedExecutionException("queue full");
    AtomicBoolean refuse = new AtomicBoolean(true);
    Breaker breaker = halfOpenBreaker();
    Service<String> service =
        closeLater(
            Service.builder("inventory", blockingFirst())
                .executor(
                    task -> {
                      if (refuse.getAndSet(false)) {
                        throw refusal;
                      }
                      worker.execute(task);
                    })
                .pool(1)
                .metrics(metrics)
                .breaker(breaker)
                .build());

    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown)
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> {
              assertThat(e.getCause()).isSameAs(refusal);
              assertThat(e.maxConcurrent()).isZero();
              assertThat(e.isClosed()).isFalse();
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Service 'inventory' rejected the call: its executor refused the task ("
                          + refusal
                          + ")");
            });
    assertThat(invocations).hasValue(0);
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.inFlight()).isZero();
    // The refusal is recorded as a failure of type RejectedException, not as a rejection.
    assertThat(s.failuresByType()).isEqualTo(Map.of(RejectedException.class.getName(), 1L));
    assertThat(s.rejections()).isZero();
    assertThat(breaker.metrics().calls()).as("only the failure that opened it").isEqualTo(1);

    // The slot and the breaker's single trial permit were given back: the next call runs.
    release.countDown();
    assertThat(service.call()).isEqualTo("stock");
    assertThat(breaker.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void call_whenExecutorRefusesAfterClose_rejectsAsClosed() {
    AtomicReference<Service<String>> self = new AtomicReference<>();
    Service<String> service =
        Service.builder("inventory", blockingFirst())
            .executor(
                task -> {
                  self.get().close();
                  throw new RejectedExecutionException("shut down");
                })
            .metrics(metrics)
            .build();
    self.set(service);

    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown)
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.isClosed()).isTrue());
    assertThat(metrics.snapshot().inFlight()).isZero();
  }

  // ---------------------------------------------------------------- an interrupted caller

  @Test
  void call_whenCallerInterruptedWhileWaiting_throwsInterruptedAndInterruptsAttempt()
      throws Exception {
    CountDownLatch workInterrupted = new CountDownLatch(1);
    AtomicInteger fallbacks = new AtomicInteger();
    Breaker breaker = halfOpenBreaker();
    WorkerExecutor worker = closeLater(new WorkerExecutor("user-worker"));
    Service<String> service =
        closeLater(
            Service.builder(
                    "inventory",
                    () -> {
                      if (invocations.getAndIncrement() == 0) {
                        started.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          workInterrupted.countDown();
                          throw e;
                        }
                      }
                      return "stock";
                    })
                .executor(worker)
                .pool(1)
                .metrics(metrics)
                .breaker(breaker)
                .fallback(
                    () -> {
                      fallbacks.incrementAndGet();
                      return "unknown";
                    })
                .build());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                service.call();
              } catch (Exception e) {
                thrown.set(e);
              }
              flagAfter.set(Thread.currentThread().isInterrupted());
            },
            "interrupted-caller");
    caller.start();
    await(started);

    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(flagAfter).isTrue();
    assertThat(fallbacks).hasValue(0);
    await(workInterrupted);
    WorkerExecutor.After after = worker.awaitTaskDone();
    assertThat(after.interrupted()).as("interrupt cleared after the attempt").isFalse();
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.inFlight()).isZero();
    assertThat(s.failuresByType()).isEqualTo(Map.of(InterruptedException.class.getName(), 1L));
    assertThat(s.timeouts()).isZero();
    // The breaker's trial permit was given back, not spent: the next call is let through.
    assertThat(breaker.metrics().calls()).as("only the failure that opened it").isEqualTo(1);
    assertThat(service.call()).isEqualTo("stock");
    assertThat(breaker.state()).isEqualTo(Breaker.State.CLOSED);
  }

  // ---------------------------------------------------------------- close()

  @Test
  void close_waitsForAcceptedCallsAndRejectsNewOnes() throws Exception {
    Service<String> service =
        Service.builder("closing", blockingFirst()).pool(2).metrics(metrics).build();
    Future<String> accepted = callers.submit(service::call);
    await(started);
    CountDownLatch closed = new CountDownLatch(1);
    Thread closer =
        new Thread(
            () -> {
              service.close();
              closed.countDown();
            },
            "closer");
    closer.start();
    TestSupport.spinUntil("close() to start waiting", service::isClosed);
    TestSupport.spinUntil(
        "close() to block",
        () ->
            closer.getState() == Thread.State.TIMED_WAITING
                || closer.getState() == Thread.State.WAITING);

    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown)
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.isClosed()).isTrue());
    assertThat(closed.getCount()).as("close() still waiting").isEqualTo(1);
    assertThat(accepted.isDone()).isFalse();

    release.countDown();

    assertThat(result(accepted)).isEqualTo("stock");
    await(closed);
    TestSupport.assertThreadsGone("dyno-service-closing-");
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.rejections()).isEqualTo(1);
    assertThat(invocations).hasValue(1);
  }

  @Test
  void close_isIdempotentAndLeavesUserExecutorRunning() throws Exception {
    WorkerExecutor worker = closeLater(new WorkerExecutor("user-worker"));
    Service<String> service =
        Service.builder("inventory", () -> "stock").executor(worker).pool(1).build();
    assertThat(service.call()).isEqualTo("stock");

    service.close();
    service.close();

    assertThat(service.isClosed()).isTrue();
    assertThat(worker.isShutdown()).isFalse();
    CountDownLatch ran = new CountDownLatch(1);
    worker.execute(ran::countDown);
    await(ran);
  }

  @Test
  void close_whenInterruptedWhileWaiting_returnsWithFlagSet() throws Exception {
    Service<String> service =
        closeLater(Service.builder("interrupted-close", blockingFirst()).pool(1).build());
    Future<String> accepted = callers.submit(service::call);
    await(started);

    Thread.currentThread().interrupt();
    service.close();

    assertThat(Thread.interrupted()).isTrue();
    assertThat(service.isClosed()).isTrue();
    release.countDown();
    assertThat(result(accepted)).isEqualTo("stock");
  }

  @Test
  void close_withOwnPool_stopsItsThreads() throws Exception {
    Service<String> service = Service.builder("stopping", () -> "stock").pool(3).build();
    for (int i = 0; i < 3; i++) {
      assertThat(service.call()).isEqualTo("stock");
    }
    assertThat(TestSupport.threadsNamed("dyno-service-stopping-")).isNotEmpty();

    service.close();

    TestSupport.assertThreadsGone("dyno-service-stopping-");
  }
}
