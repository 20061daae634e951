package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a breaker classifies each call, as its call listeners and its counts see it: a call that
 * lasts exactly the slow-call threshold is not slow, one nanosecond more is; a result the predicate
 * rejects is a failure; an exception outside {@code recordOn} is a success.
 */
class BreakerCallClassificationTest {

  private static final long SECOND = 1_000_000_000L;

  private final FakeTicker ticker = FakeTicker.create();
  private final List<CallEvent> events = new ArrayList<>();

  private BreakerBuilder builder() {
    return Breaker.builder("ledger").minimumCalls(100).ticker(ticker).onCall(events::add);
  }

  /** Runs work that takes {@code nanos} on the ticker and returns {@code result}. */
  private <T> T returnsAfter(Breaker b, long nanos, T result) {
    return b.get(
        () -> {
          ticker.advance(nanos);
          return result;
        });
  }

  /** Runs work that takes {@code nanos} on the ticker and throws {@code failure}. */
  private void throwsAfter(Breaker b, long nanos, RuntimeException failure) {
    assertThatThrownBy(
            () ->
                b.run(
                    () -> {
                      ticker.advance(nanos);
                      throw failure;
                    }))
        .isSameAs(failure);
  }

  @Test
  void returnedCall_lastingExactlyTheSlowCallThreshold_isNotSlow_andOneNanosecondMoreIs() {
    Breaker b = builder().slowCallThreshold(Duration.ofSeconds(1)).build();
    returnsAfter(b, SECOND, "on time");
    returnsAfter(b, SECOND + 1, "late");
    assertThat(events).extracting(CallEvent::slow).containsExactly(false, true);
    assertThat(events)
        .extracting(CallEvent::duration)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1).plusNanos(1));
    assertThat(b.metrics().slowCalls()).isEqualTo(1);
  }

  @Test
  void failedCall_lastingExactlyTheSlowCallThreshold_isNotSlow_andOneNanosecondMoreIs() {
    Breaker b = builder().slowCallThreshold(Duration.ofSeconds(1)).build();
    throwsAfter(b, SECOND, new IllegalStateException("on time"));
    throwsAfter(b, SECOND + 1, new IllegalStateException("late"));
    assertThat(events).extracting(CallEvent::slow).containsExactly(false, true);
    assertThat(events)
        .extracting(CallEvent::kind)
        .containsExactly(CallEvent.Kind.FAILURE, CallEvent.Kind.FAILURE);
    assertThat(b.metrics().slowCalls()).isEqualTo(1);
    assertThat(b.metrics().failures()).isEqualTo(2);
  }

  @Test
  void slowCallRate_exactlyAtTheThreshold_opensTheBreaker() {
    List<StateChange> changes = new ArrayList<>();
    Breaker b =
        builder()
            .minimumCalls(2)
            .slowCallThreshold(Duration.ofSeconds(1))
            .slowCallRateThreshold(50)
            .onStateChange(changes::add)
            .build();
    returnsAfter(b, SECOND, "on time");
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    returnsAfter(b, SECOND + 1, "late");
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(changes)
        .singleElement()
        .extracting(StateChange::reason)
        .isEqualTo("50.0% of calls slower than 1.00 s in the last 10.0 s");
  }

  @Test
  void resultThePredicateRejects_isToldAsAFailureWithoutAThrowable() {
    Breaker b = builder().recordResult(String.class, "error"::equals).build();
    assertThat(returnsAfter(b, 0, "error")).as("the result is still returned").isEqualTo("error");
    returnsAfter(b, 0, "fine");
    assertThat(events)
        .extracting(CallEvent::kind)
        .containsExactly(CallEvent.Kind.FAILURE, CallEvent.Kind.SUCCESS);
    assertThat(events).extracting(CallEvent::failure).containsOnlyNulls();
    assertThat(b.metrics().failures()).isEqualTo(1);
    assertThat(b.metrics().calls()).isEqualTo(2);
  }

  @Test
  void nullResult_isASuccess_whateverThePredicate() {
    Breaker b = builder().recordResult(Object.class, r -> true).build();
    returnsAfter(b, 0, null);
    assertThat(events).extracting(CallEvent::kind).containsExactly(CallEvent.Kind.SUCCESS);
    assertThat(b.metrics().failures()).isZero();
  }

  @Test
  void exceptionOutsideRecordOn_isToldAsASuccessWithoutTheThrowable_andOneInsideAsAFailure() {
    Breaker b = builder().recordOn(UncheckedIOException.class).build();
    IllegalStateException notRecorded = new IllegalStateException("a bad request");
    UncheckedIOException recorded = new UncheckedIOException(new IOException("down"));
    throwsAfter(b, 0, notRecorded);
    throwsAfter(b, 0, recorded);
    assertThat(events)
        .extracting(CallEvent::kind)
        .containsExactly(CallEvent.Kind.SUCCESS, CallEvent.Kind.FAILURE);
    assertThat(events.get(0).failure()).isNull();
    assertThat(events.get(1).failure()).isSameAs(recorded);
    assertThat(b.metrics().calls()).isEqualTo(2);
    assertThat(b.metrics().failures()).isEqualTo(1);
  }

  @Test
  void ignoredException_isToldWithItsThrowable_andCountsNothing() {
    Breaker b = builder().ignore(IllegalArgumentException.class).build();
    IllegalArgumentException ignored = new IllegalArgumentException("not the service's fault");
    throwsAfter(b, 0, ignored);
    assertThat(events).singleElement().extracting(CallEvent::failure).isSameAs(ignored);
    assertThat(events.get(0).kind()).isEqualTo(CallEvent.Kind.IGNORED);
    assertThat(b.metrics().calls()).isZero();
  }

  @Test
  void admittedCalls_areNeverToldAsRejected_andEachRefusalIsToldOnce() {
    Breaker b = builder().build();
    returnsAfter(b, 0, "a");
    assertThat(b.tryAcquirePermission()).isNotNull();
    b.trip();
    assertThat(b.tryAcquirePermission()).isNull();
    assertThatThrownBy(() -> returnsAfter(b, 0, "b")).isInstanceOf(BreakerOpenException.class);
    assertThat(events)
        .extracting(CallEvent::kind)
        .containsExactly(CallEvent.Kind.SUCCESS, CallEvent.Kind.REJECTED, CallEvent.Kind.REJECTED);
    assertThat(events.get(1).duration()).isEqualTo(Duration.ZERO);
    assertThat(events.get(1).failure()).isNull();
  }
}
