package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Cases from the test suites of Resilience4j, Failsafe and Hystrix, rewritten against dyno's API on
 * a hand-moved ticker. Each test names the peer test it follows; where dyno deliberately behaves
 * otherwise, the test asserts dyno's behaviour and says how the peer differs.
 */
class BreakerPeerCasesTest {

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;

  private final FakeTicker ticker = FakeTicker.create();
  private final List<StateChange> changes = new ArrayList<>();
  private final AtomicInteger runs = new AtomicInteger();

  private void advance(long nanos) {
    ticker.advance(nanos);
  }

  private void succeed(Breaker b) {
    b.run(runs::incrementAndGet);
  }

  private void fail(Breaker b) {
    FailedCall.through(b, runs::incrementAndGet);
  }

  /** Asserts that {@code b} rejects a call without running it. */
  private void rejected(Breaker b) {
    int before = runs.get();
    assertThatThrownBy(() -> b.run(runs::incrementAndGet)).isInstanceOf(BreakerOpenException.class);
    assertThat(runs.get()).as("the work did not run").isEqualTo(before);
  }

  private static void assertCounts(Breaker b, long calls, long failures) {
    BreakerMetrics m = b.metrics();
    assertThat(m.calls()).as("calls").isEqualTo(calls);
    assertThat(m.failures()).as("failures").isEqualTo(failures);
  }

  // ---------------------------------------------------------------- Resilience4j state machine

  /**
   * Resilience4j's CircuitBreakerStateMachineTest setup: 50 % failures or 50 % calls slower than 4
   * s, over at least 5 calls in a 20 s window of one-second buckets; open 5 s; 4 trial calls;
   * NumberFormatException ignored.
   */
  private BreakerBuilder r4j() {
    return Breaker.builder("testName")
        .failureRateThreshold(50)
        .slowCallThreshold(Duration.ofSeconds(4))
        .slowCallRateThreshold(50)
        .minimumCalls(5)
        .window(Duration.ofSeconds(20))
        .buckets(20)
        .openDuration(Duration.ofSeconds(5))
        .halfOpenCalls(4)
        .ignore(NumberFormatException.class)
        .ticker(ticker)
        .onStateChange(changes::add);
  }

