package io.dyno.breaker.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link RollingWindow}: every outcome counted in the bucket of its time, buckets leaving the
 * window whole, which successes ask for a judgement, and the window-sum law.
 */
class RollingWindowTest {

  private static final String SEED = "20261127";

  /** A window of 10 buckets of 10 ns each, starting at 0. */
  private static RollingWindow window() {
    return new RollingWindow(100, 10, 0);
  }

  private static WindowCounts counts(long calls, long failures, long slowCalls, long period) {
    return new WindowCounts(calls, failures, slowCalls, period);
  }

  @Test
  void successes_countInTheBucketOfTheirTime_andLeaveWithIt() {
    RollingWindow w = window();
    for (int i = 0; i < 30; i++) {
      w.addSuccess(i); // 10 in each of the buckets 0, 1 and 2
    }
    assertThat(w.counts(99)).isEqualTo(counts(30, 0, 0, 9));
    assertThat(w.counts(100)).isEqualTo(counts(20, 0, 0, 10));
    assertThat(w.counts(110)).isEqualTo(counts(10, 0, 0, 11));
    assertThat(w.counts(120)).isEqualTo(counts(0, 0, 0, 12));
  }

  @Test
  void recordedCalls_leaveTheWindow_bucketByBucket() {
    RollingWindow w = window();
    assertThat(w.record(0, true, false)).isEqualTo(counts(1, 1, 0, 0));
    assertThat(w.record(15, false, true)).isEqualTo(counts(2, 1, 1, 1));
    assertThat(w.record(15, false, false)).isEqualTo(counts(3, 1, 1, 1));
    assertThat(w.counts(99)).isEqualTo(counts(3, 1, 1, 9));
    assertThat(w.counts(100)).isEqualTo(counts(2, 0, 1, 10));
    assertThat(w.counts(110)).isEqualTo(counts(0, 0, 0, 11));
  }

  @Test
  void readingOlderThanTheWindow_countsNothing() {
    RollingWindow w = window();
    w.record(100, true, false); // bucket 10 takes the slot of bucket 0
    assertThat(w.addSuccess(5)).isFalse();
    assertThat(w.record(5, true, true)).isEqualTo(counts(1, 1, 0, 10));
    assertThat(w.counts(109)).isEqualTo(counts(1, 1, 0, 10));
  }

  @Test
  void lateReadingWithinTheWindow_countsInItsOwnBucket() {
    RollingWindow w = window();
    w.record(100, true, false);
    // Read before the failure's, recorded after it: still in the window, in bucket 9.
    w.record(95, true, false);
    w.addSuccess(95);
    assertThat(w.counts(109)).isEqualTo(counts(3, 2, 0, 10));
    assertThat(w.counts(190)).isEqualTo(counts(1, 1, 0, 19));
  }

  @Test
  void countsReadBeforeTheNewestBucket_areAsOfTheNewest() {
    RollingWindow w = window();
    w.addSuccess(0);
    w.addSuccess(105);
    // A reading taken before another thread's newer bucket: bucket 0 has already left.
    assertThat(w.counts(50)).isEqualTo(counts(1, 0, 0, 10));
  }

  @Test
  void readingBeforeTheOrigin_countsInTheBucketBeforeTheFirst() {
    RollingWindow w = new RollingWindow(100, 10, 1_000);
    w.addSuccess(995);
    w.record(1_000, true, false);
    assertThat(w.counts(1_089)).isEqualTo(counts(2, 1, 0, 8));
    assertThat(w.counts(1_090)).isEqualTo(counts(1, 1, 0, 9));
  }

  @Test
  void addSuccess_asksForAJudgement_onlyWhileTheWindowHoldsAFailureOrASlowCall() {
    RollingWindow w = window();
    assertThat(w.addSuccess(0)).as("nothing bad in the window").isFalse();
    w.record(35, true, false); // bucket 3
    assertThat(w.addSuccess(35)).isTrue();
    assertThat(w.addSuccess(129)).as("bucket 12: the failure is still in").isTrue();
    assertThat(w.addSuccess(130)).as("bucket 13: the failure has left").isFalse();
    w.record(131, false, true); // a slow success
    assertThat(w.addSuccess(140)).isTrue();
    assertThat(w.addSuccess(230)).isFalse();
  }

  @Test
  void judgedSafe_sparesTheSuccessesOfThatBucketOnly() {
    RollingWindow w = window();
    WindowCounts judged = w.record(10, true, false);
    w.judgedSafe(judged);
    assertThat(w.addSuccess(19)).as("same bucket: a success only lowers the rates").isFalse();
    assertThat(w.addSuccess(20)).as("a new bucket: something may have left").isTrue();
    w.judgedSafe(w.counts(25));
    w.judgedSafe(judged); // an older, racing judgement does not take it back
    assertThat(w.addSuccess(25)).isFalse();
  }

  @Test
  void tickerWrappingPastLongMaxValue_keepsCountingSmoothly() {
    long start = Long.MAX_VALUE - 4;
    RollingWindow w = new RollingWindow(10, 10, start);
    w.record(start, true, false);
    w.addSuccess(start + 8); // wrapped
    w.record(start + 8, true, false);
    assertThat(w.counts(start + 9)).isEqualTo(counts(3, 2, 0, 9));
    assertThat(w.counts(start + 10)).isEqualTo(counts(2, 1, 0, 10));
    assertThat(w.counts(start + 18)).isEqualTo(counts(0, 0, 0, 18));
  }

