package io.dyno.breaker;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What the breaker counts and judges is exact: each outcome in the bucket of its time, every call
 * judged, every permit judged by the phase that issued it, every change told in order.
 */
class BreakerExactnessTest {

  private static final long SECOND = 1_000_000_000L;

  private final FakeTicker ticker = FakeTicker.create();

  private BreakerBuilder builder() {
    return Breaker.builder("exact").ticker(ticker);
  }

  private static void succeed(Breaker b) {
    b.run(() -> {});
  }

  /** Opens {@code b} with {@code failures} failed calls and lets its open duration pass. */
  private void openThenWait(Breaker b, int failures) {
    for (int i = 0; i < failures; i++) {
      FailedCall.through(b);
    }
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    ticker.advance(5 * SECOND);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void sneakyThrow(Throwable t) throws E {
    throw (E) t;
  }

  // ---------------------------------------------------------------- the window

  @Test
  void
      hundredSuccesses_thenTwentySecondsQuiet_thenTwentyFailures_opensOnAWindowOfOnlyTheFailures() {
    Breaker b =
        builder().window(Duration.ofSeconds(10)).minimumCalls(20).failureRateThreshold(50).build();
    for (int i = 0; i < 100; i++) {
      succeed(b);
    }
    ticker.advance(20 * SECOND);
    for (int i = 0; i < 19; i++) {
      FailedCall.through(b);
    }
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    FailedCall.through(b);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    BreakerMetrics m = b.metrics();
    assertThat(m.calls()).isEqualTo(20);
    assertThat(m.failures()).isEqualTo(20);
    assertThat(m.failureRate()).isEqualTo(100.0);
  }

  @Test
  void failFailFailSucceedSucceed_withMinimumFiveAndFiftyPercent_opensOnTheFifthCall_aSuccess() {
    Breaker b = builder().minimumCalls(5).failureRateThreshold(50).build();
    FailedCall.through(b);
    FailedCall.through(b);
    FailedCall.through(b);
    succeed(b);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    succeed(b);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(b.metrics().failureRate()).isEqualTo(60.0);
    BreakerOpenException e = catchThrowableOfType(BreakerOpenException.class, b::acquirePermission);
    assertThat(e.reason()).isEqualTo("60.0% failures in the last 10.0 s");
  }

  // ---------------------------------------------------------------- permits of an earlier phase

  @Test
  void successOfACallAdmittedWhileClosed_reportedDuringTheTrial_doesNotCloseTheBreaker() {
    Breaker b = builder().minimumCalls(2).build();
    Breaker.Permit admittedWhileClosed = b.acquirePermission();
    openThenWait(b, 2);
    Breaker.Permit trial = b.acquirePermission();
    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);

    admittedWhileClosed.onSuccess(0);

    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertThat(b.tryAcquirePermission()).as("the trial still runs alone").isNull();
    trial.onFailure(0, new Boom());
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
  }

  @Test
  void failureOfACallAdmittedWhileClosed_reportedDuringTheTrial_doesNotReopenTheBreaker() {
    Breaker b = builder().minimumCalls(2).build();
    Breaker.Permit admittedWhileClosed = b.acquirePermission();
    openThenWait(b, 2);
    Breaker.Permit trial = b.acquirePermission();

    admittedWhileClosed.onFailure(0, new Boom());

    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    trial.onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void ignoredFailureOfACallAdmittedWhileClosed_reportedDuringTheTrial_freesNoTrialPermit() {
    Breaker b = builder().minimumCalls(2).ignore(IllegalArgumentException.class).build();
    Breaker.Permit admittedWhileClosed = b.acquirePermission();
    openThenWait(b, 2);
    Breaker.Permit trial = b.acquirePermission();

    admittedWhileClosed.onFailure(0, new IllegalArgumentException("bad input"));

    assertThat(b.tryAcquirePermission()).as("a second trial with halfOpenCalls(1)").isNull();
    trial.onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void cancelledStageOfACallStartedWhileClosed_endingDuringTheTrial_freesNoTrialPermit() {
    Breaker b = builder().minimumCalls(2).build();
    CompletableFuture<String> stage = new CompletableFuture<>();
    CompletableFuture<String> result = b.callAsync(() -> stage);
    openThenWait(b, 2);
    Breaker.Permit trial = b.acquirePermission();

    stage.cancel(false);

    assertThat(result).isCancelled();
    assertThat(b.tryAcquirePermission()).as("a second trial with halfOpenCalls(1)").isNull();
    trial.onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void releaseOfAPermitAdmittedWhileClosed_duringTheTrial_freesNoTrialPermit() {
    Breaker b = builder().minimumCalls(2).build();
    Breaker.Permit admittedWhileClosed = b.acquirePermission();
    openThenWait(b, 2);
    Breaker.Permit trial = b.acquirePermission();

    admittedWhileClosed.release();

    assertThat(b.tryAcquirePermission()).as("a second trial with halfOpenCalls(1)").isNull();
    trial.onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  // ---------------------------------------------------------------- close and clear in one step

  @Test
  void failureOfACallAdmittedBeforeTheBreakerOpened_reportedAfterTheTrialClosedIt_isNotJudged() {
    Breaker b = builder().minimumCalls(1).build();
    Breaker.Permit admittedBeforeOpening = b.acquirePermission();
    openThenWait(b, 1);
    b.acquirePermission().onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);

    admittedBeforeOpening.onFailure(0, new Boom());

    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(b.metrics().calls()).isZero();
  }

  @Test
  void failureOfACallAdmittedBeforeAResetOfAnOpenBreaker_reportedAfterIt_isNotJudged() {
    Breaker b = builder().minimumCalls(1).build();
    Breaker.Permit admittedBeforeReset = b.acquirePermission();
    FailedCall.through(b);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    b.reset();

    admittedBeforeReset.onFailure(0, new Boom());

    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(b.metrics().calls()).isZero();
  }

  @Test
  void failureOfACallAdmittedBeforeAResetOfAClosedBreaker_reportedAfterIt_isNotJudged() {
    Breaker b = builder().minimumCalls(3).build();
    Breaker.Permit admittedBeforeReset = b.acquirePermission();
    FailedCall.through(b);
    FailedCall.through(b);
    b.reset();

    // Judged on the old window it would be the third failure of three.
    admittedBeforeReset.onFailure(0, new Boom());

    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(b.metrics().calls()).isZero();
  }

  // ---------------------------------------------------------------- listeners

  @Test
  void listeners_ofTripsResetsAndFailuresRacingOnFourThreads_seeEachChangeFromThePreviousOne()
      throws Exception {
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 2_000; round++) {
        Queue<StateChange> events = new ConcurrentLinkedQueue<>();
        Breaker b = builder().minimumCalls(1).onStateChange(events::add).build();
        List<Runnable> actions =
            List.of(
                b::trip,
                b::reset,
                () -> {
                  Breaker.Permit p = b.tryAcquirePermission();
                  if (p != null) {
                    p.onFailure(0, new Boom());
                  }
                },
                b::disable);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (Runnable action : actions) {
          done.add(
              pool.submit(
                  () -> {
                    ready.countDown();
                    if (!go.await(10, SECONDS)) {
                      throw new AssertionError("not released");
                    }
                    for (int i = 0; i < 3; i++) {
                      action.run();
                    }
                    return null;
                  }));
        }
        assertThat(ready.await(10, SECONDS)).isTrue();
        go.countDown();
        for (Future<?> f : done) {
          f.get(30, SECONDS);
        }
        Breaker.State expectedFrom = Breaker.State.CLOSED;
        for (StateChange e : events) {
          assertThat(e.from()).as("round %d: %s", round, events).isEqualTo(expectedFrom);
          expectedFrom = e.to();
        }
        assertThat(expectedFrom).as("round %d: %s", round, events).isEqualTo(b.state());
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, SECONDS)).isTrue();
    }
  }

