package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link RetryBudget}: its builder, and the limit it puts on retries, on a hand-moved ticker. */
class RetryBudgetTest {

  private static final Sleeper NO_SLEEP =
      duration -> {
        throw new AssertionError("no backoff is set, yet the retry slept " + duration);
      };

  private final FakeTicker now = FakeTicker.create();
  private final AtomicInteger retries = new AtomicInteger();
  private final List<ExhaustedEvent> exhausted = new ArrayList<>();

  /** A retry through {@code budget} on the test's ticker, counting retries and exhaustions. */
  private Retry retry(String name, RetryBudget budget, int maxAttempts) {
    return Retry.builder(name)
        .maxAttempts(maxAttempts)
        .budget(budget)
        .ticker(now)
        .sleeper(NO_SLEEP)
        .onRetry(e -> retries.incrementAndGet())
        .onExhausted(exhausted::add)
        .build();
  }

  /**
   * Makes a call whose every attempt fails, and returns why the retry stopped, as {@code
   * onExhausted} heard it: a call stopped after one attempt carries no record of its own.
   */
  private StopReason failingCall(Retry retry) {
    int before = exhausted.size();
    Boom thrown =
        catchThrowableOfType(
            Boom.class,
            () ->
                retry.run(
                    () -> {
                      throw new Boom();
                    }));
    assertThat(thrown).as("the work's own exception").isNotNull();
    assertThat(exhausted).as("one exhaustion per failing call").hasSize(before + 1);
    StopReason reason = exhausted.get(before).reason();
    if (exhausted.get(before).attempts() > 1) {
      assertThat(CompoundException.of(thrown).reason()).as("the record").contains(reason);
    }
    return reason;
  }

  /** Makes {@code n} calls that succeed at once. */
  private static void succeedingCalls(Retry retry, int n) {
    for (int i = 0; i < n; i++) {
      retry.run(() -> {});
    }
  }

  private void advance(Duration d) {
    now.advance(d.toNanos());
  }

  // ---------------------------------------------------------------- builder

