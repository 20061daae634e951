package io.dyno.metrics.internal;

import io.dyno.metrics.internal.hdr.Histogram;
import java.util.Arrays;
import java.util.List;

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
   * Summarizes values held as several sets of runs, merged as one: in set {@code s}, {@code
   * values[s][i]} is the lowest value of an HdrHistogram bucket (3 digits, lowest discernible value
   * 1), ascending and distinct within the set, and {@code counts[s][i]} how many values fell in it;
   * a value held by several sets counts once with their counts added. Matches {@link
   * Histogram#getTotalCount}, {@link Histogram#getMean}, {@link Histogram#getMinValue} for
   * percentile 0, {@link Histogram#getMaxValue} for 100, and {@link Histogram#getValueAtPercentile}
   * for the others, of a histogram holding every set; all zero when there are no values. The sets
   * are merged as they are read, without copying them.
   *
   * <p>HdrHistogram's mean adds, in doubles and in ascending order of value, each bucket's median
   * times its count; the walk adds the same terms in the same order, so that the mean agrees to the
   * last bit even where doubles stop adding integers exactly, past 2<sup>53</sup>.
   *
   * @param values each set's runs' lowest values
   * @param counts each set's runs' counts, positive
   * @param sizes each set's number of runs
   * @param sets the indexes of the sets to merge, in their first {@code k} places
   * @param k the number of sets to merge
   * @param cursors room for {@code k} positions, overwritten
   * @param percentiles the percentiles wanted, each in [0, 100]
   * @param shape a histogram of the same layout, asked only for its value equivalences
   * @return the summary
   */
  static LatencySummary ofMerged(
      long[][] values,
      long[][] counts,
      int[] sizes,
      int[] sets,
      int k,
      int[] cursors,
      List<Double> percentiles,
      Histogram shape) {
    long total = 0;
    for (int j = 0; j < k; j++) {
      long[] c = counts[sets[j]];
      for (int i = 0; i < sizes[sets[j]]; i++) {
        total += c[i];
      }
    }
    int wanted = percentiles.size();
    long[] at = new long[wanted];
    if (total == 0) {
      return new LatencySummary(0, 0.0, at);
    }
    // The rank each percentile falls at, as HdrHistogram's getValueAtPercentile computes it.
    long[] countAt = new long[wanted];
    long pending = Long.MAX_VALUE;
    for (int q = 0; q < wanted; q++) {
      double p = percentiles.get(q);
      double requested = Math.min(Math.max(Math.nextAfter(p, Double.NEGATIVE_INFINITY), 0), 100.0);
      countAt[q] = Math.max(1, (long) Math.ceil(requested * total / 100.0));
      pending = Math.min(pending, countAt[q]);
    }
    Arrays.fill(cursors, 0, k, 0);
    double sum = 0;
    long cumulative = 0;
    long min = -1;
    long max = 0;
    while (true) {
      long v = Long.MAX_VALUE;
      for (int j = 0; j < k; j++) {
        int s = sets[j];
        if (cursors[j] < sizes[s]) {
          v = Math.min(v, values[s][cursors[j]]);
        }
      }
      if (v == Long.MAX_VALUE) {
        break;
      }
      long c = 0;
      for (int j = 0; j < k; j++) {
        int s = sets[j];
        if (cursors[j] < sizes[s] && values[s][cursors[j]] == v) {
          c += counts[s][cursors[j]++];
        }
      }
      if (min < 0) {
        min = v;
      }
      max = v;
      // The mean as HdrHistogram sums it: ascending, each bucket's median times its count, in
      // doubles, so that the last digit agrees too.
      sum += (double) shape.medianEquivalentValue(shape.highestEquivalentValue(v)) * (double) c;
      long before = cumulative;
      cumulative += c;
      if (cumulative >= pending) {
        long iteratedTo = shape.highestEquivalentValue(v);
        pending = Long.MAX_VALUE;
        for (int q = 0; q < wanted; q++) {
          if (countAt[q] > before && countAt[q] <= cumulative) {
            at[q] = iteratedTo;
          } else if (countAt[q] > cumulative) {
            pending = Math.min(pending, countAt[q]);
          }
        }
      }
    }
    for (int q = 0; q < wanted; q++) {
      double p = percentiles.get(q);
      if (p == 0.0) {
        at[q] = min;
      } else if (p == 100.0) {
        at[q] = shape.highestEquivalentValue(max);
      }
    }
    return new LatencySummary(total, sum / total, at);
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
