package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a successful call through a closed breaker costs: no clock read, no allocation. */
class BreakerCostTest {

  private final AtomicInteger reads = new AtomicInteger();

  private long countingTicker() {
    reads.incrementAndGet();
    return 0L;
  }

  @Test
  void closedBreaker_successfulCalls_readNoClock() throws Exception {
    Breaker b = Breaker.builder("cost").ticker(this::countingTicker).build();
    Runnable work = () -> {};
    for (int i = 0; i < 1_000; i++) {
      b.run(work);
      b.get(() -> "x");
      b.call(() -> "x");
      assertThat(b.tryAcquirePermission()).isTrue();
      b.onSuccess(0);
    }
    assertThat(reads.get()).isZero();
    assertThat(b.metrics().calls()).isEqualTo(4_000);
  }

  @Test
  void slowCallDetection_readsTheClockTwicePerCall() {
    Breaker b =
        Breaker.builder("timed")
            .slowCallThreshold(Duration.ofSeconds(1))
            .ticker(this::countingTicker)
            .build();
    b.run(() -> {});
    assertThat(reads.get()).isEqualTo(2);
  }

  /**
   * The bytes this thread has allocated, through the JDK's management API, reached by reflection
   * since the module does not read java.management.
   */
  private static long allocatedBytes() throws ReflectiveOperationException {
    Object bean =
        Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean")
            .invoke(null);
    Method bytes =
        Class.forName("com.sun.management.ThreadMXBean")
            .getMethod("getThreadAllocatedBytes", long.class);
    return (long) bytes.invoke(bean, Thread.currentThread().getId());
  }

  @Test
  void closedBreaker_successfulCalls_allocateNothing() throws Exception {
    Breaker b = Breaker.builder("cost").ticker(this::countingTicker).build();
    Runnable work = () -> {};
    for (int i = 0; i < 20_000; i++) {
      b.run(work);
    }
    allocatedBytes();
    long before = allocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      b.run(work);
    }
    long allocated = allocatedBytes() - before;
    // One allocation per call would be at least 1.6 MB; allow for the measurement's own.
    assertThat(allocated).isLessThan(10_000);
  }
}
