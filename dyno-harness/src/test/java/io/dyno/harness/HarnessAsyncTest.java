package io.dyno.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.testing.FakeClock;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class HarnessAsyncTest {

  private final FakeClock time = FakeClock.at(Instant.EPOCH);
  private final RecordingLogger log = new RecordingLogger();
  private final Harness harness =
      Harness.builder("quotes")
          .logger(log)
          .clock(time)
          .ticker(time.ticker())
          .ignore(UnsupportedOperationException.class)
          .build();

  /** Returns the throwable a future holds, as its own handlers see it, or null. */
  private static Throwable held(CompletableFuture<?> future) {
    BiFunction<Object, Throwable, Throwable> failure = (value, thrown) -> thrown;
    return future.handle(failure).getNow(null);
  }

  @Test
  void callAsync_completesWithTheStageValueAndCapturesNothing() {
    CompletableFuture<String> result =
        harness.callAsync(() -> CompletableFuture.completedFuture("quote"));
    assertThat(result).isCompletedWithValue("quote");
    assertThat(harness.failures()).isZero();
  }

  @Test
  void callAsync_passesANullValueThrough() {
    CompletableFuture<String> result =
        harness.callAsync(() -> CompletableFuture.completedFuture(null));
    assertThat(result.join()).isNull();
  }

  @Test
  void failedStage_isCapturedAndTheFutureHoldsTheSameInstance() throws Exception {
    IOException failure = new IOException("quote service down");
    CompletableFuture<String> result =
        harness.callAsync(() -> CompletableFuture.failedFuture(failure));
    assertThat(held(result)).isSameAs(failure);
    assertThatThrownBy(result::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(failure);
    assertThat(harness.recent()).singleElement().extracting(Failure::throwable).isSameAs(failure);
    assertThat(log.messages())
        .containsExactly("Harness 'quotes': call failed: java.io.IOException: quote service down");
  }

  @Test
  void stageFailedByADependentFunction_capturesTheCauseAndMirrorsTheWrapper() {
    IllegalStateException failure = new IllegalStateException("bad quote");
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletableFuture<String> stage =
        source.thenApply(
            s -> {
              throw failure;
            });
    CompletableFuture<String> result = harness.callAsync(() -> stage);
    source.complete("go");

    // The stage holds the JDK's CompletionException wrapper; the result holds that same wrapper,
    // so join() throws the very instance joining the stage throws.
    Throwable wrapper = held(stage);
    assertThat(wrapper).isInstanceOf(CompletionException.class).cause().isSameAs(failure);
    assertThat(held(result)).isSameAs(wrapper);
    assertThat(catchThrowable(result::join)).isSameAs(catchThrowable(stage::join));
    // What is captured is the failure itself.
    assertThat(harness.recent()).singleElement().extracting(Failure::throwable).isSameAs(failure);
    assertThat(harness.failuresByType())
        .containsExactly(Map.entry(IllegalStateException.class, 1L));
  }

  @Test
  void completionExceptionWithoutACause_isCapturedAsItIs() {
    CompletionException bare = new CompletionException("no cause", null);
    CompletableFuture<String> result =
        harness.callAsync(() -> CompletableFuture.failedFuture(bare));
    assertThat(held(result)).isSameAs(bare);
    assertThat(harness.recent()).singleElement().extracting(Failure::throwable).isSameAs(bare);
  }

  @Test
  void stageCompletingLater_isCapturedOnTheCompletingThread() throws Exception {
    CompletableFuture<String> stage = new CompletableFuture<>();
    CompletableFuture<String> result = harness.callAsync(() -> stage);
    assertThat(result).isNotDone();
    assertThat(harness.failures()).isZero();

    IOException failure = new IOException("late");
    Thread completer = new Thread(() -> stage.completeExceptionally(failure), "completer");
    completer.start();
    completer.join(TimeUnit.SECONDS.toMillis(30));
    assertThat(completer.isAlive()).isFalse();

    assertThat(held(result)).isSameAs(failure);
    assertThat(harness.recent()).singleElement().extracting(Failure::thread).isEqualTo("completer");
  }

  @Test
  void cancelledStage_isCapturedAndTheFutureIsCancelledToo() {
    CompletableFuture<String> stage = new CompletableFuture<>();
    CompletableFuture<String> result = harness.callAsync(() -> stage);
    stage.cancel(false);
    assertThat(result.isCancelled()).isTrue();
    assertThat(harness.failuresByType()).containsOnlyKeys(CancellationException.class);
  }

  @Test
  void cancellingTheFuture_leavesTheStageRunning() {
    CompletableFuture<String> stage = new CompletableFuture<>();
    CompletableFuture<String> result = harness.callAsync(() -> stage);
    result.cancel(false);
    assertThat(stage).isNotDone();
    stage.complete("late");
    assertThat(result.isCancelled()).isTrue();
    assertThat(harness.failures()).isZero();
  }

  @Test
  void supplierThrowingAnException_isCapturedAndReturnedAsAFailedFuture() {
    IllegalStateException failure = new IllegalStateException("could not start");
    CompletableFuture<String> result =
        harness.callAsync(
            () -> {
              throw failure;
            });
    assertThat(held(result)).isSameAs(failure);
    assertThat(harness.failures()).isEqualTo(1);
  }

  @Test
  void supplierThrowingACheckedExceptionSneakily_isReturnedAsAFailedFuture() {
    IOException failure = new IOException("sneaky");
    CompletableFuture<String> result = harness.callAsync(() -> Sneaky.raise(failure));
    assertThat(held(result)).isSameAs(failure);
    assertThat(harness.failuresByType()).containsOnlyKeys(IOException.class);
  }

  @Test
  void supplierThrowingAnError_isCapturedAndRethrown() {
    AssertionError error = new AssertionError("broken");
    assertThat(
            catchThrowable(
                () ->
                    harness.callAsync(
                        () -> {
                          throw error;
                        })))
        .isSameAs(error);
    assertThat(harness.failures()).isEqualTo(1);
  }

  @Test
  void supplierReturningNull_failsTheFutureWithACapturedNullPointerException() {
    CompletableFuture<String> result = harness.callAsync(() -> null);
    assertThat(held(result))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("Harness 'quotes': supplier returned null instead of a CompletionStage");
    assertThat(harness.recent())
        .singleElement()
        .extracting(Failure::throwable)
        .isSameAs(held(result));
  }

  @Test
  void ignoredFailures_areForwardedButNotCaptured() {
    UnsupportedOperationException ignored = new UnsupportedOperationException("ignored");
    CompletableFuture<String> result =
        harness.callAsync(() -> CompletableFuture.failedFuture(ignored));
    assertThat(held(result)).isSameAs(ignored);
    assertThat(harness.failures()).isZero();
    assertThat(log.lines()).isEmpty();
  }

  @Test
  void listenerErrorOnAFailedStage_isAttachedAndTheFutureStillCompletes() {
    AssertionError fromListener = new AssertionError("listener");
    Harness h =
        Harness.builder("quotes")
            .logger(log)
            .onFailure(
                f -> {
                  throw fromListener;
                })
            .build();
    IOException failure = new IOException("down");
    CompletableFuture<String> result = h.callAsync(() -> CompletableFuture.failedFuture(failure));
    assertThat(held(result)).isSameAs(failure);
    assertThat(failure.getSuppressed()).containsExactly(fromListener);
  }

  @Test
  void anyCompletionStage_works() {
    AtomicReference<String> seen = new AtomicReference<>();
    CompletionStage<String> minimal = CompletableFuture.completedStage("minimal");
    CompletableFuture<String> result = harness.callAsync(() -> minimal);
    result.thenAccept(seen::set).join();
    assertThat(seen).hasValue("minimal");
    assertThat(List.of(result.join())).containsExactly("minimal");
  }
}
