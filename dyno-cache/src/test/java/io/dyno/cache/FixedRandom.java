package io.dyno.cache;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/** A generator whose {@code nextDouble()} returns a value set by the test, and counts its draws. */
final class FixedRandom implements RandomGenerator {
  private volatile double next;
  private final AtomicInteger draws = new AtomicInteger();

  /** Draws will return {@code r}, in [0, 1): XFetch then uses u = 1 − r. */
  FixedRandom(double r) {
    this.next = r;
  }

  /** Returns a generator whose draws give XFetch exactly {@code u}. */
  static FixedRandom withU(double u) {
    return new FixedRandom(1.0 - u);
  }

  void set(double r) {
    this.next = r;
  }

  int draws() {
    return draws.get();
  }

  @Override
  public double nextDouble() {
    draws.incrementAndGet();
    return next;
  }

  @Override
  public long nextLong() {
    throw new UnsupportedOperationException("only nextDouble is used");
  }
}
