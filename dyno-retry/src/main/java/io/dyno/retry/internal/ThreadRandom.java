package io.dyno.retry.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The default source of randomness for jitter: every draw comes from the calling thread's own
 * {@link ThreadLocalRandom}, looked up at the draw.
 *
 * <p>Capturing {@code ThreadLocalRandom.current()} once, on the thread that builds a retry, and
 * drawing from it on other threads is what its documentation warns against: a thread that never
 * called {@code current()} itself draws from an unseeded state, whose sequence is the same in every
 * run of the JVM. Across a fleet, every client's worker threads would then draw the same jitter and
 * retry in step, which is what jitter exists to prevent.
 */
public final class ThreadRandom implements RandomGenerator {

  /** The one instance; it holds no state. */
  public static final RandomGenerator INSTANCE = new ThreadRandom();

  private ThreadRandom() {}

  @Override
  public long nextLong() {
    return ThreadLocalRandom.current().nextLong();
  }

  @Override
  public long nextLong(long bound) {
    return ThreadLocalRandom.current().nextLong(bound);
  }

  @Override
  public double nextDouble() {
    return ThreadLocalRandom.current().nextDouble();
  }

  @Override
  public String toString() {
    return "ThreadLocalRandom.current()";
  }
}
