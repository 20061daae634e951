package io.dyno.utils;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;

/**
 * Descriptive statistics of a finite sample: mean, sample variance and standard deviation,
 * extremes, median and percentiles.
 *
 * <pre>{@code
 * double[] latencies = {12, 15, 11, 40, 13};
 * Stats.mean(latencies);           // 18.2
 * Stats.median(latencies);         // 13.0
 * Stats.percentile(latencies, 90); // 30.0
 * Summary s = Stats.summarize(latencies);
 * }</pre>
 *
 * <p>Every method takes the data as a {@code double[]}, a {@code long[]} or a collection of
 * numbers, and none of them changes its argument: percentiles are found by selection in a private
 * copy, which costs linear time and one copy of the data. Values must not be NaN; infinities follow
 * IEEE arithmetic (a sample holding both infinities has a NaN mean). {@code long} values above
 * 2<sup>53 </sup> in magnitude are rounded to the nearest {@code double}, except by {@link
 * #min(long[])} and {@link #max(long[])}, which are exact.
 *
 * <p>Empty data, a NaN value, a null collection element and a percentile outside [0, 100] fail with
 * an {@link IllegalArgumentException} or {@link NullPointerException} that names the problem.
 *
 * <p>Stateless and thread-safe; the arrays passed in must not be changed by another thread during a
 * call.
 */
public final class Stats {

  private Stats() {}

  // ---------------------------------------------------------------- mean, variance, stddev

  /**
   * Returns the arithmetic mean, summed with compensation so that it stays accurate for long
   * samples and values of mixed magnitude.
   *
   * @param data the sample, not empty
   * @return the mean
   */
  public static double mean(double[] data) {
    checkNotEmpty(data);
    return sum(data) / data.length;
  }

  /**
   * Returns the arithmetic mean.
   *
   * @param data the sample, not empty
   * @return the mean
   */
  public static double mean(long[] data) {
    return mean(toDoubles(data));
  }

  /**
   * Returns the arithmetic mean.
   *
   * @param data the sample, not empty, no null element
   * @return the mean
   */
  public static double mean(Collection<? extends Number> data) {
    return mean(toDoubles(data));
  }

  /**
   * Returns the sample variance, the sum of squared deviations from the mean divided by n − 1, or 0
   * for a single value. Computed in two passes with a correction term, so it does not lose
   * precision when the mean is large relative to the spread.
   *
   * <p>Finite data whose variance exceeds {@link Double#MAX_VALUE} gives positive infinity, as
   * numpy does, and never NaN; finite data whose variance fits gives it even when the sum or the
   * squares would overflow on the way. Data holding an infinity gives NaN, as in IEEE arithmetic.
   *
   * @param data the sample, not empty
   * @return the sample variance, never negative
   */
  public static double variance(double[] data) {
    checkNotEmpty(data);
    if (data.length == 1) {
      return 0.0;
    }
    double variance = correctedTwoPass(data);
    if (Double.isFinite(variance)) {
      return variance;
    }
    // The sum or the squares overflowed. For finite data, redo the passes on the data scaled by a
    // power of two (exact) so that the largest magnitude is below 1, and scale the result back:
    // it then overflows only if the variance itself does, and to +inf rather than inf - inf.
    double largest = 0.0;
    for (double x : data) {
      largest = Math.max(largest, Math.abs(x));
    }
    if (!Double.isFinite(largest)) {
      return variance;
    }
    int exponent = Math.getExponent(largest) + 1;
    double scale = Math.scalb(1.0, -exponent);
    double[] scaled = new double[data.length];
    for (int i = 0; i < data.length; i++) {
      scaled[i] = data[i] * scale;
    }
    return Math.scalb(correctedTwoPass(scaled), 2 * exponent);
  }

  /** The corrected two-pass sample variance of {@code data}. */
  private static double correctedTwoPass(double[] data) {
    int n = data.length;
    double mean = sum(data) / n;
    double squares = 0.0;
    double deviations = 0.0;
    for (double x : data) {
      double d = x - mean;
      squares += d * d;
      deviations += d;
    }
    // The deviations sum to zero in exact arithmetic; subtracting what rounding left of them
    // is the corrected two-pass algorithm (Chan, Golub and LeVeque).
    return Math.max(0.0, (squares - deviations * deviations / n) / (n - 1));
  }

  /**
   * Returns the sample variance (n − 1), or 0 for a single value.
   *
   * @param data the sample, not empty
   * @return the sample variance
   */
  public static double variance(long[] data) {
    return variance(toDoubles(data));
  }

  /**
   * Returns the sample variance (n − 1), or 0 for a single value.
   *
   * @param data the sample, not empty, no null element
   * @return the sample variance
   */
  public static double variance(Collection<? extends Number> data) {
    return variance(toDoubles(data));
  }

