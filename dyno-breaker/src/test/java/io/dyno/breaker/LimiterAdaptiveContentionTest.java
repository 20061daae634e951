package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.Race;
import io.dyno.testing.ThreadKind;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An adaptive {@link Limiter} under contention: eight threads released together by a {@link Race}
 * take permits and give them back with successes, drops and plain releases while the limit moves;
 * never more calls run than were admitted, and every permit comes back.
 */
class LimiterAdaptiveContentionTest {

  private static final int THREADS = 8;
  private static final int CALLS = 20_000;

  static List<Limiter> limiters() {
    return List.of(
        Limiter.builder("g2").gradient2(g -> g.initialLimit(4).minLimit(2).maxLimit(6)).build(),
        Limiter.builder("v").vegas(v -> v.initialLimit(4).maxLimit(6)).build(),
        Limiter.builder("a").aimd(a -> a.initialLimit(4).minLimit(2).maxLimit(6)).build());
  }

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void eightThreads_neverRunMoreThanAdmitted_andGiveEveryPermitBack(ThreadKind kind)
      throws Exception {
    for (Limiter limiter : limiters()) {
      AtomicInteger running = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      AtomicInteger changes = new AtomicInteger();
      limiter.onChange(c -> changes.incrementAndGet());
      List<int[]> counts =
          Race.run(
              kind,
              THREADS,
              t -> {
                SplittableRandom random = new SplittableRandom(t);
                int admitted = 0;
                int refused = 0;
                for (int i = 0; i < CALLS; i++) {
                  if (!limiter.tryAcquire()) {
                    refused++;
                    continue;
                  }
                  admitted++;
                  int now = running.incrementAndGet();
                  most.accumulateAndGet(now, Math::max);
                  assertThat(limiter.inFlight()).isGreaterThanOrEqualTo(1);
                  running.decrementAndGet();
                  int outcome = random.nextInt(10);
                  if (outcome == 0) {
                    limiter.onDropped();
                  } else if (outcome == 1) {
                    limiter.release();
                  } else {
                    limiter.onSuccess(1_000_000L + random.nextInt(outcome * 1_000_000));
                  }
                }
                return new int[] {admitted, refused};
              });
      assertThat(counts.stream().mapToInt(c -> c[0] + c[1]).sum()).isEqualTo(THREADS * CALLS);
      assertThat(most.get()).as(limiter.name()).isBetween(1, 6);
      assertThat(limiter.inFlight()).as(limiter.name()).isZero();
      assertThat(limiter.limit()).as(limiter.name()).isBetween(1, 6);
      assertThat(changes.get()).as(limiter.name()).isPositive();
    }
  }
}
