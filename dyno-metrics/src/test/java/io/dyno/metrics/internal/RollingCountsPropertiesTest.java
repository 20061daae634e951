package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The window-sum law: a window holds exactly the events of its buckets, whatever the timing. */
class RollingCountsPropertiesTest {

  private static final long BUCKET = 1_000;

  @Property(seed = "20260101", tries = 300)
  void aWindowSumsExactlyTheEventsOfItsLastBuckets(
      @ForAll @Size(max = 200) List<@LongRange(min = 0, max = 3 * BUCKET) Long> gaps,
      @ForAll @IntRange(min = 1, max = 12) int buckets,
      @ForAll @LongRange(min = Long.MIN_VALUE, max = Long.MAX_VALUE) long origin,
      @ForAll @LongRange(min = 0, max = 20 * BUCKET) long readAfter) {
    RollingCounts counts = new RollingCounts(BUCKET * buckets, buckets, origin);
    long[] times = new long[gaps.size()];
    long t = 0;
    for (int i = 0; i < times.length; i++) {
      t += gaps.get(i);
      times[i] = t;
      counts.enter(origin + t);
      counts.success(origin + t);
    }
    long readAt = t + readAfter;

    long expected = 0;
    for (long time : times) {
      if (readAt / BUCKET - time / BUCKET < buckets) {
        expected++;
      }
    }
    assertThat(counts.sum(origin + readAt).successes()).isEqualTo(expected);
  }

  @Property(seed = "20260102", tries = 200)
  void latencyWindowsCountExactlyTheValuesOfTheirLastBuckets(
      @ForAll @Size(max = 100) List<@LongRange(min = 0, max = 3 * BUCKET) Long> gaps,
      @ForAll @IntRange(min = 1, max = 8) int buckets,
      @ForAll @LongRange(min = Long.MIN_VALUE, max = Long.MAX_VALUE) long origin,
      @ForAll @LongRange(min = 0, max = 20 * BUCKET) long readAfter) {
    RollingLatency latency = new RollingLatency(BUCKET * buckets, buckets, origin, 4, true);
    long[] times = new long[gaps.size()];
    long t = 0;
    for (int i = 0; i < times.length; i++) {
      t += gaps.get(i);
      times[i] = t;
      latency.record(origin + t, 100 + i);
    }
    long readAt = t + readAfter;

    long expected = 0;
    for (long time : times) {
      if (readAt / BUCKET - time / BUCKET < buckets) {
        expected++;
      }
    }
    assertThat(latency.merge(origin + readAt).getTotalCount()).isEqualTo(expected);
  }
}
