package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.Limiter;
import io.dyno.breaker.Throttle;
import io.dyno.metrics.Metrics;
import io.dyno.testing.FakeTicker;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * What a throttle and a limiter add to a successful call on the caller's thread: no allocation and
 * no clock read of the service's own.
 */
class ServiceLimitCostTest {

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);

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
  void directCall_withBreakerThrottleAndAdaptiveLimiter_allocatesNothing() throws Exception {
    Callable<String> work = () -> "hits";
    Service<String> service =
        Service.builder("search", work)
            .breaker(Breaker.builder("search").ticker(now).build())
            .throttle(Throttle.builder("search").ticker(now).build())
            .limiter(Limiter.builder("search").aimd().ticker(now).build())
            .metrics(Metrics.builder("search").ticker(now).build())
            .build();
    for (int i = 0; i < 20_000; i++) {
      service.call();
    }
    allocatedBytes();
    long before = allocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      service.call();
    }
    long allocated = allocatedBytes() - before;
    // One allocation per call would be at least 1.6 MB; allow for the measurement's own.
    assertThat(allocated).isLessThan(10_000);
  }
}
