package io.dyno.utils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RunningStatsTest {

  /** A fixed seed keeps every run identical; change it to explore other samples. */
  private static final String SEED = "20261127";

  @Test
  void empty_hasCountZeroAndNaNStatistics() {
    RunningStats stats = RunningStats.create();
    assertThat(stats.count()).isZero();
    assertThat(stats.mean()).isNaN();
    assertThat(stats.variance()).isNaN();
    assertThat(stats.stddev()).isNaN();
    assertThat(stats.min()).isNaN();
    assertThat(stats.max()).isNaN();
    assertThat(stats.toString())
        .isEqualTo("RunningStats[count=0, mean=NaN, stddev=NaN, min=NaN, max=NaN]");
  }

  @Test
  void oneValue_hasZeroVariance() {
    RunningStats stats = RunningStats.create();
    stats.add(4.0);
    assertThat(stats.snapshot()).isEqualTo(new RunningStats.Snapshot(1, 4, 0, 0, 4, 4));
  }

  @Test
  void add_matchesTheBatchStatistics() {
    double[] data = {12, 15, 11, 40, 13, 7, 22, 19, 3, 30};
    RunningStats stats = RunningStats.create();
    for (double x : data) {
      stats.add(x);
    }
    assertThat(stats.count()).isEqualTo(10);
    assertThat(stats.mean()).isCloseTo(Stats.mean(data), within(1e-12));
    assertThat(stats.variance()).isCloseTo(Stats.variance(data), within(1e-12));
    assertThat(stats.stddev()).isCloseTo(Stats.stddev(data), within(1e-12));
    assertThat(stats.min()).isEqualTo(3);
    assertThat(stats.max()).isEqualTo(40);
    assertThat(stats.toString()).startsWith("RunningStats[count=10, mean=17.2");
  }

  @Test
  void add_keepsPrecisionWhenTheMeanDwarfsTheSpread() {
    RunningStats stats = RunningStats.create();
    for (double x : new double[] {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16}) {
      stats.add(x);
    }
    assertThat(stats.variance()).isCloseTo(30.0, within(1e-6));
  }

  @Test
  void add_rejectsNaN() {
    RunningStats stats = RunningStats.create();
    assertThatThrownBy(() -> stats.add(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value must not be NaN");
    assertThat(stats.count()).isZero();
  }

  @Property(tries = 200, seed = SEED)
  void merge_equalsAddingEveryValueToOneAccumulator(
      @ForAll @Size(max = 50) List<@DoubleRange(min = -1e3, max = 1e3) Double> left,
      @ForAll @Size(max = 50) List<@DoubleRange(min = -1e3, max = 1e3) Double> right) {
    RunningStats a = RunningStats.create();
    RunningStats b = RunningStats.create();
    RunningStats all = RunningStats.create();
    left.forEach(a::add);
    right.forEach(b::add);
    left.forEach(all::add);
    right.forEach(all::add);

    a.merge(b);

    RunningStats.Snapshot merged = a.snapshot();
    RunningStats.Snapshot expected = all.snapshot();
    assertThat(merged.count()).isEqualTo(expected.count());
    if (expected.count() == 0) {
      assertThat(merged).isEqualTo(expected);
      return;
    }
    assertThat(merged.mean()).isCloseTo(expected.mean(), within(1e-9));
    assertThat(merged.variance()).isCloseTo(expected.variance(), within(1e-6));
    assertThat(merged.min()).isEqualTo(expected.min());
    assertThat(merged.max()).isEqualTo(expected.max());
    assertThat(b.count()).as("the merged-in side is unchanged").isEqualTo(right.size());
  }

  @Test
  void merge_intoItselfDoublesTheSample() {
    RunningStats stats = RunningStats.create();
    stats.add(1);
    stats.add(3);
    stats.merge(stats);
    assertThat(stats.count()).isEqualTo(4);
    assertThat(stats.mean()).isEqualTo(2.0);
    // {1, 3, 1, 3}: squared deviations 4, sample variance 4/3.
    assertThat(stats.variance()).isCloseTo(4.0 / 3, within(1e-12));
  }

  @Test
  void snapshot_rejectsANegativeCount() {
    assertThatThrownBy(() -> new RunningStats.Snapshot(-1, 0, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be >= 0, was -1");
  }

  @Test
  void concurrentAdds_loseNothing() throws Exception {
    int threads = 4;
    int perThread = 100_000;
    RunningStats stats = RunningStats.create();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int value = t + 1;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    stats.add(value);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    // Values 1, 2, 3, 4, each added 100 000 times: mean 2.5 exactly, min 1, max 4.
    assertThat(stats.count()).isEqualTo((long) threads * perThread);
    assertThat(stats.mean()).isCloseTo(2.5, within(1e-9));
    assertThat(stats.min()).isEqualTo(1);
    assertThat(stats.max()).isEqualTo(4);
  }

  /** 1e9 + 0.1 k for k = 0..n: a large mean, a small spread, the case plain Welford loses. */
  private static double[] offsetRamp(int n) {
    double[] data = new double[n + 1];
    for (int k = 0; k <= n; k++) {
      data[k] = 1e9 + 0.1 * k;
    }
    return data;
  }

  /** The sample variance of the doubles given, in exact arithmetic, rounded once. */
  private static double exactVariance(double[] data) {
    BigDecimal sum = BigDecimal.ZERO;
    for (double x : data) {
      sum = sum.add(new BigDecimal(x));
    }
    BigDecimal n = BigDecimal.valueOf(data.length);
    BigDecimal squares = BigDecimal.ZERO;
    for (double x : data) {
      // n * x - sum is n times the deviation, exactly; dividing by n^2 (n - 1) once at the end.
      BigDecimal d = new BigDecimal(x).multiply(n).subtract(sum);
      squares = squares.add(d.multiply(d));
    }
    return squares
        .divide(n.multiply(n).multiply(n.subtract(BigDecimal.ONE)), MathContext.DECIMAL128)
        .doubleValue();
  }

  @Test
  void variance_ofALargeMeanWithASmallSpread_agreesWithTheExactValue() {
    // For n = 1000 the exact variance of these doubles is 835.83499999... (0.01 * 1001 * 1002 / 12
    // = 835.835 up to the rounding of 0.1 k); plain Welford was off by 4e-4, 5e-7 relative.
    double[] data = offsetRamp(1000);
    double exact = exactVariance(data);
    assertThat(exact).isCloseTo(835.835, within(1e-5));
    RunningStats stats = RunningStats.create();
    for (double x : data) {
      stats.add(x);
    }
    assertThat(stats.variance()).isCloseTo(exact, withinPercentage(1e-10));
    assertThat(stats.variance()).isCloseTo(Stats.variance(data), withinPercentage(1e-10));
    assertThat(stats.mean()).isCloseTo(Stats.mean(data), within(1e-6));
  }

  @Test
  void merge_ofLargeMeansWithSmallSpreads_agreesWithTheExactValue() {
    double[] data = offsetRamp(2000);
    double exact = exactVariance(data);
    RunningStats left = RunningStats.create();
    RunningStats right = RunningStats.create();
    for (int i = 0; i < data.length; i++) {
      (i < 700 ? left : right).add(data[i]);
    }
    left.merge(right);
    assertThat(left.count()).isEqualTo(data.length);
    assertThat(left.variance()).isCloseTo(exact, withinPercentage(1e-10));
    assertThat(left.mean()).isCloseTo(Stats.mean(data), within(1e-6));

    RunningStats empty = RunningStats.create();
    empty.merge(left);
    assertThat(empty.variance()).isCloseTo(exact, withinPercentage(1e-10));
  }

  @Test
  void variance_ofFiniteValuesThatOverflows_isPositiveInfinityAsInStats() {
    // As Stats.variance and numpy.var(ddof=1): +inf, never NaN, for finite values whose variance
    // is beyond Double.MAX_VALUE, here where a deviation itself overflows.
    double[] data = {1e308, 1e308, -1e308, 5.0};
    RunningStats stats = RunningStats.create();
    for (double x : data) {
      stats.add(x);
    }
    assertThat(stats.variance()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(stats.stddev()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Stats.variance(data)).isEqualTo(Double.POSITIVE_INFINITY);

    RunningStats left = RunningStats.create();
    left.add(1e308);
    RunningStats right = RunningStats.create();
    right.add(-1e308);
    right.add(-1e308);
    left.merge(right);
    assertThat(left.variance()).isEqualTo(Double.POSITIVE_INFINITY);
    RunningStats more = RunningStats.create();
    more.add(1.0);
    more.merge(left);
    more.add(2.0);
    assertThat(more.variance()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void variance_withAnInfinity_isNaNAsInIeeeArithmetic() {
    RunningStats stats = RunningStats.create();
    stats.add(1.0);
    stats.add(Double.POSITIVE_INFINITY);
    assertThat(stats.variance()).isNaN();
  }

  @Test
  void merge_thatWouldOverflowTheCountFailsAndChangesNothing() {
    RunningStats stats = RunningStats.create();
    stats.add(1);
    for (int i = 0; i < 62; i++) {
      stats.merge(stats);
    }
    RunningStats.Snapshot before = stats.snapshot();
    assertThat(before.count()).isEqualTo(1L << 62);
    assertThatThrownBy(() -> stats.merge(stats))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "count would overflow: 4611686018427387904 + 4611686018427387904 exceeds"
                + " Long.MAX_VALUE");
    assertThat(stats.snapshot()).isEqualTo(before);
  }

  @Test
  void concurrentMergesInBothDirections_complete() throws Exception {
    // a.merge(b) and b.merge(a) at once: a lock-both design would deadlock here. Each merge
    // about doubles the counts, so 25 rounds a side stay far below overflow.
    RunningStats a = RunningStats.create();
    RunningStats b = RunningStats.create();
    a.add(1);
    b.add(2);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> one = pool.submit(() -> mergeRepeatedly(start, a, b));
      Future<?> two = pool.submit(() -> mergeRepeatedly(start, b, a));
      start.countDown();
      one.get(30, TimeUnit.SECONDS);
      two.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(a.count()).isGreaterThanOrEqualTo(26);
    assertThat(b.count()).isGreaterThanOrEqualTo(26);
    assertThat(a.min()).isEqualTo(1);
    assertThat(b.max()).isEqualTo(2);
  }

  private static Void mergeRepeatedly(CountDownLatch start, RunningStats into, RunningStats from)
      throws InterruptedException {
    start.await();
    for (int i = 0; i < 25; i++) {
      into.merge(from);
    }
    return null;
  }
}