  /** Opens {@code b} with five failures and lets the open duration pass. */
  private Breaker openedThenWaited(Breaker b) {
    for (int i = 0; i < 5; i++) {
      b.acquirePermission().onFailure(0, new Boom());
    }
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    advance(5 * SECOND);
    return b;
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#shouldThrowCallNotPermittedExceptionWhenStateIsOpen.
   */
  @Test
  void openBreaker_rejectsWithBreakerOpenException_andTellsCallListenersOfTheRejection() {
    List<CallEvent> events = new ArrayList<>();
    Breaker b = r4j().onCall(events::add).build();
    for (int i = 0; i < 5; i++) {
      fail(b);
    }
    assertThatThrownBy(b::acquirePermission).isInstanceOf(BreakerOpenException.class);
    assertThat(events).extracting(CallEvent::kind).endsWith(CallEvent.Kind.REJECTED);
    assertThat(events).filteredOn(e -> e.kind() == CallEvent.Kind.REJECTED).hasSize(1);
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#shouldThrowCallNotPermittedExceptionWhenStateIsForcedOpen.
   */
  @Test
  void trippedBreaker_rejectsWithBreakerOpenException() {
    Breaker b = r4j().build();
    b.trip();
    BreakerOpenException e = catchThrowableOfType(BreakerOpenException.class, b::acquirePermission);
    assertThat(e.state()).isEqualTo(Breaker.State.FORCED_OPEN);
  }

  /**
   * Follows Resilience4j CircuitBreakerStateMachineTest#shouldIncreaseCounterOnReleasePermission.
   */
  @Test
  void halfOpen_aReleasedTrialPermit_letsOneMoreTrialIn() {
    Breaker b = openedThenWaited(r4j().build());
    List<Breaker.Permit> trials = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      trials.add(b.acquirePermission());
    }
    assertThat(b.tryAcquirePermission()).isNull();
    assertThat(b.tryAcquirePermission()).isNull();
    trials.get(0).release();
    assertThat(b.tryAcquirePermission()).isNotNull();
    assertThat(b.tryAcquirePermission()).isNull();
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#shouldThrowCallNotPermittedExceptionWhenNotFurtherTestCallsArePermitted.
   */
  @Test
  void halfOpen_withAllFourTrialsInFlight_rejectsTheFifthCall() {
    Breaker b = openedThenWaited(r4j().build());
    for (int i = 0; i < 4; i++) {
      b.acquirePermission();
    }
    BreakerOpenException e = catchThrowableOfType(BreakerOpenException.class, b::acquirePermission);
    assertThat(e.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertThat(e.reason()).isEqualTo("all 4 trial calls are in progress");
  }

  /**
   * Follows Resilience4j CircuitBreakerStateMachineTest#shouldOnlyPermitFourCallsInHalfOpenState.
   */
  @Test
  void halfOpen_permitsFourTrials_andFourAgainAfterReopening_whateverTheOldTrialsReport() {
    Breaker b = openedThenWaited(r4j().build());
    List<Breaker.Permit> first = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      first.add(b.acquirePermission());
    }
    assertThat(b.tryAcquirePermission()).isNull();
    first.get(0).onFailure(0, new Boom());
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    advance(5 * SECOND);
    for (int i = 0; i < 4; i++) {
      assertThat(b.tryAcquirePermission()).as("trial %d", i + 1).isNotNull();
    }
    for (Breaker.Permit old : first.subList(1, 4)) {
      old.release();
    }
    assertThat(b.tryAcquirePermission()).isNull();
    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#shouldOpenAfterFailureRateThresholdExceeded2.
   */
  @Test
  void threeSuccessesThenThreeFailures_aSecondApart_openOnTheSixthCall() {
    Breaker b = r4j().build();
    succeed(b);
    advance(SECOND);
    succeed(b);
    advance(SECOND);
    succeed(b);
    advance(SECOND);
    fail(b);
    advance(SECOND);
    fail(b);
    assertThat(b.state()).as("40 %% of 5 calls").isEqualTo(Breaker.State.CLOSED);
    advance(SECOND);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    fail(b);
    assertThat(b.state()).as("50 %% of 6 calls").isEqualTo(Breaker.State.OPEN);
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#shouldOpenAfterFailureRateThresholdExceeded.
   */
  @Test
  void threeFailuresThenTwoSuccesses_openOnTheFifthCall_aSuccess_atSixtyPercent() {
    Breaker b = r4j().build();
    for (int i = 1; i <= 3; i++) {
      b.acquirePermission().onFailure(0, new Boom());
      assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
      assertCounts(b, i, i);
    }
    b.acquirePermission().onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertCounts(b, 4, 3);
    b.acquirePermission().onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertCounts(b, 5, 3);
    assertThat(b.metrics().failureRate()).isEqualTo(60.0);
    assertThat(changes).hasSize(1);
    assertThat(b.tryAcquirePermission()).isNull();
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#shouldOpenAfterSlowCallRateThresholdExceeded.
   */
  @Test
  void threeSlowCallsOfFive_openOnTheSlowCallRate_belowTheFailureRate() {
    Breaker b = r4j().build();
    b.acquirePermission().onFailure(5 * SECOND, new Boom());
    b.acquirePermission().onSuccess(5 * SECOND);
    b.acquirePermission().onFailure(100 * MS, new Boom());
    b.acquirePermission().onSuccess(100 * MS);
    assertThat(b.state()).as("below the minimum of 5 calls").isEqualTo(Breaker.State.CLOSED);
    b.acquirePermission().onSuccess(5 * SECOND);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    BreakerMetrics m = b.metrics();
    assertThat(m.calls()).isEqualTo(5);
    assertThat(m.slowCalls()).isEqualTo(3);
    assertThat(m.slowCallRate()).isEqualTo(60.0);
    assertThat(m.failureRate()).isEqualTo(40.0);
    assertThat(changes.get(0).reason())
        .isEqualTo("60.0% of calls slower than 4.00 s in the last 20.0 s");
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#shouldOpenAfterSlowCallRateThresholdExceededUsingMockClock.
   */
  @Test
  void slowCallsTimedByTheVerbsOnTheTicker_openOnTheSlowCallRate() {
    Breaker b = r4j().build();
    Function<Integer, Duration> takeSeconds =
        b.decorateFunction(s -> ticker.advance(s * SECOND).elapsed());
    int[] seconds = {5, 5, 1, 1};
    long[] slow = {1, 2, 2, 2};
    for (int i = 0; i < seconds.length; i++) {
      assertThat(takeSeconds.apply(seconds[i])).isEqualTo(ticker.elapsed());
      assertThat(b.metrics().calls()).isEqualTo(i + 1);
      assertThat(b.metrics().slowCalls()).isEqualTo(slow[i]);
      assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    }
    assertThat(takeSeconds.apply(5)).isEqualTo(ticker.elapsed());
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(b.metrics().slowCalls()).isEqualTo(3);
    assertThat(b.metrics().slowCallRate()).isEqualTo(60.0);
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#shouldTransitionToHalfOpenAfterWaitDuration. Resilience4j
   * empties its metrics on turning half-open; dyno's half-open breaker still shows the window that
   * opened it.
   */
  @Test
  void openBreaker_refusesUntilTheOpenDurationHasPassed_thenAdmitsATrial() {
    Breaker b = r4j().build();
    for (int i = 0; i < 5; i++) {
      fail(b);
    }
    assertThat(b.tryAcquirePermission()).isNull();
    advance(3 * SECOND);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(b.tryAcquirePermission()).isNull();
    advance(3 * SECOND);
    assertThat(b.tryAcquirePermission()).isNotNull();
    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertCounts(b, 5, 5);
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#shouldTransitionBackToOpenStateWhenFailureRateIsAboveThreshold.
   * Resilience4j judges a failure rate over its trial calls (here 3 of 4); dyno, like Hystrix,
   * opens again on the first failed trial, and the other trials' reports then change nothing.
   */
  @Test
  void halfOpen_firstFailedTrial_reopensAtOnce_andTheOtherTrialsChangeNothing() {
    Breaker b = openedThenWaited(r4j().build());
    List<Breaker.Permit> trials = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      trials.add(b.acquirePermission());
    }
    trials.get(0).onFailure(0, new Boom());
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    trials.get(1).onFailure(0, new Boom());
    trials.get(2).onSuccess(0);
    trials.get(3).onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(changes)
        .extracting(StateChange::to)
        .containsExactly(Breaker.State.OPEN, Breaker.State.HALF_OPEN, Breaker.State.OPEN);
    assertThat(changes.get(2).reason()).isEqualTo("a trial call failed");
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#shouldTransitionBackToOpenStateWhenSlowCallRateIsAboveThreshold.
   */
  @Test
  void halfOpen_aSlowTrial_reopensAtOnce() {
    Breaker b = openedThenWaited(r4j().build());
    b.acquirePermission().onSuccess(5 * SECOND);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(changes.get(changes.size() - 1).reason()).isEqualTo("a trial call took 5.00 s");
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#shouldTransitionBackToClosedStateWhenFailureIsBelowThreshold.
   * Resilience4j closes on one failure of four trials (25 %); dyno needs all four to succeed.
   */
  @Test
  void halfOpen_fourSuccessfulTrials_closeWithAnEmptyWindow_thatCountsTheNextCall() {
    Breaker b = openedThenWaited(r4j().build());
    for (int i = 0; i < 3; i++) {
      b.acquirePermission().onSuccess(0);
      assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    }
    b.acquirePermission().onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertCounts(b, 0, 0);
    b.acquirePermission().onSuccess(0);
    assertCounts(b, 1, 0);
  }

  /**
   * Follows Resilience4j CircuitBreakerStateMachineTest#shouldResetMetrics and
   * #shouldResetClosedState.
   */
  @Test
  void resetOfAClosedBreaker_emptiesItsWindow_withoutAnEvent() {
    Breaker b = r4j().build();
    b.acquirePermission().onSuccess(0);
    b.acquirePermission().onFailure(0, new Boom());
    assertCounts(b, 2, 1);
    b.reset();
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertCounts(b, 0, 0);
    assertThat(changes).isEmpty();
  }

  /**
   * Follows Resilience4j CircuitBreakerStateMachineTest#shouldDisableCircuitBreaker. Resilience4j's
   * DISABLED records nothing; dyno's counts every call, like Resilience4j's METRICS_ONLY, and never
   * opens.
   */
  @Test
  void disabledBreaker_admitsEveryCall_countsIt_andNeverOpens() {
    Breaker b = r4j().build();
    b.disable();
    b.acquirePermission().onSuccess(0);
    for (int i = 0; i < 4; i++) {
      assertThat(b.tryAcquirePermission()).isNotNull().satisfies(p -> p.onFailure(0, new Boom()));
    }
    assertThat(b.state()).isEqualTo(Breaker.State.DISABLED);
    assertCounts(b, 5, 4);
  }

  /** Follows Resilience4j CircuitBreakerStateMachineTest#shouldForceOpenCircuitBreaker. */
  @Test
  void trippedBreaker_staysForcedOpenPastTheOpenDuration() {
    Breaker b = r4j().build();
    b.trip();
    assertThat(b.tryAcquirePermission()).isNull();
    advance(6 * SECOND);
    assertThat(b.tryAcquirePermission()).isNull();
    assertThat(b.state()).isEqualTo(Breaker.State.FORCED_OPEN);
    BreakerOpenException e = catchThrowableOfType(BreakerOpenException.class, b::acquirePermission);
    assertThat(e.nextTrialIn()).isEmpty();
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#shouldReleasePermissionWhenExceptionIgnored.
   */
  @Test
  void halfOpen_anIgnoredExceptionOfATrial_freesItsPermit_forATrialThatCloses() {
    Breaker b = openedThenWaited(r4j().build());
    for (int i = 0; i < 3; i++) {
      b.acquirePermission().onSuccess(0);
      assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    }
    b.acquirePermission().onFailure(0, new NumberFormatException());
    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    b.acquirePermission().onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertCounts(b, 0, 0);
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#shouldIgnoreExceptionsAndThenTransitionToClosed.
   */
  @Test
  void halfOpen_fourIgnoredTrials_thenFourSuccessfulOnes_close() {
    Breaker b = openedThenWaited(r4j().build());
    for (int i = 0; i < 4; i++) {
      b.acquirePermission().onFailure(0, new NumberFormatException());
      assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    }
    for (int i = 0; i < 3; i++) {
      b.acquirePermission().onSuccess(0);
      assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    }
    b.acquirePermission().onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  /** Follows Resilience4j CircuitBreakerStateMachineTest#shouldResetToClosedState. */
  @Test
  void resetOfAnOpenBreaker_closesIt() {
    Breaker b = r4j().build();
    for (int i = 0; i < 5; i++) {
      fail(b);
    }
    b.reset();
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    succeed(b);
    assertCounts(b, 1, 0);
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#circuitBreakerDoesNotPublishStateTransitionEventsForInternalTransitions.
   */
  @Test
  void movesToTheStateTheBreakerIsIn_publishNoEvent() {
    Breaker b = r4j().halfOpenTimeout(Duration.ofSeconds(1)).build();
    b.trip();
    b.trip();
    b.disable();
    b.disable();
    b.reset();
    b.reset();
    openedThenWaited(b);
    for (int i = 0; i < 4; i++) {
      b.acquirePermission();
    }
    advance(SECOND);
    b.acquirePermission(); // lost trials: a fresh set, still HALF_OPEN
    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertThat(changes)
        .extracting(StateChange::to)
        .containsExactly(
            Breaker.State.FORCED_OPEN,
            Breaker.State.DISABLED,
            Breaker.State.CLOSED,
            Breaker.State.OPEN,
            Breaker.State.HALF_OPEN);
  }

  /**
   * Follows Resilience4j
   * CircuitBreakerStateMachineTest#circuitBreakerTransitionsToOpenAfterWaitDurationInHalfOpenState.
   * Resilience4j opens again when its trials have not finished within the wait; dyno admits a fresh
   * set of trials, and the late reports of the lost ones change nothing.
   */
  @Test
  void halfOpen_trialsNotReportedWithinTheHalfOpenTimeout_areVoid_andAFreshSetDecides() {
    Breaker b = openedThenWaited(r4j().halfOpenTimeout(Duration.ofSeconds(1)).build());
    List<Breaker.Permit> lost = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      lost.add(b.acquirePermission());
    }
    advance(SECOND - 1);
    assertThat(b.tryAcquirePermission()).isNull();
    advance(1);
    List<Breaker.Permit> fresh = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      fresh.add(b.acquirePermission());
    }
    assertThat(b.tryAcquirePermission()).isNull();
    for (Breaker.Permit p : lost) {
      p.onFailure(0, new Boom());
    }
    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    for (Breaker.Permit p : fresh) {
      p.onSuccess(0);
    }
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  // ---------------------------------------------------------------- Resilience4j time window

  /** A breaker that never opens, as a window of 5 one-second buckets; slow above 500 ms. */
  private Breaker fiveSecondWindow() {
    return Breaker.builder("window")
        .window(Duration.ofSeconds(5))
        .buckets(5)
        .minimumCalls(1_000_000)
        .slowCallThreshold(Duration.ofMillis(500))
        .ticker(ticker)
        .build();
  }

  /** Follows Resilience4j SlidingTimeWindowMetricsTest#checkInitialBucketCreation. */
  @Test
  void freshWindow_isEmpty_withZeroRates() {
    assertThat(fiveSecondWindow().metrics()).isEqualTo(metrics(0, 0, 0, 0.0, 0.0));
  }

  /**
   * Follows Resilience4j SlidingTimeWindowMetricsTest#testRecordSuccess, #testRecordError and
   * #testRecordSlowSuccess.
   */
  @Test
  void oneSuccess_oneFailure_oneSlowSuccess_eachCountOnce() {
    Breaker success = fiveSecondWindow();
    success.acquirePermission().onSuccess(100 * MS);
    assertThat(success.metrics()).isEqualTo(metrics(1, 0, 0, 0.0, 0.0));
    Breaker error = fiveSecondWindow();
    error.acquirePermission().onFailure(100 * MS, new Boom());
    assertThat(error.metrics()).isEqualTo(metrics(1, 1, 0, 100.0, 0.0));
    Breaker slow = fiveSecondWindow();
    slow.acquirePermission().onSuccess(SECOND);
    assertThat(slow.metrics()).isEqualTo(metrics(1, 0, 1, 0.0, 100.0));
  }

  private static BreakerMetrics metrics(
      long calls, long failures, long slowCalls, double failureRate, double slowCallRate) {
    return new BreakerMetrics(
        calls, failures, slowCalls, failureRate, slowCallRate, Duration.ofSeconds(5));
  }

  /** Follows Resilience4j SlidingTimeWindowMetricsTest#testSlowCallsPercentage. */
  @Test
  void aSlowSuccessASlowFailureAndThreeFastSuccesses_areFortyPercentSlow() {
    Breaker b = fiveSecondWindow();
    b.acquirePermission().onSuccess(10 * SECOND);
    b.acquirePermission().onFailure(10 * SECOND, new Boom());
    for (int i = 0; i < 3; i++) {
      b.acquirePermission().onSuccess(100 * MS);
    }
    assertThat(b.metrics()).isEqualTo(metrics(5, 1, 2, 20.0, 40.0));
  }

  /** Follows Resilience4j SlidingTimeWindowMetricsTest#shouldClearSlidingTimeWindowMetrics. */
  @Test
  void callsLeaveTheWindowWithTheirBucket_andLaterCallsCountAfresh() {
    Breaker b = fiveSecondWindow();
    b.acquirePermission().onFailure(100 * MS, new Boom());
    assertThat(b.metrics()).isEqualTo(metrics(1, 1, 0, 100.0, 0.0));
    advance(100 * MS);
    b.acquirePermission().onSuccess(100 * MS);
    assertThat(b.metrics()).isEqualTo(metrics(2, 1, 0, 50.0, 0.0));
    advance(700 * MS);
    b.acquirePermission().onFailure(SECOND, new Boom());
    assertCounts(b, 3, 2);
    assertThat(b.metrics().slowCalls()).isEqualTo(1);
    advance(4 * SECOND);
    assertCounts(b, 3, 2);
    advance(SECOND);
    assertThat(b.metrics()).isEqualTo(metrics(0, 0, 0, 0.0, 0.0));
    advance(100 * MS);
    b.acquirePermission().onSuccess(100 * MS);
    assertCounts(b, 1, 0);
    advance(5 * SECOND);
    b.acquirePermission().onSuccess(100 * MS);
    assertCounts(b, 1, 0);
  }

  /** Follows Resilience4j SlidingTimeWindowMetricsTest#testSlidingTimeWindowMetrics. */
  @Test
  void windowSlidesABucketAtATime_droppingThatBucketsCalls() {
    Breaker b = fiveSecondWindow();
    Breaker.Permit first = b.acquirePermission();
    first.onFailure(100 * MS, new Boom());
    assertCounts(b, 1, 1);
    advance(100 * MS);
    succeed(b);
    assertCounts(b, 2, 1);
    advance(100 * MS);
    succeed(b);
    assertCounts(b, 3, 1);
    advance(SECOND);
    succeed(b);
    assertCounts(b, 4, 1);
    advance(SECOND);
    succeed(b);
    assertCounts(b, 5, 1);
    advance(SECOND);
    fail(b);
    assertCounts(b, 6, 2);
    advance(SECOND);
    succeed(b);
    assertCounts(b, 7, 2);
    advance(SECOND); // the first bucket, a failure and two successes, leaves
    succeed(b);
    assertCounts(b, 5, 1);
    advance(SECOND);
    succeed(b);
    assertCounts(b, 5, 1);
    advance(5 * SECOND);
    succeed(b);
    assertCounts(b, 1, 0);
  }

  // ---------------------------------------------------------------- Failsafe

  /** Follows Failsafe TimedCircuitStatsTest#testMetrics: 4 buckets of a second each. */
  @Test
  void fourOneSecondBuckets_countEachCallInItsSecond_andSkippedSecondsCountNothing() {
    Breaker b =
        Breaker.builder("timed")
            .window(Duration.ofSeconds(4))
            .buckets(4)
            .minimumCalls(1_000_000)
            .ticker(ticker)
            .build();
    assertCounts(b, 0, 0);
    record(b, 50, i -> i % 5 == 0);
    assertCounts(b, 50, 40);
    assertThat(b.metrics().failureRate()).isEqualTo(80.0);
    ticker.set(1_000 * MS);
    record(b, 10, i -> true);
    assertCounts(b, 60, 40);
    ticker.set(2_500 * MS);
    record(b, 20, i -> false);
    assertCounts(b, 80, 60);
    ticker.set(3_100 * MS);
    record(b, 25, i -> i % 5 == 0);
    assertCounts(b, 105, 80);
    ticker.set(5_400 * MS); // seconds 0 and 1 have left; second 4 had no calls
    record(b, 8, i -> true);
    assertCounts(b, 53, 40);
    ticker.set(7_300 * MS);
    record(b, 5, i -> false);
    assertCounts(b, 13, 5);
    assertThat(b.metrics().failureRate()).isCloseTo(100.0 * 5 / 13, within(1e-9));
    ticker.set(22_500 * MS);
    assertCounts(b, 0, 0);
  }

  /**
   * Reports {@code count} calls on permits: call {@code i} succeeds if {@code succeeds} says so.
   */
  private static void record(Breaker b, int count, java.util.function.IntPredicate succeeds) {
    for (int i = 0; i < count; i++) {
      Breaker.Permit p = b.acquirePermission();
      if (succeeds.test(i)) {
        p.onSuccess(0);
      } else {
        p.onFailure(0, new Boom());
      }
    }
  }

  /**
   * Follows Failsafe CircuitBreakerTest#shouldDefaultDelay. Failsafe's default breaker opens on one
   * failure, for a minute; dyno's defaults follow Hystrix: 50 % of at least 20 calls in 10 s, open
   * for 5 s.
   */
  @Test
  void defaultBreaker_opensAtHalfOfTwentyCalls_forFiveSeconds() {
    Breaker b = Breaker.builder("defaults").ticker(ticker).build();
    fail(b);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    for (int i = 0; i < 18; i++) {
      fail(b);
    }
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    fail(b);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    BreakerOpenException e = catchThrowableOfType(BreakerOpenException.class, b::acquirePermission);
    assertThat(e.nextTrialIn()).contains(Duration.ofSeconds(5));
    assertThat(b.metrics().window()).isEqualTo(Duration.ofSeconds(10));
  }

  /**
   * Follows Failsafe CircuitBreakerTest#shouldGetSuccessAndFailureStats. Failsafe can count over
   * the last n calls; dyno's window is always time, so later calls add to the counts rather than
   * push earlier ones out.
   */
  @Test
  void alternatingCalls_giveExactCountsAndRates_andLaterCallsAddUp() {
    Breaker b = Breaker.builder("stats").minimumCalls(1_000).ticker(ticker).build();
    record(b, 7, i -> i % 2 == 0);
    assertCounts(b, 7, 3);
    assertThat(b.metrics().failureRate()).isCloseTo(100.0 * 3 / 7, within(1e-9));
    record(b, 15, i -> i % 4 != 0);
    assertCounts(b, 22, 7);
  }

  /** Follows Failsafe functional CircuitBreakerTest#shouldRejectInitialExecutionWhenCircuitOpen. */
  @Test
  void trippedBreaker_neverRunsTheWork() {
    Breaker b = Breaker.builder("tripped").ticker(ticker).build();
    b.trip();
    rejected(b);
    assertThat(runs.get()).isZero();
    assertThat(b.isClosed()).isFalse();
  }

  /**
   * Follows Failsafe functional
   * CircuitBreakerTest#shouldRejectExcessiveAttemptsWhenBreakerHalfOpen.
   */
  @Test
  void halfOpen_withThreeTrialsInFlight_rejectsEveryFurtherCall() {
    Breaker b = Breaker.builder("trials").minimumCalls(1).halfOpenCalls(3).ticker(ticker).build();
    fail(b);
    advance(5 * SECOND);
    for (int i = 0; i < 3; i++) {
      b.acquirePermission();
    }
    for (int i = 0; i < 5; i++) {
      rejected(b);
    }
  }

  /**
   * Follows Failsafe functional
   * CircuitBreakerTest#shouldThrowCircuitBreakerOpenExceptionAfterFailuresExceeded.
   */
  @Test
  void twoFailingResults_openIt_andTheNextCallIsRejectedWithoutRunning() {
    Breaker b =
        Breaker.builder("results")
            .minimumCalls(2)
            .recordResult(Boolean.class, ok -> !ok)
            .openDuration(Duration.ofSeconds(10))
            .ticker(ticker)
            .build();
    assertThat(b.get(() -> false)).isFalse();
    assertThat(b.get(() -> false)).isFalse();
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> b.get(() -> calls.incrementAndGet() > 0))
        .isInstanceOf(BreakerOpenException.class);
    assertThat(calls.get()).isZero();
  }

  /** Follows Failsafe functional CircuitBreakerTest#testRejectedWithRetries. */
  @Test
  void sevenAttemptsAgainstAFailingDependency_runTheWorkThreeTimes_untilItOpens() {
    Breaker b = Breaker.builder("retried").minimumCalls(3).ticker(ticker).build();
    int rejections = 0;
    for (int attempt = 0; attempt < 7; attempt++) {
      try {
        b.run(
            () -> {
              runs.incrementAndGet();
              throw new Boom();
            });
      } catch (BreakerOpenException e) {
        rejections++;
      } catch (Boom expected) {
        // counted by the breaker
      }
    }
    assertThat(runs.get()).isEqualTo(3);
    assertThat(rejections).isEqualTo(4);
    assertCounts(b, 3, 3);
  }

  /**
   * Follows Failsafe functional CircuitBreakerTest#shouldSupportTimeBasedFailureRateThresholding.
   * Failsafe's half-open breaker judges several trials by rate; dyno's single trial decides.
   */
  @Test
  void failureRateOverA200msWindow_countsOnlyTheCallsStillInIt() {
    Breaker b =
        Breaker.builder("rate")
            .failureRateThreshold(50)
            .minimumCalls(3)
            .window(Duration.ofMillis(200))
            .openDuration(Duration.ofMillis(1))
            .recordResult(Boolean.class, ok -> !ok)
            .ticker(ticker)
            .build();
    b.get(() -> false);
    b.get(() -> true);
    advance(210 * MS); // both leave the window
    b.get(() -> false);
    b.get(() -> true);
    advance(50 * MS);
    b.get(() -> true);
    assertThat(b.state()).as("1 failure of 3").isEqualTo(Breaker.State.CLOSED);
    b.get(() -> false);
    assertThat(b.state()).as("2 failures of 4").isEqualTo(Breaker.State.OPEN);
    advance(MS);
    b.get(() -> false);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    advance(MS);
    b.get(() -> true);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  // ---------------------------------------------------------------- Hystrix

  /**
   * Hystrix's unit-test settings: 40 % errors over at least 1 request in a 5 s window of 5 buckets,
   * a 200 ms sleep window.
   */
  private BreakerBuilder hystrix() {
    return Breaker.builder("cmd")
        .failureRateThreshold(40)
        .minimumCalls(1)
        .window(Duration.ofSeconds(5))
        .buckets(5)
        .openDuration(Duration.ofMillis(200))
        .ticker(ticker)
        .onStateChange(changes::add);
  }

  /** A call that a composite timed out: reported to the breaker as a failure. */
  private static void timeout(Breaker b) {
    b.acquirePermission().onFailure(500 * MS, new TimeoutException("timed out after 500 ms"));
  }

  /**
   * Follows Hystrix HystrixCircuitBreakerTest#testTripCircuit. Hystrix judges its window on a
   * health snapshot taken every 100 ms; dyno after every call, so the eighth call is rejected.
   */
  @Test
  void fourSuccessesThenFailures_openOnTheThirdFailure_atFortyThreePercent() {
    Breaker b = hystrix().build();
    for (int i = 0; i < 4; i++) {
      succeed(b);
    }
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    fail(b);
    fail(b);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    fail(b);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    rejected(b);
  }

  /** Follows Hystrix HystrixCircuitBreakerTest#testTripCircuitOnFailuresAboveThreshold. */
  @Test
  void successSuccessFailureSuccessFailure_opensOnTheFifthCall_atForty() {
    Breaker b = hystrix().build();
    succeed(b);
    succeed(b);
    fail(b);
    succeed(b);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    fail(b);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(b.metrics().failureRate()).isEqualTo(40.0);
    rejected(b);
  }

  /** Follows Hystrix HystrixCircuitBreakerTest#testCircuitDoesNotTripOnFailuresBelowThreshold. */
  @Test
  void failuresNeverReachingFortyPercent_keepItClosed() {
    Breaker b = hystrix().build();
    succeed(b);
    succeed(b);
    fail(b);
    succeed(b);
    succeed(b);
    fail(b);
    succeed(b);
    fail(b);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(b.metrics().failureRate()).isEqualTo(37.5);
    assertThat(b.tryAcquirePermission()).isNotNull();
  }

  /** Follows Hystrix HystrixCircuitBreakerTest#testTripCircuitOnTimeouts. */
  @Test
  void timeouts_countAsFailures_andOpenIt() {
    Breaker b = hystrix().build();
    timeout(b);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(b.tryAcquirePermission()).isNull();
  }

  /** Follows Hystrix HystrixCircuitBreakerTest#testTripCircuitOnTimeoutsAboveThreshold. */
  @Test
  void timeoutsAmongSuccesses_openItAtFortyPercent() {
    Breaker b = hystrix().build();
    succeed(b);
    succeed(b);
    timeout(b);
    succeed(b);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    timeout(b);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
  }

  /**
   * Follows Hystrix HystrixCircuitBreakerTest#testSingleTestOnOpenCircuitAfterTimeWindow. Hystrix
   * keeps reporting its breaker open while the single test runs; dyno reports HALF_OPEN.
   */
  @Test
  void afterTheSleepWindow_exactlyOneTrialIsAdmitted() {
    Breaker b = hystrix().build();
    fail(b);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    advance(250 * MS);
    assertThat(b.tryAcquirePermission()).isNotNull();
    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertThat(b.isClosed()).isFalse();
    assertThat(b.tryAcquirePermission()).isNull();
  }

  /** Follows Hystrix HystrixCircuitBreakerTest#testCircuitClosedAfterSuccess. */
  @Test
  void aSuccessfulTrial_closesIt_withTheFailuresClearedFromTheWindow() {
    Breaker b = hystrix().build();
    fail(b);
    rejected(b);
    advance(250 * MS);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    Breaker.Permit trial = b.acquirePermission();
    rejected(b);
    trial.onSuccess(60 * MS);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertCounts(b, 0, 0);
    for (int i = 0; i < 3; i++) {
      assertThat(b.tryAcquirePermission()).isNotNull();
    }
  }

  /**
   * Follows Hystrix HystrixCircuitBreakerTest#testMultipleTimeWindowRetriesBeforeClosingCircuit.
   */
  @Test
  void failedTrialsInSeveralSleepWindows_keepItOpen_untilOneSucceeds() {
    Breaker b = hystrix().build();
    fail(b);
    for (int window = 0; window < 2; window++) {
      advance(250 * MS);
      Breaker.Permit trial = b.acquirePermission();
      rejected(b);
      trial.onFailure(60 * MS, new Boom());
      assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
      for (int i = 0; i < 3; i++) {
        rejected(b);
      }
    }
    advance(250 * MS);
    Breaker.Permit trial = b.acquirePermission();
    rejected(b);
    trial.onSuccess(60 * MS);
    for (int i = 0; i < 3; i++) {
      succeed(b);
    }
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  /** Follows Hystrix HystrixCircuitBreakerTest#testLowVolumeDoesNotTripCircuit. */
  @Test
  void failuresBelowTheRequestVolume_keepItClosed() {
    Breaker b = hystrix().minimumCalls(5).build();
    for (int i = 0; i < 4; i++) {
      fail(b);
    }
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(b.tryAcquirePermission()).isNotNull();
  }

  /**
   * Follows Hystrix HystrixCircuitBreakerTest#testUnsubscriptionDoesNotLeaveCircuitStuckHalfOpen.
   */
  @Test
  void aTrialThatNeverReports_doesNotLeaveItStuckHalfOpen() {
    Breaker b = hystrix().build();
    fail(b);
    advance(250 * MS);
    Breaker.Permit abandoned = b.acquirePermission();
    advance(10 * 200 * MS);
    succeed(b);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    abandoned.onFailure(5 * SECOND, new Boom());
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(b.tryAcquirePermission()).isNotNull();
  }
}
