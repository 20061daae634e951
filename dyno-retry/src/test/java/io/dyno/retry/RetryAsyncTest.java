package io.dyno.retry;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.CompletableFuture.failedFuture;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link Retry#callAsync}: waits are scheduled on a {@link ManualScheduler}, never slept. */
class RetryAsyncTest {

  /** callAsync must wait on the scheduler; a sleep would block a thread and fails the test. */
  private static final Sleeper NO_SLEEP =
      duration -> {
        throw new AssertionError("callAsync slept " + duration + " instead of scheduling");
      };

  private final FakeTicker clock = FakeTicker.create();
  private final ManualScheduler scheduler = ManualScheduler.on(clock);
  private final AtomicInteger attempts = new AtomicInteger();
  private final List<RetryEvent> retried = new ArrayList<>();
  private final List<ExhaustedEvent> exhausted = new ArrayList<>();

  /** 3 attempts, 100 ms apart, timed by the scheduler's clock, events recorded. */
  private Retry.Builder retry() {
    return Retry.builder("fetch")
        .maxAttempts(3)
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .sleeper(NO_SLEEP)
        .ticker(scheduler.ticker())
        .onRetry(retried::add)
        .onExhausted(exhausted::add);
  }

  /**
   * A supplier whose n-th attempt returns a stage already completed with the n-th outcome: a {@code
   * Throwable} fails it, anything else is its value. Counts the attempts.
   */
  private <T> Supplier<CompletionStage<T>> stages(Class<T> type, Object... outcomes) {
    return () -> {
      int n = attempts.getAndIncrement();
      if (n >= outcomes.length) {
        throw new AssertionError("unexpected attempt " + (n + 1) + " of " + outcomes.length);
      }
      Object outcome = outcomes[n];
      if (outcome instanceof Throwable failure) {
        return failedFuture(failure);
      }
      return completedFuture(type.cast(outcome));
    };
  }

  private Supplier<CompletionStage<String>> stages(Object... outcomes) {
    return stages(String.class, outcomes);
  }

  /** The exception {@code future} completed with, as it was given, not wrapped. */
  private static Throwable failureOf(CompletableFuture<?> future) {
    assertThat(future).isCompletedExceptionally();
    return future.handle((result, failure) -> failure).join();
  }

  /** The record a retry attached to {@code failure}; fails if there is none. */
  private static RetryStoppedException recordOf(Throwable failure) {
    return Arrays.stream(failure.getSuppressed())
        .filter(RetryStoppedException.class::isInstance)
        .map(RetryStoppedException.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no RetryStoppedException on " + failure));
  }

  // ---------------------------------------------------------------- success and scheduling

  @Test
  void callAsync_whenTheFirstAttemptSucceeds_completesAtOnceWithoutScheduling() {
    CompletableFuture<String> future = retry().build().callAsync(stages("ok"), scheduler);

    assertThat(future).isCompletedWithValue("ok");
    assertThat(attempts).hasValue(1);
    assertThat(scheduler.delays()).isEmpty();
    assertThat(retried).isEmpty();
    assertThat(exhausted).isEmpty();
  }

  @Test
  void callAsync_whenTheStageCompletesLater_completesWithItThen() {
    CompletableFuture<String> stage = new CompletableFuture<>();

    CompletableFuture<String> future = retry().build().callAsync(() -> stage, scheduler);

    assertThat(future).isNotDone();
    stage.complete("late");
    assertThat(future).isCompletedWithValue("late");
    assertThat(scheduler.delays()).isEmpty();
  }

  @Test
  void callAsync_afterAFailedStage_schedulesTheNextAttemptAfterTheBackoffsDelay() {
    IOException first = new IOException("first");
    IOException second = new IOException("second");
    Retry retry = retry().backoff(Backoff.exponential(Duration.ofMillis(100), 2.0)).build();

    CompletableFuture<String> future = retry.callAsync(stages(first, second, "ok"), scheduler);

    assertThat(future).isNotDone();
    assertThat(attempts).hasValue(1);
    assertThat(scheduler.delays()).containsExactly(Duration.ofMillis(100));

    assertThat(scheduler.runNext()).isTrue();
    assertThat(future).isNotDone();
    assertThat(attempts).hasValue(2);
    assertThat(scheduler.delays()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));

    assertThat(scheduler.runNext()).isTrue();
    assertThat(future).isCompletedWithValue("ok");
    assertThat(attempts).hasValue(3);
    assertThat(scheduler.pendingCount()).isZero();
    assertThat(retried)
        .containsExactly(
            new RetryEvent("fetch", 1, first, null, Duration.ofMillis(100)),
            new RetryEvent("fetch", 2, second, null, Duration.ofMillis(200)));
    assertThat(exhausted).isEmpty();
  }

