package io.dyno.service;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.Race;
import io.dyno.testing.ThreadKind;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A service shared by callers released together by a {@link Race}: the bulkhead holds, and every
 * call is counted once. Callers and the service's workers run on platform threads, and on virtual
 * ones where the JVM has them.
 */
class ServiceContentionTest {

  private static final int CALLERS = 16;
  private static final int CALLS = 2_000;
  private static final int POOL = 4;

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void sixteenCallers_throughAPoolOfFour_neverRunMoreThanFour_andEveryCallIsCounted(ThreadKind kind)
      throws Exception {
    FakeTicker now = FakeTicker.create();
    Metrics metrics = TestSupport.metrics("contended", now);
    // A full pool counts against the dependency's health: the breaker may open and short-circuit.
    Breaker breaker = TestSupport.breaker("contended", now, 20);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ExecutorService workers = kind.newExecutor("contended-worker");
    try (Service<Integer> service =
        Service.builder(
                "contended",
                () -> {
                  most.accumulateAndGet(running.incrementAndGet(), Math::max);
                  running.decrementAndGet();
                  return 1;
                })
            .executor(workers)
            .pool(POOL)
            .breaker(breaker)
            .metrics(metrics)
            .build()) {
      List<int[]> counts =
          Race.run(
              kind,
              CALLERS,
              t -> {
                int ran = 0;
                int rejected = 0;
                int shortCircuited = 0;
                for (int i = 0; i < CALLS; i++) {
                  try {
                    ran += service.call();
                  } catch (RejectedException e) {
                    assertThat(e.maxConcurrent()).isEqualTo(POOL);
                    rejected++;
                  } catch (ShortCircuitException e) {
                    shortCircuited++;
                  }
                }
                return new int[] {ran, rejected, shortCircuited};
              });

      long ran = counts.stream().mapToLong(c -> c[0]).sum();
      long rejected = counts.stream().mapToLong(c -> c[1]).sum();
      long shortCircuited = counts.stream().mapToLong(c -> c[2]).sum();
      assertThat(ran + rejected + shortCircuited).isEqualTo((long) CALLERS * CALLS);
      assertThat(most.get()).isBetween(1, POOL);
      MetricsSnapshot s = metrics.snapshot();
      assertThat(s.successes()).isEqualTo(ran);
      assertThat(s.rejections()).isEqualTo(rejected);
      assertThat(s.shortCircuits()).isEqualTo(shortCircuited);
      assertThat(s.failures()).isZero();
      assertThat(s.inFlight()).isZero();
    } finally {
      workers.shutdown();
      assertThat(workers.awaitTermination(10, SECONDS)).isTrue();
    }
  }
}
