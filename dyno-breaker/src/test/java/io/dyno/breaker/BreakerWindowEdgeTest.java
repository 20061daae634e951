package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The edges of a breaker's rolling window, seen through the breaker on a hand-moved ticker: a call
 * exactly at a bucket's edge, exactly at the minimum number of calls, exactly at the threshold, the
 * last instant a failure is still in the window, and a ticker that wraps past {@code
 * Long.MAX_VALUE}. The window is the default 10 s in ten 1 s buckets.
 */
class BreakerWindowEdgeTest {

  private static final long SECOND = 1_000_000_000L;

  private final FakeTicker ticker = FakeTicker.create();
  private final List<StateChange> changes = new ArrayList<>();

  private BreakerBuilder builder() {
    return Breaker.builder("inventory").ticker(ticker).onStateChange(changes::add);
  }

  private static void succeed(Breaker b) {
    b.run(() -> {});
  }

  private void at(long nanos) {
    ticker.set(nanos);
  }

  @Test
  void successExactlyAtABucketEdge_countsInTheNewBucket_andLeavesTheWindowWithIt() {
    Breaker b = builder().minimumCalls(100).build();
    at(SECOND - 1);
    succeed(b); // the last instant of the first bucket
    at(SECOND);
    succeed(b); // the first instant of the second bucket
    at(10 * SECOND - 1);
    assertThat(b.metrics().calls()).isEqualTo(2);
    at(10 * SECOND);
    assertThat(b.metrics().calls()).as("the first bucket left, the second stays").isEqualTo(1);
    at(11 * SECOND - 1);
    assertThat(b.metrics().calls()).isEqualTo(1);
    at(11 * SECOND);
    assertThat(b.metrics().calls()).isZero();
  }

  @Test
  void successesInTheSameBucket_afterABucketEdge_areCountedTogether() {
    Breaker b = builder().minimumCalls(100).build();
    at(3 * SECOND);
    succeed(b);
    at(3 * SECOND + SECOND / 2);
    succeed(b);
    at(4 * SECOND - 1);
    succeed(b);
    at(13 * SECOND - 1);
    assertThat(b.metrics().calls()).isEqualTo(3);
    at(13 * SECOND);
    assertThat(b.metrics().calls()).as("all three left with their bucket").isZero();
  }

  @Test
  void failureExactlyAtABucketEdge_leavesTheWindowWithThatBucket() {
    Breaker b = builder().minimumCalls(100).build();
    at(2 * SECOND);
    FailedCall.through(b);
    at(12 * SECOND - 1);
    assertThat(b.metrics().failures()).isEqualTo(1);
    at(12 * SECOND);
    assertThat(b.metrics().failures()).isZero();
  }

  @Test
  void successThatBringsTheWindowToTheMinimum_opensIt_whenTheFailureRateIsReached() {
    Breaker b = builder().minimumCalls(4).failureRateThreshold(75).build();
    for (int i = 0; i < 3; i++) {
      FailedCall.through(b);
    }
    assertThat(b.state())
        .as("three calls, below the minimum of four")
        .isEqualTo(Breaker.State.CLOSED);
    succeed(b);
    assertThat(b.state())
        .as("exactly at the minimum, exactly at 75 %")
        .isEqualTo(Breaker.State.OPEN);
    assertThat(changes)
        .singleElement()
        .extracting(StateChange::reason)
        .isEqualTo("75.0% failures in the last 10.0 s");
  }

  @Test
  void successInTheLastBucketThatStillHoldsTheFailures_opensTheBreaker() {
    Breaker b = builder().minimumCalls(4).failureRateThreshold(75).build();
    at(SECOND / 2);
    for (int i = 0; i < 3; i++) {
      FailedCall.through(b);
    }
    at(10 * SECOND - 1);
    succeed(b);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(changes).singleElement().extracting(c -> c.metrics().calls()).isEqualTo(4L);
  }

  @Test
  void successAfterTheFailuresLeftTheWindow_isCountedAlone_andKeepsItClosed() {
    Breaker b = builder().minimumCalls(4).failureRateThreshold(75).build();
    at(SECOND / 2);
    for (int i = 0; i < 3; i++) {
      FailedCall.through(b);
    }
    at(10 * SECOND);
    succeed(b);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(b.metrics().calls()).isEqualTo(1);
    assertThat(b.metrics().failures()).isZero();
  }