  @Test
  void callAsync_whenAStageFailsWithACompletionException_judgesAndKeepsItsCause() {
    IOException first = new IOException("first");
    IOException last = new IOException("last");
    // A stage derived from a failed one fails with a CompletionException wrapping the cause.
    List<CompletableFuture<String>> failing =
        List.of(
            failedFuture(first).thenApply(String::valueOf),
            failedFuture(new CompletionException(last)));
    Retry retry = retry().maxAttempts(2).retryOn(IOException.class).build();

    CompletableFuture<String> future =
        retry.callAsync(() -> failing.get(attempts.getAndIncrement()), scheduler);
    // Had the CompletionException been judged, retryOn(IOException) would refuse it at once.
    assertThat(scheduler.delays()).hasSize(1);
    assertThat(scheduler.runNext()).isTrue();

    Throwable failure = failureOf(future);
    assertThat(failure).isSameAs(last);
    assertThat(CompoundException.of(failure).exceptions()).containsExactly(first, last);
    assertThat(retried.get(0).failure()).isSameAs(first);
  }

  @Test
  void callAsync_whenTheSupplierThrows_countsItAsAFailedAttempt() {
    IllegalStateException thrown = new IllegalStateException("no connection");
    Supplier<CompletionStage<String>> supplier =
        () -> {
          if (attempts.getAndIncrement() == 0) {
            throw thrown;
          }
          return completedFuture("ok");
        };

    CompletableFuture<String> future = retry().build().callAsync(supplier, scheduler);

    assertThat(future).isNotDone();
    assertThat(scheduler.delays()).containsExactly(Duration.ofMillis(100));
    assertThat(retried).extracting(RetryEvent::failure).containsExactly(thrown);
    assertThat(scheduler.runNext()).isTrue();
    assertThat(future).isCompletedWithValue("ok");
  }

  @Test
  void callAsync_whenTheSupplierAlwaysThrows_failsWithTheLastThrownFailure() {
    List<IllegalStateException> thrown = new ArrayList<>();
    Supplier<CompletionStage<String>> supplier =
        () -> {
          IllegalStateException e = new IllegalStateException("attempt " + thrown.size());
          thrown.add(e);
          throw e;
        };

    CompletableFuture<String> future = retry().build().callAsync(supplier, scheduler);
    assertThat(scheduler.runNext()).isTrue();
    assertThat(scheduler.runNext()).isTrue();

    Throwable failure = failureOf(future);
    assertThat(failure).isSameAs(thrown.get(2));
    assertThat(CompoundException.of(failure).exceptions()).containsExactlyElementsOf(thrown);
  }

  // ---------------------------------------------------------------- giving up

  @Test
  void callAsync_whenAttemptsRunOut_failsWithTheLastFailureAndTheEarlierOnesAttachedInOrder() {
    IOException e1 = new IOException("1");
    IOException e2 = new IOException("2");
    IOException e3 = new IOException("3");

    CompletableFuture<String> future = retry().build().callAsync(stages(e1, e2, e3), scheduler);
    assertThat(scheduler.runNext()).isTrue();
    assertThat(scheduler.runNext()).isTrue();

    Throwable failure = failureOf(future);
    assertThat(failure).isSameAs(e3);
    assertThat(scheduler.pendingCount()).isZero();
    assertThat(scheduler.delays()).hasSize(2);

    RetryStoppedException record = recordOf(failure);
    assertThat(failure.getSuppressed()).containsExactly(record, e1, e2);
    assertThat(record.name()).isEqualTo("fetch");
    assertThat(record.attempts()).isEqualTo(3);
    assertThat(record.reason()).isEqualTo(StopReason.MAX_ATTEMPTS);
    assertThat(record.earlierFailures()).isEqualTo(2);
    // No maxDuration or budget: the time counts from the first failure, two 100 ms waits ago.
    assertThat(record.elapsedSinceFirstFailure()).isTrue();
    assertThat(record.elapsed()).isEqualTo(Duration.ofMillis(200));
    assertThat(record.getMessage())
        .isEqualTo(
            "Retry 'fetch' stopped after 3 attempts, 200 ms after the first failure: "
                + "maxAttempts reached (maxAttempts 3); the 2 earlier failures follow");

    CompoundException all = CompoundException.of(failure);
    assertThat(all.exceptions()).containsExactly(e1, e2, e3);
    assertThat(all.first()).isSameAs(e1);
    assertThat(all.last()).isSameAs(e3);
    assertThat(all.reason()).contains(StopReason.MAX_ATTEMPTS);

    assertThat(exhausted)
        .containsExactly(
            new ExhaustedEvent(
                "fetch", 3, StopReason.MAX_ATTEMPTS, Duration.ofMillis(200), e3, null));
  }

