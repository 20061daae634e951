package io.dyno.injection;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Small fakes for the injector tests. */
final class Fakes {

  /** How long a test waits for another thread before failing; generous for loaded machines. */
  static final long WAIT_SECONDS = 10;

  private Fakes() {}

  /** A resource that counts its opens and closes. */
  static final class Resource implements AutoCloseable {
    final String name;
    final Counter counter;
    final CountDownLatch closed = new CountDownLatch(1);

    Resource(String name, Counter counter) {
      this.name = name;
      this.counter = counter;
      counter.opens.incrementAndGet();
    }

    @Override
    public void close() {
      counter.closes.incrementAndGet();
      closed.countDown();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Counts opens and closes of resources. */
  static final class Counter {
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
  }

  /** Waits for a latch, failing the test after {@link #WAIT_SECONDS}. */
  static void await(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released within " + WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Waits for a latch, ignoring interrupts (restoring the flag after), like a stubborn driver. */
  static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("latch not released within " + WAIT_SECONDS + " s");
          }
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
