package io.dyno.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link RollingWindow}: bucket ageing, spreading of untimed successes, and the window-sum law. */
class RollingWindowTest {

  private static final String SEED = "20261127";

  @Test
  void recordedCalls_leaveTheWindow_bucketByBucket() {
    RollingWindow w = new RollingWindow(10, 10);
    w.record(0, true, false);
    w.record(5, false, true);
    assertThat(w.counts(9)).isEqualTo(new WindowCounts(2, 1, 1));
    assertThat(w.counts(10)).isEqualTo(new WindowCounts(1, 0, 1));
    assertThat(w.counts(15)).isEqualTo(new WindowCounts(0, 0, 0));
  }

  @Test
  void lateReading_countsInTheNewestBucket() {
    RollingWindow w = new RollingWindow(10, 10);
    w.record(100, true, false);
    w.record(50, true, false); // read before the first, recorded after it
    assertThat(w.counts(109)).isEqualTo(new WindowCounts(2, 2, 0));
    assertThat(w.counts(110)).isEqualTo(new WindowCounts(0, 0, 0));
  }

  @Test
  void untimedSuccesses_areSpreadOverTheBucketsSinceTheLastSync() {
    RollingWindow w = new RollingWindow(10, 10);
    w.counts(0);
    for (int i = 0; i < 40; i++) {
      w.success();
    }
    // 4 buckets since the last sync (periods 0..3): 10 successes each.
    assertThat(w.counts(3).calls()).isEqualTo(40);
    assertThat(w.counts(10).calls()).isEqualTo(30);
    assertThat(w.counts(13).calls()).isZero();
  }

  @Test
  void tick_syncsOncePerBucket_withoutWaiting() {
    RollingWindow w = new RollingWindow(10, 10);
    w.success();
    w.tick(0); // the first tick starts the window, with the success in its first bucket
    w.success();
    w.tick(0); // same bucket: nothing to do
    w.tick(1); // a new bucket: the success is counted now
    w.success();
    w.tick(9);
    assertThat(w.counts(10).calls()).isEqualTo(2); // bucket 0 has left the window
  }

  @Test
  void clear_emptiesTheWindow_andRestartsItsBuckets() {
    RollingWindow w = new RollingWindow(10, 10);
    w.record(0, true, true);
    w.success();
    w.clear();
    assertThat(w.counts(1_000)).isEqualTo(new WindowCounts(0, 0, 0));
    w.record(1_005, true, false);
    assertThat(w.counts(1_014)).isEqualTo(new WindowCounts(1, 1, 0));
  }

  @Test
  void tickerWrappingPastLongMaxValue_keepsCountingSmoothly() {
    RollingWindow w = new RollingWindow(10, 10);
    long start = Long.MAX_VALUE - 4;
    w.record(start, true, false);
    w.record(start + 8, true, false); // wrapped
    assertThat(w.counts(start + 9).failures()).isEqualTo(2);
    assertThat(w.counts(start + 10).failures()).isEqualTo(1);
  }

  @Test
  void rates_areZeroWithoutCalls() {
    WindowCounts none = new WindowCounts(0, 0, 0);
    assertThat(none.failureRate()).isZero();
    assertThat(none.slowCallRate()).isZero();
    assertThat(new WindowCounts(4, 1, 2).failureRate()).isEqualTo(25.0);
    assertThat(new WindowCounts(4, 1, 2).slowCallRate()).isEqualTo(50.0);
  }

  /**
   * The window-sum law: with every call recorded at its time, the window holds exactly the calls
   * whose bucket is one of the last {@code buckets} buckets, buckets counting from the first
   * reading, whatever the ticker's start.
   */
  @Property(tries = 300, seed = SEED)
  void windowSum_equalsTheCallsInTheLastBuckets(
      @ForAll @LongRange(min = Long.MIN_VALUE, max = Long.MAX_VALUE) long start,
      @ForAll @IntRange(min = 1, max = 12) int buckets,
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 40) Integer> steps,
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 2) Integer> kinds) {
    long bucketNanos = 7;
    RollingWindow w = new RollingWindow(bucketNanos * buckets, buckets);
    int n = Math.min(steps.size(), kinds.size());
    long[] offsets = new long[n];
    long offset = 0;
    for (int i = 0; i < n; i++) {
      offset += steps.get(i);
      offsets[i] = offset;
      int kind = kinds.get(i);
      if (kind == 2) {
        // An untimed success between two syncs in the same bucket lands in that bucket.
        w.counts(start + offset);
        w.success();
        w.counts(start + offset);
      } else {
        w.record(start + offset, kind == 0, kind == 0);
      }
    }
    long end = offset + 3;
    // Buckets count from the first reading.
    long origin = n > 0 ? offsets[0] : 0;
    long newest = (end - origin) / bucketNanos;
    long calls = 0;
    long failures = 0;
    for (int i = 0; i < n; i++) {
      if (newest - (offsets[i] - origin) / bucketNanos < buckets) {
        calls++;
        if (kinds.get(i) == 0) {
          failures++;
        }
      }
    }
    WindowCounts c = w.counts(start + end);
    assertThat(c.calls()).isEqualTo(calls);
    assertThat(c.failures()).isEqualTo(failures);
    assertThat(c.slowCalls()).isEqualTo(failures);
  }

  /** Untimed successes are never counted more than once, however the syncs fall. */
  @Property(tries = 300, seed = SEED)
  void untimedSuccesses_neverExceedThoseMade(
      @ForAll @IntRange(min = 1, max = 12) int buckets,
      @ForAll @Size(max = 100) List<@IntRange(min = 0, max = 30) Integer> steps,
      @ForAll @Size(max = 100) List<@IntRange(min = 0, max = 50) Integer> successes) {
    RollingWindow w = new RollingWindow(5L * buckets, buckets);
    long now = 0;
    long made = 0;
    int n = Math.min(steps.size(), successes.size());
    for (int i = 0; i < n; i++) {
      for (int s = 0; s < successes.get(i); s++) {
        w.success();
      }
      made += successes.get(i);
      now += steps.get(i);
      assertThat(w.counts(now).calls()).isBetween(0L, made);
    }
  }
}