  @Test
  void callAsync_withThrowCompound_failsWithACompoundExceptionOfEveryFailure() {
    IOException e1 = new IOException("1");
    IOException e2 = new IOException("2");
    IOException e3 = new IOException("3");

    CompletableFuture<String> future =
        retry().throwCompound().build().callAsync(stages(e1, e2, e3), scheduler);
    assertThat(scheduler.runNext()).isTrue();
    assertThat(scheduler.runNext()).isTrue();

    Throwable failure = failureOf(future);
    assertThat(failure).isInstanceOf(CompoundException.class).hasCause(e3);
    CompoundException compound = (CompoundException) failure;
    assertThat(compound.exceptions()).containsExactly(e1, e2, e3);
    assertThat(compound.reason()).contains(StopReason.MAX_ATTEMPTS);
    assertThat(compound.getSuppressed()).containsExactly(e1, e2);
    assertThat(compound).hasMessageStartingWith("Retry 'fetch' stopped after 3 attempts");
    assertThat(CompoundException.of(compound)).isSameAs(compound);
    // The last failure is the compound's cause and is left as it was.
    assertThat(e3.getSuppressed()).isEmpty();
    assertThat(exhausted).extracting(ExhaustedEvent::failure).containsExactly(e3);
  }

  @Test
  void callAsync_whenTheFirstFailureIsNotRetryable_passesItThroughUntouched() {
    FileNotFoundException missing = new FileNotFoundException("gone");

    CompletableFuture<String> future =
        retry().abortOn(FileNotFoundException.class).build().callAsync(stages(missing), scheduler);

    assertThat(failureOf(future)).isSameAs(missing);
    assertThat(missing.getSuppressed()).isEmpty();
    assertThat(scheduler.delays()).isEmpty();
    assertThat(exhausted).isEmpty();
  }

  @Test
  void callAsync_whenALaterFailureIsNotRetryable_stopsWithItAndTheEarlierOnesAttached() {
    IOException first = new IOException("first");
    FileNotFoundException missing = new FileNotFoundException("gone");

    CompletableFuture<String> future =
        retry()
            .abortOn(FileNotFoundException.class)
            .build()
            .callAsync(stages(first, missing), scheduler);
    assertThat(scheduler.runNext()).isTrue();

    assertThat(failureOf(future)).isSameAs(missing);
    assertThat(recordOf(missing).reason()).isEqualTo(StopReason.ABORTED);
    assertThat(CompoundException.of(missing).exceptions()).containsExactly(first, missing);
    assertThat(scheduler.pendingCount()).isZero();
  }

  // ---------------------------------------------------------------- errors

  @Test
  void callAsync_whenAStageFailsWithAnError_completesWithItAtOnce() {
    TestError error = new TestError();

    CompletableFuture<String> future = retry().build().callAsync(stages(error), scheduler);

    assertThat(failureOf(future)).isSameAs(error);
    assertThat(error.getSuppressed()).isEmpty();
    assertThat(scheduler.delays()).isEmpty();
    assertThat(retried).isEmpty();
    assertThat(exhausted).isEmpty();
  }

  @Test
  void callAsync_whenAStageFailsWithAWrappedError_completesWithTheErrorAtOnce() {
    TestError error = new TestError();

    CompletableFuture<String> future =
        retry().build().callAsync(() -> failedFuture(error).thenApply(String::valueOf), scheduler);

    assertThat(failureOf(future)).isSameAs(error);
    assertThat(scheduler.delays()).isEmpty();
  }

