package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@link Breaker}'s state machine on a hand-moved ticker. */
class BreakerTest {

  private static final long SECOND = 1_000_000_000L;

  private final FakeTicker ticker = FakeTicker.create();
  private final AtomicInteger runs = new AtomicInteger();
  private final List<StateChange> changes = new ArrayList<>();

  private BreakerBuilder builder() {
    return Breaker.builder("payments").minimumCalls(4).ticker(ticker).onStateChange(changes::add);
  }

  private void succeed(Breaker b) {
    b.run(runs::incrementAndGet);
  }

  private void fail(Breaker b) {
    FailedCall.through(b, runs::incrementAndGet);
  }

  private void advance(long nanos) {
    ticker.advance(nanos);
  }

  private Breaker openBreaker(BreakerBuilder b) {
    Breaker breaker = b.build();
    for (int i = 0; i < 4; i++) {
      fail(breaker);
    }
    assertThat(breaker.state()).isEqualTo(Breaker.State.OPEN);
    return breaker;
  }

  @Test
  void newBreaker_isClosedAndLetsCallsThrough() throws Exception {
    Breaker b = builder().build();
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(b.isClosed()).isTrue();
    assertThat(b.call(() -> "ok")).isEqualTo("ok");
    assertThat(b.get(() -> 7)).isEqualTo(7);
    succeed(b);
    assertThat(b.metrics().calls()).isEqualTo(3);
    assertThat(b.isManual()).isFalse();
    assertThat(b.name()).isEqualTo("payments");
    assertThat(b.toString()).isEqualTo("Breaker[name=payments, state=CLOSED]");
  }

  @Test
  void failures_belowMinimumCalls_doNotOpen() {
    Breaker b = builder().build();
    for (int i = 0; i < 3; i++) {
      fail(b);
    }
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    fail(b);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(changes).hasSize(1);
    StateChange change = changes.get(0);
    assertThat(change.from()).isEqualTo(Breaker.State.CLOSED);
    assertThat(change.to()).isEqualTo(Breaker.State.OPEN);
    assertThat(change.reason()).isEqualTo("100.0% failures in the last 10.0 s");
    assertThat(change.metrics().failures()).isEqualTo(4);
    assertThat(change.toString())
        .isEqualTo("Breaker 'payments' CLOSED -> OPEN (100.0% failures in the last 10.0 s)");
  }

  @Test
  void failureRate_belowThreshold_keepsItClosed_andAtThreshold_opensIt() {
    Breaker b = builder().failureRateThreshold(50).build();
    for (int i = 0; i < 6; i++) {
      succeed(b);
    }
    for (int i = 0; i < 5; i++) {
      fail(b);
    }
    assertThat(b.metrics().failureRate()).isLessThan(50);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    fail(b);
    assertThat(b.metrics().failureRate()).isEqualTo(50.0);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
  }

