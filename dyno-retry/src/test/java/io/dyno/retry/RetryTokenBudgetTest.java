package io.dyno.retry;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.CompletableFuture.failedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import io.dyno.testing.RecordingSleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link RetryBudget#tokens}: gRPC's retry throttling. Failures that would be retried take a token,
 * successes give back a fraction, and retries stop while half the tokens or fewer are left.
 */
class RetryTokenBudgetTest {

  private final FakeTicker ticker = FakeTicker.create();
  private final RecordingSleeper sleeper = RecordingSleeper.advancing(ticker);
  private final List<ExhaustedEvent> exhausted = new ArrayList<>();

  private Retry.Builder retry(String name, RetryBudget budget) {
    return Retry.builder(name)
        .maxAttempts(3)
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .budget(budget)
        .ticker(ticker)
        .sleeper(sleeper::sleep)
        .onExhausted(exhausted::add);
  }

  /** Calls {@code retry} with work whose every attempt fails; returns the attempts made. */
  private static int failingCall(Retry retry) {
    AtomicInteger attempts = new AtomicInteger();
    IOException thrown =
        catchThrowableOfType(
            IOException.class,
            () ->
                retry.call(
                    () -> {
                      attempts.incrementAndGet();
                      throw new IOException("down");
                    }));
    assertThat(thrown).as("the work's own failure").isNotNull();
    return attempts.get();
  }

  private static void fail(RetryBudget budget, int times) {
    for (int i = 0; i < times; i++) {
      budget.recordFailure();
    }
  }

  private static void succeed(RetryBudget budget, int times) {
    for (int i = 0; i < times; i++) {
      budget.recordSuccess();
    }
  }

  // ---------------------------------------------------------------- the balance

  @Test
  void aNewBudget_startsFull() {
    RetryBudget budget = RetryBudget.tokens(10, 0.1);

    assertThat(budget.maxTokens()).isEqualTo(10);
    assertThat(budget.tokenRatio()).isEqualTo(0.1);
    assertThat(budget.tokens()).isEqualTo(10.0);
    assertThat(budget.tryAcquire(0)).isTrue();
  }

  @Test
  void aFailureTakesOneToken_downToZero() {
    RetryBudget budget = RetryBudget.tokens(3, 0.5);

    budget.recordFailure();
    assertThat(budget.tokens()).isEqualTo(2.0);
    fail(budget, 5);
    assertThat(budget.tokens()).isEqualTo(0.0);
  }

  @Test
  void aSuccessAddsTheRatio_upToTheMaximum() {
    RetryBudget budget = RetryBudget.tokens(3, 0.5);
    fail(budget, 2);

    budget.recordSuccess();
    assertThat(budget.tokens()).isEqualTo(1.5);
    succeed(budget, 10);
    assertThat(budget.tokens()).isEqualTo(3.0);
  }

  @Test
  void retriesAreAllowedOnlyAboveHalf_exactlyHalfRefuses() {
    RetryBudget even = RetryBudget.tokens(4, 1);
    fail(even, 1);
    assertThat(even.tryAcquire(0)).as("3 of 4").isTrue();
    fail(even, 1);
    assertThat(even.tokens()).isEqualTo(2.0);
    assertThat(even.tryAcquire(0)).as("2 of 4, exactly half").isFalse();

    RetryBudget odd = RetryBudget.tokens(3, 0.5);
    fail(odd, 2);
    assertThat(odd.tryAcquire(0)).as("1 of 3").isFalse();
    odd.recordSuccess();
    assertThat(odd.tokens()).isEqualTo(1.5);
    assertThat(odd.tryAcquire(0)).as("1.5 of 3, exactly half").isFalse();
    odd.recordSuccess();
    assertThat(odd.tryAcquire(0)).as("2 of 3").isTrue();
  }

  @Test
  void theRatioIsKeptToThousandths_andTheBalanceDoesNotDrift() {
    assertThat(RetryBudget.tokens(10, 0.1239).tokenRatio()).isEqualTo(0.123);
    assertThat(RetryBudget.tokens(10, 0.0019).tokenRatio()).isEqualTo(0.001);
    assertThat(RetryBudget.tokens(10, 0.29).tokenRatio()).isEqualTo(0.29);

    RetryBudget budget = RetryBudget.tokens(10, 0.1);
    fail(budget, 10);
    succeed(budget, 3);
    // 3 x 0.1 in doubles is 0.30000000000000004; in thousandths it is 0.3.
    assertThat(budget.tokens()).isEqualTo(0.3);
    RetryBudget fine = RetryBudget.tokens(1, 0.001);
    fail(fine, 1);
    succeed(fine, 7);
    assertThat(fine.tokens()).isEqualTo(0.007);
  }