  @Test
  void builder_hasTheDocumentedDefaults() {
    RetryBudget budget = RetryBudget.builder().build();

    assertThat(budget.ratio()).isEqualTo(0.2);
    assertThat(budget.minRetriesPerSecond()).isEqualTo(10);
    assertThat(budget.window()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void ratio_setsTheRatioAndKeepsTheOtherDefaults() {
    RetryBudget budget = RetryBudget.ratio(0.35);

    assertThat(budget.ratio()).isEqualTo(0.35);
    assertThat(budget.minRetriesPerSecond()).isEqualTo(10);
    assertThat(budget.window()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void builder_setsEveryProperty() {
    RetryBudget budget =
        RetryBudget.builder()
            .ratio(0)
            .minRetriesPerSecond(0)
            .window(Duration.ofNanos(10)) // the shortest window allowed
            .build();

    assertThat(budget.ratio()).isZero();
    assertThat(budget.minRetriesPerSecond()).isZero();
    assertThat(budget.window()).isEqualTo(Duration.ofNanos(10));
  }

  @Test
  void toString_showsTheConfiguration() {
    RetryBudget budget =
        RetryBudget.builder()
            .ratio(0.5)
            .minRetriesPerSecond(3)
            .window(Duration.ofSeconds(20))
            .build();

    assertThat(budget).hasToString("RetryBudget[ratio=0.5, minRetriesPerSecond=3, window=20.0 s]");
  }

  @Test
  void ratio_rejectsANegativeOrNonFiniteValue_namingIt() {
    assertThatThrownBy(() -> RetryBudget.builder().ratio(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ratio must be >= 0 and finite, was -0.1");
    assertThatThrownBy(() -> RetryBudget.ratio(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ratio must be >= 0 and finite, was -0.1");
    assertThatThrownBy(() -> RetryBudget.builder().ratio(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ratio must be >= 0 and finite, was NaN");
    assertThatThrownBy(() -> RetryBudget.builder().ratio(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ratio must be >= 0 and finite, was Infinity");
  }

  @Test
  void minRetriesPerSecond_rejectsANegativeValue_namingIt() {
    assertThatThrownBy(() -> RetryBudget.builder().minRetriesPerSecond(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minRetriesPerSecond must be >= 0, was -1");
  }

  @Test
  void window_rejectsAWindowShorterThanTenNanoseconds() {
    assertThatThrownBy(() -> RetryBudget.builder().window(Duration.ofNanos(9)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window must be at least 10 ns, was PT0.000000009S");
  }

  @Test
  void window_rejectsAZeroOrNegativeWindow() {
    assertThatThrownBy(() -> RetryBudget.builder().window(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window must be positive, was PT0S");
    assertThatThrownBy(() -> RetryBudget.builder().window(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window must be positive, was PT-1S");
  }

  @Test
  void window_rejectsNull() {
    assertThatThrownBy(() -> RetryBudget.builder().window(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("window must not be null");
  }

  @Test
  void builder_afterARejectedValue_keepsThePreviousOne() {
    RetryBudget.Builder builder = RetryBudget.builder().ratio(0.4);

    assertThatThrownBy(() -> builder.ratio(-1)).isInstanceOf(IllegalArgumentException.class);

    assertThat(builder.build().ratio()).isEqualTo(0.4);
  }

  // ---------------------------------------------------------------- the ratio

  @Test
  void ratio_allowsRetriesUpToTheRatioOfCalls_thenStopsWithBudget() {
    RetryBudget budget = RetryBudget.builder().ratio(0.5).minRetriesPerSecond(0).build();
    Retry retry = retry("fetch", budget, 2);

    List<StopReason> reasons = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      reasons.add(failingCall(retry));
    }

    // Call n may retry when retries + 1 <= 0.5 * n: the even calls, 5 retries in 10 calls.
    assertThat(retries).hasValue(5);
    assertThat(reasons)
        .containsExactly(
            StopReason.BUDGET,
            StopReason.MAX_ATTEMPTS,
            StopReason.BUDGET,
            StopReason.MAX_ATTEMPTS,
            StopReason.BUDGET,
            StopReason.MAX_ATTEMPTS,
            StopReason.BUDGET,
            StopReason.MAX_ATTEMPTS,
            StopReason.BUDGET,
            StopReason.MAX_ATTEMPTS);
    assertThat(exhausted).extracting(ExhaustedEvent::reason).containsExactlyElementsOf(reasons);
    assertThat(exhausted)
        .filteredOn(e -> e.reason() == StopReason.BUDGET)
        .extracting(ExhaustedEvent::attempts)
        .containsOnly(1);

    // The 11th call: 5 + 1 retries > 0.5 * 11.
    assertThat(failingCall(retry)).isEqualTo(StopReason.BUDGET);
    assertThat(retries).hasValue(5);
  }

  @Test
  void budgetStop_saysWhyInTheRecord() {
    RetryBudget budget = oneRetry();
    Retry retry = retry("fetch", budget, 3);

    Boom thrown =
        catchThrowableOfType(
            Boom.class,
            () ->
                retry.run(
                    () -> {
                      throw new Boom();
                    }));

    RetryStoppedException record = (RetryStoppedException) thrown.getSuppressed()[0];
    assertThat(record.reason()).isEqualTo(StopReason.BUDGET);
    assertThat(record.attempts()).isEqualTo(2);
    assertThat(record.getMessage())
        .startsWith("Retry 'fetch' stopped after 2 attempts in 0 ns: retry budget exhausted")
        .contains(budget.toString())
        .endsWith("; the earlier failure follows");
  }

  @Test
  void ratio_countsEveryCall_notOnlyTheFailedOnes() {
    RetryBudget budget = RetryBudget.builder().ratio(0.5).minRetriesPerSecond(0).build();
    Retry retry = retry("fetch", budget, 100);

    succeedingCalls(retry, 9);
    // The 10th call makes 10 calls in all, so 5 retries: 6 attempts, then the budget stops it.
    assertThat(failingCall(retry)).isEqualTo(StopReason.BUDGET);

    assertThat(retries).hasValue(5);
    assertThat(exhausted).singleElement().extracting(ExhaustedEvent::attempts).isEqualTo(6);
  }

  @Test
  void ratio_isNotAskedWhenNoAttemptIsLeft() {
    RetryBudget budget = RetryBudget.builder().ratio(1).minRetriesPerSecond(0).build();
    Retry once = retry("once", budget, 1);
    Retry many = retry("many", budget, 100);

    // With maxAttempts 1 the calls count, but no retry is asked for, so none is spent.
    for (int i = 0; i < 5; i++) {
      assertThat(failingCall(once)).isEqualTo(StopReason.MAX_ATTEMPTS);
    }
    // 6 calls allow 6 retries: 7 attempts, then the budget stops the call.
    assertThat(failingCall(many)).isEqualTo(StopReason.BUDGET);

    assertThat(retries).hasValue(6);
    assertThat(exhausted).last().extracting(ExhaustedEvent::attempts).isEqualTo(7);
  }

  // ---------------------------------------------------------------- the floor

  @Test
  void floor_letsAQuietServiceRetry_minRetriesPerSecondTimesTheWindow() {
    RetryBudget budget =
        RetryBudget.builder()
            .ratio(0)
            .minRetriesPerSecond(1)
            .window(Duration.ofSeconds(10))
            .build();
    Retry retry = retry("quiet", budget, 2);

    for (int i = 0; i < 10; i++) {
      assertThat(failingCall(retry)).as("call %d", i + 1).isEqualTo(StopReason.MAX_ATTEMPTS);
    }
    assertThat(failingCall(retry)).isEqualTo(StopReason.BUDGET);

    assertThat(retries).hasValue(10);
  }

  @Test
  void floor_byDefault_allowsTenRetriesPerSecondOfTheTenSecondWindow() {
    Retry retry = retry("defaults", RetryBudget.ratio(0), 2);

    for (int i = 0; i < 100; i++) {
      assertThat(failingCall(retry)).as("call %d", i + 1).isEqualTo(StopReason.MAX_ATTEMPTS);
    }
    assertThat(failingCall(retry)).isEqualTo(StopReason.BUDGET);
    assertThat(retries).hasValue(100);
  }

  // ---------------------------------------------------------------- the rolling window

  @Test
  void retries_expireWhenTheWindowHasPassed() {
    RetryBudget budget = tenRetriesPerTenSeconds();
    Retry retry = retry("fetch", budget, 2);
    spendTenRetries(retry);

    advance(Duration.ofSeconds(9)); // 9 buckets on: the retries still count
    assertThat(failingCall(retry)).isEqualTo(StopReason.BUDGET);

    advance(Duration.ofSeconds(1)); // 10 s on: they have left the window
    spendTenRetries(retry);
    assertThat(retries).hasValue(20);
  }

  @Test
  void retries_expireBucketByBucket() {
    RetryBudget budget = tenRetriesPerTenSeconds();
    Retry retry = retry("fetch", budget, 2);
    for (int i = 0; i < 4; i++) {
      assertThat(failingCall(retry)).isEqualTo(StopReason.MAX_ATTEMPTS);
    }
    advance(Duration.ofSeconds(5));
    for (int i = 0; i < 6; i++) {
      assertThat(failingCall(retry)).isEqualTo(StopReason.MAX_ATTEMPTS);
    }
    assertThat(failingCall(retry)).isEqualTo(StopReason.BUDGET);

    advance(Duration.ofSeconds(5)); // the first 4 have expired, the last 6 still count
    for (int i = 0; i < 4; i++) {
      assertThat(failingCall(retry)).isEqualTo(StopReason.MAX_ATTEMPTS);
    }
    assertThat(failingCall(retry)).isEqualTo(StopReason.BUDGET);
    assertThat(retries).hasValue(14);
  }

  @Test
  void calls_expireWhenTheWindowHasPassed() {
    RetryBudget budget =
        RetryBudget.builder()
            .ratio(0.5)
            .minRetriesPerSecond(0)
            .window(Duration.ofSeconds(10))
            .build();
    Retry retry = retry("fetch", budget, 2);
    succeedingCalls(retry, 9);
    assertThat(failingCall(retry)).isEqualTo(StopReason.MAX_ATTEMPTS); // 10 calls: 1 <= 5

    advance(Duration.ofSeconds(10));

    // Only this call is in the window now: 1 retry > 0.5 * 1.
    assertThat(failingCall(retry)).isEqualTo(StopReason.BUDGET);
  }

  @Test
  void rollingWindow_withATickerNearLongMaxValue_worksAcrossBucketBoundaries() {
    // 20 s before the ticker's largest value: the window's buckets sit at the top of the range.
    now.set(Long.MAX_VALUE - Duration.ofSeconds(20).toNanos());
    RetryBudget budget = tenRetriesPerTenSeconds();
    Retry retry = retry("fetch", budget, 2);
    spendTenRetries(retry);

    for (int s = 1; s <= 9; s++) {
      advance(Duration.ofSeconds(1));
      assertThat(failingCall(retry)).as("%d s later", s).isEqualTo(StopReason.BUDGET);
    }
    advance(Duration.ofSeconds(1));
    spendTenRetries(retry);

    assertThat(now.read()).isPositive(); // the ticker did not wrap in this test
    assertThat(retries).hasValue(20);
  }

  @Test
  void rollingWindow_whenTheTickerWrapsPastLongMaxValue_stillCountsTheRecentRetries() {
    now.set(Long.MAX_VALUE - Duration.ofSeconds(4).toNanos());
    RetryBudget budget = tenRetriesPerTenSeconds();
    Retry retry = retry("fetch", budget, 2);
    spendTenRetries(retry);

    advance(Duration.ofSeconds(5)); // wraps to a negative value; the retries are 5 s old

    assertThat(now.read()).isNegative();
    assertThat(failingCall(retry)).isEqualTo(StopReason.BUDGET);
  }

  @Test
  void rollingWindow_afterTheTickerWrapped_countsNewCallsAgain() {
    RetryBudget budget =
        RetryBudget.builder()
            .ratio(0.5)
            .minRetriesPerSecond(0)
            .window(Duration.ofSeconds(10))
            .build();
    Retry retry = retry("fetch", budget, 2);
    // Calls in every bucket of the last 10 s before the wrap.
    now.set(Long.MAX_VALUE - Duration.ofSeconds(10).toNanos());
    for (int s = 0; s < 10; s++) {
      succeedingCalls(retry, 1);
      advance(Duration.ofSeconds(1));
    }
    advance(Duration.ofSeconds(30)); // well past the window, and past the wrap
    assertThat(now.read()).isNegative();

    succeedingCalls(retry, 9);
    // 10 calls in the window allow 5 retries.
    assertThat(failingCall(retry)).isEqualTo(StopReason.MAX_ATTEMPTS);
    assertThat(retries).hasValue(1);
  }

  @Test
  void takeRetry_whenATickerReadingIsOverTakenByANewerBucket_stillCountsItsRetries() {
    RetryBudget budget = tenRetriesPerTenSeconds();
    long beforeBoundary = Duration.ofMillis(999).toNanos();
    long afterBoundary = Duration.ofSeconds(1).toNanos();
    // Threads that read the ticker after the boundary take the lock first and spend the budget.
    for (int i = 0; i < 10; i++) {
      assertThat(budget.takeRetry(afterBoundary)).isNotEqualTo(RetryBudget.REFUSED);
    }

    // A thread that read the ticker 1 ms earlier takes the lock last: the budget is spent.
    assertThat(budget.takeRetry(beforeBoundary)).isEqualTo(RetryBudget.REFUSED);
  }

  // ---------------------------------------------------------------- refunds

  @Test
  void aRetryWhoseWaitIsInterrupted_givesItsRetryBack() {
    RetryBudget budget = oneRetry();
    AtomicInteger sleeps = new AtomicInteger();
    Retry retry =
        Retry.builder("interrupted")
            .maxAttempts(2)
            .budget(budget)
            .ticker(now)
            .backoff(Backoff.fixed(Duration.ofMillis(1)))
            .sleeper(
                d -> {
                  if (sleeps.incrementAndGet() == 1) {
                    throw new InterruptedException("woken");
                  }
                })
            .onExhausted(exhausted::add)
            .build();
    try {
      assertThat(failingCall(retry)).isEqualTo(StopReason.INTERRUPTED);
    } finally {
      Thread.interrupted();
    }

    // The interrupted call never made its retry: the budget still holds it.
    assertThat(failingCall(retry)).isEqualTo(StopReason.MAX_ATTEMPTS);
    assertThat(sleeps).hasValue(2);
  }

  @Test
  void aCancelledAsyncRetry_givesItsRetryBack() {
    RetryBudget budget = oneRetry();
    ManualScheduler scheduler = ManualScheduler.on(now);
    Retry retry = retry("async", budget, 2);

    CompletableFuture<String> future =
        retry.callAsync(() -> CompletableFuture.failedFuture(new Boom()), scheduler);
    assertThat(scheduler.pendingCount()).isOne();
    future.cancel(false);

    assertThat(scheduler.pendingCount()).isZero();
    assertThat(failingCall(retry)).isEqualTo(StopReason.MAX_ATTEMPTS);
  }

  @Test
  void anAsyncRetryTheSchedulerRefuses_givesItsRetryBack() {
    RetryBudget budget = oneRetry();
    ManualScheduler scheduler = ManualScheduler.on(now);
    scheduler.shutdown();
    Retry retry = retry("async", budget, 2);

    CompletableFuture<String> future =
        retry.callAsync(() -> CompletableFuture.failedFuture(new Boom()), scheduler);
    assertThat(future).isCompletedExceptionally();

    assertThat(failingCall(retry)).isEqualTo(StopReason.MAX_ATTEMPTS);
  }

  @Test
  void aRetryEndedByAListenerErrorOrABrokenSleeper_givesItsRetryBack() {
    RetryBudget budget = oneRetry();
    AssertionError listenerBug = new AssertionError("listener bug");
    IllegalStateException sleeperBug = new IllegalStateException("sleeper bug");
    Retry loudListener =
        Retry.builder("listener")
            .budget(budget)
            .ticker(now)
            .onRetry(
                e -> {
                  throw listenerBug;
                })
            .build();
    Retry brokenSleeper =
        Retry.builder("sleeper")
            .budget(budget)
            .ticker(now)
            .backoff(Backoff.fixed(Duration.ofMillis(1)))
            .sleeper(
                d -> {
                  throw sleeperBug;
                })
            .build();
    Runnable failing =
        () -> {
          throw new Boom();
        };

    assertThat(catchThrowable(() -> loudListener.run(failing))).isSameAs(listenerBug);
    assertThat(catchThrowable(() -> brokenSleeper.run(failing))).isSameAs(sleeperBug);

    assertThat(failingCall(retry("after", budget, 2))).isEqualTo(StopReason.MAX_ATTEMPTS);
  }

  @Test
  void aRefund_afterItsBucketLeftTheWindow_changesNothing() {
    RetryBudget budget = oneRetry();
    long old = budget.takeRetry(0);
    assertThat(old).isNotEqualTo(RetryBudget.REFUSED);

    long later = Duration.ofSeconds(1).toNanos(); // the same slot, one window on
    assertThat(budget.takeRetry(later)).isNotEqualTo(RetryBudget.REFUSED);
    budget.refund(old);

    // Had the old refund reached the reused slot, it would have given back the new retry.
    assertThat(budget.takeRetry(later)).isEqualTo(RetryBudget.REFUSED);
  }

  @Test
  void aRefund_givesBackExactlyOneRetry() {
    RetryBudget budget = oneRetry();
    long ticket = budget.takeRetry(0);
    assertThat(budget.takeRetry(0)).isEqualTo(RetryBudget.REFUSED);

    budget.refund(ticket);
    budget.refund(RetryBudget.REFUSED);

    assertThat(budget.takeRetry(0)).isNotEqualTo(RetryBudget.REFUSED);
    assertThat(budget.takeRetry(0)).isEqualTo(RetryBudget.REFUSED);
  }

  // ---------------------------------------------------------------- sharing

  @Test
  void sharedBudget_countsTheCallsOfEveryRetryUsingIt() {
    RetryBudget budget = RetryBudget.builder().ratio(0.5).minRetriesPerSecond(0).build();
    Retry reads = retry("reads", budget, 2);
    Retry writes = retry("writes", budget, 2);

    succeedingCalls(reads, 1);
    // 2 calls between them allow one retry; on its own, writes' 1 call would allow none.
    assertThat(failingCall(writes)).isEqualTo(StopReason.MAX_ATTEMPTS);
    assertThat(failingCall(reads)).isEqualTo(StopReason.BUDGET);
  }

  @Test
  void sharedBudget_sharesTheLimit() {
    RetryBudget budget = tenRetriesPerTenSeconds();
    Retry reads = retry("reads", budget, 2);
    Retry writes = retry("writes", budget, 2);

    for (int i = 0; i < 6; i++) {
      assertThat(failingCall(reads)).isEqualTo(StopReason.MAX_ATTEMPTS);
    }
    for (int i = 0; i < 4; i++) {
      assertThat(failingCall(writes)).isEqualTo(StopReason.MAX_ATTEMPTS);
    }

    assertThat(failingCall(writes)).isEqualTo(StopReason.BUDGET);
    assertThat(failingCall(reads)).isEqualTo(StopReason.BUDGET);
    assertThat(retries).hasValue(10);
    assertThat(exhausted)
        .filteredOn(e -> e.reason() == StopReason.BUDGET)
        .extracting(ExhaustedEvent::name)
        .containsExactly("writes", "reads");
  }

  @Test
  void budget_isShownByTheRetry() {
    RetryBudget budget = RetryBudget.ratio(0.2);
    Retry retry = retry("fetch", budget, 2);

    assertThat(retry.budget()).containsSame(budget);
    assertThat(retry.toString()).contains("budget=" + budget);
  }

  // ---------------------------------------------------------------- helpers

  /** Ratio 0, one retry per one-second window: a single retry to spend. */
  private static RetryBudget oneRetry() {
    return RetryBudget.builder()
        .ratio(0)
        .minRetriesPerSecond(1)
        .window(Duration.ofSeconds(1))
        .build();
  }

  /** Ratio 0, 1 retry per second over 10 s: ten retries per window, whatever the calls. */
  private static RetryBudget tenRetriesPerTenSeconds() {
    return RetryBudget.builder()
        .ratio(0)
        .minRetriesPerSecond(1)
        .window(Duration.ofSeconds(10))
        .build();
  }

  /** Makes ten failing calls that each get their retry, then one that the budget stops. */
  private void spendTenRetries(Retry retry) {
    int before = retries.get();
    List<StopReason> reasons = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      reasons.add(failingCall(retry));
    }
    assertThat(reasons).containsOnly(StopReason.MAX_ATTEMPTS);
    assertThat(failingCall(retry)).isEqualTo(StopReason.BUDGET);
    assertThat(retries.get() - before).isEqualTo(10);
  }

  /** The work's own failure. */
  private static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Boom() {
      super("boom");
    }
  }
}
