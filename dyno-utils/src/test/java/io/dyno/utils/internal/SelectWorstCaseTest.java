package io.dyno.utils.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SelectWorstCaseTest {

  @Test
  void select_whenEveryPivotIsTheLargestLeft_fallsBackToSortingAndIsExact() {
    // With the pivot taken at k = 0 (no sampling below 600 values), {99, 0, 1, ..., 98} makes
    // every partition step discard only the largest value: the step budget runs out long before
    // the range is resolved, and what is left must be sorted, all of it.
    int n = 100;
    double[] data = new double[n];
    data[0] = n - 1;
    for (int i = 1; i < n; i++) {
      data[i] = i - 1;
    }
    for (int k : new int[] {0, 1, 50, 70, 71, n - 1}) {
      assertPartitioned(data.clone(), k);
    }
  }

  @Test
  void select_whenEveryPivotIsTheSmallestLeft_fallsBackToSortingAndIsExact() {
    // The mirror image: {1, 2, ..., 99, 0} with k = 99 discards only the smallest value per step,
    // and the range left when the budget runs out reaches up to its last index.
    int n = 100;
    double[] data = new double[n];
    for (int i = 0; i < n - 1; i++) {
      data[i] = i + 1;
    }
    data[n - 1] = 0;
    for (int k : new int[] {n - 1, n - 2, 50, 29, 0}) {
      assertPartitioned(data.clone(), k);
    }
  }

  @Test
  void select_ofShuffledData_leavesBothSidesUnsorted() {
    // Selection does the work of a few partitions, not of a sort: on shuffled data the values
    // on each side of k stay in no particular order.
    int n = 10_000;
    double[] data = new double[n];
    for (int i = 0; i < n; i++) {
      data[i] = i;
    }
    SplittableRandom random = new SplittableRandom(42);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      double t = data[i];
      data[i] = data[j];
      data[j] = t;
    }
    for (int k : new int[] {n / 2, n / 10}) {
      double[] scratch = data.clone();
      assertThat(Select.select(scratch, 0, n - 1, k)).isEqualTo(k);
      assertThat(isSorted(scratch, 0, k)).as("below k").isFalse();
      assertThat(isSorted(scratch, k + 1, n)).as("above k").isFalse();
    }
  }

  @Test
  void select_afterARunOfBadPivotsLongerThanTheBudget_sortsWhatIsLeft() {
    // 200 values whose first 40 pivots at k are each the largest value left: more bad steps than
    // the budget of about 4 log2(200) = 32 allows, so select stops partitioning and sorts the
    // rest of the range, which leaves all of it sorted (the discarded values went to the top in
    // order). Without the budget the last 160 values would be partitioned, not sorted.
    double[] data = maxFirst(200, 40, 1);
    double[] scratch = data.clone();
    assertThat(Select.select(scratch, 0, 199, 0)).isZero();
    assertThat(isSorted(scratch, 0, 200)).isTrue();

    // The budget follows the length of the range, not its position in the array.
    double[] shifted = new double[10_200];
    Arrays.fill(shifted, 0, 10_000, -1);
    System.arraycopy(data, 0, shifted, 10_000, 200);
    assertThat(Select.select(shifted, 10_000, 10_199, 10_000)).isZero();
    assertThat(isSorted(shifted, 10_000, 10_200)).isTrue();
    assertThat(isSorted(shifted, 0, 10_000)).as("outside the range").isTrue();
  }

  @Test
  void select_onALargeInputWhoseValueAtKDefeatsThePivot_needsNoSort() {
    // The same trap on 5000 and 20000 values, at k = 0 and, mirrored, at k = n - 1: a pivot taken
    // at k would discard one value per step and end in the fallback sort. The pivot selected
    // within a sample around k lands near the answer, so a few partitions settle it and the
    // rest of the data stays unsorted.
    for (int n : new int[] {5000, 20_000}) {
      double[] data = maxFirst(n, 100, 2);
      double[] scratch = data.clone();
      assertThat(Select.select(scratch, 0, n - 1, 0)).isZero();
      assertThat(isSorted(scratch, 0, n)).as("n=%d, k=0", n).isFalse();

      double[] mirrored = new double[n];
      for (int i = 0; i < n; i++) {
        mirrored[i] = -data[n - 1 - i];
      }
      assertThat(Select.select(mirrored, 0, n - 1, n - 1)).isZero();
      assertThat(isSorted(mirrored, 0, n)).as("n=%d, k=n-1", n).isFalse();
    }
  }

  /**
   * {@code n} distinct values where a pivot taken at index 0 is the largest value left for the
   * first {@code bad} partition steps: the largest value first, the next largest ones at the end in
   * descending order from the last index, the others shuffled in between.
   */
  private static double[] maxFirst(int n, int bad, long seed) {
    double[] a = new double[n];
    a[0] = n - 1;
    for (int t = 1; t < bad; t++) {
      a[n - t] = n - 1 - t;
    }
    int rest = n - bad;
    for (int i = 0; i < rest; i++) {
      a[1 + i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = rest - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      double t = a[1 + i];
      a[1 + i] = a[1 + j];
      a[1 + j] = t;
    }
    return a;
  }

  private static boolean isSorted(double[] a, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      if (a[i] < a[i - 1]) {
        return false;
      }
    }
    return true;
  }

  private static void assertPartitioned(double[] data, int k) {
    double[] sorted = data.clone();
    Arrays.sort(sorted);
    double value = Select.select(data, 0, data.length - 1, k);
    assertThat(value).as("k=%d", k).isEqualTo(sorted[k]);
    assertThat(data[k]).isEqualTo(sorted[k]);
    for (int i = 0; i < k; i++) {
      assertThat(data[i]).isLessThanOrEqualTo(value);
    }
    for (int i = k + 1; i < data.length; i++) {
      assertThat(data[i]).isGreaterThanOrEqualTo(value);
    }
    double[] after = data.clone();
    Arrays.sort(after);
    assertThat(after).as("select only permutes").containsExactly(sorted);
  }
}
