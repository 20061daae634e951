package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link RetryBudget}'s public drawing methods, as a component other than a {@link Retry} (a hedge)
 * uses them: each kind counts what it counts and ignores the rest.
 */
class RetryBudgetDrawTest {

  @Test
  void aRatioBudget_allowsExtraAttemptsInProportionToTheCallsRecorded() {
    RetryBudget budget =
        RetryBudget.builder()
            .ratio(0.5)
            .minRetriesPerSecond(0)
            .window(Duration.ofSeconds(10))
            .build();

    assertThat(budget.tryAcquire(0)).as("no call recorded yet").isFalse();
    budget.recordCall(1);
    budget.recordCall(2);
    assertThat(budget.tryAcquire(3)).as("two calls allow one extra attempt").isTrue();
    assertThat(budget.tryAcquire(4)).as("the attempt granted counts against the budget").isFalse();
  }

  @Test
  void aRatioBudget_ignoresOutcomes() {
    RetryBudget budget = RetryBudget.builder().ratio(1).minRetriesPerSecond(0).build();
    budget.recordCall(0);

    for (int i = 0; i < 5; i++) {
      budget.recordFailure();
      budget.recordSuccess();
    }

    assertThat(budget.tryAcquire(1)).isTrue();
    assertThat(budget.tryAcquire(2)).isFalse();
  }

  @Test
  void aTokenBudget_answersFromItsTokens_andTakesNothingWhenAsked() {
    RetryBudget budget = RetryBudget.tokens(4, 1);

    for (int i = 0; i < 10; i++) {
      assertThat(budget.tryAcquire(i)).isTrue();
    }
    assertThat(budget.tokens()).isEqualTo(4.0);
  }

  @Test
  void aTokenBudget_ignoresCalls_andCountsOutcomes() {
    RetryBudget budget = RetryBudget.tokens(4, 1);

    budget.recordCall(0);
    budget.recordFailure();
    assertThat(budget.tokens()).isEqualTo(3.0);
    assertThat(budget.tryAcquire(1)).as("3 > 4 / 2").isTrue();
    budget.recordFailure();
    assertThat(budget.tryAcquire(2)).as("2 is not > 4 / 2").isFalse();
    budget.recordSuccess();
    assertThat(budget.tryAcquire(3)).isTrue();
  }

  @Test
  void aHedgeAndARetry_drawFromOneBudget() {
    RetryBudget shared = RetryBudget.tokens(2, 1);
    // A hedge sees two failures of its own: the budget is at its threshold.
    shared.recordFailure();
    assertThat(shared.tryAcquire(0)).isFalse();

    Retry retry = Retry.builder("fetch").maxAttempts(3).budget(shared).build();
    int[] attempts = {0};
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      attempts[0]++;
                      throw new IllegalStateException("down");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(attempts[0]).as("the retry is refused by what the hedge spent").isEqualTo(1);
  }
}
