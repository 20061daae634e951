package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.Race;
import io.dyno.testing.ThreadKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * {@link Metrics#totals()} never decreases: over a long seeded sequence of calls and ticker moves,
 * checked against a count the test keeps, and while threads record and another reads and moves
 * time.
 */
class MetricsTotalsMonotonicTest {

  @Test
  void aLongRandomSequence_totalsMatchTheTestsCount_andNeverDecrease() {
    FakeTicker now = FakeTicker.create();
    Metrics metrics =
        Metrics.builder("random")
            .window(Duration.ofSeconds(2), 4)
            .latencyWindow(Duration.ofSeconds(6), 3)
            .ticker(now)
            .build();
    SplittableRandom random = new SplittableRandom(20_261_204);
    long[] expected = new long[5]; // successes, failures, timeouts, short-circuits, rejections
    Map<String, Long> byType = new TreeMap<>();
    long latencies = 0;
    long latencySum = 0;
    MetricsTotals previous = metrics.totals();
    for (int step = 0; step < 20_000; step++) {
      long nanos = random.nextLong(3_000_000);
      switch (random.nextInt(8)) {
        case 0, 1 -> {
          metrics.run(() -> now.advance(nanos));
          expected[0]++;
          latencies++;
          latencySum += nanos;
        }
        case 2 -> {
          RuntimeException failure =
              random.nextBoolean()
                  ? new IllegalStateException()
                  : new UncheckedIOException(new IOException());
          metrics.start().failure(failure);
          expected[1]++;
          byType.merge(failure.getClass().getName(), 1L, Long::sum);
          latencies++;
        }
        case 3 -> {
          Metrics.Sample s = metrics.start();
          now.advance(nanos);
          s.timeout();
          expected[2]++;
          latencies++;
          latencySum += nanos;
        }
        case 4 -> {
          metrics.recordShortCircuit();
          expected[3]++;
        }
        case 5 -> {
          metrics.recordRejection();
          expected[4]++;
        }
        case 6 ->
            now.advance(random.nextLong(random.nextInt(10) == 0 ? 20_000_000_000L : 700_000_000L));
        default -> {
          MetricsTotals t = metrics.totals();
          assertNoDecrease(previous, t);
          assertThat(
                  new long[] {
                    t.successes(), t.failures(), t.timeouts(), t.shortCircuits(), t.rejections()
                  })
              .containsExactly(expected);
          assertThat(t.failuresByType()).isEqualTo(byType);
          assertThat(t.latencyCount()).isEqualTo(latencies);
          assertThat((double) t.latencySum().toNanos())
              .isCloseTo((double) latencySum, within(latencySum * 0.001 + 1));
          previous = t;
        }
      }
    }
  }

  private static void assertNoDecrease(MetricsTotals before, MetricsTotals after) {
    assertThat(after.successes()).isGreaterThanOrEqualTo(before.successes());
    assertThat(after.failures()).isGreaterThanOrEqualTo(before.failures());
    assertThat(after.timeouts()).isGreaterThanOrEqualTo(before.timeouts());
    assertThat(after.shortCircuits()).isGreaterThanOrEqualTo(before.shortCircuits());
    assertThat(after.rejections()).isGreaterThanOrEqualTo(before.rejections());
    assertThat(after.latencyCount()).isGreaterThanOrEqualTo(before.latencyCount());
    assertThat(after.latencySum()).isGreaterThanOrEqualTo(before.latencySum());
    before
        .failuresByType()
        .forEach(
            (type, count) ->
                assertThat(after.failuresByType().get(type)).isGreaterThanOrEqualTo(count));
  }

  private static final int RECORDERS = 3;
  private static final int CALLS = 20_000;

  @Test
  void threadsRecording_whileAnotherReadsAndMovesTime_neverSeeADecrease_andLoseNoCall()
      throws Exception {
    FakeTicker now = FakeTicker.create();
    Metrics metrics =
        Metrics.builder("racing")
            .window(Duration.ofSeconds(10), 10)
            .latencyWindow(Duration.ofSeconds(6), 3)
            .ticker(now)
            .build();
    AtomicLongArray progress = new AtomicLongArray(RECORDERS);
    AtomicInteger finished = new AtomicInteger();
    IOException boom = new IOException("boom");
    int[] reads = new int[1];
    Race.run(
        ThreadKind.PLATFORM,
        RECORDERS + 1,
        Duration.ofSeconds(60),
        index -> {
          if (index == RECORDERS) {
            // The reader: moves time a count bucket at a time, but only once every recorder has
            // ended a call since the last move, so no recorder's call spans a whole window (a call
            // that did could be lost from the totals, as the javadoc says).
            MetricsTotals previous = metrics.totals();
            long[] seen = new long[RECORDERS];
            boolean last = false;
            while (!last) {
              last = finished.get() == RECORDERS;
              MetricsTotals t = metrics.totals();
              assertNoDecrease(previous, t);
              previous = t;
              reads[0]++;
              boolean allMoved = true;
              for (int r = 0; r < RECORDERS; r++) {
                long p = progress.get(r);
                allMoved &= p != seen[r] || p == CALLS;
              }
              if (allMoved) {
                for (int r = 0; r < RECORDERS; r++) {
                  seen[r] = progress.get(r);
                }
                now.advance(Duration.ofSeconds(1));
              }
            }
            return null;
          }
          try {
            long mark = now.read();
            for (int i = 0; i < CALLS; i++) {
              if (i % 1_000 == 999) {
                // Waits for time to move, so that it moves across many windows while calls run.
                while (now.read() == mark) {
                  Thread.onSpinWait();
                }
                mark = now.read();
              }
              metrics.run(() -> {});
              try {
                metrics.call(
                    () -> {
                      throw boom;
                    });
              } catch (IOException expected) {
                // counted
              }
              metrics.recordRejection();
              progress.incrementAndGet(index);
            }
          } finally {
            finished.incrementAndGet();
          }
          return null;
        });

    MetricsTotals t = metrics.totals();
    assertThat(reads[0]).isPositive();
    assertThat(now.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(CALLS / 1_000));
    assertThat(t.successes()).isEqualTo(RECORDERS * CALLS);
    assertThat(t.failures()).isEqualTo(RECORDERS * CALLS);
    assertThat(t.failuresByType())
        .containsExactly(Map.entry("java.io.IOException", (long) RECORDERS * CALLS));
    assertThat(t.rejections()).isEqualTo(RECORDERS * CALLS);
    assertThat(t.latencyCount()).isEqualTo(2L * RECORDERS * CALLS);
  }
}