  @Test
  void callAsync_whenTheSupplierThrowsAnError_completesWithItAtOnce() {
    TestError error = new TestError();

    CompletableFuture<String> future =
        retry()
            .build()
            .callAsync(
                () -> {
                  attempts.incrementAndGet();
                  throw error;
                },
                scheduler);

    assertThat(failureOf(future)).isSameAs(error);
    assertThat(attempts).hasValue(1);
    assertThat(scheduler.delays()).isEmpty();
  }

  @Test
  void callAsync_whenALaterAttemptFailsWithAnError_completesWithItAndStopsRetrying() {
    IOException first = new IOException("first");
    TestError error = new TestError();

    CompletableFuture<String> future =
        retry().maxAttempts(5).build().callAsync(stages(first, error), scheduler);
    assertThat(scheduler.runNext()).isTrue();

    assertThat(failureOf(future)).isSameAs(error);
    assertThat(error.getSuppressed()).isEmpty();
    assertThat(scheduler.pendingCount()).isZero();
    assertThat(scheduler.delays()).hasSize(1);
    assertThat(attempts).hasValue(2);
    assertThat(exhausted).isEmpty();
  }

  // ---------------------------------------------------------------- neither Error nor Exception

  @Test
  void callAsync_whenAPlainThrowableIsNotRetryable_passesItThroughUntouched() {
    Throwable odd = new Throwable("neither Error nor Exception");

    CompletableFuture<String> future =
        retry().retryOn(IOException.class).build().callAsync(stages(odd), scheduler);

    assertThat(failureOf(future)).isSameAs(odd);
    assertThat(scheduler.delays()).isEmpty();
    assertThat(odd.getSuppressed()).isEmpty();
  }

  @Test
  void callAsync_withThrowCompound_whenPlainThrowablesRunOut_failsWithACompoundException() {
    Throwable first = new Throwable("first");
    Throwable last = new Throwable("last");

    CompletableFuture<String> future =
        retry().maxAttempts(2).throwCompound().build().callAsync(stages(first, last), scheduler);
    assertThat(scheduler.runNext()).isTrue();

    Throwable failure = failureOf(future);
    assertThat(failure).isInstanceOf(CompoundException.class).hasCause(last);
    assertThat(((CompoundException) failure).exceptions()).containsExactly(first, last);
    assertThat(exhausted).extracting(ExhaustedEvent::failure).containsExactly(last);
  }

  @Test
  void callAsync_whenPlainThrowablesRunOut_failsWithTheLastAndTheEarlierOnesAttached() {
    Throwable first = new Throwable("first");
    Throwable last = new Throwable("last");

    CompletableFuture<String> future =
        retry().maxAttempts(2).build().callAsync(stages(first, last), scheduler);
    assertThat(scheduler.runNext()).isTrue();

    assertThat(failureOf(future)).isSameAs(last);
    assertThat(CompoundException.of(last).exceptions()).containsExactly(first, last);
  }

  // ---------------------------------------------------------------- results

  @Test
  void callAsync_withRetryIfResult_retriesARejectedResultAndCompletesWithTheAcceptedOne() {
    Retry retry = retry().retryIfResult(Response.class, r -> r.status() == 503).build();

    CompletableFuture<Response> future =
        retry.callAsync(
            stages(Response.class, new Response(1, 503), new Response(2, 200)), scheduler);

    assertThat(future).isNotDone();
    assertThat(retried)
        .containsExactly(
            new RetryEvent("fetch", 1, null, new Response(1, 503), Duration.ofMillis(100)));
    assertThat(scheduler.runNext()).isTrue();
    assertThat(future).isCompletedWithValue(new Response(2, 200));
    assertThat(exhausted).isEmpty();
  }

