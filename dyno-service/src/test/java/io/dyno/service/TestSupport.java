package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.testing.FakeTicker;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Helpers shared by the service tests: bounded waits, fake-clock metrics and breakers. */
final class TestSupport {

  /** How long any wait for another thread may take before the test fails. */
  static final long WAIT_SECONDS = 10;

  private TestSupport() {}

  /** Metrics whose clock is {@code now}. */
  static Metrics metrics(String name, FakeTicker now) {
    return Metrics.builder(name).ticker(now).build();
  }

  /** A breaker whose clock is {@code now}, that opens after {@code minimumCalls} failed calls. */
  static Breaker breaker(String name, FakeTicker now, int minimumCalls) {
    return Breaker.builder(name).ticker(now).minimumCalls(minimumCalls).build();
  }

  /** Waits for {@code latch} and fails the test if it does not open in time. */
  static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("latch opened in time").isTrue();
  }

  /** The result of {@code future}, waited for within the bound. */
  static <T> T result(Future<T> future) throws Exception {
    return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Spins until {@code condition} holds, for a state another thread reaches without a hook to
   * signal it; fails the test after the bound. Never sleeps.
   */
  static void spinUntil(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
      Thread.onSpinWait();
    }
  }

  /** The live threads whose names start with {@code prefix}. */
  static List<Thread> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
        .toList();
  }

  /** Joins every live thread named with {@code prefix} and asserts that none is left. */
  static void assertThreadsGone(String prefix) throws InterruptedException {
    for (Thread t : threadsNamed(prefix)) {
      t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    }
    assertThat(threadsNamed(prefix)).as("threads named " + prefix + "*").isEmpty();
  }
}
