package io.dyno.cache.redis;

import java.util.random.RandomGenerator;

/** A generator whose {@code nextDouble()} always returns the value the test set. */
final class FixedRandom implements RandomGenerator {
  private final double next;

  private FixedRandom(double next) {
    this.next = next;
  }

  /** Draws that give XFetch u = 1 − r as small as a draw can: an early recompute whenever δ > 0. */
  static FixedRandom alwaysEarly() {
    return new FixedRandom(Math.nextDown(1.0));
  }

  /** Draws that give XFetch u = 1: never early before expiry. */
  static FixedRandom neverEarly() {
    return new FixedRandom(0.0);
  }

  @Override
  public double nextDouble() {
    return next;
  }

  @Override
  public long nextLong() {
    throw new UnsupportedOperationException("only nextDouble is used");
  }
}
