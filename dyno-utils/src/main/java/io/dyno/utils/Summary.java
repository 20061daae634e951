package io.dyno.utils;

/**
 * The shape of a sample at a glance: its size, centre, spread, extremes and the percentiles that
 * latency reports use. Percentiles are {@link Percentile#LINEAR}; {@code stddev} is the sample
 * standard deviation (n − 1), 0 for a single value.
 *
 * <p>Made by {@link Stats#summarize(double[])}; immutable.
 *
 * @param count how many values, at least 1
 * @param mean the arithmetic mean
 * @param stddev the sample standard deviation
 * @param min the smallest value
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param max the largest value
 */
public record Summary(
    long count,
    double mean,
    double stddev,
    double min,
    double p50,
    double p90,
    double p99,
    double max) {

  /**
   * Checks that the summary describes at least one value.
   *
   * @param count how many values, at least 1
   * @param mean the arithmetic mean
   * @param stddev the sample standard deviation
   * @param min the smallest value
   * @param p50 the median
   * @param p90 the 90th percentile
   * @param p99 the 99th percentile
   * @param max the largest value
   * @throws IllegalArgumentException if {@code count} is less than 1
   */
  public Summary {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, was " + count);
    }
  }
}
