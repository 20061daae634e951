package io.dyno.utils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;

/** Laws of the statistics, checked against a plain sorted-array reference on random samples. */
class StatsPropertiesTest {

  /** A fixed seed keeps every run identical; change it to explore other samples. */
  private static final String SEED = "20261127";

  @Provide
  Arbitrary<double[]> samples() {
    // Many duplicates and a few distinct values stress the partitioning as much as wide ranges.
    Arbitrary<Double> wide = Arbitraries.doubles().between(-1e6, 1e6);
    Arbitrary<Double> narrow = Arbitraries.integers().between(-3, 3).map(i -> (double) i);
    return Arbitraries.oneOf(wide, narrow).array(double[].class).ofMinSize(1).ofMaxSize(300);
  }

  @Property(tries = 500, seed = SEED)
  void percentile_equalsTheSortedReference_forEveryMethod(
      @ForAll("samples") double[] data, @ForAll @DoubleRange(min = 0, max = 100) double p) {
    double[] sorted = data.clone();
    Arrays.sort(sorted);
    for (Percentile method : Percentile.values()) {
      double expected = reference(sorted, p, method);
      double actual = Stats.percentile(data, p, method);
      assertThat(actual)
          .as("%s p=%s of %s", method, p, Arrays.toString(data))
          .isCloseTo(expected, within(tolerance(sorted)));
    }
  }

  @Property(tries = 300, seed = SEED)
  void percentile_isMonotoneInPAndBoundedByTheExtremes(
      @ForAll("samples") double[] data,
      @ForAll @DoubleRange(min = 0, max = 100) double p,
      @ForAll @DoubleRange(min = 0, max = 100) double q) {
    double lo = Math.min(p, q);
    double hi = Math.max(p, q);
    for (Percentile method : Percentile.values()) {
      double atLo = Stats.percentile(data, lo, method);
      double atHi = Stats.percentile(data, hi, method);
      assertThat(atLo).isLessThanOrEqualTo(atHi);
      assertThat(atLo).isGreaterThanOrEqualTo(Stats.min(data));
      assertThat(atHi).isLessThanOrEqualTo(Stats.max(data));
    }
  }

  @Property(tries = 200, seed = SEED)
  void percentile_atTheEndsIsTheMinimumAndMaximum(@ForAll("samples") double[] data) {
    for (Percentile method : Percentile.values()) {
      assertThat(Stats.percentile(data, 0, method)).isEqualTo(Stats.min(data));
      assertThat(Stats.percentile(data, 100, method)).isEqualTo(Stats.max(data));
    }
  }

  @Property(tries = 200, seed = SEED)
  void percentile_doesNotChangeItsInput(
      @ForAll("samples") double[] data, @ForAll @DoubleRange(min = 0, max = 100) double p) {
    double[] before = data.clone();
    Stats.percentile(data, p);
    assertThat(data).containsExactly(before);
  }

  @Property(tries = 200, seed = SEED)
  void longAndDoubleInputAgree(
      @ForAll @Size(min = 1, max = 200) long[] data,
      @ForAll @DoubleRange(min = 0, max = 100) double p) {
    double[] asDoubles = Arrays.stream(data).asDoubleStream().toArray();
    assertThat(Stats.percentile(data, p)).isEqualTo(Stats.percentile(asDoubles, p));
    assertThat(Stats.mean(data)).isEqualTo(Stats.mean(asDoubles));
    assertThat(Stats.variance(data)).isEqualTo(Stats.variance(asDoubles));
    assertThat(Stats.summarize(data)).isEqualTo(Stats.summarize(asDoubles));
  }

  @Property(tries = 200, seed = SEED)
  void meanLiesBetweenTheExtremesAndVarianceIsNeverNegative(@ForAll("samples") double[] data) {
    double mean = Stats.mean(data);
    assertThat(mean).isBetween(Stats.min(data), Stats.max(data));
    assertThat(Stats.variance(data)).isGreaterThanOrEqualTo(0.0);
  }

  @Property(tries = 200, seed = SEED)
  void summary_matchesTheSingleStatistics(@ForAll("samples") double[] data) {
    Summary s = Stats.summarize(data);
    assertThat(s.count()).isEqualTo(data.length);
    assertThat(s.mean()).isEqualTo(Stats.mean(data));
    assertThat(s.stddev()).isEqualTo(Stats.stddev(data));
    assertThat(s.min()).isEqualTo(Stats.min(data));
    assertThat(s.p50()).isEqualTo(Stats.median(data));
    assertThat(s.p90()).isEqualTo(Stats.percentile(data, 90));
    assertThat(s.p99()).isEqualTo(Stats.percentile(data, 99));
    assertThat(s.max()).isEqualTo(Stats.max(data));
  }

  /** The definitions written out plainly over a fully sorted copy. */
  private static double reference(double[] sorted, double p, Percentile method) {
    int n = sorted.length;
    double h = (n - 1) * p / 100;
    int lo = (int) Math.floor(h);
    int hi = (int) Math.ceil(h);
    return switch (method) {
      case LINEAR -> sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
      case LOWER -> sorted[lo];
      case HIGHER -> sorted[hi];
      case NEAREST -> sorted[(int) Math.rint(h)];
      case MIDPOINT -> (sorted[lo] + sorted[hi]) / 2;
      case NEAREST_RANK -> sorted[Math.min((int) Math.floor(n * p / 100), n - 1)];
    };
  }

  /**
   * A few ulps of the largest magnitude: interpolation may round differently from the reference.
   */
  private static double tolerance(double[] sorted) {
    double scale = Math.max(Math.abs(sorted[0]), Math.abs(sorted[sorted.length - 1]));
    return Math.max(Math.ulp(scale) * 4, 0.0);
  }
}
