package io.dyno.utils;

/**
 * A definition of the p-th percentile of a finite sample: how a rank between two data points
 * becomes a value.
 *
 * <p>With the data sorted ascending as x<sub>0</sub> ≤ … ≤ x<sub>n−1</sub> and p in [0, 100], all
 * methods but {@link #NEAREST_RANK} start from the fractional index h = (n − 1)·p/100, as numpy's
 * {@code percentile} does, and differ only in what they do when h falls between two indexes. For
 * every method, p = 0 gives the minimum and p = 100 the maximum.
 *
 * <pre>{@code
 * double[] latencies = {12, 15, 11, 40, 13};
 * Stats.percentile(latencies, 90);                          // 30.0 (LINEAR, the default)
 * Stats.percentile(latencies, 90, Percentile.NEAREST_RANK); // 40.0
 * }</pre>
 */
public enum Percentile {

  /**
   * Linear interpolation between the two closest ranks: x<sub>⌊h⌋</sub> + (h − ⌊h⌋)·
   * (x<sub>⌊h⌋+1</sub> − x<sub>⌊h⌋</sub>). Hyndman and Fan's type 7; the default of numpy, R,
   * Excel's {@code PERCENTILE.INC} and {@link Stats#percentile(double[], double)}.
   */
  LINEAR {
    @Override
    double estimate(Ranks x, int n, double p) {
      double h = fractionalIndex(n, p);
      int i = (int) h;
      double lower = x.at(i);
      // An exact rank needs no neighbour; this also keeps an infinite neighbour from turning
      // 0 * infinity into NaN, and covers p = 100, where there is no neighbour.
      if (i == h) {
        return lower;
      }
      return interpolate(lower, x.at(i + 1), h - i);
    }
  },

  /** The lower of the two closest ranks: x<sub>⌊h⌋</sub>. */
  LOWER {
    @Override
    double estimate(Ranks x, int n, double p) {
      return x.at((int) fractionalIndex(n, p));
    }
  },

  /** The higher of the two closest ranks: x<sub>⌈h⌉</sub>. */
  HIGHER {
    @Override
    double estimate(Ranks x, int n, double p) {
      return x.at((int) Math.ceil(fractionalIndex(n, p)));
    }
  },

  /**
   * The closest rank: x<sub>round(h)</sub>, where a tie (h exactly halfway) goes to the even index,
   * as numpy's {@code method="nearest"} does.
   */
  NEAREST {
    @Override
    double estimate(Ranks x, int n, double p) {
      return x.at((int) Math.rint(fractionalIndex(n, p)));
    }
  },

  /** The mean of the two closest ranks: (x<sub>⌊h⌋</sub> + x<sub>⌈h⌉</sub>) / 2. */
  MIDPOINT {
    @Override
    double estimate(Ranks x, int n, double p) {
      double h = fractionalIndex(n, p);
      int i = (int) h;
      double lower = x.at(i);
      if (i == h) {
        return lower;
      }
      return midpoint(lower, x.at(i + 1));
    }
  },

  /**
   * The value at index ⌊n·p/100⌋ of the sorted data (the last value when that index is n, at p =
   * 100). The original Python Dyno's definition, kept so numbers carried over from it match; it
   * never interpolates, so the result is always one of the data points.
   */
  NEAREST_RANK {
    @Override
    double estimate(Ranks x, int n, double p) {
      int k = (int) Math.floor(n * p / 100.0);
      return x.at(Math.min(k, n - 1));
    }
  };

  /**
   * Returns this method's p-th percentile of {@code n} values.
   *
   * @param x the order statistics of the values
   * @param n how many values there are, at least 1
   * @param p the percentile, in [0, 100]
   */
  abstract double estimate(Ranks x, int n, double p);

  private static double fractionalIndex(int n, double p) {
    return (n - 1) * p / 100.0;
  }

  /**
   * Linear interpolation that is exact at both ends and monotone in {@code t}: it works from
   * whichever end is nearer, as numpy does, so {@code t = 1} yields {@code b} exactly; and unlike
   * numpy it stays finite between finite values at the opposite ends of the double range, and is
   * the infinity between an infinity and a finite value (numpy gives NaN on one side of t = 0.5).
   */
  private static double interpolate(double a, double b, double t) {
    if (a == b) {
      return a;
    }
    double diff = b - a;
    if (Double.isInfinite(diff)) {
      // Two finite values more than Double.MAX_VALUE apart, or an infinity: weight them instead of
      // subtracting, which gives the finite answer for the one and the infinity for the other
      // (NaN between -inf and +inf, as in IEEE arithmetic).
      return a * (1 - t) + b * t;
    }
    return t < 0.5 ? a + diff * t : b - diff * (1 - t);
  }

  /** The mean of two values, without overflowing to infinity for large finite ones. */
  private static double midpoint(double a, double b) {
    double m = (a + b) / 2;
    // An infinite m comes from finite values whose sum overflows, where halving first stays finite,
    // or from an infinite value, where halving first gives the same infinity.
    return Double.isInfinite(m) ? a / 2 + b / 2 : m;
  }
}
