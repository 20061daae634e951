package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cost claims of {@link Metrics}' javadoc, checked by counting, not by timing. */
class MetricsCostTest {

  private final AtomicLong reads = new AtomicLong();
  private final Metrics metrics =
      Metrics.builder("cost")
          .ticker(
              () -> {
                reads.incrementAndGet();
                return 1_000L;
              })
          .build();

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
  void aSuccessfulCall_readsTheTickerTwice() {
    reads.set(0);

    for (int i = 0; i < 1_000; i++) {
      metrics.run(() -> {});
    }

    assertThat(reads.get()).isEqualTo(2_000);
    assertThat(metrics.snapshot().successes()).isEqualTo(1_000);
  }

  @Test
  void successfulCalls_allocateNothing() throws Exception {
    Runnable work = () -> {};
    for (int i = 0; i < 20_000; i++) {
      metrics.run(work);
    }
    allocatedBytes();
    long before = allocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      metrics.run(work);
    }
    long allocated = allocatedBytes() - before;

    // One allocation per call would be at least 1.6 MB; allow for the measurement's own.
    assertThat(allocated).isLessThan(10_000);
    assertThat(metrics.snapshot().latencyCount()).isEqualTo(120_000);
  }
}
