package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** The cost claims of {@link Metrics}' javadoc, checked by counting, not by timing. */
class MetricsCostTest {

  private final FakeTicker ticker = FakeTicker.startingAt(1_000);
  private final Metrics metrics = Metrics.builder("cost").ticker(ticker).build();

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
    long before = ticker.reads(); // the build read it once

    for (int i = 0; i < 1_000; i++) {
      metrics.run(() -> {});
    }

    assertThat(ticker.reads() - before).isEqualTo(2_000);
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
