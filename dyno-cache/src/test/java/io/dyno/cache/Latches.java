package io.dyno.cache;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waits of the cache's thread tests: bounded, so a broken test fails instead of hanging. */
final class Latches {

  /** How long a test waits for another thread before it fails. */
  static final long WAIT_SECONDS = 10;

  private Latches() {}

  /** Waits for {@code latch}; fails if it is not released in time or the thread is interrupted. */
  static void await(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Returns once {@code thread} is parked; polls its state, as the JSR-166 TCK does. */
  static void awaitParked(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (thread.getState() != Thread.State.WAITING) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("still " + thread.getState());
      }
      Thread.onSpinWait();
    }
  }
}
