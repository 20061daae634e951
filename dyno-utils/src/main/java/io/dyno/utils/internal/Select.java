package io.dyno.utils.internal;

import java.util.Arrays;

/**
 * Order-statistic selection on a scratch array: finds the k-th smallest value in expected linear
 * time without sorting the whole array.
 *
 * <p>Floyd and Rivest's SELECT (CACM algorithm 489): on a large range it first selects within a
 * small sample around the expected position of the k-th value, so the pivot lands close to it and
 * one partition discards most of the range; about n + min(k, n − k) comparisons in all. A budget on
 * the partitioning steps guards the worst case: when it runs out, the remaining range is sorted,
 * which keeps every input within O(n log n).
 *
 * <p>Not thread-safe: it reorders the array it is given.
 */
public final class Select {

  /** Ranges longer than this pick their pivot by selecting within a sample. */
  private static final int SAMPLING_THRESHOLD = 600;

  private Select() {}

  /**
   * Reorders {@code a[from..to]} so that {@code a[k]} holds the value that would be there if the
   * range were sorted, every value before it in the range is {@code <=} it, and every value after
   * it is {@code >=} it; returns {@code a[k]}.
   *
   * <p>The caller guarantees {@code 0 <= from <= k <= to < a.length} and that the array holds no
   * NaN.
   *
   * @param a the scratch array, reordered in place
   * @param from the first index of the range, inclusive
   * @param to the last index of the range, inclusive
   * @param k the rank to place, within the range
   * @return the k-th smallest value of the range
   */
  public static double select(double[] a, int from, int to, int k) {
    // Four times the binary logarithm of the range length: far more partitioning steps than
    // a sampled pivot needs; running out means the input defeats the pivot choice.
    int budget = 4 * (32 - Integer.numberOfLeadingZeros(to - from + 1));
    selectWithin(a, from, to, k, budget);
    return a[k];
  }

  private static void selectWithin(double[] a, int from, int to, int k, int budget) {
    int left = from;
    int right = to;
    while (right > left) {
      if (budget-- == 0) {
        Arrays.sort(a, left, right + 1);
        return;
      }
      if (right - left > SAMPLING_THRESHOLD) {
        // Select within a sample of size s around k's expected position, so that a[k] becomes a
        // pivot very likely to be within a few sample gaps of the true k-th value.
        int n = right - left + 1;
        int i = k - left + 1;
        double z = Math.log(n);
        double s = 0.5 * Math.exp(2 * z / 3);
        double sd = 0.5 * Math.sqrt(z * s * (n - s) / n) * Math.signum(i - n / 2.0);
        int sampleLeft = Math.max(left, (int) (k - i * s / n + sd));
        int sampleRight = Math.min(right, (int) (k + (n - i) * s / n + sd));
        selectWithin(a, sampleLeft, sampleRight, k, budget);
      }
      double pivot = a[k];
      int i = left;
      int j = right;
      swap(a, left, k);
      if (a[right] > pivot) {
        swap(a, right, left);
      }
      // The pivot now sits at one end and a value on the correct side of it at the other, so
      // both scans below stop inside the range.
      while (i < j) {
        swap(a, i, j);
        i++;
        j--;
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
      }
      if (a[left] == pivot) {
        swap(a, left, j);
      } else {
        j++;
        swap(a, j, right);
      }
      // The pivot is at j: a[left..j-1] <= pivot <= a[j+1..right].
      if (j <= k) {
        left = j + 1;
      }
      if (k <= j) {
        right = j - 1;
      }
    }
  }

  private static void swap(double[] a, int i, int j) {
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
