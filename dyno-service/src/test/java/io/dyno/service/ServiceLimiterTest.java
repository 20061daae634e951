package io.dyno.service;

import static io.dyno.service.TestSupport.await;
import static io.dyno.service.TestSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.LimitExceededException;
import io.dyno.breaker.Limiter;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsStatus;
import io.dyno.retry.Backoff;
import io.dyno.retry.Retry;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The limiter option: its place in the order, its rejections, its samples and its status. */
class ServiceLimiterTest {

  private static final long MS = 1_000_000L;
  private static final Duration SLOW = Duration.ofMillis(100);

  private final FakeTicker now = FakeTicker.startingAt(1_000 * MS);
  private final Metrics metrics = TestSupport.metrics("search", now);
  private final AtomicInteger invocations = new AtomicInteger();
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final List<AutoCloseable> toClose = new ArrayList<>();
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
   * An AIMD limiter starting at {@code initial}: a success slower than 100 ms or a drop halves the
   * limit, a window of successes no slower (a limit's worth, while at least half of it is in use)
   * adds one.
   */
  private Limiter aimd(int initial) {
    return Limiter.builder("search")
        .aimd(a -> a.initialLimit(initial).minLimit(1).maxLimit(10).backoffRatio(0.5).timeout(SLOW))
        .ticker(now)
        .build();
  }

  /** Work that takes {@code nanos} on the fake clock and returns "hits". */
  private java.util.concurrent.Callable<String> taking(long nanos) {
    return () -> {
      invocations.incrementAndGet();
      now.advance(nanos);
      return "hits";
    };
  }

  private static RejectedException rejection(Throwable thrown) {
    assertThat(thrown).isInstanceOf(RejectedException.class);
    return (RejectedException) thrown;
  }

  @Test
  void limiter_null_throwsNamingIt() {
    assertThatThrownBy(() -> Service.builder("search", () -> "hits").limiter(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("limiter must not be null");
    assertThatThrownBy(() -> Service.function("search", (String q) -> q).limiter(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("limiter must not be null");
  }

  @Test
  void call_whenLimiterFull_rejectsWithLimitersExceptionAsCauseAndRunsNothing() {
    Limiter limiter = Limiter.of("search-limit", 1);
    Service<String> service =
        Service.builder("search", taking(MS)).limiter(limiter).metrics(metrics).build();
    assertThat(limiter.tryAcquire()).isTrue(); // someone else holds the only permit

    RejectedException e = rejection(catchThrowable(service::call));

    assertThat(e.reason()).isEqualTo(RejectedException.Reason.LIMITED);
    assertThat(e.isClosed()).isFalse();
    assertThat(e.maxConcurrent()).isZero();
    assertThat(e.name()).isEqualTo("search");
    assertThat(e.getCause())
        .isInstanceOfSatisfying(
            LimitExceededException.class,
            c -> assertThat(c.limiterName()).isEqualTo("search-limit"));
    assertThat(e)
        .hasMessage(
            "Service 'search' rejected the call: Limiter 'search-limit' is full (1 of 1 permits in"
                + " use); call not permitted");
    assertThat(invocations).hasValue(0);
    assertThat(metrics.snapshot().rejections()).isEqualTo(1);
    assertThat(metrics.snapshot().failures()).isZero();
    assertThat(limiter.inFlight()).isEqualTo(1);
  }

  @Test
  void call_givesThePermitBackAfterSuccessAndFailure() throws Exception {
    Limiter limiter = Limiter.of("search", 1);
    IOException down = new IOException("down");
    AtomicInteger calls = new AtomicInteger();
    Service<String> service =
        Service.builder(
                "search",
                () -> {
                  assertThat(limiter.inFlight()).isEqualTo(1);
                  if (calls.getAndIncrement() == 1) {
                    throw down;
                  }
                  return "hits";
                })
            .limiter(limiter)
            .metrics(metrics)
            .build();

    assertThat(service.call()).isEqualTo("hits");
    assertThat(catchThrowable(service::call)).isSameAs(down);
    assertThat(service.call()).isEqualTo("hits");

    assertThat(limiter.inFlight()).isZero();
    assertThat(metrics.snapshot().rejections()).isZero();
  }

  @Test
  void call_feedsTheLimiterTheMetricsLatencyWithoutAClockReadOfItsOwn() throws Exception {
    Limiter limiter = aimd(1);
    Service<String> limited =
        Service.builder("search", taking(SLOW.toNanos())).limiter(limiter).metrics(metrics).build();
    Metrics plainMetrics = Metrics.builder("plain").ticker(now).build();
    Service<String> timedPlain =
        Service.builder("plain", taking(SLOW.toNanos())).metrics(plainMetrics).build();

    // The metrics read the fake clock before and after the work, which moves it by exactly SLOW:
    // their latency is SLOW to the nanosecond, and AIMD's timeout of SLOW tells whether the
    // limiter was given that reading or anything longer.
    long before = now.reads();
    timedPlain.call();
    long readsWithout = now.reads() - before;
    before = now.reads();
    limited.call(); // exactly the timeout: no loss, and a window of 1 of 1 in flight adds one
    long readsWith = now.reads() - before;

    assertThat(readsWith).isEqualTo(readsWithout);
    assertThat(limiter.limit()).isEqualTo(2);

    Service<String> slower =
        Service.builder("search", taking(SLOW.toNanos() + 1))
            .limiter(limiter)
            .metrics(Metrics.builder("slower").ticker(now).build())
            .build();
    slower.call(); // one nanosecond slower than the timeout: a loss halves the limit

    assertThat(limiter.limit()).isEqualTo(1);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void call_whenAttemptsSlowDown_adaptiveLimitFallsAndServiceRejects() throws Exception {
    Limiter limiter = aimd(4);
    AtomicReference<Service<String>> self = new AtomicReference<>();
    AtomicReference<Throwable> inner = new AtomicReference<>();
    AtomicInteger slowCalls = new AtomicInteger(2);
    Service<String> service =
        Service.builder(
                "search",
                () -> {
                  if (slowCalls.getAndDecrement() > 0) {
                    now.advance(2 * SLOW.toNanos());
                    return "slow";
                  }
                  // With one attempt in flight, a second one finds the lowered limit full.
                  inner.set(catchThrowable(() -> self.get().call()));
                  return "outer";
                })
            .limiter(limiter)
            .metrics(metrics)
            .build();
    self.set(service);

    service.call();
    assertThat(limiter.limit()).isEqualTo(2);
    service.call();
    assertThat(limiter.limit()).isEqualTo(1);

    assertThat(service.call()).isEqualTo("outer");
    assertThat(rejection(inner.get()).reason()).isEqualTo(RejectedException.Reason.LIMITED);
    assertThat(inner.get())
        .hasMessage(
            "Service 'search' rejected the call: Limiter 'search' is full (1 of 1 in flight,"
                + " adaptive limit 1 by aimd); call not permitted");
    assertThat(metrics.snapshot().rejections()).isEqualTo(1);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void call_whenLimiterRejects_breakerIsToldNothing() {
    Limiter limiter = Limiter.of("search", 1);
    Breaker breaker = TestSupport.breaker("search", now, 1);
    Service<String> service =
        Service.builder("search", taking(MS))
            .breaker(breaker)
            .limiter(limiter)
            .metrics(metrics)
            .build();
    assertThat(limiter.tryAcquire()).isTrue();

    for (int i = 0; i < 3; i++) {
      assertThat(catchThrowable(service::call)).isInstanceOf(RejectedException.class);
    }

    assertThat(breaker.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(breaker.metrics().calls()).isZero();
    assertThat(metrics.snapshot().rejections()).isEqualTo(3);
    assertThat(metrics.snapshot().shortCircuits()).isZero();
  }

  @Test
  void call_whenLimiterRejects_fallbackGetsTheRejection() throws Exception {
    Limiter limiter = Limiter.of("search", 1);
    AtomicReference<Throwable> seen = new AtomicReference<>();
    Service<String> service =
        Service.builder("search", taking(MS))
            .limiter(limiter)
            .metrics(metrics)
            .fallback(
                failure -> {
                  seen.set(failure);
                  return "cached";
                })
            .build();
    assertThat(limiter.tryAcquire()).isTrue();

    assertThat(service.call()).isEqualTo("cached");

    assertThat(rejection(seen.get()).reason()).isEqualTo(RejectedException.Reason.LIMITED);
  }

  @Test
  void call_withRetry_retriesALimiterRejectionUnlessAbortedOn() throws Exception {
    Limiter limiter = Limiter.of("search", 1);
    assertThat(limiter.tryAcquire()).isTrue();
    // The wait before the second attempt is when the other holder gives its permit back.
    Retry retry =
        Retry.builder("search")
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ofMillis(10)))
            .ticker(now)
            .sleeper(d -> limiter.release())
            .build();
    Service<String> retried =
        Service.builder("search", taking(MS))
            .limiter(limiter)
            .retry(retry)
            .metrics(metrics)
            .build();

    assertThat(retried.call()).isEqualTo("hits");
    assertThat(metrics.snapshot().rejections()).isEqualTo(1);
    assertThat(metrics.snapshot().successes()).isEqualTo(1);

    assertThat(limiter.tryAcquire()).isTrue();
    Metrics abortedMetrics = Metrics.builder("aborted").ticker(now).build();
    Retry aborting =
        Retry.builder("search")
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ofMillis(10)))
            .ticker(now)
            .sleeper(d -> limiter.release())
            .abortOn(RejectedException.class)
            .build();
    Service<String> aborted =
        Service.builder("search", taking(MS))
            .limiter(limiter)
            .retry(aborting)
            .metrics(abortedMetrics)
            .build();

    assertThat(catchThrowable(aborted::call)).isInstanceOf(RejectedException.class);
    assertThat(abortedMetrics.snapshot().rejections()).isEqualTo(1);
    assertThat(invocations).hasValue(1);
    assertThat(limiter.inFlight()).isEqualTo(1);
  }

  @Test
  void call_withPool_limiterRejectionTakesNoSlot() throws Exception {
    Limiter limiter = Limiter.of("search", 1);
    WorkerExecutor worker = closeLater(new WorkerExecutor("search-worker"));
    Service<String> service =
        closeLater(
            Service.builder("search", taking(MS))
                .executor(worker)
                .pool(1)
                .limiter(limiter)
                .metrics(metrics)
                .build());
    assertThat(limiter.tryAcquire()).isTrue();

    RejectedException e = rejection(catchThrowable(service::call));

    assertThat(e.reason()).isEqualTo(RejectedException.Reason.LIMITED);
    assertThat(worker.executed()).isZero();
    limiter.release();
    assertThat(service.call()).isEqualTo("hits"); // the pool's only slot is free
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void call_withPool_whenBulkheadFull_givesTheLimitersPermitBack() throws Exception {
    Limiter limiter = Limiter.of("search", 5);
    CountDownLatch started = new CountDownLatch(1);
    Service<String> service =
        closeLater(
            Service.builder(
                    "search",
                    () -> {
                      started.countDown();
                      await(mayReturn);
                      return "hits";
                    })
                .pool(1)
                .limiter(limiter)
                .metrics(metrics)
                .build());
    Future<String> first = callers.submit(service::call);
    await(started);

    RejectedException e = rejection(catchThrowable(service::call));

    assertThat(e.reason()).isEqualTo(RejectedException.Reason.FULL);
    assertThat(limiter.inFlight()).isEqualTo(1);
    mayReturn.countDown();
    assertThat(result(first)).isEqualTo("hits");
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void call_whenExecutorRefuses_givesThePermitBackWithoutSample() {
    Limiter limiter = aimd(2);
    Service<String> service =
        Service.builder("search", taking(MS))
            .executor(
                task -> {
                  throw new RejectedExecutionException("no threads");
                })
            .limiter(limiter)
            .metrics(metrics)
            .build();

    RejectedException e = rejection(catchThrowable(service::call));

    assertThat(e.reason()).isEqualTo(RejectedException.Reason.REFUSED);
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.limit()).isEqualTo(2); // neither a success nor a loss
  }

  @Test
  void call_whenAttemptTimesOut_dropsThePermitOnceAtTheTimeout() throws Exception {
    Limiter limiter = aimd(4);
    ManualScheduler manual = ManualScheduler.on(now);
    WorkerExecutor worker = closeLater(new WorkerExecutor("search-worker"));
    CountDownLatch started = new CountDownLatch(1);
    Service<String> service =
        closeLater(
            Service.builder(
                    "search",
                    () -> {
                      started.countDown();
                      try {
                        // Only the timeout's interrupt ends this wait (or the bound, failing).
                        assertThat(
                                new CountDownLatch(1)
                                    .await(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS))
                            .isFalse();
                      } catch (InterruptedException expected) {
                        // the timeout
                      }
                      await(mayReturn);
                      return "late";
                    })
                .executor(worker)
                .timeout(SLOW)
                .scheduler(manual)
                .limiter(limiter)
                .metrics(metrics)
                .build());
    Future<String> call = callers.submit(service::call);
    assertThat(manual.awaitScheduled(1, Duration.ofSeconds(10))).isTrue();
    await(started);

    assertThat(manual.runNext()).isTrue();

    assertThat(catchThrowable(() -> result(call)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(ServiceTimeoutException.class);
    assertThat(limiter.inFlight()).isZero(); // given back at the timeout, the work still running
    assertThat(limiter.limit()).isEqualTo(2); // one loss
    assertThat(limiter.tryAcquire()).isTrue(); // another call holds a permit now

    mayReturn.countDown();
    WorkerExecutor.After after = worker.awaitTaskDone();

    assertThat(after.thrown()).isNull();
    assertThat(limiter.inFlight()).isEqualTo(1); // the late return gave nothing back
    assertThat(limiter.limit()).isEqualTo(2);
    assertThat(metrics.snapshot().timeouts()).isEqualTo(1);
  }

  @Test
  void callAsync_whenLimiterFull_failsTheFutureAndFallsBack() throws Exception {
    Limiter limiter = Limiter.of("search", 1);
    Service<String> direct =
        Service.builder("search", taking(MS)).limiter(limiter).metrics(metrics).build();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    Service<String> pooled =
        closeLater(
            Service.builder("search", taking(MS))
                .pool(1)
                .limiter(limiter)
                .metrics(Metrics.builder("pooled").ticker(now).build())
                .fallback(
                    failure -> {
                      seen.set(failure);
                      return "cached";
                    })
                .build());
    assertThat(limiter.tryAcquire()).isTrue();

    CompletableFuture<String> f = direct.callAsync();
    assertThat(catchThrowable(f::get))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectedException.Reason.LIMITED));
    assertThat(result(pooled.callAsync())).isEqualTo("cached");
    assertThat(rejection(seen.get()).reason()).isEqualTo(RejectedException.Reason.LIMITED);

    limiter.release();
    assertThat(result(direct.callAsync())).isEqualTo("hits");
    assertThat(result(pooled.callAsync())).isEqualTo("hits");
    assertThat(limiter.inFlight()).isZero();
    assertThat(invocations).hasValue(2);
  }

  @Test
  void callAsync_withPool_feedsTheLimiterTheMetricsLatency() throws Exception {
    Limiter limiter = aimd(2);
    Service<String> service =
        closeLater(
            Service.builder("search", taking(SLOW.toNanos() + 1))
                .pool(1)
                .limiter(limiter)
                .metrics(metrics)
                .build());

    assertThat(result(service.callAsync())).isEqualTo("hits");

    assertThat(limiter.limit()).isEqualTo(1); // slower than the timeout: a loss
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void status_ofServiceWithOnlyALimiter_carriesItsFigures() throws Exception {
    Limiter limiter = aimd(3);
    AtomicReference<MetricsStatus> during = new AtomicReference<>();
    Service<String> service =
        closeLater(
            Service.builder(
                    "search",
                    () -> {
                      during.set(metrics.snapshot().status());
                      return "hits";
                    })
                .limiter(limiter)
                .metrics(metrics)
                .build());

    service.call();

    assertThat(during.get().limit()).isEqualTo(new MetricsStatus.Limit("search", "aimd", 3, 1));
    assertThat(during.get().circuit()).isNull();
    assertThat(during.get().pool()).isNull();
    assertThat(during.get().throttle()).isNull();
    assertThat(metrics.snapshot().status().limit())
        .isEqualTo(new MetricsStatus.Limit("search", "aimd", 3, 0));

    service.close();
    assertThat(metrics.snapshot().status()).isNull();
  }

  @Test
  void aLimiterRejection_duringAHalfOpenTrial_givesTheTrialBackForTheNextCall() throws Exception {
    Breaker breaker =
        Breaker.builder("search")
            .minimumCalls(1)
            .failureRateThreshold(50)
            .openDuration(Duration.ofSeconds(1))
            .halfOpenCalls(1)
            .ticker(now)
            .build();
    assertThatThrownBy(
            () ->
                breaker.run(
                    () -> {
                      throw new IllegalStateException("down");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(breaker.state()).isEqualTo(Breaker.State.OPEN);
    now.advance(Duration.ofSeconds(1).toNanos());
    Limiter limiter = Limiter.of("search-limit", 1);
    Service<String> service =
        Service.builder("search", taking(MS))
            .breaker(breaker)
            .limiter(limiter)
            .metrics(metrics)
            .build();
    assertThat(limiter.tryAcquire()).isTrue(); // someone else holds the only permit

    assertThat(rejection(catchThrowable(service::call)).reason())
        .isEqualTo(RejectedException.Reason.LIMITED);
    limiter.release();

    // The rejected attempt gave back its trial permit: the next call is the trial, and closes.
    assertThat(service.call()).isEqualTo("hits");
    assertThat(breaker.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void aPooledAttemptThatFails_givesThePermitBack_withoutASample() throws Exception {
    Limiter limiter = aimd(4);
    WorkerExecutor worker = closeLater(new WorkerExecutor("search-worker"));
    Service<String> service =
        closeLater(
            Service.<String>builder(
                    "search",
                    () -> {
                      throw new IOException("connection reset");
                    })
                .executor(worker)
                .limiter(limiter)
                .metrics(metrics)
                .build());

    assertThat(catchThrowable(service::call)).isInstanceOf(IOException.class);

    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.limit()).isEqualTo(4); // an IOException says nothing about capacity
  }
}