  @Test
  void concurrentOutcomes_leaveTheExactBalance() throws Exception {
    RetryBudget budget = RetryBudget.tokens(1000, 0.5);
    fail(budget, 500); // 500 left: neither the cap nor the floor can be reached below
    int threads = 8;
    int each = 100;
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(threads);
    List<Thread> started = new ArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    for (int t = 0; t < threads; t++) {
      boolean succeeding = t % 2 == 0;
      Thread thread =
          new Thread(
              () -> {
                try {
                  ready.countDown();
                  go.await();
                  for (int i = 0; i < each; i++) {
                    if (succeeding) {
                      budget.recordSuccess();
                    } else {
                      budget.recordFailure();
                    }
                  }
                } catch (Throwable e) {
                  errors.add(e);
                } finally {
                  done.countDown();
                }
              });
      thread.start();
      started.add(thread);
    }
    assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
    go.countDown();
    assertThat(done.await(10, TimeUnit.SECONDS)).as("all threads finished").isTrue();
    for (Thread thread : started) {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    assertThat(errors).isEmpty();
    // 500 - 4 x 100 x 1 + 4 x 100 x 0.5
    assertThat(budget.tokens()).isEqualTo(300.0);
  }

  // ---------------------------------------------------------------- settings

  @Test
  void badArguments_areRefusedNamingTheParameterAndValue() {
    assertThatThrownBy(() -> RetryBudget.tokens(0, 0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxTokens must be between 1 and 1000, was 0");
    assertThatThrownBy(() -> RetryBudget.tokens(1001, 0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxTokens must be between 1 and 1000, was 1001");
    assertThatThrownBy(() -> RetryBudget.tokens(10, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokenRatio must be > 0, <= maxTokens (10) and finite, was 0.0");
    assertThatThrownBy(() -> RetryBudget.tokens(10, 10.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokenRatio must be > 0, <= maxTokens (10) and finite, was 10.5");
    assertThatThrownBy(() -> RetryBudget.tokens(10, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokenRatio must be > 0, <= maxTokens (10) and finite, was NaN");
    assertThatThrownBy(() -> RetryBudget.tokens(10, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokenRatio must be > 0, <= maxTokens (10) and finite, was Infinity");
    assertThatThrownBy(() -> RetryBudget.tokens(10, 0.0004))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tokenRatio must be at least 0.001 (tokens are kept to thousandths), was 4.0E-4");
  }

  @Test
  void theLimitsThemselves_areAccepted() {
    assertThat(RetryBudget.tokens(1, 1).tokens()).isEqualTo(1.0);
    assertThat(RetryBudget.tokens(1000, 1000).tokenRatio()).isEqualTo(1000.0);
  }

  @Test
  void eachKind_refusesTheOtherKindsAccessors_namingItself() {
    RetryBudget ratio = RetryBudget.ratio(0.2);
    RetryBudget tokens = RetryBudget.tokens(10, 0.1);

    assertThatThrownBy(ratio::tokens)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "tokens() is for a token budget; this is"
                + " RetryBudget[ratio=0.2, minRetriesPerSecond=10, window=10.0 s]");
    assertThatThrownBy(ratio::maxTokens)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("maxTokens() is for a token budget; this is RetryBudget[ratio=");
    assertThatThrownBy(ratio::tokenRatio)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("tokenRatio() is for a token budget; this is RetryBudget[ratio=");
    assertThatThrownBy(tokens::ratio)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "ratio() is for a ratio budget; this is"
                + " RetryBudget[maxTokens=10, tokenRatio=0.1, tokens=10.0]");
    assertThatThrownBy(tokens::minRetriesPerSecond)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("minRetriesPerSecond() is for a ratio budget; this is");
    assertThatThrownBy(tokens::window)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("window() is for a ratio budget; this is");
  }

  @Test
  void toString_showsTheSettingsAndTheTokensLeft() {
    RetryBudget budget = RetryBudget.tokens(10, 0.25);
    fail(budget, 3);

    assertThat(budget).hasToString("RetryBudget[maxTokens=10, tokenRatio=0.25, tokens=7.0]");
  }

  // ---------------------------------------------------------------- through a Retry

  @Test
  void aRetry_stopsWithBudgetWhenSpent_andRetriesAgainOnceSuccessesRefillIt() throws Exception {
    RetryBudget budget = RetryBudget.tokens(4, 1);
    Retry retry = retry("fetch", budget).build();

    // 4 -> 3 (retry allowed), 3 -> 2 (exactly half: refused).
    assertThat(failingCall(retry)).isEqualTo(2);
    assertThat(exhausted.get(0).reason()).isEqualTo(StopReason.BUDGET);
    // 2 -> 1: refused at once.
    assertThat(failingCall(retry)).isEqualTo(1);
    assertThat(exhausted.get(1).reason()).isEqualTo(StopReason.BUDGET);
    assertThat(budget.tokens()).isEqualTo(1.0);

    for (int i = 0; i < 3; i++) {
      assertThat(retry.call(() -> "ok")).isEqualTo("ok");
    }
    assertThat(budget.tokens()).as("refilled, capped at 4").isEqualTo(4.0);

    AtomicInteger attempts = new AtomicInteger();
    String result =
        retry.call(
            () -> {
              if (attempts.incrementAndGet() == 1) {
                throw new IOException("blip");
              }
              return "again";
            });
    assertThat(result).isEqualTo("again");
    assertThat(attempts).as("retried again").hasValue(2);
    assertThat(budget.tokens()).as("4 - 1 + 1").isEqualTo(4.0);
  }

  @Test
  void everyVerb_countsItsSuccesses() throws Exception {
    RetryBudget budget = RetryBudget.tokens(10, 1);
    fail(budget, 5);
    Retry retry = retry("fetch", budget).build();
    AtomicInteger attempts = new AtomicInteger();

    retry.run(() -> {});
    assertThat(retry.get(() -> "ok")).isEqualTo("ok");
    assertThat(retry.call(() -> "ok")).isEqualTo("ok");
    assertThat(budget.tokens()).isEqualTo(8.0);

    String later =
        retry.get(
            () -> {
              if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("blip");
              }
              return "later";
            });
    assertThat(later).isEqualTo("later");
    assertThat(budget.tokens()).as("8 - 1 + 1").isEqualTo(8.0);
    assertThat(attempts).hasValue(2);
  }

  @Test
  void twoRetries_spendTheSameTokens() {
    RetryBudget shared = RetryBudget.tokens(4, 1);
    Retry first = retry("first", shared).build();
    Retry second = retry("second", shared).build();

    assertThat(failingCall(first)).isEqualTo(2);
    assertThat(shared.tokens()).isEqualTo(2.0);

    assertThat(failingCall(second)).as("refused by what the first spent").isEqualTo(1);
    assertThat(exhausted.get(1).reason()).isEqualTo(StopReason.BUDGET);
    assertThat(exhausted.get(1).name()).isEqualTo("second");
  }

  @Test
  void anInterruptedWait_endsTheCallWithTheInterrupt_andTheFailureKeepsItsToken() {
    RetryBudget budget = RetryBudget.tokens(10, 0.1);
    InterruptedException woken = new InterruptedException("woken");
    Retry retry =
        retry("fetch", budget)
            .sleeper(
                d -> {
                  throw woken;
                })
            .build();
    AtomicInteger attempts = new AtomicInteger();

    Throwable thrown;
    try {
      thrown =
          catchThrowableOfType(
              InterruptedException.class,
              () ->
                  retry.call(
                      () -> {
                        attempts.incrementAndGet();
                        throw new IOException("down");
                      }));
    } finally {
      Thread.interrupted(); // the flag may be set again for the caller; no other test may see it
    }

    assertThat(thrown).isSameAs(woken);
    assertThat(attempts).hasValue(1);
    assertThat(budget.tokens()).as("the failure took a token; no retry was made").isEqualTo(9.0);
    assertThat(exhausted)
        .singleElement()
        .extracting(ExhaustedEvent::reason)
        .isEqualTo(StopReason.INTERRUPTED);
  }

  @Test
  void anAbortedFailure_takesNoToken_butOneThatRanOutOfAttemptsDoes() {
    RetryBudget budget = RetryBudget.tokens(10, 1);
    Retry aborting = retry("fetch", budget).abortOn(IOException.class).build();
    Retry once = retry("once", budget).maxAttempts(1).build();

    failingCall(aborting);
    assertThat(budget.tokens()).as("not a failure the retry would retry").isEqualTo(10.0);

    failingCall(once);
    assertThat(budget.tokens()).as("retryable, though no attempt was left").isEqualTo(9.0);
  }

  @Test
  void aRejectedResult_countsAsAFailure() {
    RetryBudget budget = RetryBudget.tokens(10, 1);
    Retry retry =
        retry("fetch", budget).maxAttempts(2).retryIfResult(String.class, "busy"::equals).build();

    assertThat(retry.get(() -> "busy")).isEqualTo("busy");
    assertThat(budget.tokens()).isEqualTo(8.0);
  }

  @Test
  void callAsync_countsOutcomesAsTheBlockingVerbsDo() throws Exception {
    RetryBudget budget = RetryBudget.tokens(10, 0.5);
    ManualScheduler scheduler = ManualScheduler.on(ticker);
    Retry retry = retry("fetch", budget).build();
    AtomicInteger attempts = new AtomicInteger();

    CompletableFuture<String> f =
        retry.callAsync(
            () ->
                attempts.incrementAndGet() == 1
                    ? failedFuture(new IOException("blip"))
                    : completedFuture("ok"),
            scheduler);
    assertThat(budget.tokens()).as("the failure took one").isEqualTo(9.0);
    assertThat(scheduler.runNext()).isTrue();

    assertThat(f.get(1, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(budget.tokens()).as("the success gave half back").isEqualTo(9.5);
  }
}
