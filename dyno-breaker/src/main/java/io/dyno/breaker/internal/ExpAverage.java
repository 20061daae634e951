package io.dyno.breaker.internal;

/**
 * An exponential moving average over about {@code window} samples, which is the plain mean of the
 * first {@code warmup} samples. Not thread-safe.
 */
final class ExpAverage {

  private final double factor;
  private final int warmup;
  private int count;
  private double sum;
  private double value;

  ExpAverage(int window, int warmup) {
    this.factor = 2.0 / (window + 1);
    this.warmup = warmup;
  }

  /** Adds a sample and returns the average with it. */
  double add(double sample) {
    if (count < warmup) {
      count++;
      sum += sample;
      value = sum / count;
    } else {
      value = value * (1 - factor) + sample * factor;
    }
    return value;
  }

  /** Returns the average, 0 before the first sample. */
  double value() {
    return value;
  }

  /** Multiplies the average by {@code ratio}. */
  void scale(double ratio) {
    value *= ratio;
  }
}
