package io.dyno.utils;

import io.dyno.utils.internal.Select;

/**
 * Access to the order statistics of a data set: {@code at(k)} is the value at index {@code k} of
 * the data sorted ascending. Callers ask for ranks in non-decreasing order, which lets the
 * selecting implementation narrow its search after each answer.
 */
interface Ranks {

  /** Returns the k-th smallest value, counting from 0. */
  double at(int k);

  /** Ranks of data that is already sorted ascending. */
  static Ranks sorted(double[] sorted) {
    return k -> sorted[k];
  }

  /** Ranks found by selection in a scratch array, which this reorders. */
  static Ranks selecting(double[] scratch) {
    return new Ranks() {
      // Every value before index `from` is <= every value from `from` on, so a rank at or past
      // `from` can be selected within [from, length).
      private int from;

      @Override
      public double at(int k) {
        double v = Select.select(scratch, from, scratch.length - 1, k);
        from = k;
        return v;
      }
    };
  }
}