  @Test
  void callAsync_withRetryIfResult_whenAttemptsRunOut_completesWithTheLastRejectedResult() {
    Retry retry = retry().retryIfResult(Response.class, r -> r.status() == 503).build();

    CompletableFuture<Response> future =
        retry.callAsync(
            stages(
                Response.class, new Response(1, 503), new Response(2, 503), new Response(3, 503)),
            scheduler);
    assertThat(scheduler.runNext()).isTrue();
    assertThat(scheduler.runNext()).isTrue();

    assertThat(future).isCompletedWithValue(new Response(3, 503));
    assertThat(scheduler.pendingCount()).isZero();
    assertThat(exhausted)
        .containsExactly(
            new ExhaustedEvent(
                "fetch",
                3,
                StopReason.MAX_ATTEMPTS,
                Duration.ofMillis(200),
                null,
                new Response(3, 503)));
  }

  // ---------------------------------------------------------------- cancellation

  @Test
  void cancel_whileWaitingBetweenAttempts_cancelsTheScheduledAttempt() {
    CompletableFuture<String> future =
        retry().build().callAsync(stages(new IOException("first")), scheduler);
    assertThat(scheduler.pendingCount()).isOne();

    assertThat(future.cancel(true)).isTrue();

    assertThat(future).isCancelled();
    assertThat(scheduler.pendingCount()).isZero();
    assertThat(attempts).hasValue(1);
    assertThat(exhausted).isEmpty();
  }

  @Test
  void cancel_whileAnAttemptIsInFlight_startsNoFurtherAttempt() {
    CompletableFuture<String> inFlight = new CompletableFuture<>();
    Supplier<CompletionStage<String>> supplier =
        () -> {
          attempts.incrementAndGet();
          return inFlight;
        };
    CompletableFuture<String> future = retry().build().callAsync(supplier, scheduler);

    future.cancel(true);
    inFlight.completeExceptionally(new IOException("too late"));

    assertThat(future).isCancelled();
    assertThat(failureOf(future)).isInstanceOf(CancellationException.class);
    assertThat(scheduler.delays()).isEmpty();
    assertThat(attempts).hasValue(1);
    assertThat(retried).isEmpty();
    assertThat(exhausted).isEmpty();
  }

  // ---------------------------------------------------------------- the scheduler refuses

