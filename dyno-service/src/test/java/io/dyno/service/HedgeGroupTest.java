package io.dyno.service;

import static io.dyno.service.TestSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.Limiter;
import io.dyno.breaker.Throttle;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The copies of a hedged attempt, one step at a time: every copy waits in {@link Tasks} until the
 * test runs it on its own thread, and the delays and timeouts run on a {@link ManualScheduler}, so
 * that which copy answers, fails or cannot start, and when, is the test's choice. Checks which
 * outcome reaches the caller, which timers are left, and that every permit a copy took (limiter,
 * throttle, bulkhead, a half-open breaker's trial) is given back.
 */
class HedgeGroupTest {

  private static final Duration DELAY = Duration.ofMillis(50);
  private static final Duration NEVER = Duration.ofHours(1);
  private static final Duration OPEN = Duration.ofSeconds(5);

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);
  private final Metrics metrics = TestSupport.metrics("inventory", now);
  private final ManualScheduler manual = ManualScheduler.on(now);
  private final Tasks tasks = new Tasks();
  private final AtomicInteger invocations = new AtomicInteger();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    callers.shutdownNow();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    Thread.interrupted();
  }

  /**
   * Holds each task handed over until the test runs it by its place in the order of hand-over;
   * tasks listed as inline run at once, on the thread that hands them over. Tells the work which
   * copy it runs.
   */
  static final class Tasks implements Executor {

    private static final ThreadLocal<Integer> CURRENT = new ThreadLocal<>();

    private final List<Runnable> handed = new ArrayList<>();
    private final Set<Integer> inline = new HashSet<>();
    private @Nullable Throwable refuseNext;
    private final Map<Integer, Runnable> whenHanded = new HashMap<>();

    @Override
    public void execute(Runnable task) {
      int n;
      boolean now;
      Runnable hook;
      synchronized (this) {
        Throwable refusal = refuseNext;
        if (refusal != null) {
          refuseNext = null;
          if (refusal instanceof Error e) {
            throw e;
          }
          throw (RuntimeException) refusal;
        }
        n = handed.size();
        handed.add(task);
        now = inline.contains(n);
        hook = whenHanded.remove(n);
      }
      if (hook != null) {
        hook.run();
      }
      if (now) {
        run(n);
      }
    }

    /**
     * Runs {@code hook} when task number {@code n} is handed over, before the hand-over returns.
     */
    synchronized void whenHanded(int n, Runnable hook) {
      whenHanded.put(n, hook);
    }

    /** Makes the next hand-over throw {@code refusal}, as a full or broken executor does. */
    synchronized void refuseNext(Throwable refusal) {
      refuseNext = refusal;
    }

    /** Makes the task handed over as number {@code n} run at once. */
    synchronized Tasks inline(int... n) {
      for (int i : n) {
        inline.add(i);
      }
      return this;
    }

    synchronized int count() {
      return handed.size();
    }

    /** Runs the task handed over as number {@code n} on this thread. */
    void run(int n) {
      Runnable task;
      synchronized (this) {
        task = handed.get(n);
      }
      Integer outer = CURRENT.get();
      CURRENT.set(n);
      try {
        task.run();
      } finally {
        if (outer == null) {
          CURRENT.remove();
        } else {
          CURRENT.set(outer);
        }
      }
    }

    static int current() {
      Integer n = CURRENT.get();
      assertThat(n).as("the work runs inside a task").isNotNull();
      return n;
    }
  }

  /** What the work does in copy {@code i}. */
  interface Step<T> {
    T run(int i) throws Exception;
  }

  private <T> Callable<T> work(Step<T> step) {
    return () -> {
      invocations.incrementAndGet();
      return step.run(Tasks.current());
    };
  }

  /** Answers "copy i", or fails with "copy i" for the copies listed. */
  private Callable<String> failing(int... copies) {
    Set<Integer> fail = new HashSet<>();
    for (int c : copies) {
      fail.add(c);
    }
    return work(
        i -> {
          if (fail.contains(i)) {
            throw new IOException("copy " + i);
          }
          return "copy " + i;
        });
  }

  private <T> Service.Builder<T> builder(Callable<T> work, Hedge hedge) {
    return Service.builder("inventory", work)
        .executor(tasks)
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

  private static Throwable failure(CompletableFuture<?> call) {
    assertThat(call).isCompletedExceptionally();
    Throwable thrown = catchThrowable(call::join);
    assertThat(thrown).isNotNull();
    Throwable cause = thrown.getCause();
    return cause == null ? thrown : cause;
  }

  /** A breaker that the failure of one call opened, and whose open time is over: half-open next. */
  private Breaker halfOpenBreaker() throws Exception {
    Breaker breaker =
        Breaker.builder("inventory")
            .ticker(now)
            .minimumCalls(1)
            .openDuration(OPEN)
            .halfOpenCalls(2)
            .build();
    assertThat(
            catchThrowable(
                () ->
                    breaker.call(
                        () -> {
                          throw new IOException("down");
                        })))
        .isInstanceOf(IOException.class);
    assertThat(breaker.state()).isEqualTo(Breaker.State.OPEN);
    now.advance(OPEN);
    return breaker;
  }

  /** Whether the half-open breaker has a trial free: it is given back at once. */
  private static boolean trialFree(Breaker breaker) {
    Breaker.Permit p = breaker.tryAcquirePermission();
    if (p == null) {
      return false;
    }
    p.release();
    return true;
  }

  // ---------------------------------------------------------------- timers and copies

  @Test
  void maxExtraTwo_sendsOneCopyPerDelay_thenSetsNoMoreTimers_andTheWinnerEndsTheOthers() {
    Service<String> service = service(builder(failing(), Hedge.after(DELAY).maxExtra(2)));

    CompletableFuture<String> call = service.callAsync();
    assertThat(tasks.count()).isEqualTo(1);
    manual.advance(DELAY);
    assertThat(tasks.count()).isEqualTo(2);
    manual.advance(DELAY);
    assertThat(tasks.count()).isEqualTo(3);
    assertThat(manual.pendingCount()).as("no timer past the last copy").isZero();
    manual.advance(DELAY.multipliedBy(5));
    assertThat(tasks.count()).isEqualTo(3);

    tasks.run(1);
    assertThat(call).isCompletedWithValue("copy 1");
    tasks.run(0);
    tasks.run(2);

    assertThat(invocations).as("the losers never ran").hasValue(1);
    assertThat(hedging()).isEqualTo(new MetricsStatus.Hedging(DELAY, 2, 2, 1));
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.failures()).isZero();
    assertThat(s.inFlight()).isZero();
  }

  @Test
  void zeroDelay_sendsEveryCopyAtOnce_withoutATimer() {
    Service<String> service = service(builder(failing(), Hedge.after(Duration.ZERO).maxExtra(2)));

    CompletableFuture<String> call = service.callAsync();

    assertThat(tasks.count()).isEqualTo(3);
    assertThat(manual.delays()).isEmpty();
    tasks.run(2);
    assertThat(call).isCompletedWithValue("copy 2");
  }

  @Test
  void aCopyFailingWhileTheFirstRuns_sendsTheNextAtOnce_andTheFirstCanStillWin() {
    Service<String> service = service(builder(failing(1), Hedge.after(DELAY).maxExtra(2)));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);
    assertThat(tasks.count()).isEqualTo(2);
    tasks.run(1);
    assertThat(tasks.count()).as("the next copy, without waiting for the delay").isEqualTo(3);
    assertThat(call).isNotDone();
    manual.advance(DELAY.multipliedBy(3));
    assertThat(tasks.count()).as("the timer set for that copy sends no other").isEqualTo(3);

    tasks.run(0);
    assertThat(call).isCompletedWithValue("copy 0");
    assertThat(manual.pendingCount()).as("the timer is cancelled").isZero();
    tasks.run(2);
    assertThat(invocations).hasValue(2);
    assertThat(hedging()).isEqualTo(new MetricsStatus.Hedging(DELAY, 2, 2, 0));
    assertThat(metrics.snapshot().failures()).isEqualTo(1);
    assertThat(metrics.snapshot().successes()).isEqualTo(1);
  }

  @Test
  void theFirstFailingWhileACopyRuns_waitsForTheCopy() {
    Service<String> service = service(builder(failing(0), Hedge.after(DELAY)));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);
    tasks.run(0);
    assertThat(call).as("a copy is still running").isNotDone();

    tasks.run(1);
    assertThat(call).isCompletedWithValue("copy 1");
    assertThat(hedging().won()).isEqualTo(1);
  }

  @Test
  void everyCopyFailing_failsWithTheLastToFail_theOthersSuppressed_andLeavesNoTimer() {
    Service<String> service = service(builder(failing(0, 1, 2), Hedge.after(DELAY).maxExtra(2)));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);
    tasks.run(0);
    assertThat(tasks.count()).isEqualTo(3);
    tasks.run(2);
    assertThat(call).as("copy 1 still runs").isNotDone();
    tasks.run(1);

    Throwable failure = failure(call);
    assertThat(failure).isInstanceOf(IOException.class).hasMessage("copy 1");
    assertThat(failure.getSuppressed())
        .extracting(Throwable::getMessage)
        .containsExactly("copy 0", "copy 2");
    assertThat(manual.pendingCount()).isZero();
    assertThat(hedging()).isEqualTo(new MetricsStatus.Hedging(DELAY, 2, 2, 0));
  }

  @Test
  void copiesAnsweringOnTheThreadThatSendsThem_setNoTimerForACopyAlreadyOvertaken() {
    tasks.inline(0, 1);
    Service<String> service = service(builder(failing(0, 1), Hedge.after(DELAY).maxExtra(3)));

    CompletableFuture<String> call = service.callAsync();

    assertThat(tasks.count()).as("the first two failed at once, the third waits").isEqualTo(3);
    assertThat(manual.delays())
        .as("one timer, for the copy after the third")
        .containsExactly(DELAY);
    tasks.run(2);
    assertThat(call).isCompletedWithValue("copy 2");
    assertThat(manual.pendingCount()).isZero();
  }

  @Test
  void aFirstCopyThatFailedAtOnce_bringsACopyThatWinsAtOnce_andLeavesNoTimer() {
    tasks.inline(0, 1);
    Service<String> service = service(builder(failing(0), Hedge.after(DELAY)));

    CompletableFuture<String> call = service.callAsync();

    assertThat(call).isCompletedWithValue("copy 1");
    assertThat(manual.delays()).isEmpty();
    assertThat(hedging()).isEqualTo(new MetricsStatus.Hedging(DELAY, 1, 1, 1));
  }

  @Test
  void aFirstCopyThatAnsweredAtOnce_isTheAnswer_withoutAGroup() {
    tasks.inline(0);
    Service<String> service = service(builder(failing(), Hedge.after(DELAY)));

    assertThat(service.callAsync()).isCompletedWithValue("copy 0");
    assertThat(manual.delays()).isEmpty();
    assertThat(tasks.count()).isEqualTo(1);
  }

  @Test
  void call_aFirstCopyThatFailedBeforeTheWait_sendsTheNextAtOnce_withoutATimer() throws Exception {
    tasks.inline(0, 1);
    Service<String> service = service(builder(failing(0), Hedge.after(NEVER)));

    assertThat(service.call()).isEqualTo("copy 1");
    assertThat(manual.delays()).isEmpty();
    assertThat(hedging()).isEqualTo(new MetricsStatus.Hedging(NEVER, 1, 1, 1));
  }

  @Test
  void call_aFirstCopyThatAnsweredBeforeTheWait_isTheAnswer() throws Exception {
    tasks.inline(0);
    Service<String> service = service(builder(failing(), Hedge.after(NEVER)));

    assertThat(service.call()).isEqualTo("copy 0");
    assertThat(tasks.count()).isEqualTo(1);
    assertThat(hedging().sent()).isZero();
  }

  @Test
  void call_sendsEachCopyAfterItsOwnWait_withoutTimers() throws Exception {
    Service<String> service =
        service(builder(failing(), Hedge.after(Duration.ofMillis(1)).maxExtra(2)));

    Future<String> call = callers.submit(service::call);
    TestSupport.spinUntil("the third copy sent", () -> tasks.count() == 3);
    tasks.run(2);

    assertThat(result(call)).isEqualTo("copy 2");
    assertThat(manual.delays()).as("the caller's own waits").isEmpty();
    tasks.run(0);
    tasks.run(1);
    assertThat(invocations).hasValue(1);
    assertThat(hedging()).isEqualTo(new MetricsStatus.Hedging(Duration.ofMillis(1), 2, 2, 1));
  }

  // ---------------------------------------------------------------- the caller's waits

  /**
   * A percentile hedge whose delay is 1 ms until the next refresh, which {@link #lengthenDelay}
   * brings: then an hour, so that a copy sent without waiting for it shows.
   */
  private Hedge shortThenLongDelay(int maxExtra) {
    for (int i = 0; i < 10; i++) {
      Metrics.Sample s = metrics.start();
      now.advance(Duration.ofMillis(1));
      s.success();
    }
    return Hedge.afterPercentile(50)
        .cap(Duration.ofHours(2))
        .refresh(Duration.ofSeconds(1))
        .maxExtra(maxExtra);
  }

  /** Makes the calls of the last hour take an hour, and lets the hedge read its delay again. */
  private void lengthenDelay() {
    List<Metrics.Sample> slow = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      slow.add(metrics.start());
    }
    now.advance(Duration.ofHours(1));
    slow.forEach(Metrics.Sample::success);
    manual.runDue();
    assertThat(hedging().delay()).isEqualTo(metrics.latencyAt(50).orElseThrow());
    assertThat(hedging().delay()).isGreaterThan(Duration.ofMinutes(30));
  }

  @Test
  void call_sendsTheCopyAsSoonAsTheFirstWaitRunsOut_notAfterAnotherDelay() throws Exception {
    AtomicInteger captures = new AtomicInteger();
    Service<String> service =
        service(
            builder(failing(), shortThenLongDelay(1))
                .contextPropagator(
                    attempt -> {
                      // Captured on the caller's thread once the first copy is late: the next
                      // delay, were the caller to wait it out, would be an hour.
                      if (captures.incrementAndGet() == 2) {
                        lengthenDelay();
                      }
                      return attempt;
                    }));

    Future<String> call = callers.submit(service::call);
    TestSupport.spinUntil("the copy sent", () -> tasks.count() == 2);
    tasks.run(1);

    assertThat(result(call)).isEqualTo("copy 1");
    assertThat(hedging().won()).isEqualTo(1);
  }

  @Test
  void call_aFirstCopyFailingAsTheWaitRunsOut_bringsOneCopy_notTwo() throws Exception {
    AtomicInteger captures = new AtomicInteger();
    Service<String> service =
        service(
            builder(failing(0), shortThenLongDelay(2))
                .contextPropagator(
                    attempt -> {
                      // The first copy fails just as it turned out late.
                      if (captures.incrementAndGet() == 2) {
                        lengthenDelay();
                        tasks.run(0);
                      }
                      return attempt;
                    }));
    AtomicReference<@Nullable Thread> caller = new AtomicReference<>();

    Future<String> call =
        callers.submit(
            () -> {
              caller.set(Thread.currentThread());
              return service.call();
            });
    TestSupport.spinUntil("the copy sent", () -> tasks.count() >= 2);
    TestSupport.spinUntil(
        "the caller waiting for the next delay",
        () -> {
          Thread t = caller.get();
          return t != null
              && (t.getState() == Thread.State.TIMED_WAITING
                  || t.getState() == Thread.State.WAITING);
        });

    assertThat(tasks.count()).as("the failure's copy, and none for the wait").isEqualTo(2);
    tasks.run(1);
    assertThat(result(call)).isEqualTo("copy 1");
  }

  // ---------------------------------------------------------------- a caller that stops waiting

  @Test
  void call_interruptedWhileTheFirstCopyRuns_endsIt_andKeepsTheInterrupt() throws Exception {
    Limiter limiter = Limiter.of("inventory", 4);
    Service<String> service = service(builder(failing(), Hedge.after(NEVER)).limiter(limiter));
    CountDownLatch handed = new CountDownLatch(1);

    Future<Boolean> interruptedAfter =
        callers.submit(
            () -> {
              Thread caller = Thread.currentThread();
              callers.execute(
                  () -> {
                    TestSupport.spinUntil("the first copy handed over", () -> tasks.count() == 1);
                    caller.interrupt();
                    handed.countDown();
                  });
              assertThat(catchThrowable(service::call)).isInstanceOf(InterruptedException.class);
              return Thread.currentThread().isInterrupted();
            });

    assertThat(result(interruptedAfter)).as("the interrupt stays set").isTrue();
    TestSupport.await(handed);
    tasks.run(0);
    assertThat(invocations).as("the ended copy never runs").hasValue(0);
    assertThat(limiter.inFlight()).isZero();
    assertThat(tasks.count()).as("no copy for a caller gone").isEqualTo(1);
  }

  @Test
  void call_interruptedWhileCopiesRun_endsThemAll_andKeepsTheInterrupt() throws Exception {
    Limiter limiter = Limiter.of("inventory", 4);
    Service<String> service =
        service(builder(failing(), Hedge.after(Duration.ofMillis(1))).limiter(limiter));

    Future<Boolean> interruptedAfter =
        callers.submit(
            () -> {
              Thread caller = Thread.currentThread();
              callers.execute(
                  () -> {
                    TestSupport.spinUntil("the copy handed over", () -> tasks.count() == 2);
                    caller.interrupt();
                  });
              assertThat(catchThrowable(service::call)).isInstanceOf(InterruptedException.class);
              return Thread.currentThread().isInterrupted();
            });

    assertThat(result(interruptedAfter)).as("the interrupt stays set").isTrue();
    TestSupport.spinUntil("both permits back", () -> limiter.inFlight() == 0);
    tasks.run(0);
    tasks.run(1);
    assertThat(invocations).hasValue(0);
    assertThat(hedging().won()).isZero();
  }

  // ---------------------------------------------------------------- copies that cannot start

  @Test
  void aCopyTheBudgetRefuses_stopsTheCopies_cancelsTheNextTimer_andTheFirstStillAnswers() {
    Limiter limiter = Limiter.of("inventory", 5);
    // Two tokens: a copy may go while more than one is left, so one failure stops the copies.
    RetryBudget budget = RetryBudget.tokens(2, 1);
    Service<String> service =
        service(
            builder(failing(1), Hedge.after(DELAY).maxExtra(2).budget(budget)).limiter(limiter));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);
    assertThat(manual.pendingCount()).as("the timer for the third copy").isEqualTo(1);
    tasks.run(1); // fails: the third copy is due at once, but the budget is spent

    assertThat(tasks.count()).isEqualTo(2);
    assertThat(manual.pendingCount()).as("no copy will be sent: no timer either").isZero();
    assertThat(limiter.inFlight()).isEqualTo(1);
    assertThat(call).as("the first copy still runs").isNotDone();

    tasks.run(0);
    assertThat(call).isCompletedWithValue("copy 0");
    assertThat(limiter.inFlight()).isZero();
    assertThat(metrics.snapshot().rejections()).isZero();
    assertThat(hedging().sent()).isEqualTo(1);
  }

  @Test
  void aCopyTheBudgetRefuses_whileEveryCopySentFails_failsWithTheLastFailure() {
    Limiter limiter = Limiter.of("inventory", 5);
    RetryBudget budget = RetryBudget.tokens(2, 1);
    Service<String> service =
        service(
            builder(failing(0, 1), Hedge.after(DELAY).maxExtra(2).budget(budget)).limiter(limiter));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);
    tasks.run(1);
    assertThat(call).isNotDone();
    tasks.run(0);

    Throwable failure = failure(call);
    assertThat(failure).hasMessage("copy 0");
    assertThat(failure.getSuppressed()).extracting(Throwable::getMessage).containsExactly("copy 1");
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void aCopyTheThrottleRefuses_takesNoLimiterPermitAndNoBulkheadSlot() {
    Limiter limiter = Limiter.of("inventory", 5);
    // Draws 0: rejects whenever the rejection probability is above 0, which it is for the copy
    // (one request, no accept yet) and not for the first.
    Throttle throttle = Throttle.builder("inventory").ticker(now).k(10).random(() -> 0.0).build();
    Service<String> service =
        service(builder(failing(), Hedge.after(DELAY)).pool(2).limiter(limiter).throttle(throttle));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);

    assertThat(tasks.count()).as("no copy").isEqualTo(1);
    assertThat(throttle.requests()).as("the copy's request counted").isEqualTo(2);
    assertThat(limiter.inFlight()).isEqualTo(1);
    tasks.run(0);
    assertThat(call).isCompletedWithValue("copy 0");
    assertThat(limiter.inFlight()).isZero();
    assertThat(throttle.accepts()).isEqualTo(1);

    // Both bulkhead slots are free again.
    CompletableFuture<String> second = service.callAsync();
    CompletableFuture<String> third = service.callAsync();
    assertThat(second).isNotDone();
    assertThat(third).isNotDone();
    assertThat(tasks.count()).isEqualTo(3);
    tasks.run(1);
    tasks.run(2);
    assertThat(second).isCompletedWithValue("copy 1");
    assertThat(third).isCompletedWithValue("copy 2");
  }

  @Test
  void aCopyTheBulkheadRefuses_givesTheLimiterPermitBack() {
    Limiter limiter = Limiter.of("inventory", 5);
    Service<String> service =
        service(builder(failing(), Hedge.after(DELAY)).pool(1).limiter(limiter));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);

    assertThat(tasks.count()).isEqualTo(1);
    assertThat(limiter.inFlight()).isEqualTo(1);
    tasks.run(0);
    assertThat(call).isCompletedWithValue("copy 0");
    assertThat(limiter.inFlight()).isZero();
    assertThat(metrics.snapshot().rejections()).isZero();
  }

  @Test
  void aCopyTheExecutorRefuses_givesItsPermitsAndSlotBack_andTheFirstAnswers() {
    Limiter limiter = Limiter.of("inventory", 5);
    Service<String> service =
        service(builder(failing(), Hedge.after(DELAY)).pool(2).limiter(limiter));

    CompletableFuture<String> call = service.callAsync();
    tasks.refuseNext(new RejectedExecutionException("no thread free"));
    manual.advance(DELAY);

    assertThat(tasks.count()).isEqualTo(1);
    assertThat(limiter.inFlight()).isEqualTo(1);
    assertThat(hedging().sent()).isZero();
    CompletableFuture<String> other = service.callAsync();
    assertThat(other).as("the copy's bulkhead slot is free again").isNotDone();
    tasks.run(0);
    tasks.run(1);
    assertThat(call).isCompletedWithValue("copy 0");
    assertThat(other).isCompletedWithValue("copy 1");
    assertThat(limiter.inFlight()).isZero();
    assertThat(metrics.snapshot().rejections()).isZero();
    assertThat(metrics.snapshot().failures()).isZero();
  }

  @Test
  void aCopyWhoseThreadCannotBeStarted_failsTheCallWithTheError_andEndsTheFirst() {
    Limiter limiter = Limiter.of("inventory", 5);
    Service<String> service =
        service(builder(failing(), Hedge.after(DELAY)).pool(2).limiter(limiter));
    OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread");

    CompletableFuture<String> call = service.callAsync();
    tasks.refuseNext(noThread);
    manual.advance(DELAY);

    assertThat(failure(call)).isSameAs(noThread);
    tasks.run(0);
    assertThat(invocations).as("the first copy was ended").hasValue(0);
    assertThat(limiter.inFlight()).isZero();
    CompletableFuture<String> a = service.callAsync();
    CompletableFuture<String> b = service.callAsync();
    assertThat(a).as("both bulkhead slots are free again").isNotDone();
    assertThat(b).isNotDone();
  }

  @Test
  void aClosedService_sendsNoCopy_andTheFirstStillAnswers() {
    Service<String> service = service(builder(failing(), Hedge.after(DELAY)));

    CompletableFuture<String> call = service.callAsync();
    service.close();
    manual.advance(DELAY);

    assertThat(tasks.count()).isEqualTo(1);
    tasks.run(0);
    assertThat(call).isCompletedWithValue("copy 0");
  }

  @Test
  void aCopyWhosePropagatorFailed_failsWithIt_andNoFurtherCopyIsSent() {
    IllegalStateException noContext = new IllegalStateException("no tracing context");
    AtomicInteger captures = new AtomicInteger();
    Service<String> service =
        service(
            builder(failing(0), Hedge.after(DELAY).maxExtra(2))
                .contextPropagator(
                    attempt -> {
                      if (captures.incrementAndGet() == 2) {
                        throw noContext; // the first extra copy's context
                      }
                      return attempt;
                    }));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);
    assertThat(tasks.count()).as("the copy failed before it was handed over").isEqualTo(1);
    manual.advance(DELAY.multipliedBy(3));
    assertThat(tasks.count()).as("no further copy").isEqualTo(1);
    assertThat(call).isNotDone();
    tasks.run(0);

    Throwable failure = failure(call);
    assertThat(failure).hasMessage("copy 0");
    assertThat(failure.getSuppressed()).containsExactly(noContext);
  }

  // ---------------------------------------------------------------- a half-open breaker's trials

  @Test
  void halfOpen_aCopyTheLimiterRefuses_givesItsTrialBack() throws Exception {
    Breaker breaker = halfOpenBreaker();
    Service<String> service =
        service(
            builder(failing(), Hedge.after(DELAY))
                .breaker(breaker)
                .limiter(Limiter.of("inventory", 1)));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);

    assertThat(tasks.count()).isEqualTo(1);
    assertThat(trialFree(breaker)).as("the copy's trial is free again").isTrue();
    tasks.run(0);
    assertThat(call).isCompletedWithValue("copy 0");
  }

  @Test
  void halfOpen_aCopyTheBudgetRefuses_givesItsTrialBack() throws Exception {
    Breaker breaker = halfOpenBreaker();
    RetryBudget none = RetryBudget.builder().ratio(0).minRetriesPerSecond(0).build();
    Service<String> service =
        service(builder(failing(), Hedge.after(DELAY).budget(none)).breaker(breaker));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);

    assertThat(tasks.count()).isEqualTo(1);
    assertThat(trialFree(breaker)).isTrue();
    tasks.run(0);
    assertThat(call).isCompletedWithValue("copy 0");
  }

  @Test
  void halfOpen_aCopyThatLost_givesItsTrialBack_withoutAnOutcome() throws Exception {
    Breaker breaker = halfOpenBreaker();
    Service<String> service = service(builder(failing(), Hedge.after(DELAY)).breaker(breaker));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);
    assertThat(trialFree(breaker)).as("both trials taken").isFalse();
    tasks.run(1);

    assertThat(call).isCompletedWithValue("copy 1");
    assertThat(trialFree(breaker)).as("the loser's trial is free again").isTrue();
    assertThat(breaker.state()).isEqualTo(Breaker.State.HALF_OPEN);
  }

  // ---------------------------------------------------------------- timeouts and budgets

  @Test
  void aCopyHasItsOwnTimeout_andItsTimeoutReachesTheSharedBudget() throws Exception {
    RetryBudget shared = RetryBudget.tokens(10, 0.5);
    Service<String> service =
        service(
            builder(failing(), Hedge.after(DELAY).budget(shared))
                .timeout(DELAY.multipliedBy(2))
                .retry(Retry.builder("inventory").maxAttempts(1).budget(shared).build()));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY); // the copy
    manual.advance(DELAY); // the first times out
    assertThat(call).as("the copy may still answer").isNotDone();
    manual.advance(DELAY); // the copy times out

    Throwable failure = failure(call);
    assertThat(failure).isInstanceOf(ServiceTimeoutException.class);
    assertThat(failure.getSuppressed()).hasSize(1);
    assertThat(metrics.snapshot().timeouts()).isEqualTo(2);
    // The copy's timeout is the hedge's to record, the attempt's failure the retry's; the first
    // copy's timeout is that failure, recorded once.
    assertThat(shared.tokens()).isEqualTo(8.0);
  }

  @Test
  void aTimedOutCopyOfItsOwnBudget_isRecordedToo() throws Exception {
    RetryBudget own = RetryBudget.tokens(10, 0.5);
    Service<String> service =
        service(builder(failing(), Hedge.after(DELAY).budget(own)).timeout(DELAY.multipliedBy(2)));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);
    manual.advance(DELAY);
    manual.advance(DELAY);

    assertThat(failure(call)).isInstanceOf(ServiceTimeoutException.class);
    assertThat(own.tokens()).as("both copies' timeouts").isEqualTo(8.0);
  }

  @Test
  void aRatioBudgetOfItsOwn_countsTheAsynchronousAttemptAsACall_soACopyMayGo() {
    RetryBudget own = RetryBudget.builder().ratio(1).minRetriesPerSecond(0).build();
    Service<String> service = service(builder(failing(0), Hedge.after(DELAY).budget(own)));

    CompletableFuture<String> call = service.callAsync();
    tasks.run(0);

    assertThat(tasks.count()).isEqualTo(2);
    tasks.run(1);
    assertThat(call).isCompletedWithValue("copy 1");
    assertThat(hedging().sent()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- outcomes that cross

  @Test
  void aCopyHandedOverAfterTheFirstAnswered_isEndedUnrun() {
    Limiter limiter = Limiter.of("inventory", 5);
    Service<String> service =
        service(builder(failing(), Hedge.after(DELAY).maxExtra(2)).limiter(limiter));
    CompletableFuture<String> call = service.callAsync();
    // The first copy answers on its own thread while the timer hands the copy over.
    tasks.whenHanded(1, () -> tasks.run(0));

    manual.advance(DELAY);

    assertThat(call).isCompletedWithValue("copy 0");
    tasks.run(1);
    assertThat(invocations).as("the late copy never ran").hasValue(1);
    assertThat(limiter.inFlight()).isZero();
    assertThat(manual.pendingCount()).isZero();
    manual.advance(DELAY.multipliedBy(3));
    assertThat(tasks.count()).isEqualTo(2);
  }

  @Test
  void aCopyFailingAfterAnotherAnswered_sendsNoFurtherCopy() {
    AtomicInteger events = new AtomicInteger();
    // The breaker hears of copy 0's failure before the hedge does: copy 1 answers in between.
    Breaker breaker =
        Breaker.builder("inventory")
            .ticker(now)
            .onCall(
                event -> {
                  if (events.incrementAndGet() == 1) {
                    tasks.run(1);
                  }
                })
            .build();
    Service<String> service =
        service(builder(failing(0), Hedge.after(DELAY).maxExtra(2)).breaker(breaker));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);
    tasks.run(0);

    assertThat(call).isCompletedWithValue("copy 1");
    assertThat(tasks.count()).as("no copy after the answer").isEqualTo(2);
    assertThat(manual.pendingCount()).isZero();
  }

  @Test
  void anErrorFromACopysWork_failsTheCallAtOnce_andEndsTheOthersAndTheTimer() {
    StackOverflowError error = new StackOverflowError("deep");
    Limiter limiter = Limiter.of("inventory", 5);
    Service<String> service =
        service(
            builder(
                    work(
                        i -> {
                          if (i == 1) {
                            throw error;
                          }
                          return "copy " + i;
                        }),
                    Hedge.after(DELAY).maxExtra(2))
                .limiter(limiter));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);
    tasks.run(1);

    assertThat(failure(call)).isSameAs(error);
    assertThat(manual.pendingCount()).isZero();
    tasks.run(0);
    assertThat(invocations).as("the first copy was ended").hasValue(1);
    assertThat(tasks.count()).isEqualTo(2);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void copiesFailingWithTheSameException_failWithIt_notSuppressingItself() {
    IOException down = new IOException("down");
    Service<String> service =
        service(
            builder(
                this.<String>work(
                    i -> {
                      throw down;
                    }),
                Hedge.after(DELAY)));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);
    tasks.run(0);
    tasks.run(1);

    assertThat(failure(call)).isSameAs(down);
    assertThat(down.getSuppressed()).isEmpty();
  }

  @Test
  void aCopyFailing_movesTheNextTimerOnToTheCopyItBrought() {
    Service<String> service = service(builder(failing(1), Hedge.after(DELAY).maxExtra(3)));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);
    assertThat(manual.pendingCount()).isEqualTo(1);
    tasks.run(1);

    assertThat(tasks.count()).isEqualTo(3);
    assertThat(manual.pendingCount())
        .as("one timer, a delay after the copy just sent")
        .isEqualTo(1);
    manual.advance(DELAY.minusNanos(1));
    assertThat(tasks.count()).isEqualTo(3);
    manual.advance(Duration.ofNanos(1));
    assertThat(tasks.count()).isEqualTo(4);
    tasks.run(3);
    assertThat(call).isCompletedWithValue("copy 3");
    assertThat(manual.pendingCount()).isZero();
  }

  @Test
  void aCopyThatWonOnTheThreadThatSentIt_leavesNoTimer_evenWithCopiesLeft() {
    tasks.inline(0, 1);
    Service<String> service = service(builder(failing(0), Hedge.after(DELAY).maxExtra(2)));

    CompletableFuture<String> call = service.callAsync();

    assertThat(call).isCompletedWithValue("copy 1");
    assertThat(manual.delays()).isEmpty();
    assertThat(tasks.count()).isEqualTo(2);
  }

  @Test
  void aCopyTheThrottleLetsThrough_isSent_andCountedByIt() {
    Throttle throttle = Throttle.builder("inventory").ticker(now).random(() -> 1.0).build();
    Service<String> service = service(builder(failing(), Hedge.after(DELAY)).throttle(throttle));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);

    assertThat(tasks.count()).isEqualTo(2);
    assertThat(throttle.requests()).isEqualTo(2);
    tasks.run(1);
    assertThat(call).isCompletedWithValue("copy 1");
    assertThat(throttle.accepts()).isEqualTo(1);
  }

  @Test
  void call_anErrorFromACopy_isThrownAtOnce() throws Exception {
    StackOverflowError error = new StackOverflowError("deep");
    tasks.inline(0, 1);
    Service<String> service =
        service(
            builder(
                work(
                    i -> {
                      if (i == 0) {
                        throw new IOException("copy 0");
                      }
                      throw error;
                    }),
                Hedge.after(NEVER)));

    Future<String> call = callers.submit(service::call);

    Throwable thrown = catchThrowable(() -> result(call));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    assertThat(thrown.getCause()).isSameAs(error);
  }

  @Test
  void call_theFirstAnsweringWhileTheCopyIsPrepared_sendsNoCopy() throws Exception {
    AtomicInteger captures = new AtomicInteger();
    Service<String> service =
        service(
            builder(failing(), Hedge.after(Duration.ofMillis(1)))
                .contextPropagator(
                    attempt -> {
                      // The copy's context is captured on the caller's thread once the first copy
                      // is late: the first copy answers right then.
                      if (captures.incrementAndGet() == 2) {
                        tasks.run(0);
                      }
                      return attempt;
                    }));

    assertThat(service.call()).isEqualTo("copy 0");
    assertThat(tasks.count()).as("no copy").isEqualTo(1);
    assertThat(hedging().sent()).isZero();
  }

  // ---------------------------------------------------------------- late results

  /** A result that holds a resource, whose closing may fail, even by being interrupted. */
  @SuppressWarnings("try") // close() may throw InterruptedException: that is the point
  static final class Conn implements AutoCloseable {
    final String name;
    final @Nullable Exception closeFails;
    int closed;

    Conn(String name, @Nullable Exception closeFails) {
      this.name = name;
      this.closeFails = closeFails;
    }

    @Override
    public void close() throws Exception {
      closed++;
      if (closeFails != null) {
        throw closeFails;
      }
    }
  }

  @Test
  void aCopyThatLostWhileRunning_andStillAnswers_hasAPlainResultDropped() {
    Service<String> service =
        service(
            builder(
                work(
                    i -> {
                      if (i == 0) {
                        tasks.run(1); // copy 1 answers while copy 0 runs, and wins
                        Thread.interrupted(); // the interrupt meant for the loser
                        return "late";
                      }
                      return "copy " + i;
                    }),
                Hedge.after(DELAY)));

    CompletableFuture<String> call = service.callAsync();
    manual.advance(DELAY);
    tasks.run(0);

    assertThat(call).isCompletedWithValue("copy 1");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aCopyThatLostWhileRunning_hasItsResourceClosed() throws Exception {
    List<Conn> made = new ArrayList<>();
    Service<Conn> service =
        service(
            builder(
                work(
                    i -> {
                      Conn c = new Conn("copy " + i, null);
                      made.add(c);
                      if (i == 0) {
                        tasks.run(1);
                        Thread.interrupted();
                      }
                      return c;
                    }),
                Hedge.after(DELAY)));

    CompletableFuture<Conn> call = service.callAsync();
    manual.advance(DELAY);
    tasks.run(0);

    assertThat(result(call).name).isEqualTo("copy 1");
    assertThat(made.get(0).closed).as("the loser's result is closed").isEqualTo(1);
    assertThat(made.get(1).closed).as("the winner's is the caller's").isZero();
  }

  @Test
  void aTimedOutAttemptsLateResult_isLeftToItsWork_notClosed() throws Exception {
    List<Conn> made = new ArrayList<>();
    Service<Conn> service =
        service(
            Service.builder(
                    "inventory",
                    work(
                        i -> {
                          Conn c = new Conn("late", null);
                          made.add(c);
                          manual.advance(DELAY); // the timeout ends the attempt
                          Thread.interrupted();
                          return c;
                        }))
                .executor(tasks)
                .pool(8)
                .scheduler(manual)
                .metrics(metrics)
                .timeout(DELAY));

    CompletableFuture<Conn> call = service.callAsync();
    tasks.run(0);

    assertThat(failure(call)).isInstanceOf(ServiceTimeoutException.class);
    assertThat(made.get(0).closed).as("only a hedge's losing copy is closed").isZero();
  }

  @Test
  void twoCopiesAnsweringTogether_theLaterResultIsClosed_andAnInterruptedCloseKeepsTheFlag()
      throws Exception {
    List<Conn> made = new ArrayList<>();
    AtomicInteger checked = new AtomicInteger();
    // The breaker is told copy 0's result after copy 0 has answered and before the hedge hears of
    // it: copy 1 answers in between, as another thread could.
    Breaker breaker =
        Breaker.builder("inventory")
            .ticker(now)
            .recordResult(
                Conn.class,
                c -> {
                  if (checked.incrementAndGet() == 1) {
                    tasks.run(1);
                  }
                  return false;
                })
            .build();
    Service<Conn> service =
        service(
            builder(
                    work(
                        i -> {
                          Conn c =
                              new Conn(
                                  "copy " + i, i == 0 ? new InterruptedException("closing") : null);
                          made.add(c);
                          return c;
                        }),
                    Hedge.after(DELAY))
                .breaker(breaker));

    CompletableFuture<Conn> call = service.callAsync();
    manual.advance(DELAY);
    tasks.run(0);

    assertThat(result(call).name).isEqualTo("copy 1");
    assertThat(made.get(0).closed).as("answered after the winner: closed").isEqualTo(1);
    assertThat(Thread.interrupted()).as("the interrupted close keeps the flag").isTrue();
    assertThat(made.get(1).closed).isZero();
  }
}
