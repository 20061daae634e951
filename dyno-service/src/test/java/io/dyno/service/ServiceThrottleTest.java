package io.dyno.service;

import static io.dyno.service.TestSupport.await;
import static io.dyno.service.TestSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.Limiter;
import io.dyno.breaker.Throttle;
import io.dyno.breaker.ThrottledException;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsStatus;
import io.dyno.retry.Backoff;
import io.dyno.retry.Retry;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The throttle option: its place in the order, its rejections, its counts and its status. */
class ServiceThrottleTest {

  private static final long MS = 1_000_000L;

  private final FakeTicker now = FakeTicker.startingAt(1_000 * MS);
  private final Metrics metrics = TestSupport.metrics("search", now);
  private final AtomicInteger invocations = new AtomicInteger();
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final CountDownLatch mayReturn = new CountDownLatch(1);

  /** The throttle's draw: 0 rejects whenever the probability is above 0, 0.999 almost never. */
  private volatile double draw = 0.999;

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

  /** A throttle on the fake clock whose draws are {@link #draw}; a 404 is an accept. */
  private Throttle throttle() {
    return Throttle.builder("search-throttle")
        .ticker(now)
        .random(() -> draw)
        .accepted(t -> t instanceof NotFound)
        .build();
  }

  /** A throttle that has seen a request without an accept and rejects every call from now on. */
  private Throttle rejecting() {
    Throttle throttle = throttle();
    assertThat(throttle.tryAcquire()).isTrue(); // the first call always goes: nothing is known
    draw = 0;
    return throttle;
  }

