package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link RollingLatency#totals}: every latency since creation, dropped by the window or not. */
class RollingLatencyTotalsTest {

  private static final long BUCKET = 1_000;
  private static final List<Double> PERCENTILES = List.of(0.0, 50.0, 99.0, 100.0);

  @Test
  void aNewWindow_hasNoLatencies() {
    RollingLatency latency = new RollingLatency(3 * BUCKET, 3, 0, 2);

    long[][] totals = latency.totals(0);

    assertThat(totals[0]).isEmpty();
    assertThat(totals[1]).isEmpty();
  }

  @Test
  void totals_holdEveryValue_acrossReusedSlots_mergedAscending() {
    RollingLatency latency = new RollingLatency(2 * BUCKET, 2, 0, 2);
    // Periods 0 to 6 in two slots; each slot reused; period 3 records nothing.
    latency.record(10, 7);
    latency.record(20, 3);
    latency.record(BUCKET, 3);
    latency.record(BUCKET, 0);
    latency.record(2 * BUCKET, 5);
    latency.record(2 * BUCKET, 7);
    latency.record(4 * BUCKET, 3);
    latency.record(5 * BUCKET, 9);
    latency.record(6 * BUCKET, 1);

    long[][] totals = latency.totals(6 * BUCKET);

    assertThat(totals[0]).containsExactly(0, 1, 3, 5, 7, 9);
    assertThat(totals[1]).containsExactly(1, 1, 3, 1, 2, 1);
    // Long after, with nothing left in the window, the slots still hold their values.
    long[][] later = latency.totals(100 * BUCKET);
    assertThat(later[0]).containsExactly(0, 1, 3, 5, 7, 9);
    assertThat(later[1]).containsExactly(1, 1, 3, 1, 2, 1);
    assertThat(latency.summarize(100 * BUCKET, PERCENTILES).count()).isZero();
  }

  @Test
  void totals_harvestTheStripesFirst_andCountEachValueOnce() {
    RollingLatency latency = new RollingLatency(2 * BUCKET, 2, 0, 2);
    latency.record(0, 4_096);
    latency.record(0, 4_097); // the same HdrHistogram bucket at 3 digits

    assertThat(latency.totals(0)[0]).containsExactly(4_096);
    assertThat(latency.totals(0)[1]).containsExactly(2);
    latency.record(0, 4_096);
    assertThat(latency.totals(0)[1]).containsExactly(3);
  }

  @Test
  void readingTotals_changesNoSummary_andTotalsOnlyGrow() {
    RollingLatency read = new RollingLatency(4 * BUCKET, 4, 0, 2);
    RollingLatency unread = new RollingLatency(4 * BUCKET, 4, 0, 2);
    SplittableRandom random = new SplittableRandom(7);
    TreeMap<Long, Long> previous = new TreeMap<>();
    long now = 0;
    long recorded = 0;
    for (int step = 0; step < 3_000; step++) {
      now += random.nextInt(5) == 0 ? random.nextLong(6 * BUCKET) : random.nextLong(50);
      long value = random.nextLong(2_048) * (random.nextBoolean() ? 1 : 1_024);
      read.record(now, value);
      unread.record(now, value);
      recorded++;
      if (step % 7 == 0) {
        long[][] totals = read.totals(now);
        TreeMap<Long, Long> current = new TreeMap<>();
        long count = 0;
        for (int i = 0; i < totals[0].length; i++) {
          if (i > 0) {
            assertThat(totals[0][i]).isGreaterThan(totals[0][i - 1]);
          }
          current.put(totals[0][i], totals[1][i]);
          count += totals[1][i];
        }
        assertThat(count).isEqualTo(recorded);
        previous.forEach((v, c) -> assertThat(current.get(v)).isGreaterThanOrEqualTo(c));
        previous = current;
      }
      if (step % 5 == 0) {
        LatencySummary a = read.summarize(now, PERCENTILES);
        LatencySummary b = unread.summarize(now, PERCENTILES);
        assertThat(a.count()).isEqualTo(b.count());
        assertThat(a.mean()).isEqualTo(b.mean());
        for (int k = 0; k < PERCENTILES.size(); k++) {
          assertThat(a.atPercentile(k)).isEqualTo(b.atPercentile(k));
        }
      }
    }
  }
}
