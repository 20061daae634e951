package io.dyno.retry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link RollingBudget}: exactly which calls and retries the window counts, at its edges, and which
 * refunds give a retry back.
 */
class RollingBudgetTest {

  /** Ten buckets of 1,000 ns: a window of 10,000 ns from the first reading, at 0. */
  private static final long BUCKET = 1_000;

  private static final long WINDOW = RollingBudget.BUCKETS * BUCKET;

  @Test
  void aRetryNeedsOneCallPerUnitOfRatio_andTheRetryThatWouldExceedItIsRefused() {
    RollingBudget budget = new RollingBudget(0.5, 0, WINDOW);
    budget.recordCall(0);
    budget.recordCall(1);

    assertThat(budget.takeRetry(2))
        .as("1 retry <= 0.5 * 2 calls")
        .isNotEqualTo(RollingBudget.REFUSED);
    assertThat(budget.takeRetry(3))
        .as("2 retries > 0.5 * 2 calls")
        .isEqualTo(RollingBudget.REFUSED);
    budget.recordCall(4);
    budget.recordCall(5);
    assertThat(budget.takeRetry(6))
        .as("2 retries <= 0.5 * 4 calls")
        .isNotEqualTo(RollingBudget.REFUSED);
  }

  @Test
  void callsCountForExactlyOneWindow_thenLeaveAllAtOnce() {
    RollingBudget budget = new RollingBudget(1.0, 0, WINDOW);
    budget.recordCall(0); // the first bucket, [0, 1000)

    // The last bucket of the window that still holds that call is [9000, 10000).
    assertThat(budget.takeRetry(WINDOW - 1)).isNotEqualTo(RollingBudget.REFUSED);
    RollingBudget later = new RollingBudget(1.0, 0, WINDOW);
    later.recordCall(0);
    assertThat(later.takeRetry(WINDOW))
        .as("at 10,000 ns the first bucket has left the window")
        .isEqualTo(RollingBudget.REFUSED);
  }

  @Test
  void retriesLeaveTheWindowWithTheirBucket() {
    RollingBudget budget = new RollingBudget(0, 1, WINDOW); // one retry per window, calls or not
    budget.recordCall(0);
    assertThat(budget.takeRetry(0)).isNotEqualTo(RollingBudget.REFUSED);
    assertThat(budget.takeRetry(WINDOW - 1)).isEqualTo(RollingBudget.REFUSED);

    assertThat(budget.takeRetry(WINDOW)).isNotEqualTo(RollingBudget.REFUSED);
  }

  @Test
  void aRefundGivesTheRetryBack_onlyWhileItsBucketIsTheSamePeriod() {
    RollingBudget budget = new RollingBudget(0, 1, WINDOW);
    long ticket = budget.takeRetry(0);
    assertThat(ticket).isZero();
    assertThat(budget.takeRetry(1)).isEqualTo(RollingBudget.REFUSED);

    budget.refund(ticket);
    long again = budget.takeRetry(2);
    assertThat(again).as("given back").isZero();
    budget.refund(RollingBudget.REFUSED); // nothing to give back

    // Once the bucket is reused for a newer period, the old ticket frees nothing there.
    long newer = budget.takeRetry(WINDOW);
    assertThat(newer).isEqualTo(RollingBudget.BUCKETS);
    budget.refund(again);
    assertThat(budget.takeRetry(WINDOW + 1)).isEqualTo(RollingBudget.REFUSED);
  }

  @Test
  void aRefundNeverGivesBackMoreThanWasTaken() {
    RollingBudget budget = new RollingBudget(0, 1, WINDOW);
    long ticket = budget.takeRetry(0);
    budget.refund(ticket);
    budget.refund(ticket);

    assertThat(budget.takeRetry(1)).isZero();
    assertThat(budget.takeRetry(2))
        .as("one retry per window, not two")
        .isEqualTo(RollingBudget.REFUSED);
  }

  @Test
  void aReadingBehindTheNewestBucket_isJudgedAgainstIt() {
    RollingBudget budget = new RollingBudget(0, 1, WINDOW);
    budget.recordCall(0);
    // A retry taken in the newest bucket, then one whose ticker was read a window earlier.
    assertThat(budget.takeRetry(WINDOW + 5)).isEqualTo(RollingBudget.BUCKETS);
    assertThat(budget.takeRetry(5))
        .as("judged in the newest bucket, where the one retry is spent")
        .isEqualTo(RollingBudget.REFUSED);
  }

  @Test
  void callsOlderThanTheWindow_leaveIt_evenWhenTheirBucketWasNeverReused() {
    RollingBudget budget = new RollingBudget(1.0, 0, WINDOW);
    budget.recordCall(0); // the first reading, in bucket 0
    budget.recordCall(BUCKET); // bucket 1, [1000, 2000)

    // At 12,000 ns bucket 2 is reused; bucket 1 still holds its call, from a period long gone.
    assertThat(budget.takeRetry(WINDOW + 2 * BUCKET))
        .as("no call within the window")
        .isEqualTo(RollingBudget.REFUSED);
  }

  @Test
  void theWindowCountsFromTheFirstReading_acrossATickerThatWrapsPastLongMaxValue() {
    long origin = Long.MAX_VALUE - 500;
    RollingBudget budget = new RollingBudget(1.0, 0, WINDOW);
    budget.recordCall(origin);

    // 9,999 ns after the first reading, the ticker has wrapped: the call is still in the window.
    assertThat(budget.takeRetry(origin + WINDOW - 1)).isEqualTo(RollingBudget.BUCKETS - 1);

    RollingBudget later = new RollingBudget(1.0, 0, WINDOW);
    later.recordCall(origin);
    assertThat(later.takeRetry(origin + WINDOW))
        .as("a whole window after the first reading, the call has left it")
        .isEqualTo(RollingBudget.REFUSED);
  }

  @Test
  void theWindowCountsFromTheFirstReading_notFromZero() {
    long origin = 12_345;
    RollingBudget budget = new RollingBudget(1.0, 0, WINDOW);
    budget.recordCall(origin);
    assertThat(budget.takeRetry(origin + WINDOW - 1)).isEqualTo(RollingBudget.BUCKETS - 1);

    RollingBudget later = new RollingBudget(1.0, 0, WINDOW);
    later.recordCall(origin);
    assertThat(later.takeRetry(origin + WINDOW)).isEqualTo(RollingBudget.REFUSED);
  }

  @Test
  void aRefundOnOneThread_leavesTheBudgetFreeForAnother() throws Exception {
    RollingBudget budget = new RollingBudget(0, 1, WINDOW);
    long ticket = budget.takeRetry(0);
    budget.refund(ticket);

    CompletableFuture<Long> other = CompletableFuture.supplyAsync(() -> budget.takeRetry(1));

    assertThat(other.get(10, TimeUnit.SECONDS)).as("the retry given back").isZero();
  }
}
