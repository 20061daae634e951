package io.dyno.utils.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SelectTest {

  /** A fixed seed keeps every run identical; change it to explore other samples. */
  private static final String SEED = "20261127";

  @Provide
  Arbitrary<double[]> arrays() {
    return Arbitraries.oneOf(
            Arbitraries.doubles().between(-100, 100),
            Arbitraries.integers().between(0, 4).map(i -> (double) i))
        .array(double[].class)
        .ofMinSize(1)
        .ofMaxSize(500);
  }

  @Property(tries = 500, seed = SEED)
  void select_placesTheKthValueAndPartitionsAroundIt(
      @ForAll("arrays") double[] data, @ForAll("fractions") double fraction) {
    int k = (int) (fraction * (data.length - 1));
    assertPartitioned(data, k);
  }

  @Provide
  Arbitrary<Double> fractions() {
    return Arbitraries.doubles().between(0, 1);
  }

  @Test
  void select_handlesAdversarialShapes() {
    int n = 10_000;
    SplittableRandom random = new SplittableRandom(42);
    double[][] shapes = {
      ramp(n, 1), ramp(n, -1), organPipe(n), sawtooth(n, 7), new double[n], medianOfThreeKiller(n),
    };
    for (double[] shape : shapes) {
      for (int trial = 0; trial < 20; trial++) {
        assertPartitioned(shape.clone(), random.nextInt(n));
      }
      assertPartitioned(shape.clone(), 0);
      assertPartitioned(shape.clone(), n - 1);
    }
  }

  @Test
  void select_narrowedToASubrangeOnlyTouchesThatRange() {
    double[] data = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
    assertThat(Select.select(data, 2, 6, 4)).isEqualTo(5);
    assertThat(data[0]).isEqualTo(9);
    assertThat(data[1]).isEqualTo(8);
    assertThat(Arrays.copyOfRange(data, 7, 10)).containsExactly(2, 1, 0);
  }

  private static void assertPartitioned(double[] data, int k) {
    double[] sorted = data.clone();
    Arrays.sort(sorted);
    double value = Select.select(data, 0, data.length - 1, k);
    assertThat(value).isEqualTo(sorted[k]);
    assertThat(data[k]).isEqualTo(sorted[k]);
    // Checked first without AssertJ, which would dominate the run time over many thousand values.
    for (int i = 0; i < k; i++) {
      if (!(data[i] <= value)) {
        assertThat(data[i]).as("index %d", i).isLessThanOrEqualTo(value);
      }
    }
    for (int i = k + 1; i < data.length; i++) {
      if (!(data[i] >= value)) {
        assertThat(data[i]).as("index %d", i).isGreaterThanOrEqualTo(value);
      }
    }
    double[] after = data.clone();
    Arrays.sort(after);
    if (!Arrays.equals(after, sorted)) {
      assertThat(after).as("select only permutes").containsExactly(sorted);
    }
  }

  private static double[] ramp(int n, int direction) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = direction * i;
    }
    return a;
  }

  private static double[] organPipe(int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = Math.min(i, n - 1 - i);
    }
    return a;
  }

  private static double[] sawtooth(int n, int period) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = i % period;
    }
    return a;
  }

  /**
   * Musser's sequence that makes median-of-three quicksort quadratic, which exercises the fallback
   * that keeps selection O(n log n).
   */
  private static double[] medianOfThreeKiller(int n) {
    int half = n / 2;
    double[] a = new double[n];
    for (int i = 1; i <= half; i++) {
      if (i % 2 == 1) {
        a[i - 1] = i;
        a[i] = half + i;
      }
      a[half + i - 1] = 2 * i;
    }
    return a;
  }
}
