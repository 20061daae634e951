package io.dyno.breaker;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Breaker} under contention: threads released together by a latch, joined with timeouts,
 * invariants checked after. The ticker is moved by hand, between rounds, never during one.
 */
class BreakerContentionTest {

  private static final int THREADS = 8;
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong();
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, SECONDS)).isTrue();
  }

  /** Runs {@code task} on every thread at once and returns what each returned. */
  private <T> List<T> race(Callable<T> task) throws Exception {
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      futures.add(
          pool.submit(
              () -> {
                ready.countDown();
                if (!go.await(10, SECONDS)) {
                  throw new AssertionError("not released");
                }
                return task.call();
              }));
    }
    assertThat(ready.await(10, SECONDS)).isTrue();
    go.countDown();
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      results.add(f.get(30, SECONDS));
    }
    return results;
  }

  @Test
  void closedBreaker_underEightThreads_rejectsNothing_andCountsEveryCall() throws Exception {
    Breaker b = Breaker.builder("shared").ticker(now::get).build();
    int successes = 20_000;
    int failures = 2_000; // 9 % failures: never opens
    IllegalStateException failure = new IllegalStateException("expected");
    List<Integer> rejected =
        race(
            () -> {
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

  @Test
  void halfOpenBreaker_raced_admitsExactlyHalfOpenCalls() throws Exception {
    Breaker b = Breaker.builder("trial").minimumCalls(1).halfOpenCalls(3).ticker(now::get).build();
    b.acquirePermission().onFailure(0, new IllegalStateException("opens it"));
    for (int round = 0; round < 50; round++) {
      assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
      now.addAndGet(5 * SECOND);
      List<Optional<Breaker.Permit>> raced =
          race(() -> Optional.ofNullable(b.tryAcquirePermission()));
      List<Breaker.Permit> admitted = raced.stream().flatMap(Optional::stream).toList();
      assertThat(admitted).as("round %d", round).hasSize(3);
      admitted.get(0).onFailure(0, new IllegalStateException("the trial fails: open again"));
    }
  }

  @Test
  void concurrentFailures_openTheBreakerOnce() throws Exception {
    Queue<StateChange> changes = new ConcurrentLinkedQueue<>();
    for (int round = 0; round < 20; round++) {
      changes.clear();
      Breaker b =
          Breaker.builder("flood")
              .minimumCalls(20)
              .openDuration(Duration.ofSeconds(5))
              .ticker(now::get)
              .onStateChange(changes::add)
              .build();
      IllegalStateException failure = new IllegalStateException("down");
      race(
          () -> {
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
