package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An adaptive {@link Limiter}'s hot path allocates nothing: taking a permit, giving it back with a
 * sample, and the limit's update.
 */
class LimiterAdaptiveCostTest {

  private static final long MS = 1_000_000L;

  @Test
  void tryAcquireAndOnSuccess_allocateNothing() throws Exception {
    List<Limiter> limiters =
        List.of(
            Limiter.adaptive("g2"),
            Limiter.builder("v").vegas().build(),
            Limiter.builder("a").aimd().build());
    for (Limiter limiter : limiters) {
      Runnable cycle =
          () -> {
            if (limiter.tryAcquire()) {
              limiter.onSuccess(5 * MS);
            }
          };
      assertThat(allocatedBy(cycle)).as(limiter.algorithm()).isLessThan(10_000);
    }
  }

  @Test
  void theVerbs_timingTheirOwnCalls_allocateNothing() throws Exception {
    Limiter limiter = Limiter.builder("a").aimd().ticker(() -> 0L).build();
    Runnable work = () -> {};

    assertThat(allocatedBy(() -> limiter.run(work))).isLessThan(10_000);
  }

  /** Runs {@code cycle} 100,000 times after a warm-up and returns the bytes allocated. */
  private static long allocatedBy(Runnable cycle) throws Exception {
    for (int i = 0; i < 20_000; i++) {
      cycle.run();
    }
    BreakerCostTest.allocatedBytes();
    long before = BreakerCostTest.allocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      cycle.run();
    }
    // One allocation per call would be at least 1.6 MB; allow for the measurement's own.
    return BreakerCostTest.allocatedBytes() - before;
  }
}
