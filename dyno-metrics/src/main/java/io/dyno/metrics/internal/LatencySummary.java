package io.dyno.metrics.internal;

import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What a snapshot shows of a latency window: the count, the mean and the latency at each asked-for
 * percentile, computed from sorted (value, count) runs exactly as HdrHistogram computes them from a
 * histogram holding the same values.
 *
 * <p>Immutable.
 */
public final class LatencySummary {

  private final long count;
  private final double mean;
  private final long[] atPercentile;

  private LatencySummary(long count, double mean, long[] atPercentile) {
    this.count = count;
    this.mean = mean;
    this.atPercentile = atPercentile;
  }

  /**
   * Summarizes values held as runs: {@code values[i]} is the lowest value of an HdrHistogram bucket
   * (3 digits, lowest discernible value 1), ascending and distinct, and {@code counts[i]} how many
   * values fell in it. Matches {@link Histogram#getTotalCount}, {@link Histogram#getMean}, {@link
   * Histogram#getMinValue} for percentile 0, {@link Histogram#getMaxValue} for 100, and {@link
   * Histogram#getValueAtPercentile} for the others; all zero when there are no values.
   *
   * @param values the runs' lowest values
   * @param counts the runs' counts, positive
   * @param size the number of runs
   * @param percentiles the percentiles wanted, each in [0, 100]
   * @param shape a histogram of the same layout, asked only for its value equivalences
   * @return the summary
   */
  static LatencySummary of(
      long[] values, long[] counts, int size, List<Double> percentiles, Histogram shape) {
    long total = 0;
    for (int i = 0; i < size; i++) {
      total += counts[i];
    }
    long[] at = new long[percentiles.size()];
    if (total == 0) {
      return new LatencySummary(0, 0.0, at);
    }
    // The mean as HdrHistogram sums it: ascending, each bucket's median times its count, in
    // doubles, so that the last digit agrees too.
    double sum = 0;
    for (int i = 0; i < size; i++) {
      long iteratedTo = shape.highestEquivalentValue(values[i]);
      sum += (double) shape.medianEquivalentValue(iteratedTo) * (double) counts[i];
    }
    for (int k = 0; k < at.length; k++) {
      double p = percentiles.get(k);
      if (p == 0.0) {
        at[k] = values[0];
      } else if (p == 100.0) {
        at[k] = values[size - 1] == 0 ? 0 : shape.highestEquivalentValue(values[size - 1]);
      } else {
        at[k] = valueAtPercentile(values, counts, size, total, p, shape);
      }
    }
    return new LatencySummary(total, sum / total, at);
  }

  /** HdrHistogram's {@code getValueAtPercentile}, step for step, over runs instead of indexes. */
  private static long valueAtPercentile(
      long[] values, long[] counts, int size, long total, double p, Histogram shape) {
    double requested = Math.min(Math.max(Math.nextAfter(p, Double.NEGATIVE_INFINITY), 0), 100.0);
    long countAt = Math.max(1, (long) Math.ceil(requested * total / 100.0));
    long cumulative = 0;
    for (int i = 0; i < size; i++) {
      cumulative += counts[i];
      if (cumulative >= countAt) {
        return shape.highestEquivalentValue(values[i]);
      }
    }
    return 0;
  }

  /**
   * Returns the number of values.
   *
   * @return the count
   */
  public long count() {
    return count;
  }

  /**
   * Returns the mean, in the values' unit; 0 with no values.
   *
   * @return the mean
   */
  public double mean() {
    return mean;
  }

  /**
   * Returns the value at the {@code k}th of the percentiles asked for.
   *
   * @param k the index into the percentiles
   * @return the value
   */
  public long atPercentile(int k) {
    return atPercentile[k];
  }

  @Override
  public String toString() {
    return "LatencySummary[count="
        + count
        + ", mean="
        + mean
        + ", "
        + Arrays.toString(atPercentile)
        + "]";
  }
}
