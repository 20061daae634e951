package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.lang.reflect.Method;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a successful call through a closed breaker costs: one ticker reading, to count it in the
 * bucket of its time (none when the caller hands the time over), and no allocation.
 */
class BreakerCostTest {

  private final FakeTicker ticker = FakeTicker.create();
  private long readsAtBuild;

  /** Builds a breaker on the fake ticker and forgets the reading that starts its window. */
  private Breaker counted(BreakerBuilder builder) {
    Breaker b = builder.ticker(ticker).build();
    assertThat(ticker.reads()).as("the window's origin, read once at build").isEqualTo(1);
    readsAtBuild = ticker.reads();
    return b;
  }

  /** The ticker readings since the breaker was built. */
  private long reads() {
    return ticker.reads() - readsAtBuild;
  }

  @Test
  void closedBreaker_successThroughTheVerbs_readsTheTickerExactlyOncePerCall() throws Exception {
    Breaker b = counted(Breaker.builder("cost"));
    Runnable work = () -> {};
    for (int i = 0; i < 1_000; i++) {
      b.run(work);
      b.get(() -> "x");
      b.call(() -> "x");
      b.acquirePermission().onSuccess(0);
      assertThat(reads()).isEqualTo(4L * (i + 1));
    }
    assertThat(b.metrics().calls()).isEqualTo(4_000);
  }

  @Test
  void closedBreaker_successReportedWithItsEndTime_readsNoClock() {
    Breaker b = counted(Breaker.builder("cost"));
    for (int i = 0; i < 1_000; i++) {
      Breaker.Permit permit = b.tryAcquirePermission();
      assertThat(permit).isNotNull();
      permit.onResultAt(0L, 0L, "x");
    }
    assertThat(reads()).isZero();
    assertThat(b.metrics().calls()).isEqualTo(1_000);
  }

  @Test
  void closedBreaker_failureReportedWithItsEndTime_readsNoClock() {
    Breaker b = counted(Breaker.builder("cost").minimumCalls(100));
    for (int i = 0; i < 10; i++) {
      b.acquirePermission().onFailureAt(0L, 0L, new IllegalStateException("down"));
    }
    assertThat(reads()).isZero();
    assertThat(b.metrics().failures()).isEqualTo(10);
  }

  @Test
  void slowCallDetection_readsTheClockTwicePerCall() {
    Breaker b = counted(Breaker.builder("timed").slowCallThreshold(Duration.ofSeconds(1)));
    b.run(() -> {});
    assertThat(reads()).isEqualTo(2);
  }

  @Test
  void callListener_readsTheClockTwicePerCall() {
    Breaker b = counted(Breaker.builder("listened").onCall(e -> {}));
    b.run(() -> {});
    assertThat(reads()).isEqualTo(2);
  }

  @Test
  void manualBreaker_readsNoClock() {
    // Breaker.manual(name) takes the system ticker; the same breaker on the fake one:
    BreakerBuilder fuse = Breaker.builder("fuse").ticker(ticker);
    fuse.manual = true;
    Breaker b = fuse.build();
    for (int i = 0; i < 100; i++) {
      b.run(() -> {});
      b.acquirePermission().onSuccess(0);
      b.acquirePermission().onFailure(0, new IllegalStateException("down"));
    }
    b.trip();
    assertThat(b.tryAcquirePermission()).isNull();
    b.reset();
    assertThat(b.metrics().calls()).isZero();
    assertThat(reads()).isZero();
  }

  /**
   * The bytes this thread has allocated, through the JDK's management API, reached by reflection
   * since the module does not read java.management.
   */
  static long allocatedBytes() throws ReflectiveOperationException {
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
    Breaker b = counted(Breaker.builder("cost"));
    Runnable work = () -> {};
    for (int i = 0; i < 20_000; i++) {
      b.run(work);
      b.acquirePermission().onResultAt(0L, 0L, work);
    }
    allocatedBytes();
    long before = allocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      b.run(work);
      b.acquirePermission().onResultAt(0L, 0L, work);
    }
    long allocated = allocatedBytes() - before;
    // One allocation per call would be at least 3.2 MB; allow for the measurement's own.
    assertThat(allocated).isLessThan(10_000);
  }
}
