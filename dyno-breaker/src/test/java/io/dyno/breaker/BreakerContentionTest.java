package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.Race;
import io.dyno.testing.ThreadKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Breaker} under contention: threads released together by a {@link Race}, joined with
 * timeouts, invariants checked after; on platform threads, and on virtual ones where the JVM has
 * them. The ticker is moved by hand, between rounds, never during one.
 */
class BreakerContentionTest {

  private static final int THREADS = 8;
  private static final long SECOND = 1_000_000_000L;

  private final FakeTicker ticker = FakeTicker.create();

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void closedBreaker_underEightThreads_rejectsNothing_andCountsEveryCall(ThreadKind kind)
      throws Exception {
    Breaker b = Breaker.builder("shared").ticker(ticker).build();
    int successes = 20_000;
    int failures = 2_000; // 9 % failures: never opens
    IllegalStateException failure = new IllegalStateException("expected");
    List<Integer> rejected =
        Race.run(
            kind,
            THREADS,
            t -> {
              int rejections = 0;
              for (int i = 0; i < successes + failures; i++) {
                boolean fail = i % 11 == 10;
                try {
                  b.run(
                      () -> {
                        if (fail) {
                          throw failure;
                        }
                      });
                } catch (BreakerOpenException e) {
                  rejections++;
                } catch (IllegalStateException expected) {
                  // counted by the breaker
                }
              }
              return rejections;
            });
    assertThat(rejected).containsOnly(0);
    BreakerMetrics m = b.metrics();
    assertThat(m.calls()).isEqualTo((long) THREADS * (successes + failures));
    assertThat(m.failures()).isEqualTo((long) THREADS * failures);
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void halfOpenBreaker_raced_admitsExactlyHalfOpenCalls(ThreadKind kind) throws Exception {
    Breaker b = Breaker.builder("trial").minimumCalls(1).halfOpenCalls(3).ticker(ticker).build();
    b.acquirePermission().onFailure(0, new IllegalStateException("opens it"));
    for (int round = 0; round < 50; round++) {
      assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
      ticker.advance(5 * SECOND);
      List<Optional<Breaker.Permit>> raced =
          Race.run(kind, THREADS, i -> Optional.ofNullable(b.tryAcquirePermission()));
      List<Breaker.Permit> admitted = raced.stream().flatMap(Optional::stream).toList();
      assertThat(admitted).as("round %d", round).hasSize(3);
      admitted.get(0).onFailure(0, new IllegalStateException("the trial fails: open again"));
    }
  }

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void concurrentFailures_openTheBreakerOnce(ThreadKind kind) throws Exception {
    Queue<StateChange> changes = new ConcurrentLinkedQueue<>();
    for (int round = 0; round < 20; round++) {
      changes.clear();
      Breaker b =
          Breaker.builder("flood")
              .minimumCalls(20)
              .openDuration(Duration.ofSeconds(5))
              .ticker(ticker)
              .onStateChange(changes::add)
              .build();
      IllegalStateException failure = new IllegalStateException("down");
      Race.run(
          kind,
          THREADS,
          t -> {
            for (int i = 0; i < 50; i++) {
              try {
                b.run(
                    () -> {
                      throw failure;
                    });
              } catch (IllegalStateException | BreakerOpenException expected) {
                // either the work failed or the breaker had opened
              }
            }
            return null;
          });
      assertThat(changes).hasSize(1);
      StateChange change = changes.peek();
      assertThat(change.from()).isEqualTo(Breaker.State.CLOSED);
      assertThat(change.to()).isEqualTo(Breaker.State.OPEN);
    }
  }
}
