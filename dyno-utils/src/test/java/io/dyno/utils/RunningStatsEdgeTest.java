package io.dyno.utils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunningStatsEdgeTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void add_ofAnInfinityFirst_givesThatInfinityAsTheMean() {
    // As Stats.mean: an infinity is not a shift the later values could be taken relative to.
    RunningStats positive = RunningStats.create();
    positive.add(INF);
    assertThat(positive.snapshot()).isEqualTo(new RunningStats.Snapshot(1, INF, 0, 0, INF, INF));
    RunningStats negative = RunningStats.create();
    negative.add(-INF);
    assertThat(negative.mean()).isEqualTo(Stats.mean(new double[] {-INF})).isEqualTo(-INF);
  }

  @Test
  void merge_ofAnEmptyAccumulator_changesNothing() {
    RunningStats infinite = RunningStats.create();
    infinite.add(INF);
    RunningStats.Snapshot before = infinite.snapshot();
    infinite.merge(RunningStats.create());
    assertThat(infinite.snapshot()).isEqualTo(before);

    RunningStats finite = RunningStats.create();
    finite.add(1);
    finite.add(4);
    before = finite.snapshot();
    finite.merge(RunningStats.create());
    assertThat(finite.snapshot()).isEqualTo(before);
  }

  @Test
  void merge_intoAnEmptyAccumulator_keepsThePrecisionOfLaterAdds() {
    // The empty side takes over the other's shift, so values added after the merge are still
    // taken relative to a value near the data (1e9 + 0.1 k) and the variance stays exact.
    double[] data = new double[1000];
    for (int k = 0; k < data.length; k++) {
      data[k] = 1e9 + 0.1 * k;
    }
    RunningStats first = RunningStats.create();
    for (int k = 0; k < 10; k++) {
      first.add(data[k]);
    }
    RunningStats stats = RunningStats.create();
    stats.merge(first);
    for (int k = 10; k < data.length; k++) {
      stats.add(data[k]);
    }
    assertThat(stats.count()).isEqualTo(data.length);
    assertThat(stats.variance()).isCloseTo(Stats.variance(data), withinPercentage(1e-10));
    assertThat(stats.mean()).isCloseTo(Stats.mean(data), withinPercentage(1e-13));
  }

  @Test
  void merge_ofMeansMoreThanMaxValueApart_givesAnInfiniteVariance() {
    // Each side is finite and so is each side's spread around its first value, but the
    // distance between the two sides' first values and the one between their shifted means
    // both overflow, to -inf and +inf: the difference of the means is inf - inf. As
    // Stats.variance says for finite data, the variance is +inf, not NaN.
    RunningStats left = RunningStats.create();
    RunningStats right = RunningStats.create();
    double[] all = new double[20];
    left.add(1e308);
    right.add(-1e308);
    all[0] = 1e308;
    all[1] = -1e308;
    for (int i = 1; i < 10; i++) {
      left.add(-0.79e308);
      right.add(0.79e308);
      all[2 * i] = -0.79e308;
      all[2 * i + 1] = 0.79e308;
    }
    left.merge(right);
    assertThat(left.count()).isEqualTo(20);
    assertThat(left.variance()).isEqualTo(INF).isEqualTo(Stats.variance(all));
    assertThat(left.min()).isEqualTo(-1e308);
    assertThat(left.max()).isEqualTo(1e308);
  }

  @Test
  void variance_ofValuesThatOverflowAndAnInfinity_isNaNAsInStats() {
    // A deviation overflows at -1.5e308; the infinity that follows still makes the variance
    // NaN, whichever sign it has, exactly as when no deviation had overflowed.
    for (double infinity : new double[] {INF, -INF}) {
      double[] data = {0, 1.5e308, -1.5e308, infinity};
      RunningStats stats = RunningStats.create();
      for (double x : data) {
        stats.add(x);
      }
      assertThat(stats.variance()).as("with %s", infinity).isNaN();
      assertThat(Stats.variance(data)).as("with %s", infinity).isNaN();
    }
  }

  @Test
  void snapshot_withCountZero_isTheEmptyAccumulatorsSnapshot() {
    double nan = Double.NaN;
    assertThat(new RunningStats.Snapshot(0, nan, nan, nan, nan, nan))
        .isEqualTo(RunningStats.create().snapshot());
  }

  @Test
  void readers_releaseTheAccumulatorForWritersOnOtherThreads() throws Exception {
    RunningStats stats = RunningStats.create();
    stats.add(1);
    assertThat(stats.snapshot().count()).isEqualTo(1);
    assertThat(stats.toString()).startsWith("RunningStats[count=1,");
    ExecutorService writer =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "running-stats-writer");
              thread.setDaemon(true);
              return thread;
            });
    try {
      Future<?> add = writer.submit(() -> stats.add(3));
      add.get(10, TimeUnit.SECONDS);
      Future<?> merge = writer.submit(() -> stats.merge(stats));
      merge.get(10, TimeUnit.SECONDS);
    } finally {
      writer.shutdownNow();
    }
    assertThat(stats.count()).isEqualTo(4);
    assertThat(stats.mean()).isEqualTo(2.0);
  }
}
