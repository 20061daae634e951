package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.Race;
import io.dyno.testing.ThreadKind;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Limiter} under contention: threads released together by a {@link Race}, on platform
 * threads and on virtual ones where the JVM has them.
 */
class LimiterContentionTest {

  private static final int THREADS = 8;
  private static final int CALLS = 20_000;

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void eightThreads_neverRunMoreThanThePermits_andGiveEveryPermitBack(ThreadKind kind)
      throws Exception {
    Limiter limiter = Limiter.of("shared", 3);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<int[]> counts =
        Race.run(
            kind,
            THREADS,
            t -> {
              int ran = 0;
              int refused = 0;
              for (int i = 0; i < CALLS; i++) {
                try {
                  limiter.run(
                      () -> {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        running.decrementAndGet();
                        if ((running.get() & 1) == 1) {
                          throw new IllegalStateException("failures release too");
                        }
                      });
                  ran++;
                } catch (LimitExceededException e) {
                  refused++;
                } catch (IllegalStateException expected) {
                  ran++;
                }
              }
              return new int[] {ran, refused};
            });
    assertThat(counts.stream().mapToInt(c -> c[0] + c[1]).sum()).isEqualTo(THREADS * CALLS);
    assertThat(most.get()).isBetween(1, 3);
    assertThat(limiter.inUse()).isZero();
  }
}