  @Test
  void call_whenOpen_rejectsWithoutInvoking() {
    Breaker b = openBreaker(builder());
    advance(SECOND + SECOND / 5);
    int before = runs.get();
    BreakerOpenException e =
        catchThrowableOfType(BreakerOpenException.class, () -> b.run(runs::incrementAndGet));
    assertThat(runs.get()).isEqualTo(before);
    assertThat(e.name()).isEqualTo("payments");
    assertThat(e.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(e.failureRate()).isEqualTo(100.0);
    assertThat(e.slowCallRate()).isEqualTo(0.0);
    assertThat(e.nextTrialIn()).contains(Duration.ofMillis(3800));
    assertThat(e.reason()).isEqualTo("100.0% failures in the last 10.0 s");
    assertThat(e.getMessage())
        .isEqualTo(
            "Breaker 'payments' is OPEN (100.0% failures in the last 10.0 s); call not permitted;"
                + " next trial in 3.80 s");
    assertThat(e.getStackTrace()).isNotEmpty();
    assertThat(b.tryAcquirePermission()).isNull();
  }

  @Test
  void rejection_withoutWritableStackTrace_hasNoStackTrace() {
    Breaker b = openBreaker(builder().writableStackTrace(false));
    BreakerOpenException e =
        catchThrowableOfType(BreakerOpenException.class, () -> b.run(runs::incrementAndGet));
    assertThat(e.getStackTrace()).isEmpty();
  }

  @Test
  void afterOpenDuration_oneTrialCallIsAdmitted_andItsSuccessCloses() {
    Breaker b = openBreaker(builder());
    advance(5 * SECOND - 1);
    assertThat(b.tryAcquirePermission()).isNull();
    advance(1);
    Breaker.Permit trial = b.acquirePermission();
    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    BreakerOpenException e =
        catchThrowableOfType(BreakerOpenException.class, () -> b.run(runs::incrementAndGet));
    assertThat(e.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertThat(e.getMessage())
        .isEqualTo(
            "Breaker 'payments' is HALF_OPEN (its trial call is in progress); call not permitted;"
                + " next trial in 5.00 s");
    trial.onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(b.metrics().calls()).isZero();
    assertThat(changes)
        .extracting(StateChange::to)
        .containsExactly(Breaker.State.OPEN, Breaker.State.HALF_OPEN, Breaker.State.CLOSED);
    assertThat(changes.get(2).reason()).isEqualTo("the trial call succeeded");
  }

  @Test
  void trialCallFailure_reopens_andTheOpenDurationStartsAgain() {
    Breaker b = openBreaker(builder());
    advance(5 * SECOND);
    fail(b);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    BreakerOpenException e =
        catchThrowableOfType(BreakerOpenException.class, () -> b.run(runs::incrementAndGet));
    assertThat(e.reason()).isEqualTo("a trial call failed");
    assertThat(e.failureRate()).isNaN();
    assertThat(e.nextTrialIn()).contains(Duration.ofSeconds(5));
    advance(5 * SECOND);
    succeed(b);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void halfOpen_admitsExactlyHalfOpenCalls_andClosesWhenAllSucceed() {
    Breaker b = openBreaker(builder().halfOpenCalls(3));
    advance(5 * SECOND);
    Breaker.Permit first = b.acquirePermission();
    Breaker.Permit second = b.acquirePermission();
    Breaker.Permit third = b.acquirePermission();
    assertThat(b.tryAcquirePermission()).isNull();
    BreakerOpenException e = catchThrowableOfType(BreakerOpenException.class, b::acquirePermission);
    assertThat(e.reason()).isEqualTo("all 3 trial calls are in progress");
    first.onSuccess(0);
    second.onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    third.onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(changes.get(changes.size() - 1).reason()).isEqualTo("3 trial calls succeeded");
  }

  @Test
  void lostTrialPermit_expiresAfterHalfOpenTimeout_andAnotherTrialIsAdmitted() {
    Breaker b = openBreaker(builder().halfOpenTimeout(Duration.ofSeconds(2)));
    advance(5 * SECOND);
    assertThat(b.tryAcquirePermission()).isNotNull(); // never reported: the permit is lost
    advance(2 * SECOND - 1);
    assertThat(b.tryAcquirePermission()).isNull();
    advance(1);
    Breaker.Permit fresh = b.acquirePermission();
    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertThat(b.tryAcquirePermission()).isNull();
    fresh.onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void lostTrialPermit_byDefault_expiresAfterTheOpenDuration() {
    Breaker b = openBreaker(builder().openDuration(Duration.ofSeconds(3)));
    advance(3 * SECOND);
    assertThat(b.tryAcquirePermission()).isNotNull();
    advance(3 * SECOND - 1);
    assertThat(b.tryAcquirePermission()).isNull();
    advance(1);
    assertThat(b.tryAcquirePermission()).isNotNull();
  }

  @Test
  void failures_leaveTheWindow_afterTheWindowHasPassed() {
    Breaker b = builder().build();
    for (int i = 0; i < 3; i++) {
      fail(b);
    }
    advance(10 * SECOND);
    fail(b);
    assertThat(b.metrics().failures()).isEqualTo(1);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void failures_leaveTheWindow_oneBucketAtATime() {
    Breaker b = builder().minimumCalls(100).build();
    fail(b); // bucket 0
    advance(SECOND);
    fail(b); // bucket 1
    advance(8 * SECOND);
    assertThat(b.metrics().failures()).isEqualTo(2);
    advance(SECOND);
    assertThat(b.metrics().failures()).isEqualTo(1);
    advance(SECOND);
    assertThat(b.metrics().failures()).isZero();
  }

  @Test
  void slowCalls_openTheBreaker_atTheSlowCallRate() throws Exception {
    Breaker b =
        builder()
            .slowCallThreshold(Duration.ofSeconds(1))
            .slowCallRateThreshold(50)
            .failureRateThreshold(100)
            .build();
    Callable<String> slow =
        () -> {
          advance(2 * SECOND);
          return "slow";
        };
    b.call(() -> "fast");
    b.call(() -> "fast");
    b.call(slow);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    b.call(slow);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(changes.get(0).reason())
        .isEqualTo("50.0% of calls slower than 1.00 s in the last 10.0 s");
    BreakerOpenException e =
        catchThrowableOfType(BreakerOpenException.class, () -> b.call(() -> "x"));
    assertThat(e.slowCallRate()).isEqualTo(50.0);
    assertThat(e.failureRate()).isEqualTo(0.0);
  }

  @Test
  void slowTrialCall_reopens() throws Exception {
    Breaker b = openBreaker(builder().slowCallThreshold(Duration.ofSeconds(1)));
    advance(5 * SECOND);
    b.call(
        () -> {
          advance(2 * SECOND);
          return "slow";
        });
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(changes.get(changes.size() - 1).reason()).isEqualTo("a trial call took 2.00 s");
  }

  @Test
  void slowFailures_countAsFailuresAndSlowCalls() {
    Breaker b = builder().minimumCalls(100).slowCallThreshold(Duration.ofMillis(10)).build();
    b.acquirePermission().onFailure(20_000_000L, new Boom());
    b.acquirePermission().onSuccess(20_000_000L);
    b.acquirePermission().onSuccess(1);
    BreakerMetrics m = b.metrics();
    assertThat(m.calls()).isEqualTo(3);
    assertThat(m.failures()).isEqualTo(1);
    assertThat(m.slowCalls()).isEqualTo(2);
  }

  @Test
  void recordOn_countsOnlyThoseTypesAsFailures_andOthersAsSuccesses() {
    Breaker b = builder().recordOn(IOException.class).build();
    for (int i = 0; i < 4; i++) {
      b.acquirePermission().onFailure(0, new Boom());
    }
    assertThat(b.metrics().failures()).isZero();
    assertThat(b.metrics().calls()).isEqualTo(4);
    b.acquirePermission().onFailure(0, new IOException("down"));
    assertThat(b.metrics().failures()).isEqualTo(1);
  }

  @Test
  void ignoredExceptions_areNotRecorded_evenWhenRecordOnMatches() {
    Breaker b =
        builder().recordOn(RuntimeException.class).ignore(IllegalArgumentException.class).build();
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(
              () ->
                  b.run(
                      () -> {
                        throw new IllegalArgumentException("bad input");
                      }))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(b.metrics().calls()).isZero();
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void ignoredFailureOfATrialCall_releasesItsPermit() {
    Breaker b = openBreaker(builder().ignore(IllegalArgumentException.class));
    advance(5 * SECOND);
    b.acquirePermission().onFailure(0, new IllegalArgumentException());
    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertThat(b.tryAcquirePermission()).isNotNull();
    assertThat(b.tryAcquirePermission()).isNull();
  }

  @Test
  void recordResult_countsMatchingResultsAsFailures_andStillReturnsThem() throws Exception {
    Breaker b =
        builder()
            .minimumCalls(5)
            .recordResult(Integer.class, status -> status >= 500)
            .recordResult(String.class, "error"::equals)
            .build();
    assertThat(b.call(() -> 503)).isEqualTo(503);
    assertThat(b.get(() -> "error")).isEqualTo("error");
    assertThat(b.call(() -> 200)).isEqualTo(200);
    assertThat(b.<@Nullable Object>call(() -> null)).isNull();
    assertThat(b.metrics().failures()).isEqualTo(2);
    assertThat(b.metrics().calls()).isEqualTo(4);
    assertThat(b.call(() -> 500)).isEqualTo(500);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN); // 3 failures in 5 calls: 60 %
  }

  @Test
  void checkedException_leavesCallUnchanged_andCounts() {
    Breaker b = builder().build();
    IOException failure = new IOException("down");
    assertThatThrownBy(
            () ->
                b.call(
                    () -> {
                      throw failure;
                    }))
        .isSameAs(failure);
    assertThat(b.metrics().failures()).isEqualTo(1);
  }

  @Test
  void errors_countAsFailures_andLeaveUnchanged() {
    Breaker b = builder().build();
    StackOverflowError error = new StackOverflowError();
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(
              () ->
                  b.run(
                      () -> {
                        throw error;
                      }))
          .isSameAs(error);
    }
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
  }

  @Test
  void interruptedException_isNotRecorded_andLeavesUnchanged() {
    Breaker b = builder().build();
    InterruptedException interrupt = new InterruptedException("stop");
    assertThatThrownBy(
            () ->
                b.call(
                    () -> {
                      throw interrupt;
                    }))
        .isSameAs(interrupt);
    assertThat(b.metrics().calls()).isZero();
    assertThat(Thread.interrupted()).isFalse();
  }

  @Test
  void manualBreaker_changesOnlyByHand_andCountsNothing() throws Exception {
    Breaker feature = Breaker.manual("new-checkout");
    assertThat(feature.isManual()).isTrue();
    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(
              () ->
                  feature.run(
                      () -> {
                        throw new Boom();
                      }))
          .isInstanceOf(Boom.class);
    }
    assertThat(feature.isClosed()).isTrue();
    assertThat(feature.metrics().calls()).isZero();
    feature.trip();
    feature.trip();
    assertThat(feature.state()).isEqualTo(Breaker.State.FORCED_OPEN);
    assertThat(feature.isClosed()).isFalse();
    BreakerOpenException e =
        catchThrowableOfType(BreakerOpenException.class, () -> feature.call(() -> "x"));
    assertThat(e.nextTrialIn()).isEmpty();
    assertThat(e.getMessage())
        .isEqualTo("Breaker 'new-checkout' is FORCED_OPEN (tripped by hand); call not permitted");
    feature.reset();
    assertThat(feature.call(() -> "x")).isEqualTo("x");
    assertThat(feature.toString())
        .isEqualTo("Breaker[name=new-checkout, state=CLOSED, manual=true]");
  }

  @Test
  void disabledBreaker_letsEveryCallThrough_countsThem_andNeverOpens() {
    Breaker b = builder().build();
    b.disable();
    b.disable();
    for (int i = 0; i < 10; i++) {
      fail(b);
    }
    assertThat(b.state()).isEqualTo(Breaker.State.DISABLED);
    assertThat(b.isClosed()).isTrue();
    assertThat(b.metrics().failures()).isEqualTo(10);
    b.acquirePermission().onSuccess(0);
    assertThat(b.metrics().calls()).isEqualTo(11);
    b.reset();
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(b.metrics().calls()).isZero();
    assertThat(changes)
        .extracting(StateChange::to)
        .containsExactly(Breaker.State.DISABLED, Breaker.State.CLOSED);
  }

  @Test
  void trippedBreaker_staysOpenPastTheOpenDuration_untilReset() {
    Breaker b = builder().build();
    b.trip();
    advance(1000 * SECOND);
    assertThat(b.tryAcquirePermission()).isNull();
    b.reset();
    assertThat(b.tryAcquirePermission()).isNotNull();
  }

  @Test
  void resetWhileClosed_emptiesTheWindow_withoutAnEvent() {
    Breaker b = builder().build();
    fail(b);
    b.reset();
    assertThat(b.metrics().calls()).isZero();
    assertThat(changes).isEmpty();
  }

  @Test
  void tickerNearLongMaxValue_wrapsWithoutConfusingTheWindowOrTheOpenDuration() {
    ticker.set(Long.MAX_VALUE - 3 * SECOND);
    Breaker b = builder().build();
    fail(b);
    fail(b);
    advance(4 * SECOND); // past Long.MAX_VALUE
    fail(b);
    fail(b);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    advance(5 * SECOND - 1);
    assertThat(b.tryAcquirePermission()).isNull();
    advance(1);
    b.acquirePermission().onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    fail(b);
    assertThat(b.metrics().failures()).isEqualTo(1);
    advance(10 * SECOND);
    assertThat(b.metrics().failures()).isZero();
  }

  @Test
  void throwingStateListener_isLogged_andTheChangeStillHappens() {
    List<StateChange> seen = new ArrayList<>();
    Breaker b =
        Breaker.builder("noisy")
            .ticker(ticker)
            .onStateChange(
                e -> {
                  throw new IllegalStateException("listener broke");
                })
            .onStateChange(seen::add)
            .build();
    b.trip();
    assertThat(b.state()).isEqualTo(Breaker.State.FORCED_OPEN);
    assertThat(seen).hasSize(1);
  }

  @Test
  void release_freesATrialPermitForAnotherCall() {
    Breaker b = openBreaker(builder());
    advance(5 * SECOND);
    Breaker.Permit trial = b.acquirePermission();
    assertThat(b.tryAcquirePermission()).isNull();
    trial.release();
    trial.release(); // never below zero
    Breaker.Permit next = b.acquirePermission();
    assertThat(b.tryAcquirePermission()).isNull();
    next.onSuccess(0);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void successes_countInTheBucketOfTheirTime_andLeaveTheWindowWithIt() {
    Breaker b = Breaker.builder("quiet").ticker(ticker).build();
    assertThat(ticker.reads()).as("the window's origin").isEqualTo(1);
    for (int i = 0; i < 1000; i++) {
      succeed(b);
    }
    assertThat(ticker.reads()).as("one reading per success, at its end").isEqualTo(1001);
    advance(5 * SECOND);
    for (int i = 0; i < 500; i++) {
      succeed(b);
    }
    advance(5 * SECOND - 1);
    assertThat(b.metrics().calls()).isEqualTo(1500);
    advance(1); // bucket 0 leaves the window, and its 1000 successes with it
    assertThat(b.metrics().calls()).isEqualTo(500);
    advance(5 * SECOND);
    BreakerMetrics m = b.metrics();
    assertThat(m.calls()).isZero();
    assertThat(m.window()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void resultsOfCallsAdmittedBeforeTheBreakerOpened_changeNothing() {
    Breaker b = builder().build();
    Breaker.Permit late = b.acquirePermission();
    Breaker.Permit lateFailure = b.acquirePermission();
    for (int i = 0; i < 4; i++) {
      fail(b);
    }
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    late.onSuccess(0);
    lateFailure.onFailure(0, new Boom());
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    advance(5 * SECOND);
    assertThat(b.tryAcquirePermission()).isNotNull();
    assertThat(changes)
        .extracting(StateChange::to)
        .containsExactly(Breaker.State.OPEN, Breaker.State.HALF_OPEN);
  }

  @Test
  void listenerThatChangesTheBreaker_hasItsChangeToldAfterItReturns() {
    List<String> told = new ArrayList<>();
    Breaker[] self = new Breaker[1];
    Breaker b =
        builder()
            .onStateChange(
                e -> {
                  told.add("begin " + e.to());
                  if (e.to() == Breaker.State.OPEN) {
                    self[0].trip();
                  }
                  told.add("end " + e.to());
                })
            .build();
    self[0] = b;
    for (int i = 0; i < 4; i++) {
      fail(b);
    }
    assertThat(b.state()).isEqualTo(Breaker.State.FORCED_OPEN);
    assertThat(told)
        .containsExactly("begin OPEN", "end OPEN", "begin FORCED_OPEN", "end FORCED_OPEN");
    assertThat(changes)
        .extracting(StateChange::to)
        .containsExactly(Breaker.State.OPEN, Breaker.State.FORCED_OPEN);
  }
}