  /** The backend's answer that it has no such item: it accepted the call. */
  private static final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound() {
      super("404");
    }
  }

  private String hits() {
    invocations.incrementAndGet();
    return "hits";
  }

  private static RejectedException rejection(Throwable thrown) {
    assertThat(thrown).isInstanceOf(RejectedException.class);
    return (RejectedException) thrown;
  }

  @Test
  void throttle_null_throwsNamingIt() {
    assertThatThrownBy(() -> Service.builder("search", () -> "hits").throttle(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("throttle must not be null");
    assertThatThrownBy(() -> Service.function("search", (String q) -> q).throttle(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("throttle must not be null");
  }

  @Test
  void call_whenThrottleRejects_rejectsNamingTheThrottleAndRunsNothing() {
    Throttle throttle = rejecting();
    Service<String> service =
        Service.builder("search", this::hits).throttle(throttle).metrics(metrics).build();

    RejectedException e = rejection(catchThrowable(service::call));

    assertThat(e.reason()).isEqualTo(RejectedException.Reason.THROTTLED);
    assertThat(e.isClosed()).isFalse();
    assertThat(e.maxConcurrent()).isZero();
    assertThat(e)
        .hasMessage(
            "Service 'search' rejected the call: Throttle 'search-throttle' rejected the call"
                + " locally (probability "
                + throttle.probability()
                + "; 2 requests, 0 accepts in the last 2.00 min)");
    assertThat(e.getCause())
        .isInstanceOfSatisfying(
            ThrottledException.class,
            cause -> {
              assertThat(cause.name()).isEqualTo("search-throttle");
              assertThat(cause.requests()).isEqualTo(2);
              assertThat(cause.accepts()).isZero();
            });
    assertThat(invocations).hasValue(0);
    assertThat(metrics.snapshot().rejections()).isEqualTo(1);
    assertThat(throttle.requests()).isEqualTo(2);
    assertThat(throttle.accepts()).isZero();
  }

  @Test
  void call_whenThrottleRejects_neverReachesTheLimiterNorTellsTheBreaker() {
    Throttle throttle = rejecting();
    Limiter limiter = Limiter.of("search", 1);
    assertThat(limiter.tryAcquire()).isTrue(); // a full limiter would reject as LIMITED
    Breaker breaker = TestSupport.breaker("search", now, 1);
    Service<String> service =
        Service.builder("search", this::hits)
            .breaker(breaker)
            .throttle(throttle)
            .limiter(limiter)
            .metrics(metrics)
            .build();

    for (int i = 0; i < 3; i++) {
      assertThat(rejection(catchThrowable(service::call)).reason())
          .isEqualTo(RejectedException.Reason.THROTTLED);
    }

    assertThat(limiter.inFlight()).isEqualTo(1);
    assertThat(breaker.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(breaker.metrics().calls()).isZero();
    assertThat(metrics.snapshot().rejections()).isEqualTo(3);
  }

  @Test
  void call_countsRequestsAndAcceptsByOutcome() throws Exception {
    Throttle throttle = throttle();
    AtomicReference<RuntimeException> next = new AtomicReference<>();
    Service<String> service =
        Service.builder(
                "search",
                () -> {
                  RuntimeException failure = next.getAndSet(null);
                  if (failure != null) {
                    throw failure;
                  }
                  return "hits";
                })
            .throttle(throttle)
            .metrics(metrics)
            .build();

    assertThat(service.call()).isEqualTo("hits");
    assertThat(throttle.requests()).isEqualTo(1);
    assertThat(throttle.accepts()).isEqualTo(1);

    next.set(new UncheckedIOException(new IOException("503")));
    assertThat(catchThrowable(service::call)).isInstanceOf(UncheckedIOException.class);
    assertThat(throttle.requests()).isEqualTo(2);
    assertThat(throttle.accepts()).isEqualTo(1);

    next.set(new NotFound());
    assertThat(catchThrowable(service::call)).isInstanceOf(NotFound.class);
    assertThat(throttle.requests()).isEqualTo(3);
    assertThat(throttle.accepts()).isEqualTo(2);
  }

  @Test
  void call_whenAttemptTimesOut_countsNoAcceptEvenIfThePredicateWould() throws Exception {
    Throttle throttle =
        Throttle.builder("search").ticker(now).random(() -> draw).accepted(t -> true).build();
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
                .timeout(Duration.ofMillis(100))
                .scheduler(manual)
                .throttle(throttle)
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
    mayReturn.countDown();
    assertThat(worker.awaitTaskDone().thrown()).isNull();

    assertThat(throttle.requests()).isEqualTo(1);
    assertThat(throttle.accepts()).isZero();
  }

  @Test
  void call_whenThrottleRejects_fallbackGetsTheRejectionAndRetryTriesAgain() throws Exception {
    Throttle throttle = rejecting();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    Retry retry =
        Retry.builder("search")
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ofMillis(10)))
            .ticker(now)
            .sleeper(d -> draw = 0.999) // the next attempt's draw lets it through
            .build();
    Service<String> service =
        Service.builder("search", this::hits)
            .throttle(throttle)
            .retry(retry)
            .metrics(metrics)
            .fallback(
                failure -> {
                  seen.set(failure);
                  return "cached";
                })
            .build();

    assertThat(service.call()).isEqualTo("hits");
    assertThat(metrics.snapshot().rejections()).isEqualTo(1);
    assertThat(seen.get()).isNull();

    draw = 0;
    Metrics abortedMetrics = Metrics.builder("aborted").ticker(now).build();
    Service<String> aborting =
        Service.builder("search", this::hits)
            .throttle(throttle)
            .retry(Retry.builder("search").abortOn(RejectedException.class).build())
            .metrics(abortedMetrics)
            .fallback(
                failure -> {
                  seen.set(failure);
                  return "cached";
                })
            .build();

    assertThat(aborting.call()).isEqualTo("cached");
    assertThat(rejection(seen.get()).reason()).isEqualTo(RejectedException.Reason.THROTTLED);
    assertThat(abortedMetrics.snapshot().rejections()).isEqualTo(1);
    assertThat(invocations).hasValue(1);
  }

  @Test
  void callAsync_countsAndRejectsAsCallDoes() throws Exception {
    Throttle throttle = throttle();
    Service<String> pooled =
        closeLater(
            Service.builder("search", this::hits)
                .pool(1)
                .throttle(throttle)
                .metrics(metrics)
                .build());

    assertThat(result(pooled.callAsync())).isEqualTo("hits");
    assertThat(throttle.requests()).isEqualTo(1);
    assertThat(throttle.accepts()).isEqualTo(1);

    draw = 0;
    Service<String> direct =
        Service.builder("search", this::hits)
            .throttle(throttle)
            .metrics(Metrics.builder("direct").ticker(now).build())
            .build();
    assertThat(result(direct.callAsync())).isEqualTo("hits"); // 1 of 1 accepted: probability 0
    for (int i = 0; i < 3; i++) {
      throttle.tryAcquire(); // calls elsewhere that the backend did not accept
    }

    CompletableFuture<String> f = pooled.callAsync();
    assertThat(catchThrowable(() -> result(f)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> assertThat(e.reason()).isEqualTo(RejectedException.Reason.THROTTLED));
    assertThat(direct.callAsync()).isCompletedExceptionally();
    assertThat(invocations).hasValue(2);
    assertThat(metrics.snapshot().rejections()).isEqualTo(1);
  }

  @Test
  void status_ofServiceWithOnlyAThrottle_carriesItsFigures() throws Exception {
    Throttle throttle = throttle();
    Service<String> service =
        closeLater(
            Service.builder("search", this::hits).throttle(throttle).metrics(metrics).build());
    service.call();
    throttle.tryAcquire(); // a call elsewhere that the backend did not accept

    MetricsStatus status = metrics.snapshot().status();

    assertThat(status).isNotNull();
    assertThat(status.throttle())
        .isEqualTo(new MetricsStatus.Throttle("search-throttle", throttle.probability(), 2, 1));
    assertThat(status.limit()).isNull();
    assertThat(status.circuit()).isNull();
  }

  @Test
  void status_withLimiterThrottleBreakerAndPool_carriesThemAll() throws Exception {
    Throttle throttle = throttle();
    Limiter limiter = Limiter.of("search-limit", 4);
    Service<String> service =
        closeLater(
            Service.builder("search", this::hits)
                .pool(2)
                .breaker(TestSupport.breaker("search", now, 5))
                .throttle(throttle)
                .limiter(limiter)
                .metrics(metrics)
                .build());
    service.call();

    MetricsStatus status = metrics.snapshot().status();

    assertThat(status.circuit()).isEqualTo(MetricsStatus.Circuit.CLOSED);
    assertThat(status.pool()).isNotNull();
    assertThat(status.limit()).isEqualTo(new MetricsStatus.Limit("search-limit", "fixed", 4, 0));
    assertThat(status.throttle())
        .isEqualTo(new MetricsStatus.Throttle("search-throttle", 0.0, 1, 1));
  }
}
