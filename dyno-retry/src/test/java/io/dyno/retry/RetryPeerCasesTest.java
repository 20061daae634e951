package io.dyno.retry;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.CompletableFuture.failedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import io.dyno.testing.RecordingSleeper;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cases from the peers' retry suites, rewritten against dyno's API: Failsafe's retry policy,
 * execution, delay and listener tests, and Resilience4j's retry and interval function tests. Each
 * test names the peer test it follows. Where dyno deliberately answers differently, the test
 * asserts dyno's answer and says so; docs/retry.md gives the reasons.
 */
class RetryPeerCasesTest {

  private final FakeTicker now = FakeTicker.create();
  private final ManualScheduler scheduler = ManualScheduler.on(now);
  private final AtomicInteger attempts = new AtomicInteger();
  private final List<RetryEvent> retried = new ArrayList<>();
  private final List<ExhaustedEvent> exhausted = new ArrayList<>();

  /** Records every wait the retry asks for and moves the fake clock by it: nothing sleeps. */
  private final RecordingSleeper sleeper = RecordingSleeper.advancing(now);

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  /** Three attempts, no wait, on fake time, events recorded. */
  private Retry.Builder retry() {
    return Retry.builder("peer")
        .sleeper(sleeper::sleep)
        .ticker(now)
        .onRetry(retried::add)
        .onExhausted(exhausted::add);
  }

  /**
   * Work whose n-th attempt throws the n-th outcome if it is an exception, or else returns it; it
   * counts the attempts, and fails the test if asked for more than it has.
   */
  private Callable<Object> outcomes(Object... outcomes) {
    return () -> {
      int n = attempts.getAndIncrement();
      assertThat(n).as("attempts").isLessThan(outcomes.length);
      if (outcomes[n] instanceof Exception e) {
        throw e;
      }
      return outcomes[n];
    };
  }

  /** {@link #outcomes} as a supplier, for outcomes that are unchecked. */
  private Supplier<Object> supplied(Object... outcomes) {
    Callable<Object> work = outcomes(outcomes);
    return () -> {
      try {
        return work.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new AssertionError("a supplier's outcome must be unchecked", e);
      }
    };
  }

  /** A stage per attempt: failed with the n-th outcome if it is a throwable, else completed. */
  private Supplier<CompletionStage<Object>> stages(Object... outcomes) {
    return () -> {
      Object outcome = outcomes[Math.min(attempts.getAndIncrement(), outcomes.length - 1)];
      return outcome instanceof Throwable t ? failedFuture(t) : completedFuture(outcome);
    };
  }

  private static Throwable failureOf(CompletableFuture<?> future) {
    assertThat(future).isCompletedExceptionally();
    return future.handle((result, failure) -> failure).join();
  }

