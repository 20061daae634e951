package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.internal.hdr.Histogram;
import io.dyno.metrics.internal.hdr.PackedHistogram;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LatencySummary#ofMerged} where doubles stop adding integers exactly: sets whose sums pass
 * 2^53 alone or together, and counts past 2^53.
 */
class LatencySummaryExactTest {

  private static final long EXACT = 1L << 53;
  private static final List<Double> PERCENTILES = List.of(0.0, 50.0, 100.0);

  private final Histogram shape = new PackedHistogram(3);

  @Test
  void toString_showsTheCountTheMeanAndTheValueAtEachPercentile() {
    RollingLatency window = new RollingLatency(1_000_000_000L, 1, 0, 1);
    window.record(0, 1_000);
    window.record(0, 1_000);

    assertThat(window.summarize(0, PERCENTILES))
        .hasToString("LatencySummary[count=2, mean=1000.0, [1000, 1000, 1000]]");
  }

  @Test
  void aSetWhoseSumPassesTwoToThe53_afterASmallOne_makesTheMeanHdrHistograms() {
    Sets sets = new Sets().add(new long[] {5}, new long[] {2}).add(new long[] {1}, EXACT + 2);

    LatencySummary s = sets.summarize();

    assertThat(s.count()).isEqualTo(EXACT + 4);
    assertThat(s.mean()).isEqualTo(sets.reference.getMean());
    assertThat(s.atPercentile(0)).isEqualTo(1);
    assertThat(s.atPercentile(2)).isEqualTo(5);
  }

  @Test
  void aSmallSet_afterOneWhoseSumPassesTwoToThe53_makesTheMeanHdrHistograms() {
    Sets sets = new Sets().add(new long[] {1}, EXACT + 2).add(new long[] {5}, new long[] {2});

    LatencySummary s = sets.summarize();

    assertThat(s.mean()).isEqualTo(sets.reference.getMean());
    assertThat(s.mean()).isGreaterThan(0.9);
  }

  @Test
  void setsOfSmallSums_thatTogetherPassTwoToThe53_areSummedInHdrHistogramsOrder() {
    // 2^53 - 1 + 2 rounds down to 2^53 in doubles, and then + 6 is exact: the ordered sum is
    // 2^53 + 6, while the exact one, 2^53 + 7, rounds to 2^53 + 8.
    Sets sets = new Sets().add(new long[] {1}, EXACT - 1).add(new long[] {2, 3}, new long[] {1, 2});

    LatencySummary s = sets.summarize();

    assertThat(s.mean()).isEqualTo(sets.reference.getMean());
    assertThat(s.mean()).isEqualTo((double) (EXACT + 6) / (double) (EXACT + 2));
  }

  @Test
  void theHundredthPercentile_isTheLargestValue_evenAfterMoreThanTwoToThe53Values() {
    // (100 - ulp) percent of 2^53 + 1 values rounds to a rank before the last one.
    Sets sets = new Sets().add(new long[] {1, 1000}, new long[] {EXACT, 1});

    LatencySummary s = sets.summarize();

    assertThat(s.atPercentile(2)).isEqualTo(1000).isEqualTo(sets.reference.getMaxValue());
    assertThat(s.atPercentile(1)).isEqualTo(1);
    assertThat(s.atPercentile(0)).isEqualTo(1);
  }

  @Test
  void theHundredthPercentile_ofZeros_isZero() {
    Sets sets = new Sets().add(new long[] {0}, new long[] {3});

    LatencySummary s = sets.summarize();

    assertThat(s.count()).isEqualTo(3);
    assertThat(s.mean()).isZero();
    assertThat(s.atPercentile(2)).isZero().isEqualTo(sets.reference.getMaxValue());
  }

  /** Sets of runs, and a histogram holding all of them. */
  private final class Sets {
    private final long[][] values = new long[4][];
    private final long[][] counts = new long[4][];
    private final int[] sizes = new int[4];
    private final Histogram reference = new Histogram(3);
    private int k;

    Sets add(long[] lowest, long singleCount) {
      return add(lowest, new long[] {singleCount});
    }

    Sets add(long[] lowest, long[] runCounts) {
      for (int i = 0; i < lowest.length; i++) {
        reference.recordValueWithCount(lowest[i], runCounts[i]);
      }
      values[k] = lowest;
      counts[k] = runCounts;
      sizes[k++] = lowest.length;
      return this;
    }

    LatencySummary summarize() {
      int[] order = new int[k];
      for (int i = 0; i < k; i++) {
        order[i] = i;
      }
      return LatencySummary.ofMerged(
          values, counts, sizes, order, k, new int[k], PERCENTILES, shape);
    }
  }
}
