package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.Race;
import io.dyno.testing.ThreadKind;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link RollingCounts#totals}: every count since creation, retired buckets and live ones. */
class RollingCountsTotalsTest {

  private static final long BUCKET = 1_000;

  @Test
  void aNewWindow_hasNoTotals() {
    RollingCounts counts = new RollingCounts(2 * BUCKET, 2, 0);

    assertThat(counts.totals()).isEqualTo(new RollingCounts.Totals(0, 0, 0, 0, 0, Map.of()));
  }

  @Test
  void totals_countEveryBucket_inTheWindowOrNot_andEveryRetiredOne_once() {
    RollingCounts counts = new RollingCounts(2 * BUCKET, 2, 0);
    // Periods 0 to 6, two slots: each slot is reused three times; period 4 has no calls.
    for (int period = 0; period < 7; period++) {
      if (period == 4) {
        continue;
      }
      long at = period * BUCKET + 10;
      counts.enter(at);
      counts.success(at);
      counts.enter(at);
      counts.failure(at, IOException.class);
      counts.enter(at);
      counts.timeout(at);
      counts.shortCircuit(at);
      counts.rejection(at);
      counts.rejection(at);
      if (period % 2 == 0) {
        counts.enter(at);
        counts.failure(at, IllegalStateException.class);
      }
    }

    // Read long after: the window is empty, but periods 5 and 6 are still in their slots.
    assertThat(counts.sum(100 * BUCKET).successes()).isZero();
    assertThat(counts.totals())
        .isEqualTo(
            new RollingCounts.Totals(
                6,
                9,
                6,
                6,
                12,
                Map.of("java.io.IOException", 6L, "java.lang.IllegalStateException", 3L)));
  }

  @Test
  void totals_matchTheWindow_whileNoBucketHasLeftIt() {
    RollingCounts counts = new RollingCounts(3 * BUCKET, 3, 0);
    counts.rejection(0);
    counts.rejection(BUCKET);
    counts.shortCircuit(2 * BUCKET);

    RollingCounts.Totals t = counts.totals();
    RollingCounts.Counts window = counts.sum(2 * BUCKET);

    assertThat(t.rejections()).isEqualTo(window.rejections()).isEqualTo(2);
    assertThat(t.shortCircuits()).isEqualTo(window.shortCircuits()).isEqualTo(1);
  }

  @Test
  void aReadingLowerThanOneReportedBefore_reportsTheEarlierCounts() {
    RollingCounts counts = new RollingCounts(2 * BUCKET, 2, 0);
    RollingCounts.Totals first = new RollingCounts.Totals(5, 4, 3, 2, 1, Map.of("A", 3L, "B", 1L));

    assertThat(counts.reported(first)).isEqualTo(first);
    // A reading that raced a bucket's retirement misses its counts for an instant.
    assertThat(counts.reported(new RollingCounts.Totals(1, 1, 1, 1, 0, Map.of("B", 0L))))
        .isEqualTo(first);
    assertThat(counts.reported(new RollingCounts.Totals(6, 5, 4, 3, 2, Map.of("C", 7L))))
        .isEqualTo(new RollingCounts.Totals(6, 5, 4, 3, 2, Map.of("A", 3L, "B", 1L, "C", 7L)));
  }

  @Test
  void totals_reportEachCountAtItsLargestReadingSoFar() {
    RollingCounts counts = new RollingCounts(2 * BUCKET, 2, 0);
    counts.reported(new RollingCounts.Totals(9, 8, 7, 6, 5, Map.of("A", 4L)));
    counts.rejection(0);

    assertThat(counts.unreported()).isEqualTo(new RollingCounts.Totals(0, 0, 0, 0, 1, Map.of()));
    assertThat(counts.totals()).isEqualTo(new RollingCounts.Totals(9, 8, 7, 6, 5, Map.of("A", 4L)));
  }

  @Test
  void threadsRacingToRenewASlot_retireItsBucketOnce() throws Exception {
    int threads = 4;
    int rounds = 300;
    RollingCounts counts = new RollingCounts(2 * BUCKET, 2, 0);
    for (int round = 0; round < rounds; round++) {
      long at = round * BUCKET;
      // Released together, the threads race to replace the slot's bucket of two periods ago: one
      // compare-and-set wins, and only its thread adds the old bucket to the totals.
      Race.run(
          ThreadKind.PLATFORM,
          threads,
          i -> {
            counts.rejection(at);
            return null;
          });
    }

    assertThat(counts.totals().rejections()).isEqualTo((long) threads * rounds);
  }
}