  @Test
  void successesAfterTheWindowWasJudgedSafe_stillOpenItOnceTheRateIsReachedInALaterBucket() {
    Breaker b = builder().minimumCalls(4).failureRateThreshold(50).build();
    for (int i = 0; i < 4; i++) {
      succeed(b);
    }
    FailedCall.through(b); // five calls, 20 %: judged safe in the first bucket
    succeed(b); // in the same bucket: still safe
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    at(10 * SECOND);
    // The first bucket left: the window is empty again and starts over.
    FailedCall.through(b);
    FailedCall.through(b);
    succeed(b);
    assertThat(b.state()).as("three calls, below the minimum").isEqualTo(Breaker.State.CLOSED);
    succeed(b);
    assertThat(b.state())
        .as("four calls, 50 %: the success is judged")
        .isEqualTo(Breaker.State.OPEN);
  }

  @Test
  void failureRateJustBelowTheThreshold_atTheMinimum_keepsItClosed() {
    Breaker b = builder().minimumCalls(3).failureRateThreshold(67).build();
    FailedCall.through(b);
    FailedCall.through(b);
    succeed(b); // 66.7 %
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    FailedCall.through(b); // 75 %
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
  }

  @Test
  void tickerWrappingPastLongMaxValue_countsASuccessAWindowLaterInItsOwnBucket() {
    long origin = Long.MAX_VALUE - 5 * SECOND;
    at(origin);
    Breaker b = builder().minimumCalls(100).build();
    succeed(b);
    // Ten and a half seconds on, the ticker has wrapped; the first bucket has left the window.
    at(origin + 10 * SECOND + SECOND / 2);
    assertThat(ticker.read()).isNegative();
    succeed(b);
    assertThat(b.metrics().calls()).as("only the second success").isEqualTo(1);
    at(origin + 20 * SECOND);
    assertThat(b.metrics().calls()).isZero();
  }

  @Test
  void tickerWrappingPastLongMaxValue_keepsTheFailuresOfTheLastWindow() {
    long origin = Long.MAX_VALUE - SECOND;
    at(origin);
    Breaker b = builder().minimumCalls(2).build();
    FailedCall.through(b);
    at(origin + 9 * SECOND);
    FailedCall.through(b);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(changes).singleElement().extracting(c -> c.metrics().failures()).isEqualTo(2L);
  }

  @Test
  void successReportedWithAnEarlierEndTime_countsInTheBucketOfThatTime() {
    Breaker b = builder().minimumCalls(100).build();
    at(3 * SECOND + SECOND / 2);
    succeed(b);
    b.acquirePermission().onResultAt(SECOND + SECOND / 2, 0, "ended at 1.5 s");
    assertThat(b.metrics().calls()).isEqualTo(2);
    at(11 * SECOND);
    assertThat(b.metrics().calls()).as("the late one left with the second bucket").isEqualTo(1);
    at(14 * SECOND);
    assertThat(b.metrics().calls()).isZero();
  }

  @Test
  void failureReportedWithAnEarlierEndTime_isJudgedWithTheNewestWindow() {
    Breaker b = builder().minimumCalls(5).failureRateThreshold(50).build();
    at(SECOND / 2);
    for (int i = 0; i < 3; i++) {
      FailedCall.through(b);
    }
    at(10 * SECOND + SECOND / 2);
    succeed(b); // the first bucket, with the three failures, has left the window
    b.acquirePermission().onFailureAt(9 * SECOND + SECOND / 2, 0, new Boom());
    assertThat(b.state())
        .as("two calls in the window, below the minimum")
        .isEqualTo(Breaker.State.CLOSED);
    assertThat(b.metrics().calls()).isEqualTo(2);
    assertThat(b.metrics().failures()).isEqualTo(1);
    b.acquirePermission().onFailureAt(9 * SECOND + SECOND / 2, 0, new Boom());
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(b.metrics().calls()).isEqualTo(3);
  }

  @Test
  void failureReportedWithAnEarlierEndTime_doesNotSpareLaterSuccessesTheirJudgement() {
    Breaker b = builder().minimumCalls(4).failureRateThreshold(50).build();
    at(5 * SECOND + SECOND / 2);
    FailedCall.through(b);
    FailedCall.through(b);
    b.acquirePermission().onFailureAt(SECOND + SECOND / 2, 0, new Boom());
    at(12 * SECOND); // the late failure has left the window; the other two have not
    succeed(b);
    assertThat(b.state()).as("three calls, below the minimum").isEqualTo(Breaker.State.CLOSED);
    succeed(b);
    assertThat(b.state()).as("four calls, 50 %").isEqualTo(Breaker.State.OPEN);
    assertThat(changes).singleElement().extracting(c -> c.metrics().failures()).isEqualTo(2L);
  }
}
