package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link Breaker}'s decorators, its asynchronous verb and its per-call events. */
class BreakerVerbsTest {

  private static final long SECOND = 1_000_000_000L;

  private final FakeTicker ticker = FakeTicker.create();
  private final List<CallEvent> events = new ArrayList<>();

  private BreakerBuilder builder() {
    return Breaker.builder("quotes").minimumCalls(2).ticker(ticker);
  }

  private static Breaker open(Breaker b) {
    b.trip();
    return b;
  }

  @Test
  void decorators_runTheWorkThroughTheBreaker() throws Exception {
    Breaker b = builder().build();
    AtomicInteger runs = new AtomicInteger();
    Callable<String> callable = b.decorateCallable(() -> "c");
    Supplier<String> supplier = b.decorateSupplier(() -> "s");
    Runnable runnable = b.decorateRunnable(runs::incrementAndGet);
    Function<Integer, Integer> twice = b.decorateFunction(x -> 2 * x);
    assertThat(callable.call()).isEqualTo("c");
    assertThat(supplier.get()).isEqualTo("s");
    runnable.run();
    assertThat(twice.apply(21)).isEqualTo(42);
    assertThat(runs.get()).isEqualTo(1);
    assertThat(b.metrics().calls()).isEqualTo(4);

    open(b);
    assertThatThrownBy(callable::call).isInstanceOf(BreakerOpenException.class);
    assertThatThrownBy(supplier::get).isInstanceOf(BreakerOpenException.class);
    assertThatThrownBy(runnable::run).isInstanceOf(BreakerOpenException.class);
    assertThatThrownBy(() -> twice.apply(1)).isInstanceOf(BreakerOpenException.class);
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void verbs_rejectNullWork_namingTheParameter() {
    Breaker b = builder().build();
    assertThatThrownBy(() -> b.call(null)).hasMessage("callable must not be null");
    assertThatThrownBy(() -> b.get(null)).hasMessage("supplier must not be null");
    assertThatThrownBy(() -> b.run(null)).hasMessage("runnable must not be null");
    assertThatThrownBy(() -> b.decorateCallable(null)).hasMessage("callable must not be null");
    assertThatThrownBy(() -> b.decorateSupplier(null)).hasMessage("supplier must not be null");
    assertThatThrownBy(() -> b.decorateRunnable(null)).hasMessage("runnable must not be null");
    assertThatThrownBy(() -> b.decorateFunction(null)).hasMessage("function must not be null");
    assertThatThrownBy(() -> b.callAsync(null)).hasMessage("supplier must not be null");
    Breaker.Permit permit = b.acquirePermission();
    assertThatThrownBy(() -> permit.onFailure(0, null)).hasMessage("failure must not be null");
    assertThatThrownBy(() -> permit.onFailureAt(0, 0, null)).hasMessage("failure must not be null");
  }

  @Test
  void callAsync_recordsTheOutcome_beforeTheFutureCompletes() {
    Breaker b = builder().build();
    CompletableFuture<String> stage = new CompletableFuture<>();
    CompletableFuture<String> result = b.callAsync(() -> stage);
    assertThat(result).isNotDone();
    IOException failure = new IOException("down");
    stage.completeExceptionally(failure);
    assertThat(result).isCompletedExceptionally();
    assertThatThrownBy(result::join).hasCause(failure);
    assertThat(b.metrics().failures()).isEqualTo(1);

    assertThat(b.callAsync(() -> CompletableFuture.completedFuture("ok")).join()).isEqualTo("ok");
    assertThat(b.metrics().calls()).isEqualTo(2);
  }

  @Test
  void callAsync_unwrapsCompletionExceptions_toJudgeAndReturnTheCause() {
    Breaker b = builder().recordOn(IOException.class).build();
    IOException failure = new IOException("down");
    CompletableFuture<String> result =
        b.callAsync(
            () ->
                CompletableFuture.<String>failedFuture(failure)
                    .thenApply(String::trim)); // a dependent stage wraps the failure
    assertThatThrownBy(result::join).isInstanceOf(CompletionException.class).hasCause(failure);
    assertThat(b.metrics().failures()).isEqualTo(1);
  }

  @Test
  void callAsync_whenOpen_returnsAFailedFuture_withoutCallingTheSupplier() {
    Breaker b = open(builder().build());
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> result =
        b.callAsync(
            () -> {
              calls.incrementAndGet();
              return CompletableFuture.completedFuture("x");
            });
    assertThatThrownBy(result::join).hasCauseInstanceOf(BreakerOpenException.class);
    assertThat(calls.get()).isZero();
  }

  @Test
  void callAsync_supplierThatThrows_countsAsAFailure() {
    Breaker b = builder().build();
    IllegalStateException failure = new IllegalStateException("no connection");
    CompletableFuture<String> result =
        b.callAsync(
            () -> {
              throw failure;
            });
    assertThatThrownBy(result::join).hasCause(failure);
    CompletableFuture<String> nullStage = b.callAsync(() -> null);
    assertThatThrownBy(nullStage::join).hasCauseInstanceOf(NullPointerException.class);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
  }

  @Test
  void callAsync_supplierThatThrowsAnError_rethrowsIt_afterCountingIt() {
    Breaker b = builder().minimumCalls(1).build();
    AssertionError error = new AssertionError("broken");
    assertThatThrownBy(
            () ->
                b.callAsync(
                    () -> {
                      throw error;
                    }))
        .isSameAs(error);
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
  }

  @Test
  void callAsync_cancelledStage_isNotRecorded() {
    Breaker b = builder().build();
    CompletableFuture<String> stage = new CompletableFuture<>();
    CompletableFuture<String> result = b.callAsync(() -> stage);
    stage.cancel(false);
    assertThatThrownBy(result::join).isInstanceOf(CancellationException.class);
    assertThat(b.metrics().calls()).isZero();
  }

  @Test
  void onCall_isToldOfEverySuccessFailureIgnoredCallAndRejection_withDurations() throws Exception {
    Breaker b =
        builder()
            .minimumCalls(100)
            .slowCallThreshold(Duration.ofSeconds(1))
            .ignore(IllegalArgumentException.class)
            .onCall(events::add)
            .onCall(
                e -> {
                  throw new IllegalStateException("a broken listener is logged and ignored");
                })
            .build();
    b.call(
        () -> {
          ticker.advance(2 * SECOND);
          return "slow";
        });
    IOException failure = new IOException("down");
    assertThatThrownBy(
            () ->
                b.call(
                    () -> {
                      throw failure;
                    }))
        .isSameAs(failure);
    assertThatThrownBy(
            () ->
                b.run(
                    () -> {
                      throw new IllegalArgumentException();
                    }))
        .isInstanceOf(IllegalArgumentException.class);
    b.trip();
    assertThat(b.tryAcquirePermission()).isNull();
    assertThat(events)
        .extracting(CallEvent::kind)
        .containsExactly(
            CallEvent.Kind.SUCCESS,
            CallEvent.Kind.FAILURE,
            CallEvent.Kind.IGNORED,
            CallEvent.Kind.REJECTED);
    assertThat(events.get(0).duration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(events.get(0).slow()).isTrue();
    assertThat(events.get(1).failure()).isSameAs(failure);
    assertThat(events.get(3).name()).isEqualTo("quotes");
  }

  @Test
  void negativeReportedDuration_isZero_andAnUntimedBreakerCountsNoSlowCalls() {
    Breaker b = builder().build();
    b.acquirePermission().onSuccess(5 * SECOND);
    assertThat(b.metrics().slowCalls()).isZero();
    Breaker listened = builder().onCall(events::add).build();
    listened.acquirePermission().onSuccess(-5);
    assertThat(events.get(0).duration()).isEqualTo(Duration.ZERO);
  }

  @Test
  void sneakyCheckedException_fromASupplier_countsAndLeavesUnchanged() {
    Breaker b = builder().build();
    Exception sneaky = new Exception("sneaky");
    assertThatThrownBy(
            () ->
                b.get(
                    () -> {
                      BreakerVerbsTest.<RuntimeException>sneakyThrow(sneaky);
                      return "unreachable";
                    }))
        .isSameAs(sneaky)
        .isNotInstanceOf(UndeclaredThrowableException.class);
    assertThat(b.metrics().failures()).isEqualTo(1);
  }

  @Test
  void recordResultPredicateThatThrows_failsTheVerb_andFreesTheTrialPermit() {
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
    assertThatThrownBy(() -> b.get(() -> "ok")).isSameAs(broken);
    assertThat(b.metrics().calls()).as("not recorded").isZero();
    b.acquirePermission().onFailure(0, new IOException("down"));
    ticker.advance(5 * SECOND);
    assertThatThrownBy(() -> b.get(() -> "ok")).isSameAs(broken);
    assertThat(b.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertThat(b.tryAcquirePermission()).as("the trial permit was freed").isNotNull();
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> void sneakyThrow(Exception e) throws E {
    throw (E) e;
  }
}
