package io.dyno.utils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.AbstractCollection;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatsTest {

  private static final double[] DATA = {12, 15, 11, 40, 13, 7, 22, 19, 3, 30};
  private static final long[] LONGS = {12, 15, 11, 40, 13, 7, 22, 19, 3, 30};
  private static final List<Integer> INTS = List.of(12, 15, 11, 40, 13, 7, 22, 19, 3, 30);

  // Reference values from numpy 2.4: mean, var(ddof=1), std(ddof=1), median.
  private static final double MEAN = 17.2;
  private static final double VARIANCE = 122.6222222222222;
  private static final double STDDEV = 11.073491871231143;

  @Test
  void moments_matchNumpyForEveryInputType() {
    assertThat(Stats.mean(DATA)).isCloseTo(MEAN, within(1e-12));
    assertThat(Stats.mean(LONGS)).isCloseTo(MEAN, within(1e-12));
    assertThat(Stats.mean(INTS)).isCloseTo(MEAN, within(1e-12));
    assertThat(Stats.variance(DATA)).isCloseTo(VARIANCE, within(1e-12));
    assertThat(Stats.variance(LONGS)).isCloseTo(VARIANCE, within(1e-12));
    assertThat(Stats.variance(INTS)).isCloseTo(VARIANCE, within(1e-12));
    assertThat(Stats.stddev(DATA)).isCloseTo(STDDEV, within(1e-12));
    assertThat(Stats.stddev(LONGS)).isCloseTo(STDDEV, within(1e-12));
    assertThat(Stats.stddev(INTS)).isCloseTo(STDDEV, within(1e-12));
  }

  @Test
  void extremesAndMedian_matchForEveryInputType() {
    assertThat(Stats.min(DATA)).isEqualTo(3.0);
    assertThat(Stats.min(LONGS)).isEqualTo(3L);
    assertThat(Stats.min(INTS)).isEqualTo(3.0);
    assertThat(Stats.max(DATA)).isEqualTo(40.0);
    assertThat(Stats.max(LONGS)).isEqualTo(40L);
    assertThat(Stats.max(INTS)).isEqualTo(40.0);
    assertThat(Stats.median(DATA)).isEqualTo(14.0);
    assertThat(Stats.median(LONGS)).isEqualTo(14.0);
    assertThat(Stats.median(INTS)).isEqualTo(14.0);
    assertThat(Stats.median(new double[] {5, 1, 3})).isEqualTo(3.0);
  }

  @Test
  void percentile_defaultsToLinearInterpolation() {
    assertThat(Stats.percentile(DATA, 90)).isCloseTo(31.0, within(1e-12));
    assertThat(Stats.percentile(LONGS, 90)).isCloseTo(31.0, within(1e-12));
    assertThat(Stats.percentile(INTS, 90)).isCloseTo(31.0, within(1e-12));
  }

  @Test
  void minAndMaxOfLongs_areExactBeyondDoublePrecision() {
    long big = (1L << 53) + 1;
    assertThat(Stats.max(new long[] {big, big - 1})).isEqualTo(big);
    assertThat(Stats.min(new long[] {-big, -big + 1})).isEqualTo(-big);
    assertThat(Stats.max(new long[] {Long.MIN_VALUE})).isEqualTo(Long.MIN_VALUE);
    assertThat(Stats.min(new long[] {Long.MAX_VALUE})).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void variance_ofOneValueIsZero() {
    assertThat(Stats.variance(new double[] {7})).isZero();
    assertThat(Stats.stddev(new long[] {7})).isZero();
  }

  @Test
  void variance_keepsPrecisionWhenTheMeanDwarfsTheSpread() {
    // Deviations 4, 7, 13, 16 around 1e9: the naive sum-of-squares formula loses every digit.
    double[] data = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    assertThat(Stats.variance(data)).isCloseTo(30.0, within(1e-9));
    assertThat(Stats.mean(data)).isEqualTo(1e9 + 10);
  }

  @Test
  void mean_isCompensatedAgainstCancellation() {
    // Naive left-to-right summation gives 0 here; the exact mean is 2/4 = 0.5.
    double[] data = {1e100, 1.0, -1e100, 1.0};
    assertThat(Stats.mean(data)).isEqualTo(0.5);
  }

  @Test
  void mean_ofTenMillionTenthsIsTheNearestDoubleToATenth() {
    // A plain running sum drifts to 0.09999999999832... over ten million additions.
    double[] data = new double[10_000_000];
    Arrays.fill(data, 0.1);
    assertThat(Stats.mean(data)).isEqualTo(0.1);
  }

  @Test
  void infinities_followIeeeArithmetic() {
    double inf = Double.POSITIVE_INFINITY;
    assertThat(Stats.mean(new double[] {1, inf})).isEqualTo(inf);
    assertThat(Stats.mean(new double[] {-inf, inf})).isNaN();
    assertThat(Stats.max(new double[] {1, inf})).isEqualTo(inf);
    assertThat(Stats.min(new double[] {-inf, 1})).isEqualTo(-inf);
    assertThat(Stats.percentile(new double[] {1, 2, inf}, 100)).isEqualTo(inf);
    assertThat(Stats.percentile(new double[] {1, 2, inf}, 50)).isEqualTo(2.0);
  }

  @Test
  void variance_ofFiniteDataThatOverflows_isPositiveInfinityAsInNumpy() {
    // numpy.var([1e308, 1e308, -1e308], ddof=1) and numpy.var([1e308, -1e308], ddof=1) are inf:
    // the exact variances, 1.33e616 and 2e616, are beyond Double.MAX_VALUE. The mean of the first
    // overflows on the way, which must not turn the answer into NaN.
    assertThat(Stats.variance(new double[] {1e308, 1e308, -1e308}))
        .isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Stats.variance(new double[] {-1e308, 1e308, 1e308}))
        .isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Stats.variance(new double[] {1e308, -1e308})).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Stats.stddev(new double[] {1e308, 1e308, -1e308}))
        .isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Stats.summarize(new double[] {1e308, 1e308, -1e308}).stddev())
        .isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void variance_whoseSumOfSquaresOverflowsButWhichFits_isExact() {
    // 2000 values of +-1e154: each squared deviation is 1e308, their sum 2e311 overflows, the
    // variance 2000e308 / 1999 = 1.0005002501250625e308 does not. (numpy answers inf here, having
    // overflowed on the way; the representable answer is the right one.)
    double[] data = new double[2000];
    for (int i = 0; i < data.length; i++) {
      data[i] = i % 2 == 0 ? 1e154 : -1e154;
    }
    BigDecimal square = new BigDecimal(data[0]).multiply(new BigDecimal(data[0]));
    double exact =
        square
            .multiply(BigDecimal.valueOf(2000))
            .divide(BigDecimal.valueOf(1999), MathContext.DECIMAL128)
            .doubleValue();
    assertThat(Stats.variance(data)).isCloseTo(exact, withinPercentage(1e-10));
  }

  @Test
  void variance_withAnInfinity_isNaNAsInIeeeArithmetic() {
    assertThat(Stats.variance(new double[] {1, Double.POSITIVE_INFINITY})).isNaN();
  }

  @Test
  void midpoint_ofTwoHugeValuesDoesNotOverflow() {
    double[] data = {Double.MAX_VALUE, Double.MAX_VALUE * 0.5};
    assertThat(Stats.percentile(data, 50, Percentile.MIDPOINT))
        .isCloseTo(Double.MAX_VALUE * 0.75, within(1e295));
    assertThat(Stats.percentile(new double[] {Double.MAX_VALUE, 1}, 50, Percentile.MIDPOINT))
        .isFinite();
  }

  @Test
  void noMethodChangesItsArgument() {
    double[] data = DATA.clone();
    long[] longs = LONGS.clone();
    Stats.percentile(data, 37);
    Stats.percentile(data, 99, Percentile.NEAREST_RANK);
    Stats.median(data);
    Stats.summarize(data);
    Stats.percentile(longs, 37);
    Stats.summarize(longs);
    assertThat(data).containsExactly(DATA);
    assertThat(longs).containsExactly(LONGS);
  }

  @Test
  void summarize_agreesWithTheSingleStatistics() {
    Summary s = Stats.summarize(DATA);
    assertThat(s.count()).isEqualTo(10);
    assertThat(s.mean()).isCloseTo(MEAN, within(1e-12));
    assertThat(s.stddev()).isCloseTo(STDDEV, within(1e-12));
    assertThat(s.min()).isEqualTo(3.0);
    assertThat(s.p50()).isEqualTo(14.0);
    assertThat(s.p90()).isCloseTo(31.0, within(1e-12));
    assertThat(s.p99()).isCloseTo(39.1, within(1e-12));
    assertThat(s.max()).isEqualTo(40.0);
    assertThat(Stats.summarize(LONGS)).isEqualTo(s);
    assertThat(Stats.summarize(INTS)).isEqualTo(s);
  }

  @Test
  void summary_ofOneValue() {
    Summary s = Stats.summarize(new double[] {2.5});
    assertThat(s).isEqualTo(new Summary(1, 2.5, 0, 2.5, 2.5, 2.5, 2.5, 2.5));
  }

  @Test
  void summary_rejectsACountBelowOne() {
    assertThatThrownBy(() -> new Summary(0, 0, 0, 0, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be >= 1, was 0");
  }

  /** Every public entry point, applied to one kind of bad input. */
  static Stream<Arguments> everyStatistic() {
    return Stream.of(
        Arguments.of("mean", (Consumer<double[]>) Stats::mean),
        Arguments.of("variance", (Consumer<double[]>) Stats::variance),
        Arguments.of("stddev", (Consumer<double[]>) Stats::stddev),
        Arguments.of("min", (Consumer<double[]>) Stats::min),
        Arguments.of("max", (Consumer<double[]>) Stats::max),
        Arguments.of("median", (Consumer<double[]>) Stats::median),
        Arguments.of("percentile", (Consumer<double[]>) d -> Stats.percentile(d, 50)),
        Arguments.of(
            "percentile method",
            (Consumer<double[]>) d -> Stats.percentile(d, 50, Percentile.NEAREST)),
        Arguments.of("summarize", (Consumer<double[]>) Stats::summarize));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStatistic")
  void everyStatistic_rejectsEmptyData(String name, Consumer<double[]> statistic) {
    assertThatThrownBy(() -> statistic.accept(new double[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data must not be empty");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStatistic")
  void everyStatistic_rejectsNaNAndNamesWhereItIs(String name, Consumer<double[]> statistic) {
    assertThatThrownBy(() -> statistic.accept(new double[] {1, 2, Double.NaN, 4}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data must not contain NaN, found at index 2");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStatistic")
  void everyStatistic_rejectsNullData(String name, Consumer<double[]> statistic) {
    assertThatThrownBy(() -> statistic.accept(nullArray()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("data must not be null");
  }

  /** The long and collection overloads, applied to one kind of bad input. */
  static Stream<Arguments> everyOverload() {
    return Stream.of(
        Arguments.of("mean", (Consumer<Object>) d -> dispatch(d, Stats::mean, Stats::mean)),
        Arguments.of(
            "variance", (Consumer<Object>) d -> dispatch(d, Stats::variance, Stats::variance)),
        Arguments.of("stddev", (Consumer<Object>) d -> dispatch(d, Stats::stddev, Stats::stddev)),
        Arguments.of("min", (Consumer<Object>) d -> dispatch(d, Stats::min, Stats::min)),
        Arguments.of("max", (Consumer<Object>) d -> dispatch(d, Stats::max, Stats::max)),
        Arguments.of("median", (Consumer<Object>) d -> dispatch(d, Stats::median, Stats::median)),
        Arguments.of(
            "percentile",
            (Consumer<Object>)
                d -> dispatch(d, x -> Stats.percentile(x, 5), x -> Stats.percentile(x, 5))),
        Arguments.of(
            "summarize", (Consumer<Object>) d -> dispatch(d, Stats::summarize, Stats::summarize)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyOverload")
  void everyOverload_rejectsEmptyAndNullData(String name, Consumer<Object> statistic) {
    assertThatThrownBy(() -> statistic.accept(new long[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data must not be empty");
    assertThatThrownBy(() -> statistic.accept(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data must not be empty");
    assertThatThrownBy(() -> statistic.accept(new NullLongs()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("data must not be null");
    assertThatThrownBy(() -> statistic.accept(new NullCollection()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("data must not be null");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyOverload")
  void everyOverload_rejectsNullAndNaNElementsOfACollection(
      String name, Consumer<Object> statistic) {
    assertThatThrownBy(() -> statistic.accept(Arrays.asList(1, 2, null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("data must not contain null, found at index 2");
    assertThatThrownBy(() -> statistic.accept(List.of(1.0, Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data must not contain NaN, found at index 1");
  }

  @Test
  void percentile_rejectsPOutsideZeroToHundredAndNaN() {
    for (double p : new double[] {-0.001, 100.001, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> Stats.percentile(DATA, p))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("p must be in [0, 100], was " + p);
      assertThatThrownBy(() -> Stats.percentile(LONGS, p, Percentile.LOWER))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("p must be in [0, 100], was " + p);
      assertThatThrownBy(() -> Stats.percentile(INTS, p, Percentile.HIGHER))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("p must be in [0, 100], was " + p);
    }
  }

  @Test
  void percentile_rejectsANullMethod() {
    assertThatThrownBy(() -> Stats.percentile(DATA, 50, nullMethod()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("method must not be null");
  }

  @Test
  void collection_whoseSizeDisagreesWithItsIteratorIsRejected() {
    assertThatThrownBy(() -> Stats.mean(new LyingCollection(3, 5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data changed size while being read");
    assertThatThrownBy(() -> Stats.mean(new LyingCollection(5, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data changed size while being read");
  }

  @Test
  void collectionsOfMixedNumberTypesAreRead() {
    Collection<Number> mixed = List.of(1, 2L, 3.0f, 4.0, new BigDecimal("5"));
    assertThat(Stats.mean(mixed)).isEqualTo(3.0);
    assertThat(Stats.median(Collections.singleton(9))).isEqualTo(9.0);
  }

  // ---------------------------------------------------------------- helpers

  private static void dispatch(
      Object data, Consumer<long[]> onLongs, Consumer<Collection<? extends Number>> onNumbers) {
    if (data instanceof NullLongs) {
      onLongs.accept(nullLongs());
    } else if (data instanceof NullCollection) {
      onNumbers.accept(nullCollection());
    } else if (data instanceof long[] longs) {
      onLongs.accept(longs);
    } else {
      @SuppressWarnings("unchecked")
      Collection<? extends Number> numbers = (Collection<? extends Number>) data;
      onNumbers.accept(numbers);
    }
  }

  /** Marks the null {@code long[]} case, since a null cannot say which overload it is for. */
  private static final class NullLongs {}

  /** Marks the null collection case. */
  private static final class NullCollection {}

  @SuppressWarnings("NullAway")
  private static double[] nullArray() {
    return null;
  }

  @SuppressWarnings("NullAway")
  private static long[] nullLongs() {
    return null;
  }

  @SuppressWarnings("NullAway")
  private static Collection<? extends Number> nullCollection() {
    return null;
  }

  @SuppressWarnings("NullAway")
  private static Percentile nullMethod() {
    return null;
  }

  /** A collection whose {@code size()} and iteration disagree, as a racing writer can cause. */
  private static final class LyingCollection extends AbstractCollection<Number> {
    private final int size;
    private final int elements;

    LyingCollection(int size, int elements) {
      this.size = size;
      this.elements = elements;
    }

    @Override
    public Iterator<Number> iterator() {
      return Collections.<Number>nCopies(elements, 1.0).iterator();
    }

    @Override
    public int size() {
      return size;
    }
  }
}
