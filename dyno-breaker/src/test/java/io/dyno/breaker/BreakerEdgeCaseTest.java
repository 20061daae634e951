package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Edges of the breaker's API: the builder's limits taken exactly, what a rejection says when the
 * next trial is due now and when no rate opened the breaker, how an asynchronous failure is
 * unwrapped and timed, how often an untimed breaker reads its ticker, and a reset of a closed
 * breaker.
 */
class BreakerEdgeCaseTest {

  private static final long SECOND = 1_000_000_000L;

  /** An arbitrary start, so that no reading is mistaken for zero. */
  private static final long START = 7_000 * SECOND;

  private final FakeTicker ticker = FakeTicker.startingAt(START);
  private final List<CallEvent> events = new ArrayList<>();

  private BreakerBuilder builder() {
    return Breaker.builder("orders").minimumCalls(1).ticker(ticker);
  }

  // ---------------------------------------------------------------- the builder's limits

  @Test
  void buckets_acceptsOne_andRejectsZero() {
    assertThat(Breaker.builder("b").buckets(1).build().metrics().calls()).isZero();
    assertThatThrownBy(() -> Breaker.builder("b").buckets(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("buckets must be in [1, 1000], was 0");
  }

  @Test
  void buckets_acceptsExactlyTheMaximum_andRejectsOneMore() {
    assertThat(Breaker.builder("b").buckets(1000).build().metrics().calls()).isZero();
    assertThatThrownBy(() -> Breaker.builder("b").buckets(1001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("buckets must be in [1, 1000], was 1001");
  }

  @Test
  void window_ofExactlyOneNanosecondPerBucket_isAccepted_andOneLessIsNot() {
    assertThatCode(() -> Breaker.builder("b").window(Duration.ofNanos(10)).buckets(10).build())
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Breaker.builder("b").window(Duration.ofNanos(9)).buckets(10).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window must be at least 1 ns per bucket, was PT0.000000009S for 10");
  }

  @Test
  @SuppressWarnings("unchecked")
  void ignore_ofANullArray_namesTheParameter() {
    assertThatThrownBy(() -> Breaker.builder("b").ignore((Class<? extends Throwable>[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ignore must not be null");
  }

  // ---------------------------------------------------------------- rejections

  @Test
  void trippedBreaker_rejectsWithoutRates_andWithoutATrialTime() {
    Breaker b = builder().build();
    b.trip();
    BreakerOpenException rejected =
        catchThrowableOfType(BreakerOpenException.class, () -> b.run(() -> {}));
    assertThat(rejected.failureRate()).isNaN();
    assertThat(rejected.slowCallRate()).isNaN();
    assertThat(rejected.nextTrialIn()).isEmpty();
    assertThat(rejected.getMessage())
        .isEqualTo("Breaker 'orders' is FORCED_OPEN (tripped by hand); call not permitted");
  }

  @Test
  void rejectionWhoseTrialFallsDueWhileItIsMade_saysTheTrialIsDueNow() {
    long admittedAt = START + 4 * SECOND;
    Breaker b =
        Breaker.builder("orders")
            .minimumCalls(1)
            .openDuration(Duration.ofSeconds(5))
            .ticker(
                () -> {
                  long reading = ticker.read();
                  if (reading == admittedAt) {
                    ticker.advance(SECOND); // the rejection reads a second later
                  }
                  return reading;
                })
            .build();
    b.acquirePermission().onFailure(0, new IOException("down")); // opens at START
    ticker.advance(4 * SECOND);
    // Admitted at 4 s, still open; by the time the rejection asks, the 5 s have passed.
    BreakerOpenException rejected =
        catchThrowableOfType(BreakerOpenException.class, () -> b.run(() -> {}));
    assertThat(rejected.nextTrialIn()).contains(Duration.ZERO);
    assertThat(rejected.getMessage()).endsWith("; call not permitted; next trial due now");
  }

  @Test
  void rejectionOfAnOpenBreaker_carriesTheRatesThatOpenedIt() {
    Breaker b = builder().minimumCalls(4).build();
    b.run(() -> {});
    for (int i = 0; i < 3; i++) {
      b.acquirePermission().onFailure(0, new IOException("down"));
    }
    BreakerOpenException rejected =
        catchThrowableOfType(BreakerOpenException.class, () -> b.run(() -> {}));
    assertThat(rejected.failureRate()).isEqualTo(75.0);
    assertThat(rejected.slowCallRate()).isZero();
    assertThat(rejected.nextTrialIn()).contains(Duration.ofSeconds(5));
  }

  // ---------------------------------------------------------------- asynchronous calls

  @Test
  void asyncFailureWithACause_isReportedItself_notItsCause() {
    Breaker b = builder().minimumCalls(100).onCall(events::add).build();
    IllegalStateException failure = new IllegalStateException("down", new IOException("cause"));
    CompletableFuture<String> result =
        b.callAsync(() -> CompletableFuture.<String>failedFuture(failure));
    assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).hasCause(failure);
    assertThat(events).singleElement().extracting(CallEvent::failure).isSameAs(failure);
  }

  @Test
  void asyncFailureWrappedInCompletionExceptions_isReportedUnwrapped() {
    Breaker b = builder().minimumCalls(100).onCall(events::add).build();
    IOException failure = new IOException("down");
    CompletableFuture<String> result =
        b.callAsync(
            () ->
                CompletableFuture.<String>failedFuture(
                    new CompletionException(new CompletionException(failure))));
    assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).hasCause(failure);
    assertThat(events).singleElement().extracting(CallEvent::failure).isSameAs(failure);
  }

  @Test
  void asyncCompletionExceptionWithoutACause_isReportedAsItIs() {
    Breaker b = builder().minimumCalls(100).onCall(events::add).build();
    CompletionException bare = new CompletionException("no cause", null);
    CompletableFuture<String> result = b.callAsync(() -> CompletableFuture.failedFuture(bare));
    assertThat(result).isCompletedExceptionally();
    assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).hasCause(bare);
    assertThat(events).singleElement().extracting(CallEvent::failure).isSameAs(bare);
  }

  @Test
  void asyncCall_isTimedFromItsStart_onAnyTickerReading() {
    Breaker b =
        builder()
            .minimumCalls(100)
            .slowCallThreshold(Duration.ofSeconds(1))
            .onCall(events::add)
            .build();
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> result = b.callAsync(() -> pending);
    ticker.advance(SECOND / 2);
    pending.complete("done");
    assertThat(result).isCompletedWithValue("done");
    CompletableFuture<String> failing = new CompletableFuture<>();
    CompletableFuture<String> failed = b.callAsync(() -> failing);
    ticker.advance(2 * SECOND);
    failing.completeExceptionally(new IOException("down"));
    assertThat(failed).isCompletedExceptionally();
    assertThat(events)
        .extracting(CallEvent::duration)
        .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(2));
    assertThat(events).extracting(CallEvent::slow).containsExactly(false, true);
  }

  @Test
  void failedCall_isTimedFromItsStart_onAnyTickerReading() {
    Breaker b = builder().minimumCalls(100).onCall(events::add).build();
    assertThatThrownBy(
            () ->
                b.run(
                    () -> {
                      ticker.advance(SECOND);
                      throw new IllegalStateException("down");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(events)
        .singleElement()
        .extracting(CallEvent::duration)
        .isEqualTo(Duration.ofSeconds(1));
  }

  // ---------------------------------------------------------------- ticker readings

  @Test
  void untimedBreaker_readsTheTickerOncePerCall_whateverTheOutcome() {
    Breaker b = Breaker.builder("untimed").minimumCalls(100).ticker(ticker).build();
    long built = ticker.reads();
    assertThatThrownBy(
            () ->
                b.run(
                    () -> {
                      throw new IllegalStateException("down");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(ticker.reads() - built).as("a failure").isEqualTo(1);
    b.callAsync(() -> CompletableFuture.completedFuture("x")).join();
    assertThat(ticker.reads() - built).as("and an asynchronous success").isEqualTo(2);
    assertThat(b.callAsync(() -> CompletableFuture.<String>failedFuture(new IOException("down"))))
        .isCompletedExceptionally();
    assertThat(ticker.reads() - built).as("and an asynchronous failure").isEqualTo(3);
    assertThat(b.metrics().failures()).isEqualTo(2);
  }

  // ---------------------------------------------------------------- by hand

  @Test
  void resetOfAClosedBreaker_emptiesItsWindow() {
    Breaker b = builder().minimumCalls(4).build();
    for (int i = 0; i < 3; i++) {
      b.acquirePermission().onFailure(0, new IOException("down"));
    }
    b.reset();
    assertThat(b.metrics().calls()).isZero();
    b.acquirePermission().onFailure(0, new IOException("down"));
    assertThat(b.state())
        .as("one failure after the reset, below the minimum")
        .isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void limiter_hasAllItsPermitsAvailable_untilOneIsTaken() {
    Limiter limiter = Limiter.of("db", 3);
    assertThat(limiter.available()).isEqualTo(3);
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.available()).isEqualTo(2);
    limiter.release();
    assertThat(limiter.available()).isEqualTo(3);
  }
}
