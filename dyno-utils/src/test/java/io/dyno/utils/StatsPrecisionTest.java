package io.dyno.utils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

class StatsPrecisionTest {

  @Test
  void variance_ofALargeOffsetWhoseMeanRounds_subtractsTheLeftoverDeviations() {
    // The mean 2^50 + 1/3 rounds to 2^50 + 1/4 (the spacing there is 1/4), so the deviations
    // -1/4, -1/4, 3/4 sum to 1/4 instead of 0 and their squares to 11/16: only the correction
    // (11/16 - (1/4)^2 / 3) / 2 gives the exact variance of {0, 0, 1}, 1/3.
    double offset = 0x1p50;
    double[] data = {offset, offset, offset + 1};
    assertThat(Stats.variance(data)).isCloseTo(1.0 / 3, within(1e-15));
    assertThat(Stats.stddev(data)).isCloseTo(Math.sqrt(1.0 / 3), within(1e-15));
    assertThat(Stats.summarize(data).stddev()).isCloseTo(Math.sqrt(1.0 / 3), within(1e-15));
  }

  @Test
  void variance_whoseSquaresOverflowAroundALargeOffset_isExact() {
    // 2^530 + k 2^503 for k < 1000: the values and their mean are exact, the squared deviations
    // sum past Double.MAX_VALUE, and the variance 2^1006 * 1000 * 1001 / 12 (about 5.9e307) fits.
    // The spread is 2^-27 of the offset, so the scaled second pass needs the scaled mean itself,
    // not a value the correction term would have to repair.
    int n = 1000;
    double[] data = new double[n];
    for (int k = 0; k < n; k++) {
      data[k] = 0x1p530 + k * 0x1p503;
    }
    double exact = Math.scalb(n * (n + 1) / 12.0, 1006);
    assertThat(exact).isFinite();
    assertThat(Stats.variance(data)).isCloseTo(exact, withinPercentage(1e-12));
    assertThat(Stats.stddev(data)).isCloseTo(Math.sqrt(exact), withinPercentage(1e-12));
  }

  @Test
  void mean_isCompensatedWhenASmallValueMeetsALargerOne() {
    // Here the running sum is 1 when 1e100 arrives: the rounding lost is in the running sum,
    // not in the value added, and Neumaier's variant keeps it where Kahan's drops it (Kahan's
    // sum is 1, its mean 0.25).
    double[] data = {1.0, 1e100, 1.0, -1e100};
    assertThat(Stats.mean(data)).isEqualTo(0.5);
    assertThat(Stats.mean(new long[] {1, 1L << 60, 1, -(1L << 60)})).isEqualTo(0.5);
  }
}
