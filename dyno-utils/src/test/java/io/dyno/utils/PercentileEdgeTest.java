package io.dyno.utils;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentileEdgeTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void linear_betweenTwoEqualInfinities_isThatInfinity() {
    // Subtracting would give inf - inf = NaN (numpy's answer); equal neighbours need no weighting.
    assertThat(Stats.percentile(new double[] {INF, INF}, 50)).isEqualTo(INF);
    assertThat(Stats.percentile(new double[] {-INF, -INF, 1}, 25)).isEqualTo(-INF);
    assertThat(Stats.percentile(new double[] {1, INF, INF}, 75)).isEqualTo(INF);
  }

  @Test
  void linear_betweenAnInfinityAndAFiniteValue_isTheInfinityOnBothSidesOfTheMiddle() {
    // numpy gives NaN below t = 0.5 for -inf and above it for +inf; the percentile lies between
    // the minimum and the maximum, so it is the infinity wherever the weight on it is not 0.
    for (double p : new double[] {10, 25, 50, 75, 90}) {
      assertThat(Stats.percentile(new double[] {-INF, 5}, p)).as("p=%s", p).isEqualTo(-INF);
      assertThat(Stats.percentile(new double[] {1, INF}, p)).as("p=%s", p).isEqualTo(INF);
    }
    assertThat(Stats.percentile(new double[] {-INF, INF}, 50)).isNaN();
    assertThat(Stats.percentile(new double[] {-INF, 5}, 0)).isEqualTo(-INF);
    assertThat(Stats.percentile(new double[] {-INF, 5}, 100)).isEqualTo(5);
  }

  @Test
  void linear_isTheNearestDoubleWhereTheDecimalAnswerIsExact() {
    // Interpolating from the nearer end, as numpy does, hits the double nearest to the exact
    // answer in these cases; weighting both ends (a (1 - t) + b t) or working from the far end
    // misses it by an ulp.
    assertThat(Stats.percentile(new double[] {0, 1}, 10)).isEqualTo(0.1);
    assertThat(Stats.percentile(new double[] {0, 1}, 30)).isEqualTo(0.3);
    assertThat(Stats.percentile(new double[] {2, 92}, 10)).isEqualTo(11.0);
    assertThat(Stats.percentile(new double[] {0, 9}, 60)).isEqualTo(5.4);
    assertThat(Stats.percentile(new double[] {0, 13}, 90)).isEqualTo(11.7);
  }

  @Test
  void linear_halfwayIsTakenFromTheUpperNeighbourAsInNumpy() {
    // 9.6 + 71.4 / 2 rounds to 45.300000000000004, 81 - 71.4 / 2 to 45.3, the nearest double to
    // the exact midpoint; numpy.median([9.6, 81.0]) is 45.3.
    assertThat(Stats.median(new double[] {9.6, 81.0})).isEqualTo(45.3);
    assertThat(Stats.percentile(new double[] {9.6, 81.0, 100}, 25)).isEqualTo(45.3);
  }

  @Test
  void midpoint_ofTwoEqualTinyValues_isThatValue() {
    // Halving first would round Double.MIN_VALUE / 2 to 0 twice.
    double[] data = {Double.MIN_VALUE, Double.MIN_VALUE};
    assertThat(Stats.percentile(data, 50, Percentile.MIDPOINT)).isEqualTo(Double.MIN_VALUE);
    assertThat(Stats.percentile(new double[] {-INF, 5}, 50, Percentile.MIDPOINT)).isEqualTo(-INF);
    assertThat(Stats.percentile(new double[] {1, INF}, 50, Percentile.MIDPOINT)).isEqualTo(INF);
  }
}
