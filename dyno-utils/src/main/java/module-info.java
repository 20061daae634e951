/**
 * Descriptive statistics: means, variances and percentiles of samples, and a thread-safe online
 * accumulator. Depends on nothing but the JDK.
 */
module io.dyno.utils {
  requires static org.jspecify;

  exports io.dyno.utils;
}
