package io.dyno.service;

import static io.dyno.service.TestSupport.await;
import static io.dyno.service.TestSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.Limiter;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import io.dyno.retry.Retry;
import io.dyno.retry.RetryBudget;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Hedged requests: copies sent at the delay (the manual scheduler's timer for {@code callAsync},
 * the caller's timed wait for {@code call}), the first success taken, losers interrupted and their
 * results closed, and copies that cannot start simply not sent.
 */
class ServiceHedgeTest {

  private static final Duration DELAY = Duration.ofMillis(50);

  /** Long enough that only a failure, never the wait, sends the next copy in a test. */
  private static final Duration NEVER = Duration.ofHours(1);

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);
  private final Metrics metrics = TestSupport.metrics("inventory", now);
  private final ManualScheduler manual = ManualScheduler.on(now);
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** The copy a work thread runs: its place in the order the copies were handed over. */
  private static final ThreadLocal<Integer> COPY = new ThreadLocal<>();

  private final AtomicInteger handedOver = new AtomicInteger();

  /**
   * Runs each task on a thread of its own and tells it its place in the order of hand-over, so that
   * copy 0 is the first copy whichever thread starts first.
   */
  private final Executor ordered =
      task -> {
        int n = handedOver.getAndIncrement();
        threads.execute(
            () -> {
              COPY.set(n);
              try {
                task.run();
              } finally {
                COPY.remove();
              }
            });
      };

  private final List<AutoCloseable> toClose = new ArrayList<>();

  /** Invocations of the work so far. */
  private final AtomicInteger invocations = new AtomicInteger();

  private final BlockingQueue<Integer> started = new LinkedBlockingQueue<>();
  private final BlockingQueue<Integer> interrupted = new LinkedBlockingQueue<>();

  /** Lets blocked copies answer. */
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    for (AutoCloseable c : toClose) {
      c.close();
    }
    callers.shutdownNow();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    Thread.interrupted();
  }

  /** A result that holds a resource: a losing copy's is closed. */
  static final class Conn implements AutoCloseable {
    final String name;
    final CountDownLatch closed = new CountDownLatch(1);

    Conn(String name) {
      this.name = name;
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  /** What invocation {@code i} of the work does. */
  interface Step<T> {
    T run(int i) throws Exception;
  }

  /** Work that records each start and runs {@code step} with the copy's number. */
  private <T> Callable<T> work(Step<T> step) {
    return () -> {
      invocations.incrementAndGet();
      int i = COPY.get();
      started.add(i);
      return step.run(i);
    };
  }

  /** Blocks until interrupted (recorded), then throws the interrupt. */
  private String blockUntilInterrupted(int i) throws InterruptedException {
    try {
      assertThat(new CountDownLatch(1).await(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS))
          .as("copy %s was interrupted in time", i)
          .isFalse();
    } catch (InterruptedException e) {
      interrupted.add(i);
      throw e;
    }
    throw new AssertionError("copy " + i + " was never interrupted");
  }

  /** Blocks until the test releases it, then returns {@code value}. */
  private <T> T blockUntilReleased(T value) throws InterruptedException {
    await(release);
    return value;
  }

  private int awaitStart() throws InterruptedException {
    Integer i = started.poll(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(i).as("a copy started in time").isNotNull();
    return i;
  }

  private int awaitInterrupted() throws InterruptedException {
    Integer i = interrupted.poll(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(i).as("a copy was interrupted in time").isNotNull();
    return i;
  }

  private <T> Service.Builder<T> builder(Callable<T> work, Hedge hedge) {
    return Service.builder("inventory", work)
        .executor(ordered)
        .pool(8)
        .scheduler(manual)
        .metrics(metrics)
        .hedge(hedge);
  }

  private <T> Service<T> service(Service.Builder<T> builder) {
    Service<T> s = builder.build();
    toClose.add(s);
    return s;
  }

  private MetricsStatus.Hedging hedging() {
    MetricsStatus status = metrics.snapshot().status();
    assertThat(status).isNotNull();
    MetricsStatus.Hedging h = status.hedging();
    assertThat(h).isNotNull();
    return h;
  }

  private void awaitSettled() {
    TestSupport.spinUntil("no attempt in flight", () -> metrics.snapshot().inFlight() == 0);
  }

  // ---------------------------------------------------------------- callAsync, on the timer

  @Test
  void callAsync_sendsACopyAtTheDelayAndNotBefore_theWinnerAnswers_theLoserIsInterrupted()
      throws Exception {
    Service<String> service =
        service(
            builder(work(i -> i == 0 ? blockUntilInterrupted(i) : "second"), Hedge.after(DELAY)));

    CompletableFuture<String> call = service.callAsync();
    assertThat(awaitStart()).isZero();
    assertThat(manual.delays()).containsExactly(DELAY);

    manual.advance(DELAY.minusNanos(1));
    assertThat(invocations).as("no copy before the delay").hasValue(1);
    assertThat(call).isNotDone();

    manual.advance(Duration.ofNanos(1));
    assertThat(result(call)).isEqualTo("second");
    assertThat(awaitInterrupted()).as("the loser is interrupted").isZero();
    awaitSettled();
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.failures()).as("the loser ends with no outcome").isZero();
    assertThat(s.timeouts()).isZero();
    assertThat(hedging())
        .isEqualTo(new MetricsStatus.Hedging(DELAY, 1, /* sent= */ 1, /* won= */ 1));
  }

  @Test
  void callAsync_whenTheFirstAnswersBeforeTheDelay_sendsNoCopyAndCancelsTheTimer()
      throws Exception {
    Service<String> service =
        service(builder(work(i -> blockUntilReleased("first")), Hedge.after(DELAY)));

    CompletableFuture<String> call = service.callAsync();
    awaitStart();
    release.countDown();

    assertThat(result(call)).isEqualTo("first");
    TestSupport.spinUntil("the timer cancelled", () -> manual.pendingCount() == 0);
    manual.advance(DELAY.multipliedBy(10));
    assertThat(invocations).hasValue(1);
    assertThat(hedging()).isEqualTo(new MetricsStatus.Hedging(DELAY, 1, 0, 0));
  }

  @Test
  void callAsync_aFailingFirstCopyBringsTheNextForward() throws Exception {
    Service<String> service =
        service(
            builder(
                work(
                    i -> {
                      if (i == 0) {
                        throw new IOException("refused");
                      }
                      return "second";
                    }),
                Hedge.after(NEVER)));

    assertThat(result(service.callAsync())).isEqualTo("second");
    assertThat(invocations).hasValue(2);
    awaitSettled();
    assertThat(metrics.snapshot().failures()).isEqualTo(1);
    assertThat(metrics.snapshot().successes()).isEqualTo(1);
    assertThat(hedging().won()).isEqualTo(1);
  }

  @Test
  void callAsync_whenEveryCopyFails_failsWithTheLastAndTheOthersSuppressed() throws Exception {
    Service<String> service =
        service(
            builder(
                this.<String>work(
                    i -> {
                      throw new IllegalStateException("copy " + i);
                    }),
                Hedge.after(NEVER).maxExtra(2)));

    Throwable thrown = catchThrowable(() -> result(service.callAsync()));

    assertThat(thrown).isInstanceOf(ExecutionException.class);
    Throwable failure = thrown.getCause();
    assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessage("copy 2");
    assertThat(failure.getSuppressed())
        .extracting(Throwable::getMessage)
        .containsExactly("copy 0", "copy 1");
    assertThat(hedging()).isEqualTo(new MetricsStatus.Hedging(NEVER, 2, 2, 0));
  }

  @Test
  void callAsync_maxExtraThree_sendsThreeCopiesAtSuccessiveDelays() throws Exception {
    Service<String> service =
        service(
            builder(
                work(i -> i < 3 ? blockUntilInterrupted(i) : "fourth"),
                Hedge.after(DELAY).maxExtra(3)));

    CompletableFuture<String> call = service.callAsync();
    assertThat(awaitStart()).isZero();
    for (int copy = 1; copy <= 2; copy++) {
      manual.advance(DELAY.minusNanos(1));
      assertThat(invocations).hasValue(copy);
      manual.advance(Duration.ofNanos(1));
      assertThat(awaitStart()).isEqualTo(copy);
    }
    manual.advance(DELAY);

    assertThat(result(call)).isEqualTo("fourth");
    assertThat(manual.delays()).containsExactly(DELAY, DELAY, DELAY);
    List<Integer> losers = List.of(awaitInterrupted(), awaitInterrupted(), awaitInterrupted());
    assertThat(losers).containsExactlyInAnyOrder(0, 1, 2);
    awaitSettled();
    assertThat(hedging()).isEqualTo(new MetricsStatus.Hedging(DELAY, 3, 3, 1));
  }

  @Test
  void callAsync_aCopySentByTheTimerRunsInTheCallersContext() throws Exception {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    Service<String> service =
        service(
            builder(
                work(
                    i -> {
                      String request = MDC.get("request");
                      seen.add(request == null ? "none" : request);
                      return i == 0 ? blockUntilInterrupted(i) : "second";
                    }),
                Hedge.after(DELAY)));
    AtomicReference<@Nullable CompletableFuture<String>> made = new AtomicReference<>();
    CountDownLatch called = new CountDownLatch(1);
    callers.execute(
        () -> {
          MDC.put("request", "r-1");
          try {
            made.set(service.callAsync());
          } finally {
            MDC.remove("request");
            called.countDown();
          }
        });
    await(called);
    CompletableFuture<String> call = made.get();
    assertThat(call).isNotNull();
    awaitStart();

    manual.advance(DELAY); // on the test's thread, which has no MDC

    assertThat(result(call)).isEqualTo("second");
    assertThat(List.of(poll(seen), poll(seen))).containsExactly("r-1", "r-1");
  }

  private static String poll(BlockingQueue<String> queue) throws InterruptedException {
    String s = queue.poll(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(s).as("a value in time").isNotNull();
    return s;
  }

  // ---------------------------------------------------------------- call, on the caller's wait

  @Test
  void call_whenTheFirstIsSlow_sendsACopy_interruptsTheLoser_andClosesWhatItStillReturns()
      throws Exception {
    AtomicReference<@Nullable Conn> lost = new AtomicReference<>();
    CountDownLatch firstRunning = new CountDownLatch(1);
    Service<Conn> service =
        service(
            builder(
                work(
                    i -> {
                      if (i == 0) {
                        Conn late = new Conn("first");
                        lost.set(late);
                        firstRunning.countDown();
                        try {
                          blockUntilInterrupted(i);
                        } catch (InterruptedException e) {
                          return late; // answers anyway, after losing
                        }
                      }
                      await(firstRunning); // so that the loser is running when it loses
                      return new Conn("second");
                    }),
                Hedge.after(Duration.ofMillis(1))));

    Conn answer = service.call();

    assertThat(answer.name).isEqualTo("second");
    assertThat(awaitInterrupted()).isZero();
    Conn late = lost.get();
    assertThat(late).isNotNull();
    await(late.closed);
    assertThat(answer.closed.getCount()).as("the winner's result is left open").isEqualTo(1);
    awaitSettled();
    assertThat(metrics.snapshot().successes()).isEqualTo(1);
    assertThat(hedging().sent()).isEqualTo(1);
    assertThat(hedging().won()).isEqualTo(1);
  }

  @Test
  void call_whenTheFirstAnswersWithinTheDelay_sendsNoCopy() throws Exception {
    Service<String> service =
        service(builder(work(i -> blockUntilReleased("first")), Hedge.after(NEVER)));

    Future<String> call = callers.submit(service::call);
    awaitStart();
    release.countDown();

    assertThat(result(call)).isEqualTo("first");
    assertThat(invocations).hasValue(1);
    assertThat(hedging()).isEqualTo(new MetricsStatus.Hedging(NEVER, 1, 0, 0));
    assertThat(manual.pendingCount()).as("no timer for a synchronous call").isZero();
  }

  @Test
  void call_aFailingFirstCopyBringsTheNextForward() throws Exception {
    Service<String> service =
        service(
            builder(
                work(
                    i -> {
                      if (i == 0) {
                        throw new IOException("refused");
                      }
                      return "second";
                    }),
                Hedge.after(NEVER)));

    assertThat(service.call()).isEqualTo("second");
    assertThat(invocations).hasValue(2);
    assertThat(hedging()).isEqualTo(new MetricsStatus.Hedging(NEVER, 1, 1, 1));
  }

  @Test
  void call_whenEveryCopyFails_throwsTheLastWithTheOthersSuppressed_andTheFallbackGetsIt()
      throws Exception {
    List<Throwable> given = new ArrayList<>();
    Service<String> service =
        service(
            builder(
                    this.<String>work(
                        i -> {
                          throw new IllegalStateException("copy " + i);
                        }),
                    Hedge.after(NEVER).maxExtra(2))
                .fallback(
                    failure -> {
                      given.add(failure);
                      return "fallback";
                    }));

    assertThat(service.call()).isEqualTo("fallback");

    assertThat(given).hasSize(1);
    assertThat(given.get(0)).isInstanceOf(IllegalStateException.class).hasMessage("copy 2");
    assertThat(given.get(0).getSuppressed())
        .extracting(Throwable::getMessage)
        .containsExactly("copy 0", "copy 1");
    assertThat(metrics.snapshot().failures()).isEqualTo(3);
  }

  @Test
  void call_withoutAFallback_throwsTheLastFailure() {
    Service<String> service =
        service(
            builder(
                this.<String>work(
                    i -> {
                      throw new IOException("copy " + i);
                    }),
                Hedge.after(NEVER)));

    assertThatThrownBy(service::call)
        .isInstanceOf(IOException.class)
        .hasMessage("copy 1")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
  }

  @Test
  void call_zeroDelay_sendsEveryCopyAtOnce_andAnInterruptedCallerCancelsThemAll() throws Exception {
    Service<String> service =
        service(builder(work(this::blockUntilInterrupted), Hedge.after(Duration.ZERO)));

    Future<String> call = callers.submit(service::call);
    assertThat(List.of(awaitStart(), awaitStart())).containsExactlyInAnyOrder(0, 1);
    call.cancel(true);

    assertThat(List.of(awaitInterrupted(), awaitInterrupted())).containsExactlyInAnyOrder(0, 1);
    awaitSettled();
    assertThat(hedging().sent()).isEqualTo(1);
    assertThat(hedging().won()).isZero();
  }

  // ---------------------------------------------------------------- copies that cannot start

  @Test
  void spentBudget_sendsNoCopy_andTheFirstFailureStands() {
    RetryBudget none = RetryBudget.builder().ratio(0).minRetriesPerSecond(0).build();
    Service<String> service =
        service(
            builder(
                this.<String>work(
                    i -> {
                      throw new IOException("copy " + i);
                    }),
                Hedge.after(NEVER).budget(none)));

    assertThatThrownBy(service::call).isInstanceOf(IOException.class).hasMessage("copy 0");
    assertThat(invocations).hasValue(1);
    assertThat(hedging().sent()).isZero();
    assertThat(metrics.snapshot().rejections()).isZero();
  }

  @Test
  void tokenBudgetSharedWithTheRetry_retriesSpendIt_thenNoCopyIsSent() {
    RetryBudget shared = RetryBudget.tokens(4, 1);
    Service<String> service =
        service(
            builder(
                    this.<String>work(
                        i -> {
                          throw new IOException("copy " + i);
                        }),
                    Hedge.after(NEVER).budget(shared))
                .retry(Retry.builder("inventory").maxAttempts(3).budget(shared).build()));

    assertThatThrownBy(service::call).isInstanceOf(IOException.class);
    assertThat(shared.tokens()).as("spent to half or below").isLessThanOrEqualTo(2.0);
    int before = invocations.get();
    long sent = hedging().sent();

    assertThatThrownBy(service::call).isInstanceOf(IOException.class);

    assertThat(invocations.get() - before).as("one copy, no hedge, no retry").isEqualTo(1);
    assertThat(hedging().sent()).isEqualTo(sent);
  }

  @Test
  void openBreaker_sendsNoCopy_withoutAnError_andCountsNoShortCircuit() throws Exception {
    Breaker breaker = Breaker.builder("inventory").ticker(now).build();
    Service<String> service =
        service(
            builder(work(i -> blockUntilReleased("first")), Hedge.after(DELAY)).breaker(breaker));

    CompletableFuture<String> call = service.callAsync();
    awaitStart();
    breaker.trip();
    manual.advance(DELAY);
    release.countDown();

    assertThat(result(call)).isEqualTo("first");
    assertThat(invocations).hasValue(1);
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.shortCircuits()).isZero();
    assertThat(s.rejections()).isZero();
    assertThat(hedging().sent()).isZero();
  }

  @Test
  void openBreaker_spendsNoneOfTheBudget() throws Exception {
    Breaker breaker = Breaker.builder("inventory").ticker(now).build();
    RetryBudget one =
        RetryBudget.builder().ratio(0).minRetriesPerSecond(1).window(Duration.ofSeconds(1)).build();
    Service<String> service =
        service(
            builder(
                    work(i -> i == 2 ? "second" : blockUntilReleased("first")),
                    Hedge.after(DELAY).budget(one))
                .breaker(breaker));

    CompletableFuture<String> refused = service.callAsync();
    awaitStart();
    breaker.trip();
    manual.advance(DELAY);
    breaker.reset();
    assertThat(hedging().sent()).isZero();

    CompletableFuture<String> hedged = service.callAsync();
    awaitStart();
    manual.advance(DELAY);
    assertThat(result(hedged)).as("the budget's one copy, kept for it").isEqualTo("second");
    assertThat(hedging().sent()).isEqualTo(1);
    release.countDown();
    assertThat(result(refused)).isEqualTo("first");
  }

  @Test
  void fullBulkhead_sendsNoCopy_withoutAnError_andTellsTheBreakerNothing() throws Exception {
    Breaker breaker = Breaker.builder("inventory").ticker(now).build();
    Service<String> service =
        service(
            builder(work(i -> blockUntilReleased("first")), Hedge.after(DELAY))
                .pool(1)
                .breaker(breaker));

    CompletableFuture<String> call = service.callAsync();
    awaitStart();
    manual.advance(DELAY);
    release.countDown();

    assertThat(result(call)).isEqualTo("first");
    assertThat(invocations).hasValue(1);
    assertThat(metrics.snapshot().rejections()).isZero();
    assertThat(breaker.metrics().failures()).isZero();
    assertThat(hedging().sent()).isZero();
  }

  @Test
  void fullLimiter_sendsNoCopy_andCountsNoRejection() throws Exception {
    Limiter limiter = Limiter.of("inventory", 1);
    Service<String> service =
        service(
            builder(work(i -> blockUntilReleased("first")), Hedge.after(DELAY)).limiter(limiter));

    CompletableFuture<String> call = service.callAsync();
    awaitStart();
    manual.advance(DELAY);
    release.countDown();

    assertThat(result(call)).isEqualTo("first");
    assertThat(invocations).hasValue(1);
    assertThat(metrics.snapshot().rejections()).isZero();
    assertThat(hedging().sent()).isZero();
    TestSupport.spinUntil("the permit back", () -> limiter.inFlight() == 0);
  }

  @Test
  void aRatioBudgetOfItsOwn_countsEachAttemptAsACall_soACopyMayGo() throws Exception {
    // No floor: only the calls the hedge counts itself allow a copy.
    RetryBudget own = RetryBudget.builder().ratio(1).minRetriesPerSecond(0).build();
    Service<String> service =
        service(
            builder(
                work(
                    i -> {
                      if (i == 0) {
                        throw new IOException("refused");
                      }
                      return "second";
                    }),
                Hedge.after(NEVER).budget(own)));

    assertThat(service.call()).isEqualTo("second");
    assertThat(hedging().sent()).isEqualTo(1);
  }

  @Test
  void aTokenBudgetOfItsOwn_isToldEveryCopysOutcome_andStopsTheCopiesAtHalf() {
    RetryBudget own = RetryBudget.tokens(4, 1);
    Service<String> service =
        service(
            builder(
                this.<String>work(
                    i -> {
                      throw new IOException("copy " + i);
                    }),
                Hedge.after(NEVER).budget(own)));

    assertThatThrownBy(service::call).isInstanceOf(IOException.class).hasMessage("copy 1");
    assertThat(own.tokens()).as("both copies' failures taken").isEqualTo(2.0);

    assertThatThrownBy(service::call).isInstanceOf(IOException.class).hasMessage("copy 2");
    assertThat(invocations).as("at half the tokens, no copy").hasValue(3);
    assertThat(own.tokens()).isEqualTo(1.0);
    assertThat(hedging().sent()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- the percentile's delay

  @Test
  void percentileDelay_followsTheMetricsAfterARefreshTick_andCloseCancelsTheRefresh()
      throws Exception {
    Service<String> service =
        service(
            builder(
                work(i -> blockUntilReleased("first")),
                Hedge.afterPercentile(50).refresh(Duration.ofSeconds(1))));
    assertThat(hedging().delay()).as("no latency yet: the cap").isEqualTo(Duration.ofSeconds(1));

    for (int i = 0; i < 10; i++) {
      Metrics.Sample sample = metrics.start();
      now.advance(Duration.ofMillis(20));
      sample.success();
    }
    assertThat(hedging().delay()).as("not read on its own").isEqualTo(Duration.ofSeconds(1));
    manual.advance(Duration.ofSeconds(1));
    Duration measured = metrics.latencyAt(50).orElseThrow();
    assertThat(hedging().delay()).isEqualTo(measured);

    CompletableFuture<String> call = service.callAsync();
    awaitStart();
    assertThat(manual.delays()).last().isEqualTo(measured);
    release.countDown();
    assertThat(result(call)).isEqualTo("first");

    service.close();
    assertThat(manual.pendingCount()).as("the refresh task is cancelled").isZero();
  }

  @Test
  void percentileDelay_readsPastTheShareOfCallsALaterCopyWon() throws Exception {
    Service<String> service =
        service(
            builder(
                work(i -> i == 0 ? blockUntilReleased("first") : "second"),
                Hedge.afterPercentile(50).refresh(Duration.ofSeconds(1))));
    for (int i = 1; i <= 100; i++) {
      Metrics.Sample sample = metrics.start();
      now.advance(Duration.ofMillis(1));
      sample.success();
    }
    manual.advance(Duration.ofSeconds(1)); // 100 calls answered, none won by a later copy
    Duration median = metrics.latencyAt(50).orElseThrow();
    assertThat(hedging().delay()).isEqualTo(median);

    CompletableFuture<String> call = service.callAsync();
    awaitStart();
    manual.advance(median);
    assertThat(result(call)).isEqualTo("second");
    release.countDown();
    manual.advance(Duration.ofSeconds(1).minus(median));

    // Since the last refresh, one call answered, and a later copy won it: the first copies' median
    // lies at the top of what the metrics hold.
    assertThat(hedging().won()).isEqualTo(1);
    assertThat(hedging().delay()).isEqualTo(metrics.latencyAt(100).orElseThrow());
  }

  // ---------------------------------------------------------------- building

  @Test
  void build_withAHedgeButNoExecutor_namesTheServiceAndTheNeed() {
    assertThatThrownBy(
            () -> Service.builder("inventory", () -> "x").hedge(Hedge.after(DELAY)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("service 'inventory'")
        .hasMessageContaining("copies need an executor");
  }

  @Test
  void function_hedgesToo() throws Exception {
    ServiceFunction<Integer, String> f =
        Service.function(
                "inventory",
                (Integer n) -> {
                  int i = invocations.getAndIncrement();
                  if (i == 0) {
                    throw new IllegalStateException("first");
                  }
                  return "item " + n;
                })
            .pool(2)
            .scheduler(manual)
            .metrics(metrics)
            .hedge(Hedge.after(NEVER))
            .build();
    toClose.add(f);

    assertThat(f.call(7)).isEqualTo("item 7");
    assertThat(hedging().won()).isEqualTo(1);
  }
}