  // ---------------------------------------------------------------- callAsync

  @Test
  void callAsync_trialWhoseSupplierThrowsACheckedExceptionSneakily_reopensTheBreaker_andFails() {
    Breaker b = builder().minimumCalls(1).build();
    openThenWait(b, 1);
    IOException sneaky = new IOException("connection refused");

    CompletableFuture<String> result =
        b.callAsync(
            () -> {
              BreakerExactnessTest.<RuntimeException>sneakyThrow(sneaky);
              return CompletableFuture.completedFuture("unreachable");
            });

    assertThat(catchThrowable(result::join))
        .isInstanceOf(CompletionException.class)
        .hasCause(sneaky);
    assertThat(b.state()).as("reopened, not stuck half-open").isEqualTo(Breaker.State.OPEN);
    ticker.advance(5 * SECOND);
    assertThat(b.tryAcquirePermission()).isNotNull();
  }

  @Test
  void callAsync_recordResultPredicateThatThrows_failsTheFuture_andFreesTheTrialPermit() {
    IllegalStateException broken = new IllegalStateException("predicate broke");
    Breaker b =
        builder()
            .minimumCalls(1)
            .recordResult(
                String.class,
                r -> {
                  throw broken;
                })
            .build();
    CompletableFuture<String> closed = b.callAsync(() -> CompletableFuture.completedFuture("ok"));
    assertThat(catchThrowable(closed::join)).hasCause(broken);
    assertThat(b.metrics().calls()).as("not recorded").isZero();

    openThenWait(b, 1);
    CompletableFuture<String> trial = b.callAsync(() -> CompletableFuture.completedFuture("ok"));

    assertThat(catchThrowable(trial::join)).hasCause(broken);
    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertThat(b.tryAcquirePermission()).as("the trial permit was freed").isNotNull();
  }

  // ---------------------------------------------------------------- the clock

  @Test
  void compositeReportingEndTimes_readsNoClock_andTheOpenDurationCountsFromTheCallsEnd() {
    Breaker b =
        Breaker.builder("composite")
            .minimumCalls(4)
            .slowCallThreshold(Duration.ofSeconds(1))
            .onCall(e -> {})
            .ticker(ticker)
            .build();
    ticker.set(10 * SECOND);
    Breaker.Permit fast = b.acquirePermission();
    Breaker.Permit slow = b.acquirePermission();
    Breaker.Permit failed = b.acquirePermission();
    Breaker.Permit opening = b.acquirePermission();
    long end = ticker.read();
    long before = ticker.reads();
    fast.onResultAt(end, 1_000, "fast");
    slow.onResultAt(end, 2 * SECOND, "slow");
    failed.onFailureAt(end, 1_000, new Boom());
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(ticker.reads() - before).as("reads while reporting").isZero();

    // The call ended a second before the composite reported it.
    opening.onFailureAt(end - SECOND, 1_000, new Boom());
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(ticker.reads() - before)
        .as("a state change reads it at most once, for its event's counts")
        .isLessThanOrEqualTo(1);

    ticker.advance(4 * SECOND - 1);
    assertThat(b.tryAcquirePermission()).isNull();
    ticker.advance(1);
    Breaker.Permit trial = b.acquirePermission();
    long trialEnd = ticker.read();
    long beforeTrial = ticker.reads();
    trial.onResultAt(trialEnd, 1_000, "ok");
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(ticker.reads() - beforeTrial)
        .as("a state change reads it at most once, for its event's counts")
        .isLessThanOrEqualTo(1);
  }
}
