package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.Race;
import io.dyno.testing.ThreadKind;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A {@link RetryBudget} shared by threads released together by a {@link Race}: on platform threads,
 * and on virtual ones where the JVM has them.
 */
class RetryBudgetContentionTest {

  private static final int THREADS = 4;
  private static final int CALLS_PER_THREAD = 250;

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void takeRetry_underContention_neverOverdrawsTheBudget(ThreadKind kind) throws Exception {
    int calls = THREADS * CALLS_PER_THREAD;
    RetryBudget budget = RetryBudget.builder().ratio(0.25).minRetriesPerSecond(0).build();
    LongAdder retried = new LongAdder();
    LongAdder attempts = new LongAdder();
    Queue<ExhaustedEvent> stops = new ConcurrentLinkedQueue<>();
    Retry retry =
        Retry.builder("contended")
            .maxAttempts(3)
            .budget(budget)
            .ticker(() -> 42L) // fixed: every call and retry lands in one bucket
            .sleeper(
                duration -> {
                  throw new AssertionError("no backoff is set, yet the retry slept " + duration);
                })
            .onRetry(e -> retried.increment())
            .onExhausted(stops::add)
            .build();
    Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    List<Integer> booms =
        Race.run(
            kind,
            THREADS,
            t -> {
              int failed = 0;
              for (int i = 0; i < CALLS_PER_THREAD; i++) {
                try {
                  retry.run(
                      () -> {
                        attempts.increment();
                        throw new Boom();
                      });
                } catch (Boom expected) {
                  failed++;
                } catch (RuntimeException | Error other) {
                  unexpected.add(other);
                }
              }
              return failed;
            });

    assertThat(unexpected).isEmpty();
    assertThat(booms.stream().mapToInt(Integer::intValue).sum()).isEqualTo(calls);
    assertThat(stops).hasSize(calls);
    assertThat(stops)
        .extracting(ExhaustedEvent::reason)
        .isSubsetOf(StopReason.BUDGET, StopReason.MAX_ATTEMPTS)
        .contains(StopReason.BUDGET);
    // Each retry was granted while retries + 1 <= 0.25 * calls so far, and calls <= 1000.
    assertThat(retried.sum()).isBetween(1L, (long) (0.25 * calls));
    assertThat(attempts.sum()).isEqualTo(calls + retried.sum());
  }

  /** The work's own failure. */
  private static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Boom() {
      super("boom");
    }
  }
}