  /**
   * Returns the sample standard deviation, the square root of {@link #variance(double[])}.
   *
   * @param data the sample, not empty
   * @return the sample standard deviation
   */
  public static double stddev(double[] data) {
    return Math.sqrt(variance(data));
  }

  /**
   * Returns the sample standard deviation.
   *
   * @param data the sample, not empty
   * @return the sample standard deviation
   */
  public static double stddev(long[] data) {
    return Math.sqrt(variance(data));
  }

  /**
   * Returns the sample standard deviation.
   *
   * @param data the sample, not empty, no null element
   * @return the sample standard deviation
   */
  public static double stddev(Collection<? extends Number> data) {
    return Math.sqrt(variance(data));
  }

  // ---------------------------------------------------------------- extremes

  /**
   * Returns the smallest value.
   *
   * @param data the sample, not empty
   * @return the minimum
   */
  public static double min(double[] data) {
    checkNotEmpty(data);
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < data.length; i++) {
      double x = data[i];
      if (Double.isNaN(x)) {
        throw nanAt(i);
      }
      min = Math.min(min, x);
    }
    return min;
  }

  /**
   * Returns the smallest value, exactly.
   *
   * @param data the sample, not empty
   * @return the minimum
   */
  public static long min(long[] data) {
    checkNotEmpty(data);
    long min = Long.MAX_VALUE;
    for (long x : data) {
      min = Math.min(min, x);
    }
    return min;
  }

  /**
   * Returns the smallest value.
   *
   * @param data the sample, not empty, no null element
   * @return the minimum
   */
  public static double min(Collection<? extends Number> data) {
    return min(toDoubles(data));
  }

  /**
   * Returns the largest value.
   *
   * @param data the sample, not empty
   * @return the maximum
   */
  public static double max(double[] data) {
    checkNotEmpty(data);
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < data.length; i++) {
      double x = data[i];
      if (Double.isNaN(x)) {
        throw nanAt(i);
      }
      max = Math.max(max, x);
    }
    return max;
  }

  /**
   * Returns the largest value, exactly.
   *
   * @param data the sample, not empty
   * @return the maximum
   */
  public static long max(long[] data) {
    checkNotEmpty(data);
    long max = Long.MIN_VALUE;
    for (long x : data) {
      max = Math.max(max, x);
    }
    return max;
  }

  /**
   * Returns the largest value.
   *
   * @param data the sample, not empty, no null element
   * @return the maximum
   */
  public static double max(Collection<? extends Number> data) {
    return max(toDoubles(data));
  }

  // ---------------------------------------------------------------- median and percentiles

  /**
   * Returns the median: the middle value, or the mean of the two middle values for an even count.
   *
   * @param data the sample, not empty
   * @return the median
   */
  public static double median(double[] data) {
    return percentile(data, 50);
  }

  /**
   * Returns the median.
   *
   * @param data the sample, not empty
   * @return the median
   */
  public static double median(long[] data) {
    return percentile(data, 50);
  }

  /**
   * Returns the median.
   *
   * @param data the sample, not empty, no null element
   * @return the median
   */
  public static double median(Collection<? extends Number> data) {
    return percentile(data, 50);
  }

  /**
   * Returns the p-th percentile by linear interpolation between the closest ranks ({@link
   * Percentile#LINEAR}, Hyndman and Fan's type 7, as numpy's default).
   *
   * @param data the sample, not empty; not changed
   * @param p the percentile, in [0, 100]
   * @return the percentile, between the minimum and the maximum
   */
  public static double percentile(double[] data, double p) {
    return percentile(data, p, Percentile.LINEAR);
  }

  /**
   * Returns the p-th percentile by the given method.
   *
   * @param data the sample, not empty; not changed
   * @param p the percentile, in [0, 100]
   * @param method how a rank between two data points becomes a value
   * @return the percentile, between the minimum and the maximum
   */
  public static double percentile(double[] data, double p, Percentile method) {
    checkNotEmpty(data);
    return selectPercentile(data.clone(), p, method);
  }

  /**
   * Returns the p-th percentile by linear interpolation ({@link Percentile#LINEAR}).
   *
   * @param data the sample, not empty
   * @param p the percentile, in [0, 100]
   * @return the percentile
   */
  public static double percentile(long[] data, double p) {
    return percentile(data, p, Percentile.LINEAR);
  }

  /**
   * Returns the p-th percentile by the given method.
   *
   * @param data the sample, not empty
   * @param p the percentile, in [0, 100]
   * @param method how a rank between two data points becomes a value
   * @return the percentile
   */
  public static double percentile(long[] data, double p, Percentile method) {
    return selectPercentile(toDoubles(data), p, method);
  }

  /**
   * Returns the p-th percentile by linear interpolation ({@link Percentile#LINEAR}).
   *
   * @param data the sample, not empty, no null element
   * @param p the percentile, in [0, 100]
   * @return the percentile
   */
  public static double percentile(Collection<? extends Number> data, double p) {
    return percentile(data, p, Percentile.LINEAR);
  }

  /**
   * Returns the p-th percentile by the given method.
   *
   * @param data the sample, not empty, no null element
   * @param p the percentile, in [0, 100]
   * @param method how a rank between two data points becomes a value
   * @return the percentile
   */
  public static double percentile(Collection<? extends Number> data, double p, Percentile method) {
    return selectPercentile(toDoubles(data), p, method);
  }

  // ---------------------------------------------------------------- summary

  /**
   * Returns the count, mean, standard deviation, extremes and the 50th, 90th and 99th percentiles
   * of the sample, from one sorted copy.
   *
   * @param data the sample, not empty; not changed
   * @return the summary
   */
  public static Summary summarize(double[] data) {
    checkNotEmpty(data);
    return summarizeOwned(data.clone());
  }

  /**
   * Returns the summary of the sample.
   *
   * @param data the sample, not empty
   * @return the summary
   */
  public static Summary summarize(long[] data) {
    return summarizeOwned(toDoubles(data));
  }

  /**
   * Returns the summary of the sample.
   *
   * @param data the sample, not empty, no null element
   * @return the summary
   */
  public static Summary summarize(Collection<? extends Number> data) {
    return summarizeOwned(toDoubles(data));
  }

  // ---------------------------------------------------------------- internals

  /** Finds a percentile in {@code scratch}, a copy this call owns and may reorder. */
  private static double selectPercentile(double[] scratch, double p, Percentile method) {
    checkPercentile(p);
    Objects.requireNonNull(method, "method must not be null");
    checkNoNaN(scratch);
    return method.estimate(Ranks.selecting(scratch), scratch.length, p);
  }

  /** Summarizes {@code owned}, a non-empty copy this call owns and may sort. */
  private static Summary summarizeOwned(double[] owned) {
    // sum rejects NaN, naming the first index that holds one.
    double mean = sum(owned) / owned.length;
    double stddev = Math.sqrt(variance(owned));
    Arrays.sort(owned);
    Ranks ranks = Ranks.sorted(owned);
    int n = owned.length;
    return new Summary(
        n,
        mean,
        stddev,
        owned[0],
        Percentile.LINEAR.estimate(ranks, n, 50),
        Percentile.LINEAR.estimate(ranks, n, 90),
        Percentile.LINEAR.estimate(ranks, n, 99),
        owned[n - 1]);
  }

  /**
   * Kahan–Babuška (Neumaier) compensated sum; rejects NaN, since every statistic passes through
   * here or through {@link #checkNoNaN}.
   */
  private static double sum(double[] data) {
    double sum = 0.0;
    double compensation = 0.0;
    for (int i = 0; i < data.length; i++) {
      double x = data[i];
      if (Double.isNaN(x)) {
        throw nanAt(i);
      }
      double t = sum + x;
      compensation += Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
      sum = t;
    }
    double total = sum + compensation;
    // With infinities the compensation is NaN; the plain sum is then the IEEE answer.
    return Double.isNaN(total) ? sum : total;
  }

  private static void checkNotEmpty(double[] data) {
    Objects.requireNonNull(data, "data must not be null");
    if (data.length == 0) {
      throw new IllegalArgumentException("data must not be empty");
    }
  }

  private static void checkNotEmpty(long[] data) {
    Objects.requireNonNull(data, "data must not be null");
    if (data.length == 0) {
      throw new IllegalArgumentException("data must not be empty");
    }
  }

  private static void checkNoNaN(double[] data) {
    for (int i = 0; i < data.length; i++) {
      if (Double.isNaN(data[i])) {
        throw nanAt(i);
      }
    }
  }

  private static IllegalArgumentException nanAt(int index) {
    return new IllegalArgumentException("data must not contain NaN, found at index " + index);
  }

  private static void checkPercentile(double p) {
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("p must be in [0, 100], was " + p);
    }
  }

  private static double[] toDoubles(long[] data) {
    checkNotEmpty(data);
    double[] values = new double[data.length];
    for (int i = 0; i < data.length; i++) {
      values[i] = data[i];
    }
    return values;
  }

  private static double[] toDoubles(Collection<? extends Number> data) {
    Objects.requireNonNull(data, "data must not be null");
    if (data.isEmpty()) {
      throw new IllegalArgumentException("data must not be empty");
    }
    double[] values = new double[data.size()];
    int i = 0;
    for (Number x : data) {
      if (x == null) {
        throw new NullPointerException("data must not contain null, found at index " + i);
      }
      if (i == values.length) {
        throw new IllegalArgumentException("data changed size while being read");
      }
      values[i++] = x.doubleValue();
    }
    if (i != values.length) {
      throw new IllegalArgumentException("data changed size while being read");
    }
    return values;
  }
}