  /** A generator whose every nextDouble() is {@code u}; nothing else may be drawn. */
  private static RandomGenerator drawing(double u) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new AssertionError("only nextDouble() is expected");
      }

      @Override
      public double nextDouble() {
        return u;
      }
    };
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  // ================================================================ Failsafe

  /**
   * Follows Failsafe RetryPolicyTest#shouldNotRetry and Resilience4j
   * SupplierRetryTest#shouldNotRetry.
   */
  @Test
  void aFirstSuccess_isReturnedAfterOneAttempt_withNoWaitAndNoEvent() throws Exception {
    assertThat(retry().build().call(outcomes("ok"))).isEqualTo("ok");

    assertThat(attempts).hasValue(1);
    assertThat(sleeper.sleeps()).isEmpty();
    assertThat(retried).isEmpty();
    assertThat(exhausted).isEmpty();
  }

  /** Follows Failsafe RetryPolicyTest#shouldThrowOnNonRetriableFailure. */
  @Test
  void aFailureRetryOnDoesNotMatch_stopsTheRetrying_afterTheRetriedOnes() {
    IllegalArgumentException notHandled = new IllegalArgumentException("not handled");
    Retry retry = retry().maxAttempts(100).retryOn(IllegalStateException.class).build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.call(
                    outcomes(
                        new IllegalStateException("1"),
                        new IllegalStateException("2"),
                        notHandled)));

    assertThat(thrown).isSameAs(notHandled);
    assertThat(attempts).hasValue(3);
    // Dyno: the retried failures ride along, and the record says why it stopped.
    assertThat(CompoundException.of(thrown).exceptions()).hasSize(3);
    assertThat(CompoundException.of(thrown).reason()).contains(StopReason.ABORTED);
  }

  /** Follows Failsafe RetryPolicyTest#shouldCompleteWhenMaxDurationExceeded. */
  @Test
  void aRejectedResult_afterMaxDurationHasPassed_isReturnedWithoutARetry() throws Exception {
    Retry retry = retry().retryIfResult(Boolean.class, ok -> !ok).maxDuration(ms(100)).build();

    Object result =
        retry.call(
            () -> {
              attempts.incrementAndGet();
              now.advance(ms(120).toNanos());
              return false;
            });

    assertThat(result).isEqualTo(false);
    assertThat(attempts).hasValue(1);
    assertThat(exhausted)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo(StopReason.MAX_DURATION);
              assertThat(e.result()).isEqualTo(false);
            });
  }

  /**
   * Follows Failsafe RetryPolicyTest#assertScheduledRetryDelay, for both the sync and async paths.
   */
  @Test
  void theRetryEvent_carriesTheDelay_inBothTheBlockingAndTheAsyncPath() throws Exception {
    Retry retry = retry().backoff(Backoff.fixed(ms(10))).build();

    retry.call(outcomes(new IllegalStateException(), "ok"));
    attempts.set(0);
    CompletableFuture<Object> future =
        retry.callAsync(stages(new IllegalStateException(), "ok"), scheduler);
    assertThat(scheduler.runNext()).isTrue();

    assertThat(future).isCompletedWithValue("ok");
    assertThat(retried).extracting(RetryEvent::delay).containsExactly(ms(10), ms(10));
    assertThat(scheduler.delays()).containsExactly(ms(10));
  }

  /**
   * Follows Failsafe ExecutionTest#testRetryForResult. Dyno differs on null: Failsafe's {@code
   * handleResult(null)} retries a null result, while dyno never rejects null.
   */
  @Test
  void rejectedResults_areRetriedUntilOneIsAccepted_orTheLastIsReturned() throws Exception {
    Retry retry = retry().maxAttempts(3).retryIfResult(Integer.class, i -> i == 0).build();

    assertThat(retry.call(outcomes(0, 0, 1))).isEqualTo(1);
    assertThat(attempts).hasValue(3);

    attempts.set(0);
    assertThat(retry.call(outcomes(0, 0, 0))).isEqualTo(0);
    assertThat(attempts).hasValue(3);
    assertThat(exhausted).singleElement().extracting(ExhaustedEvent::result).isEqualTo(0);

    Retry rejectingAll = retry().retryIfResult(Object.class, r -> true).build();
    attempts.set(0);
    assertThat(rejectingAll.call(outcomes((Object) null))).isNull();
    assertThat(attempts).hasValue(1);
  }

  /** Follows Failsafe ExecutionTest#testRetryForResultAndThrowable. */
  @Test
  void rejectedResultsAndFailures_countAlike_towardsMaxAttempts() throws Exception {
    ConnectException e = new ConnectException();
    Retry tenAttempts = retry().maxAttempts(10).retryIfResult(Integer.class, i -> i == 0).build();

    assertThat(tenAttempts.call(outcomes(0, 0, new IllegalArgumentException(), 1))).isEqualTo(1);
    assertThat(attempts).hasValue(4);

    Retry threeAttempts = retry().maxAttempts(3).retryIfResult(Integer.class, i -> i == 0).build();
    attempts.set(0);
    Throwable thrown = catchThrowable(() -> threeAttempts.call(outcomes(0, e, e)));

    assertThat(thrown).isSameAs(e);
    assertThat(attempts).hasValue(3);
    // One instance failing twice is listed once and never suppresses itself.
    assertThat(CompoundException.of(e).exceptions()).containsExactly(e);
  }

  /** Follows Failsafe ExecutionTest#shouldAdjustDelayForBackoff. */
  @Test
  void anExponentialBackoffWithAMaxDelay_doublesUpToTheCap() {
    Retry retry =
        retry()
            .maxAttempts(7)
            .backoff(Backoff.exponential(Duration.ofNanos(1), 2).withMaxDelay(Duration.ofNanos(10)))
            .build();

    ConnectException[] failures = connectFailures(7);

    assertThat(catchThrowable(() -> retry.call(outcomes((Object[]) failures))))
        .isSameAs(failures[6]);

    assertThat(sleeper.sleeps())
        .extracting(Duration::toNanos)
        .containsExactly(1L, 2L, 4L, 8L, 10L, 10L);
  }

  /** Follows Failsafe ExecutionTest#shouldAdjustDelayForComputedDelay. */
  @Test
  void aComputedDelay_isAskedForEachFailedAttempt() {
    Retry retry =
        retry().maxAttempts(5).backoff((attempt, random) -> Duration.ofNanos(attempt * 2L)).build();

    ConnectException[] failures = connectFailures(5);

    assertThat(catchThrowable(() -> retry.call(outcomes((Object[]) failures))))
        .isSameAs(failures[4]);

    assertThat(sleeper.sleeps()).extracting(Duration::toNanos).containsExactly(2L, 4L, 6L, 8L);
  }

  /**
   * Follows Failsafe ExecutionTest#shouldAdjustDelayForMaxDuration. Dyno differs: Failsafe shortens
   * the last wait to what is left of maxDuration and tries once more; dyno never shortens a wait
   * the backoff asked for, and stops instead.
   */
  @Test
  void aWaitThatWouldEndPastMaxDuration_stopsTheRetryInsteadOfBeingShortened() {
    ConnectException failure = new ConnectException("down");
    Retry retry = retry().backoff(Backoff.fixed(ms(49))).maxDuration(ms(50)).build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.call(
                    () -> {
                      attempts.incrementAndGet();
                      now.advance(ms(10).toNanos());
                      throw failure;
                    }));

    assertThat(thrown).isSameAs(failure);
    assertThat(attempts).hasValue(1);
    assertThat(sleeper.sleeps()).isEmpty();
    assertThat(exhausted)
        .singleElement()
        .extracting(ExhaustedEvent::reason)
        .isEqualTo(StopReason.MAX_DURATION);
  }

  /** Follows Failsafe ExecutionTest#shouldSupportMaxDuration. */
  @Test
  void withoutADelay_attemptsGoOnUntilMaxDurationHasPassed() {
    Retry retry = retry().maxAttempts(100).maxDuration(ms(100)).build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.call(
                    () -> {
                      attempts.incrementAndGet();
                      now.advance(ms(40).toNanos()); // attempts at 0, 40 and 80 ms
                      throw new ConnectException();
                    }));

    assertThat(attempts).hasValue(3);
    assertThat(CompoundException.of(thrown).reason()).contains(StopReason.MAX_DURATION);
  }

  /**
   * Follows Failsafe ExecutionTest#shouldSupportMaxRetries: Failsafe's {@code withMaxRetries(3)} is
   * dyno's {@code maxAttempts(4)}, which counts the first attempt.
   */
  @Test
  void maxAttempts_countsTheFirstAttempt() {
    Retry retry = retry().maxAttempts(4).build();

    Throwable thrown = catchThrowable(() -> retry.call(outcomes((Object[]) connectFailures(4))));

    assertThat(attempts).hasValue(4);
    assertThat(CompoundException.of(thrown).reason()).contains(StopReason.MAX_ATTEMPTS);
  }

  /** Follows Failsafe DelayableRetryPolicyTest#testUncheckedExceptionInDelayFunction. */
  @Test
  void aBackoffThatThrows_endsTheCall_inBothTheBlockingAndTheAsyncPath() {
    IllegalStateException broken = new IllegalStateException("delay function bug");
    Retry retry =
        retry()
            .backoff(
                (attempt, random) -> {
                  throw broken;
                })
            .build();

    assertThat(catchThrowable(() -> retry.call(outcomes(new RuntimeException("try again")))))
        .isSameAs(broken);
    attempts.set(0);
    assertThat(failureOf(retry.callAsync(stages(new RuntimeException("try again")), scheduler)))
        .isSameAs(broken);
    assertThat(attempts).hasValue(1);
  }

  /**
   * Follows Failsafe RandomDelayTest#testRandomDelayForFactor: jitter 0.5 around 100 ms spans 50 to
   * 150 ms. Failsafe maps a draw u to 100 · (1.5 − u), dyno to 100 · (0.5 + u): the same range,
   * walked the other way.
   */
  @Test
  void jitter_ofAHalf_spreadsAHundredMillisecondsOverFiftyToAHundredAndFifty() {
    Backoff jittered = Backoff.fixed(ms(100)).withJitter(0.5);

    assertThat(jittered.delay(1, drawing(0))).isEqualTo(ms(50));
    assertThat(jittered.delay(1, drawing(0.25))).isEqualTo(ms(75));
    assertThat(jittered.delay(1, drawing(0.5))).isEqualTo(ms(100));
    assertThat(jittered.delay(1, drawing(0.75))).isEqualTo(ms(125));
    assertThat(jittered.delay(1, drawing(0.9999))).isEqualTo(Duration.ofNanos(149_990_000));
  }

  /** Follows Failsafe RetryPolicyImplTest#testIsAbortableFailure. */
  @Test
  void abortOn_stopsAtOnceForItsTypes_andWinsOverRetryOn() {
    Retry retry = retry().abortOn(IllegalArgumentException.class, IOException.class).build();

    for (Exception aborting : List.of(new IllegalArgumentException(), new IOException())) {
      attempts.set(0);
      assertThat(catchThrowable(() -> retry.call(outcomes(aborting, "ok")))).isSameAs(aborting);
      assertThat(attempts).as("%s", aborting).hasValue(1);
    }
    for (Exception retrying : List.of(new RuntimeException(), new IllegalStateException())) {
      attempts.set(0);
      assertThat(catchThrowable(() -> retry.call(outcomes(retrying, "ok")))).isNull();
      assertThat(attempts).as("%s", retrying).hasValue(2);
    }

    Retry both = retry().retryOn(Exception.class).abortOn(IllegalArgumentException.class).build();
    attempts.set(0);
    IllegalArgumentException bad = new IllegalArgumentException();
    assertThat(catchThrowable(() -> both.call(outcomes(bad, "ok")))).isSameAs(bad);
    assertThat(attempts).hasValue(1);
  }

  /** Follows Failsafe FailurePolicyTest#testIsFailureForFailure. */
  @Test
  void retryOn_retriesItsTypesOnly_andWithoutItEveryExceptionIsRetried() throws Exception {
    Retry picky = retry().retryOn(IllegalArgumentException.class, IOException.class).build();
    for (Exception retrying : List.of(new IllegalArgumentException(), new IOException())) {
      attempts.set(0);
      assertThat(picky.call(outcomes(retrying, "ok"))).isEqualTo("ok");
    }
    for (Exception other : List.of(new RuntimeException(), new IllegalStateException())) {
      attempts.set(0);
      assertThat(catchThrowable(() -> picky.call(outcomes(other, "ok")))).isSameAs(other);
      assertThat(attempts).hasValue(1);
    }

    attempts.set(0);
    assertThat(retry().build().call(outcomes(new Exception(), "ok"))).isEqualTo("ok");
  }

  /**
   * Follows Failsafe FailurePolicyTest#testIgnoresThrowingPredicate. Dyno differs: Failsafe takes a
   * predicate that throws for "no match" and carries on; dyno ends the call with the predicate's
   * exception, since a classification that cannot answer is a bug to see, not a verdict.
   */
  @Test
  void aRetryIfPredicateThatThrows_endsTheCallWithItsException() {
    NullPointerException broken = new NullPointerException("predicate bug");
    Retry retry =
        retry()
            .retryIf(
                t -> {
                  throw broken;
                })
            .build();

    assertThat(catchThrowable(() -> retry.call(outcomes(new IOException(), "ok"))))
        .isSameAs(broken);
    assertThat(attempts).hasValue(1);
  }

  /**
   * Follows Failsafe ListenersTest#shouldIgnoreExceptionsInListeners. Dyno differs for Errors:
   * Failsafe ignores even an AssertionError from a listener, while dyno never swallows an Error.
   */
  @Test
  void listenerExceptions_areIgnored_butAnErrorEndsTheCall() throws Exception {
    Retry ignored =
        retry()
            .onRetry(
                e -> {
                  throw new IllegalStateException("listener bug");
                })
            .onExhausted(
                e -> {
                  throw new IllegalStateException("listener bug");
                })
            .maxAttempts(2)
            .build();
    assertThat(ignored.call(outcomes(new IOException(), "ok"))).isEqualTo("ok");
    attempts.set(0);
    IOException last = new IOException("last");
    assertThat(catchThrowable(() -> ignored.call(outcomes(new IOException(), last))))
        .isSameAs(last);

    AssertionError error = new AssertionError("listener error");
    Retry loud =
        retry()
            .onRetry(
                e -> {
                  throw error;
                })
            .build();
    attempts.set(0);
    assertThat(catchThrowable(() -> loud.call(outcomes(new IOException(), "ok")))).isSameAs(error);
    assertThat(attempts).hasValue(1);
  }

  /**
   * Follows Failsafe RetryPolicyBuilderTest#shouldRequireValidMaxDuration and
   * #shouldRequireValidDelay. Dyno differs: Failsafe refuses, at build time, a delay longer than
   * maxDuration; dyno builds it (a backoff may be random or custom, so no build-time check can be
   * complete) and stops the call before a wait that would pass maxDuration.
   */
  @Test
  void aDelayLongerThanMaxDuration_isAccepted_andStopsTheCallBeforeTheWait() {
    Retry retry = retry().maxDuration(ms(5)).backoff(Backoff.fixed(ms(10))).build();
    ConnectException failure = new ConnectException();

    assertThat(catchThrowable(() -> retry.call(outcomes(failure, "ok")))).isSameAs(failure);
    assertThat(sleeper.sleeps()).isEmpty();
    assertThatThrownBy(() -> Backoff.fixed(ms(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must not be negative, was PT-0.001S");
  }

  /**
   * Follows Failsafe RetryPolicyBuilderTest#shouldRequireValidMaxRetries. Dyno differs: Failsafe
   * takes {@code withMaxRetries(-1)} for "no limit"; dyno has no unlimited retry, and maxAttempts
   * must be at least 1.
   */
  @Test
  void maxAttempts_belowOne_isRefused_namingTheValue() {
    assertThatThrownBy(() -> retry().maxAttempts(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be >= 1, was -1");
  }

  // ================================================================ Resilience4j

  /** Follows Resilience4j SupplierRetryTest#shouldRetryWithResult. */
  @Test
  void aResultRejectedEveryTime_isReturnedAfterTheLastAttempt() {
    Retry retry =
        retry().maxAttempts(2).retryIfResult(String.class, s -> s.contains("Hello world")).build();

    assertThat(retry.get(supplied("Hello world", "Hello world"))).isEqualTo("Hello world");
    assertThat(attempts).hasValue(2);
  }

  /** Follows Resilience4j SupplierRetryTest#testDecorateSupplierAndInvokeTwice. */
  @Test
  void aDecoratedSupplier_retriesEachInvocationOnItsOwn() {
    Retry retry = retry().backoff(Backoff.fixed(ms(500))).build();
    Supplier<Object> decorated =
        retry.decorateSupplier(
            supplied(
                new IllegalStateException(), "Hello world", new IllegalStateException(), "again"));

    assertThat(decorated.get()).isEqualTo("Hello world");
    assertThat(decorated.get()).isEqualTo("again");
    assertThat(attempts).hasValue(4);
    assertThat(sleeper.sleeps()).containsExactly(ms(500), ms(500));
  }

  /**
   * Follows Resilience4j SupplierRetryTest#shouldReturnAfterThreeAttempts. Dyno differs: the last
   * failure leaves with the earlier ones attached, where Resilience4j drops them.
   */
  @Test
  void afterThreeFailedAttempts_theLastFailureLeaves_withTheEarlierOnesAttached() {
    IllegalStateException first = new IllegalStateException("1");
    IllegalStateException second = new IllegalStateException("2");
    IllegalStateException third = new IllegalStateException("3");
    Retry retry = retry().backoff(Backoff.fixed(ms(500))).build();

    Throwable thrown = catchThrowable(() -> retry.get(supplied(first, second, third)));

    assertThat(thrown).isSameAs(third);
    assertThat(attempts).hasValue(3);
    assertThat(sleeper.sleeps()).containsExactly(ms(500), ms(500));
    assertThat(CompoundException.of(thrown).exceptions()).containsExactly(first, second, third);
  }

  /** Follows Resilience4j SupplierRetryTest#shouldReturnAfterOneAttempt. */
  @Test
  void withOneAttempt_theFailureLeavesAsItCame_withoutAWait() {
    IllegalStateException failure = new IllegalStateException();

    assertThat(catchThrowable(() -> retry().maxAttempts(1).build().get(supplied(failure))))
        .isSameAs(failure);
    assertThat(failure.getSuppressed()).isEmpty();
    assertThat(sleeper.sleeps()).isEmpty();
  }

  /** Follows Resilience4j SupplierRetryTest#shouldReturnAfterOneAttemptAndIgnoreException. */
  @Test
  void aFailureTheRetryIfPredicateRefuses_leavesAfterOneAttempt() {
    IllegalStateException ignored = new IllegalStateException();
    Retry retry = retry().retryIf(t -> !(t instanceof IllegalStateException)).build();

    assertThat(catchThrowable(() -> retry.get(supplied(ignored, "ok")))).isSameAs(ignored);
    assertThat(attempts).hasValue(1);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  /**
   * Follows Resilience4j SupplierRetryTest#shouldMarkThreadInterruptedWhenInterruptedDuringRetry.
   */
  @Test
  void anInterruptedWait_leavesTheThreadInterrupted() {
    IllegalStateException failure = new IllegalStateException();
    Retry retry =
        retry()
            .backoff(Backoff.fixed(ms(500)))
            .sleeper(
                d -> {
                  throw new InterruptedException("Interrupted!");
                })
            .build();

    assertThat(catchThrowable(() -> retry.get(supplied(failure, "ok")))).isSameAs(failure);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  /**
   * Follows Resilience4j
   * SupplierRetryTest#shouldThrowCancellationExceptionWhenInterruptedDuringRetryOnResult. Dyno
   * differs: Resilience4j throws a CancellationException; dyno's {@code get} returns the last
   * rejected result with the flag set, as it would had the attempts run out, and {@code call}
   * throws the InterruptedException.
   */
  @Test
  void anInterruptedWaitAfterARejectedResult_returnsIt_orThrowsTheInterruptFromCall() {
    Retry retry =
        retry()
            .retryIfResult(String.class, s -> true)
            .backoff(Backoff.fixed(ms(500)))
            .sleeper(
                d -> {
                  throw new InterruptedException("Interrupted!");
                })
            .build();

    assertThat(retry.get(() -> "any")).isEqualTo("any");
    assertThat(Thread.interrupted()).isTrue();
    assertThat(catchThrowable(() -> retry.call(() -> "any")))
        .isInstanceOf(InterruptedException.class)
        .hasMessage("Interrupted!");
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  /** Follows Resilience4j SupplierRetryTest#shouldReturnAfterThreeAttemptsAndRecoverWithResult. */
  @Test
  void aFailure_aRejectedResult_andAFailure_endWithTheLastFailure() {
    IllegalStateException first = new IllegalStateException("1");
    IllegalStateException last = new IllegalStateException("3");
    Retry retry =
        retry()
            .backoff(Backoff.fixed(ms(500)))
            .retryIfResult(String.class, s -> s.contains("Hello world"))
            .build();

    Throwable thrown = catchThrowable(() -> retry.get(supplied(first, "Hello world", last)));

    assertThat(thrown).isSameAs(last);
    assertThat(attempts).hasValue(3);
    assertThat(sleeper.sleeps()).containsExactly(ms(500), ms(500));
    // A rejected result is no failure: the list holds the two exceptions.
    assertThat(CompoundException.of(thrown).exceptions()).containsExactly(first, last);
  }

  /** Follows Resilience4j SupplierRetryTest#shouldTakeIntoAccountBackoffFunction. */
  @Test
  void anExponentialBackoff_setsTheWaits() {
    Retry retry = retry().backoff(Backoff.exponential(ms(500), 2.0)).build();

    assertThat(
            catchThrowable(
                () ->
                    retry.get(
                        supplied(
                            new IllegalStateException(),
                            new IllegalStateException(),
                            new IllegalStateException()))))
        .isInstanceOf(IllegalStateException.class);

    assertThat(sleeper.sleeps()).containsExactly(ms(500), ms(1000));
  }

  /**
   * Follows Resilience4j SupplierRetryTest#shouldThrowMaxRetriesExceededIfConfigured. Dyno differs:
   * it has no option to throw when rejected results run out; it returns the last one, and {@code
   * onExhausted} hears of it.
   */
  @Test
  void whenRejectedResultsRunOut_theLastIsReturned_andOnExhaustedIsTold() {
    Retry retry = retry().retryIfResult(String.class, s -> s.equals("retryable response")).build();

    assertThat(retry.get(() -> "retryable response")).isEqualTo("retryable response");
    assertThat(exhausted)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.attempts()).isEqualTo(3);
              assertThat(e.reason()).isEqualTo(StopReason.MAX_ATTEMPTS);
              assertThat(e.result()).isEqualTo("retryable response");
            });
  }

  /**
   * Follows Resilience4j
   * CallableTest#shouldStopRetryingAndEmitProperEventsIfIntervalFunctionReturnsLessThanZero. Dyno
   * differs: Resilience4j reads a negative interval as "stop" and throws the last failure; dyno
   * takes a negative wait for a broken backoff and fails with an IllegalStateException naming it,
   * every failure attached.
   */
  @Test
  void aBackoffReturningANegativeWait_failsTheCall_namingTheBackoff() {
    AtomicInteger asked = new AtomicInteger();
    Retry retry =
        retry()
            .backoff((attempt, random) -> asked.incrementAndGet() > 1 ? ms(-1) : Duration.ZERO)
            .build();
    IOException first = new IOException("Exceptional!");
    IOException second = new IOException("Exceptional!");

    Throwable thrown = catchThrowable(() -> retry.call(outcomes(first, second)));

    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned PT-0.001S for attempt 2");
    assertThat(thrown.getSuppressed()).containsExactly(first, second);
    assertThat(retried).hasSize(1);
    assertThat(attempts).hasValue(2);
  }

  /**
   * Follows Resilience4j
   * CompletionStageRetryTest#shouldRethrowExceptionInCaseOfExceptionAtSyncStage. Dyno differs: a
   * supplier that throws instead of returning a stage is a failed attempt like any other, retried
   * and reported through the future; Resilience4j throws it to the caller.
   */
  @Test
  void callAsync_aSupplierThatThrows_isAFailedAttempt_notAThrowToTheCaller() {
    IllegalArgumentException bam = new IllegalArgumentException("BAM!");
    Supplier<CompletionStage<Object>> supplier =
        () -> {
          if (attempts.getAndIncrement() == 0) {
            throw bam;
          }
          return completedFuture("ok");
        };

    CompletableFuture<Object> future = retry().build().callAsync(supplier, scheduler);
    assertThat(scheduler.runNext()).isTrue();

    assertThat(future).isCompletedWithValue("ok");
    assertThat(retried).extracting(RetryEvent::failure).containsExactly(bam);
  }

  /**
   * Follows Resilience4j
   * CompletionStageRetryTest#shouldCompleteFutureAfter{One,Two,Three}AttemptsInCaseOfExceptionAtAsyncStage.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void callAsync_aStageThatAlwaysFails_makesMaxAttemptsAttempts(int maxAttempts) {
    IOException failure = new IOException("always");

    CompletableFuture<Object> future =
        retry().maxAttempts(maxAttempts).build().callAsync(stages(failure), scheduler);
    for (int i = 1; i < maxAttempts; i++) {
      assertThat(scheduler.runNext()).isTrue();
    }

    assertThat(failureOf(future)).isSameAs(failure);
    assertThat(attempts).hasValue(maxAttempts);
    assertThat(scheduler.pendingCount()).isZero();
  }

  /**
   * Follows Resilience4j CompletionStageRetryTest#shouldRetryInCaseOResultRetryMatchAtSyncStage and
   * #shouldRetryTowAttemptsInCaseOResultRetryMatchAtSyncStage.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void callAsync_aResultRejectedEveryTime_completesWithItAfterMaxAttempts(int maxAttempts) {
    Retry retry =
        retry()
            .maxAttempts(maxAttempts)
            .retryIfResult(String.class, s -> s.contains("Hello world"))
            .build();

    CompletableFuture<Object> future = retry.callAsync(stages("Hello world"), scheduler);
    for (int i = 1; i < maxAttempts; i++) {
      assertThat(scheduler.runNext()).isTrue();
    }

    assertThat(future).isCompletedWithValue("Hello world");
    assertThat(attempts).hasValue(maxAttempts);
  }

  /**
   * Follows Resilience4j
   * CompletionStageRetryTest#shouldCompleteExceptionallyWhenRetryOnExPredicateThrows.
   */
  @Test
  void callAsync_aRetryIfPredicateThatThrows_failsTheFutureWithItsException() {
    RuntimeException broken = new RuntimeException("predicate bug");
    Retry retry =
        retry()
            .retryIf(
                t -> {
                  throw broken;
                })
            .build();

    assertThat(failureOf(retry.callAsync(stages(new IOException()), scheduler))).isSameAs(broken);
    assertThat(attempts).hasValue(1);
  }

  /** Follows Resilience4j CompletionStageRetryTest#shouldNotRetryWhenReturnVoid. */
  @Test
  void callAsync_aStageCompletingWithNull_isNeverRetried() {
    Retry retry = retry().retryIfResult(Object.class, r -> true).build();

    CompletableFuture<Object> future = retry.callAsync(() -> completedFuture(null), scheduler);

    assertThat(future).isCompletedWithValue(null);
    assertThat(scheduler.delays()).isEmpty();
  }

  /** Follows Resilience4j IntervalFunctionTest#shouldRejectAttemptLessThenOne. */
  @Test
  void theBuiltInBackoffs_refuseAnAttemptBelowOne_namingIt() {
    RandomGenerator random = new SplittableRandom(1);
    for (Backoff backoff :
        List.of(
            Backoff.none(),
            Backoff.fixed(ms(500)),
            Backoff.exponential(ms(500), 1.5),
            Backoff.random(ms(1), ms(2)),
            Backoff.fixed(ms(500)).withJitter(0.5),
            Backoff.exponential(ms(500), 1.5).withMaxDelay(ms(5000)))) {
      assertThatThrownBy(() -> backoff.delay(0, random))
          .as("%s", backoff)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("attempt must be >= 1, was 0");
      assertThat(backoff.delay(1, random)).as("%s", backoff).isNotNull();
      assertThat(backoff.delay(2, random)).as("%s", backoff).isNotNull();
    }
  }

  /** Follows Resilience4j IntervalFunctionTest#generatesCappedExponentialIntervals. */
  @Test
  void aCappedExponentialBackoff_growsStrictlyUntilTheCap_thenStaysThere() {
    Backoff capped = Backoff.exponential(ms(100), 2).withMaxDelay(ms(100_000));
    RandomGenerator none = drawing(Double.NaN);

    for (int attempt = 2; attempt < 12; attempt++) {
      assertThat(capped.delay(attempt, none)).isGreaterThan(capped.delay(attempt - 1, none));
    }
    assertThat(capped.delay(12, none)).isEqualTo(ms(100_000));
    assertThat(capped.delay(13, none)).isEqualTo(ms(100_000));
  }

  /** Follows Resilience4j IntervalFunctionTest#generatesRandomizedIntervals. */
  @Test
  void aJitteredFixedBackoff_staysWithinItsBounds() {
    Backoff jittered = Backoff.fixed(ms(100)).withJitter(0.5);
    SplittableRandom random = new SplittableRandom(20_261_127);

    for (int attempt = 1; attempt < 50; attempt++) {
      assertThat(jittered.delay(attempt, random)).isBetween(ms(50), ms(150));
    }
  }

  /** Follows Resilience4j IntervalFunctionTest#generatesExponentialRandomIntervals. */
  @Test
  void aJitteredExponentialBackoff_staysWithinHalfOfEachStep() {
    Backoff jittered = Backoff.exponential(ms(100), 1.5).withJitter(0.5);
    SplittableRandom random = new SplittableRandom(20_261_127);

    double expectedNanos = ms(100).toNanos();
    for (int attempt = 1; attempt < 50; attempt++) {
      long nanos = jittered.delay(attempt, random).toNanos();
      // Rounding to whole nanoseconds may reach one past either bound.
      assertThat((double) nanos).isBetween(expectedNanos * 0.5 - 1, expectedNanos * 1.5 + 1);
      expectedNanos *= 1.5;
    }
  }

  /** Follows Resilience4j IntervalFunctionTest#shouldRejectOutOfBoundsRandomizationFactor. */
  @Test
  void aJitterFractionOutsideZeroToOne_isRefused() {
    for (double fraction : new double[] {-0.0001, 1.0001}) {
      assertThatThrownBy(() -> Backoff.fixed(ms(100)).withJitter(fraction))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("fraction must be in [0, 1], was " + fraction);
    }
    for (double fraction : new double[] {0, 0.1, 0.25, 0.5, 0.75, 1}) {
      assertThat(Backoff.fixed(ms(100)).withJitter(fraction)).isNotNull();
    }
  }

  /**
   * Follows Resilience4j IntervalFunctionTest#shouldRejectNonPositiveDuration. Dyno differs for a
   * fixed wait: zero is allowed (it is {@code Backoff.none()}); an exponential backoff's first wait
   * must be positive, since zero would never grow.
   */
  @Test
  void aZeroFixedWaitIsNone_butAnExponentialBackoffMustStartAboveZero() {
    assertThat(Backoff.fixed(Duration.ZERO)).isEqualTo(Backoff.none());
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initial must be positive, was PT0S");
  }

  private static ConnectException[] connectFailures(int n) {
    ConnectException[] failures = new ConnectException[n];
    for (int i = 0; i < n; i++) {
      failures[i] = new ConnectException("attempt " + (i + 1));
    }
    return failures;
  }
}
