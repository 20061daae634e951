package io.dyno.utils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PercentileTest {

  private static final double[] DATA = {12, 15, 11, 40, 13, 7, 22, 19, 3, 30};
  private static final double[] PS = {0, 10, 25, 33, 50, 75, 90, 95, 99, 100};

  /** Expected values from numpy 2.4 {@code np.percentile(DATA, PS, method=...)}. */
  static Stream<Arguments> numpyReference() {
    return Stream.of(
        Arguments.of(
            Percentile.LINEAR,
            new double[] {3.0, 6.6, 11.25, 11.97, 14.0, 21.25, 31.0, 35.5, 39.1, 40.0}),
        Arguments.of(
            Percentile.LOWER,
            new double[] {3.0, 3.0, 11.0, 11.0, 13.0, 19.0, 30.0, 30.0, 30.0, 40.0}),
        Arguments.of(
            Percentile.HIGHER,
            new double[] {3.0, 7.0, 12.0, 12.0, 15.0, 22.0, 40.0, 40.0, 40.0, 40.0}),
        Arguments.of(
            Percentile.NEAREST,
            new double[] {3.0, 7.0, 11.0, 12.0, 13.0, 22.0, 30.0, 40.0, 40.0, 40.0}),
        Arguments.of(
            Percentile.MIDPOINT,
            new double[] {3.0, 5.0, 11.5, 11.5, 14.0, 20.5, 35.0, 35.0, 35.0, 40.0}),
        // The original Dyno's sorted[floor(n * p / 100)], last value at p = 100.
        Arguments.of(
            Percentile.NEAREST_RANK,
            new double[] {3.0, 7.0, 11.0, 12.0, 15.0, 22.0, 40.0, 40.0, 40.0, 40.0}));
  }

  @ParameterizedTest
  @MethodSource("numpyReference")
  void percentile_matchesNumpyForEveryMethod(Percentile method, double[] expected) {
    for (int i = 0; i < PS.length; i++) {
      assertThat(Stats.percentile(DATA, PS[i], method))
          .as("%s at p=%s", method, PS[i])
          .isCloseTo(expected[i], within(1e-12));
    }
  }

  @ParameterizedTest
  @MethodSource("numpyReference")
  void percentile_givesTheSameForSortedSelectedLongAndCollectionInput(
      Percentile method, double[] expected) {
    long[] longs = new long[DATA.length];
    List<Integer> ints = new ArrayList<>();
    for (int i = 0; i < DATA.length; i++) {
      longs[i] = (long) DATA[i];
      ints.add((int) DATA[i]);
    }
    for (int i = 0; i < PS.length; i++) {
      assertThat(Stats.percentile(longs, PS[i], method)).isCloseTo(expected[i], within(1e-12));
      assertThat(Stats.percentile(ints, PS[i], method)).isCloseTo(expected[i], within(1e-12));
    }
  }

  @ParameterizedTest
  @MethodSource("numpyReference")
  void percentile_ofOneValueIsThatValueForEveryP(Percentile method, double[] ignored) {
    for (double p : PS) {
      assertThat(Stats.percentile(new double[] {-4.5}, p, method)).isEqualTo(-4.5);
    }
  }

  @ParameterizedTest
  @MethodSource("numpyReference")
  void percentile_nearestTieGoesToTheEvenIndex(Percentile method, double[] ignored) {
    // n = 3, p = 25: h = 0.5 lies exactly between index 0 and 1.
    double[] data = {10, 20, 30};
    double expected =
        switch (method) {
          case LINEAR, MIDPOINT -> 15;
          case LOWER, NEAREST, NEAREST_RANK -> 10;
          case HIGHER -> 20;
        };
    assertThat(Stats.percentile(data, 25, method)).isEqualTo(expected);
    // h = 1.5: the tie goes to index 2, the even one.
    if (method == Percentile.NEAREST) {
      assertThat(Stats.percentile(data, 75, method)).isEqualTo(30);
    }
  }

  @ParameterizedTest
  @MethodSource("numpyReference")
  void percentile_staysFiniteBetweenValuesAtOppositeEndsOfTheDoubleRange(
      Percentile method, double[] ignored) {
    double[] data = {-Double.MAX_VALUE, Double.MAX_VALUE};
    double result = Stats.percentile(data, 50, method);
    assertThat(result).isFinite();
    if (method == Percentile.LINEAR || method == Percentile.MIDPOINT) {
      assertThat(result).isCloseTo(0.0, within(1e300));
    }
  }

  @Test
  void percentile_ofLargeFiniteValuesInterpolatesWithoutOverflow() {
    double[] data = {-Double.MAX_VALUE, Double.MAX_VALUE};
    assertThat(Stats.percentile(data, 75)).isCloseTo(Double.MAX_VALUE / 2, within(1e295));
    assertThat(Stats.percentile(data, 25)).isCloseTo(-Double.MAX_VALUE / 2, within(1e295));
  }
}
