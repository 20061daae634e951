package io.dyno.cache.redis;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/** Early-recompute draws of a value the test sets, counted. */
final class Draws implements RandomGenerator {
  private volatile double next;
  private final AtomicInteger count = new AtomicInteger();

  Draws(double next) {
    this.next = next;
  }

  /** Sets the value of the next draws. */
  void set(double next) {
    this.next = next;
  }

  /** How many draws were made. */
  int count() {
    return count.get();
  }

  @Override
  public double nextDouble() {
    count.incrementAndGet();
    return next;
  }

  @Override
  public long nextLong() {
    throw new UnsupportedOperationException("only nextDouble is used");
  }
}
