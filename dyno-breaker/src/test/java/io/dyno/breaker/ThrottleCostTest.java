package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Throttle}'s hot path allocates nothing once the bucket of the period exists. */
class ThrottleCostTest {

  @Test
  void tryAcquireAndOnAccepted_allocateNothing() throws Exception {
    Throttle t = Throttle.builder("cost").ticker(() -> 0L).random(() -> 0.5).build();
    for (int i = 0; i < 20_000; i++) {
      if (t.tryAcquire()) {
        t.onAccepted();
      }
    }
    BreakerCostTest.allocatedBytes();
    long before = BreakerCostTest.allocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      if (t.tryAcquire()) {
        t.onAccepted();
      }
    }
    long allocated = BreakerCostTest.allocatedBytes() - before;
    // One allocation per call would be at least 1.6 MB; allow for the measurement's own.
    assertThat(allocated).isLessThan(10_000);
  }
}