  @Test
  void callAsync_whenTheSchedulerIsShutDown_failsWithItsRejectionCarryingTheLastFailure() {
    IOException first = new IOException("first");
    scheduler.shutdown();

    CompletableFuture<String> future = retry().build().callAsync(stages(first), scheduler);

    Throwable failure = failureOf(future);
    assertThat(failure).isInstanceOf(RejectedExecutionException.class);
    assertThat(failure.getSuppressed()).containsExactly(first);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void callAsync_whenTheSchedulerShutsDownBetweenAttempts_failsWithItsRejectionCarryingAll() {
    IOException first = new IOException("first");
    IOException second = new IOException("second");
    CompletableFuture<String> future = retry().build().callAsync(stages(first, second), scheduler);

    scheduler.shutdown();
    assertThat(scheduler.runNext())
        .isTrue(); // the attempt already scheduled still runs, then cannot schedule another

    Throwable failure = failureOf(future);
    assertThat(failure).isInstanceOf(RejectedExecutionException.class);
    assertThat(failure.getSuppressed()).containsExactly(first, second);
    assertThat(attempts).hasValue(2);
    assertThat(scheduler.pendingCount()).isZero();
  }

  // ---------------------------------------------------------------- a null stage

  @Test
  void callAsync_whenTheSupplierReturnsNull_countsItAsAFailedAttempt() {
    Supplier<CompletionStage<String>> supplier =
        () -> attempts.getAndIncrement() == 0 ? null : completedFuture("ok");

    CompletableFuture<String> future = retry().build().callAsync(supplier, scheduler);

    assertThat(future).isNotDone();
    assertThat(retried)
        .singleElement()
        .extracting(RetryEvent::failure)
        .isInstanceOf(NullPointerException.class);
    assertThat(scheduler.runNext()).isTrue();
    assertThat(future).isCompletedWithValue("ok");
  }

  @Test
  void callAsync_whenTheSupplierAlwaysReturnsNull_failsWithANullPointerExceptionNamingTheRetry() {
    Supplier<CompletionStage<String>> supplier =
        () -> {
          attempts.incrementAndGet();
          return null;
        };

    CompletableFuture<String> future = retry().build().callAsync(supplier, scheduler);
    assertThat(scheduler.runNext()).isTrue();
    assertThat(scheduler.runNext()).isTrue();

    Throwable failure = failureOf(future);
    assertThat(failure)
        .isInstanceOf(NullPointerException.class)
        .hasMessage("Retry 'fetch': supplier returned null");
    assertThat(CompoundException.of(failure).exceptions()).hasSize(3);
    assertThat(attempts).hasValue(3);
  }

  // ---------------------------------------------------------------- maxDuration

  @Test
  void callAsync_withMaxDuration_stopsSchedulingWhenTheNextWaitWouldPassIt() {
    Retry retry =
        retry()
            .maxAttempts(10)
            .maxDuration(Duration.ofSeconds(1))
            .backoff(Backoff.fixed(Duration.ofMillis(400)))
            .build();

    CompletableFuture<String> future =
        retry.callAsync(
            stages(new IOException("0 ms"), new IOException("400 ms"), new IOException("800 ms")),
            scheduler);
    assertThat(scheduler.runNext())
        .isTrue(); // at 400 ms: the next attempt at 800 ms is still within 1 s
    assertThat(scheduler.runNext())
        .isTrue(); // at 800 ms: another wait would end at 1200 ms, past 1 s

    Throwable failure = failureOf(future);
    assertThat(failure).hasMessage("800 ms");
    assertThat(scheduler.delays()).containsExactly(Duration.ofMillis(400), Duration.ofMillis(400));
    assertThat(scheduler.pendingCount()).isZero();
    RetryStoppedException record = recordOf(failure);
    assertThat(record.reason()).isEqualTo(StopReason.MAX_DURATION);
    assertThat(record.attempts()).isEqualTo(3);
    assertThat(record.elapsed()).isEqualTo(Duration.ofMillis(800));
    assertThat(record.elapsedSinceFirstFailure()).isFalse();
    assertThat(record.getMessage()).contains("maxDuration 1.00 s, next wait 400 ms");
  }

  @Test
  void callAsync_withMaxDuration_mayStartTheLastAttemptExactlyAtTheLimit() {
    Retry retry =
        retry()
            .maxAttempts(10)
            .maxDuration(Duration.ofSeconds(1))
            .backoff(Backoff.fixed(Duration.ofMillis(500)))
            .build();

    CompletableFuture<String> future =
        retry.callAsync(
            stages(new IOException("0 ms"), new IOException("500 ms"), "ok"), scheduler);
    assertThat(scheduler.runNext()).isTrue();
    assertThat(scheduler.runNext()).isTrue(); // the third attempt starts at exactly 1 s

    assertThat(future).isCompletedWithValue("ok");
    assertThat(scheduler.ticker().read()).isEqualTo(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void callAsync_withMaxDuration_countsTheTimeTheAttemptsTook() {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> slow = new CompletableFuture<>();
    Retry retry =
        retry()
            .maxAttempts(10)
            .maxDuration(Duration.ofSeconds(1))
            .backoff(Backoff.fixed(Duration.ofMillis(400)))
            .build();
    Supplier<CompletionStage<String>> supplier =
        () -> {
          calls.incrementAndGet();
          return slow;
        };

    CompletableFuture<String> future = retry.callAsync(supplier, scheduler);
    // The attempt takes 700 ms: a 400 ms wait after it would end past 1 s.
    IOException timedOut = new IOException("slow");
    clock.advance(Duration.ofMillis(700).toNanos());
    slow.completeExceptionally(timedOut);

    // One attempt: the failure leaves as it came; onExhausted hears why.
    assertThat(failureOf(future)).isSameAs(timedOut);
    assertThat(timedOut.getSuppressed()).isEmpty();
    assertThat(exhausted)
        .singleElement()
        .extracting(ExhaustedEvent::reason)
        .isEqualTo(StopReason.MAX_DURATION);
    assertThat(scheduler.delays()).isEmpty();
    assertThat(calls).hasValue(1);
  }

  @Test
  void callAsync_whenTheSchedulerRunsTheNextAttemptPastMaxDuration_startsNoFurtherAttempt() {
    IOException first = new IOException("0 ms");
    IOException second = new IOException("400 ms");
    Retry retry =
        retry()
            .maxAttempts(10)
            .maxDuration(Duration.ofSeconds(1))
            .backoff(Backoff.fixed(Duration.ofMillis(400)))
            .build();

    CompletableFuture<String> future = retry.callAsync(stages(first, second, "ok"), scheduler);
    assertThat(scheduler.runNext()).isTrue(); // the second attempt, at 400 ms
    // The third attempt was due at 800 ms; a busy scheduler runs it at 1.5 s.
    clock.set(Duration.ofMillis(1500).toNanos());
    assertThat(scheduler.runNext()).isTrue();

    assertThat(failureOf(future)).isSameAs(second);
    assertThat(attempts).hasValue(2);
    RetryStoppedException record = recordOf(second);
    assertThat(record.reason()).isEqualTo(StopReason.MAX_DURATION);
    assertThat(record.attempts()).isEqualTo(2);
    assertThat(record.getMessage())
        .contains("(maxDuration 1.00 s, the wait ended 1.50 s after the call started)");
    assertThat(exhausted).singleElement().extracting(ExhaustedEvent::attempts).isEqualTo(2);
  }

  // ---------------------------------------------------------------- arguments

  @Test
  void callAsync_rejectsNullArguments() {
    Retry retry = retry().build();

    assertThatThrownBy(() -> retry.callAsync(null, scheduler))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("supplier must not be null");
    assertThatThrownBy(() -> retry.callAsync(stages("ok"), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("scheduler must not be null");
    assertThat(attempts).hasValue(0);
  }

  // ---------------------------------------------------------------- real threads

  @Test
  void callAsync_onARealScheduler_runsLaterAttemptsOnItsThreadAndCompletesTheFuture()
      throws Exception {
    ScheduledThreadPoolExecutor real =
        new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "retry-async-test"));
    try {
      List<String> threads = new CopyOnWriteArrayList<>();
      Retry retry = Retry.builder("real").maxAttempts(3).sleeper(NO_SLEEP).build();

      CompletableFuture<String> future =
          retry.callAsync(
              () -> {
                threads.add(Thread.currentThread().getName());
                return threads.size() < 3
                    ? failedFuture(new IOException("attempt " + threads.size()))
                    : completedFuture("ok");
              },
              real);

      assertThat(future.get(5, SECONDS)).isEqualTo("ok");
      assertThat(threads)
          .containsExactly(
              Thread.currentThread().getName(), "retry-async-test", "retry-async-test");
    } finally {
      real.shutdownNow();
      assertThat(real.awaitTermination(5, SECONDS)).isTrue();
    }
  }

  @Test
  void callAsync_onARealScheduler_withStagesFailingOnAnotherThread_keepsEveryFailure()
      throws Exception {
    ScheduledThreadPoolExecutor real =
        new ScheduledThreadPoolExecutor(2, r -> new Thread(r, "retry-async-test"));
    try {
      List<IllegalStateException> thrown = new CopyOnWriteArrayList<>();
      Retry retry = Retry.builder("real").maxAttempts(3).sleeper(NO_SLEEP).build();

      CompletableFuture<String> future =
          retry.callAsync(
              () ->
                  CompletableFuture.supplyAsync(
                      () -> {
                        IllegalStateException e =
                            new IllegalStateException(String.valueOf(thrown.size()));
                        thrown.add(e);
                        throw e;
                      },
                      real),
              real);

      assertThatThrownBy(() -> future.get(5, SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isSameAs(thrown.get(2));
      assertThat(CompoundException.of(thrown.get(2)).exceptions())
          .containsExactlyElementsOf(thrown);
    } finally {
      real.shutdownNow();
      assertThat(real.awaitTermination(5, SECONDS)).isTrue();
    }
  }

  @Test
  void callAsync_aStageFailedWithACompletionExceptionWithoutCause_isAFailedAttempt() {
    CompletionException bare = new CompletionException((Throwable) null);
    CompletableFuture<String> future = retry().build().callAsync(stages(bare, "ok"), scheduler);

    assertThat(scheduler.runNext()).isTrue();

    assertThat(future).isCompletedWithValue("ok");
    assertThat(retried).singleElement().extracting(RetryEvent::failure).isSameAs(bare);
  }

  // ---------------------------------------------------------------- helpers

  /** A response with a status, for retryIfResult. */
  private record Response(int attempt, int status) {}

  /** An Error of the test's own, so that a real one is never mistaken for it. */
  private static final class TestError extends Error {
    private static final long serialVersionUID = 1L;

    TestError() {
      super("test error");
    }
  }
}