  @Test
  void rates_areZeroWithoutCalls() {
    assertThat(WindowCounts.EMPTY.failureRate()).isZero();
    assertThat(WindowCounts.EMPTY.slowCallRate()).isZero();
    assertThat(counts(4, 1, 2, 0).failureRate()).isEqualTo(25.0);
    assertThat(counts(4, 1, 2, 0).slowCallRate()).isEqualTo(50.0);
  }

  /**
   * The window-sum law: every outcome, reported in any order, counts exactly while its bucket is
   * one of the last {@code buckets} buckets before the newest reading; buckets count from the
   * reading the window was created with, whatever the ticker's start.
   */
  @Property(tries = 300, seed = SEED)
  void windowSum_equalsTheOutcomesOfTheLastBuckets_inAnyOrder(
      @ForAll @LongRange(min = Long.MIN_VALUE, max = Long.MAX_VALUE) long start,
      @ForAll @IntRange(min = 1, max = 12) int buckets,
      @ForAll @Size(max = 200) List<@IntRange(min = -30, max = 400) Integer> offsets,
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 3) Integer> kinds) {
    long bucketNanos = 7;
    RollingWindow w = new RollingWindow(bucketNanos * buckets, buckets, start);
    int n = Math.min(offsets.size(), kinds.size());
    long newest = 0;
    for (int i = 0; i < n; i++) {
      long at = offsets.get(i);
      newest = Math.max(newest, Math.floorDiv(at, bucketNanos));
      switch (kinds.get(i)) {
        case 0 -> w.record(start + at, true, false);
        case 1 -> w.record(start + at, true, true);
        case 2 -> w.record(start + at, false, true);
        default -> w.addSuccess(start + at);
      }
      long calls = 0;
      long failures = 0;
      long slow = 0;
      for (int j = 0; j <= i; j++) {
        if (newest - Math.floorDiv(offsets.get(j), bucketNanos) < buckets) {
          int kind = kinds.get(j);
          calls++;
          failures += kind <= 1 ? 1 : 0;
          slow += kind == 1 || kind == 2 ? 1 : 0;
        }
      }
      WindowCounts c = w.counts(start + at);
      WindowCounts expected = new WindowCounts(calls, failures, slow, newest);
      // Compared first without AssertJ, which would dominate the run time over many thousand steps.
      if (!c.equals(expected)) {
        assertThat(c).as("after step %d", i).isEqualTo(expected);
      }
    }
  }

  /**
   * A success asks for a judgement exactly when the window, with it, holds a failure or a slow
   * call: the only windows a success can bring to a threshold.
   */
  @Property(tries = 300, seed = SEED)
  void addSuccess_asksForAJudgement_exactlyWhenTheWindowHoldsAFailureOrASlowCall(
      @ForAll @IntRange(min = 1, max = 12) int buckets,
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 20) Integer> steps,
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 4) Integer> kinds) {
    long bucketNanos = 5;
    RollingWindow w = new RollingWindow(bucketNanos * buckets, buckets, 0);
    int n = Math.min(steps.size(), kinds.size());
    long now = 0;
    for (int i = 0; i < n; i++) {
      now += steps.get(i);
      int kind = kinds.get(i);
      if (kind == 0) {
        w.record(now, true, false);
      } else if (kind == 1) {
        w.record(now, false, true);
      } else {
        boolean judge = w.addSuccess(now);
        WindowCounts c = w.counts(now);
        assertThat(judge).as("step %d", i).isEqualTo(c.failures() + c.slowCalls() > 0);
      }
    }
  }

  // ---------------------------------------------------------------- under contention

  /** Runs each task on its own thread, all released together; returns what each returned. */
  private static <T> List<T> race(ExecutorService pool, List<Callable<T>> tasks) throws Exception {
    CountDownLatch ready = new CountDownLatch(tasks.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> task : tasks) {
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
  void successesRacingAcrossBucketBoundaries_areEachCountedOnce() throws Exception {
    int threads = 8;
    int perThread = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 5; round++) {
        RollingWindow w = new RollingWindow(1_000, 10, 0);
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int offset = t * 37;
          tasks.add(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  // Every reading is in the window; each thread crosses the buckets its own way.
                  w.addSuccess((offset + i) % 1_000);
                }
                return true;
              });
        }
        race(pool, tasks);
        assertThat(w.counts(999).calls())
            .as("round %d", round)
            .isEqualTo((long) threads * perThread);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, SECONDS)).isTrue();
    }
  }

  /**
   * A success and a failure racing in one bucket: either the failure's counts include the success,
   * or the success asks to be judged, so no success that brings the window to its minimum volume
   * goes unjudged.
   */
  @Test
  void successRacingAFailure_isSeenByTheFailureOrJudgedItself() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 2_000; round++) {
        RollingWindow w = window();
        w.addSuccess(0);
        List<Callable<Long>> tasks =
            List.of(() -> w.addSuccess(0) ? 1L : 0L, () -> w.record(0, true, false).calls());
        List<Long> results = race(pool, tasks);
        boolean judged = results.get(0) == 1L;
        long seenByTheFailure = results.get(1);
        assertThat(judged || seenByTheFailure == 3).as("round %d", round).isTrue();
        assertThat(w.counts(0)).isEqualTo(counts(3, 1, 0, 0));
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, SECONDS)).isTrue();
    }
  }
}
