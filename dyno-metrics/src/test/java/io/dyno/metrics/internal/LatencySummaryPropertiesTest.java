package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.internal.hdr.Histogram;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link RollingLatency#summarize} gives exactly what HdrHistogram gives for the same window: the
 * count, the mean to the last bit, the minimum, the maximum and every percentile.
 */
class LatencySummaryPropertiesTest {

  private static final List<Double> PERCENTILES =
      List.of(0.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9, 100.0);
  private static final long BUCKET = 1_000_000_000L;

  @Property(seed = "20261203", tries = 10)
  void summarize_agreesWithAMergedHdrHistogram_asTheWindowRolls(@ForAll long seed) {
    Random random = new Random(seed);
    int buckets = 1 + random.nextInt(6);
    long origin = random.nextLong();
    RollingLatency latency = new RollingLatency(BUCKET * buckets, buckets, origin, 4, true);
    long now = origin;
    for (int step = 0; step < 20; step++) {
      int values = random.nextInt(4) == 0 ? 0 : random.nextInt(50);
      for (int i = 0; i < values; i++) {
        latency.record(now, value(random));
      }
      now += (long) (random.nextDouble() * BUCKET * 0.7);

      assertAgrees(latency.summarize(now, PERCENTILES), latency.merge(now), step);
    }
  }

  /**
   * Values recorded by several threads land in several stripes, whose drains file equal values into
   * one bucket's runs one stripe after another; the summary must still count each value once.
   */
  @Property(seed = "20261203", tries = 10)
  void summarize_agreesWithAMergedHdrHistogram_whenSeveralThreadsRecord(@ForAll long seed)
      throws InterruptedException {
    Random random = new Random(seed);
    int buckets = 1 + random.nextInt(12);
    long origin = random.nextLong();
    RollingLatency latency = new RollingLatency(BUCKET * buckets, buckets, origin, 4, true);
    long now = origin;
    for (int step = 0; step < 12; step++) {
      long at = now;
      for (int t = 0; t < 1 + random.nextInt(4); t++) {
        long[] values = new long[random.nextInt(30)];
        for (int i = 0; i < values.length; i++) {
          values[i] = random.nextInt(3) == 0 ? 1_000_000 : value(random);
        }
        // A thread of its own, so that the values go to another stripe than the last thread's.
        Thread recorder =
            new Thread(
                () -> {
                  for (long v : values) {
                    latency.record(at, v);
                  }
                });
        recorder.start();
        recorder.join();
      }
      now += (long) (random.nextDouble() * BUCKET * 0.7);

      assertAgrees(latency.summarize(now, PERCENTILES), latency.merge(now), step);
    }
  }

  /**
   * A window whose sum of latencies passes 2^53 ns, where doubles stop adding integers exactly: the
   * mean must still be HdrHistogram's, summed in its order.
   */
  @Property(seed = "20261203", tries = 5)
  void theMean_isHdrHistogramsToTheLastBit_pastTwoToThe53(@ForAll long seed) {
    Random random = new Random(seed);
    RollingLatency latency = new RollingLatency(BUCKET * 3, 3, 0, 2, true);
    for (int step = 0; step < 3; step++) {
      for (int i = 0; i < 1_000; i++) {
        latency.record(step * BUCKET, RollingLatency.MAX_NANOS - random.nextInt(1_000_000_000));
        latency.record(step * BUCKET, value(random));
      }
      LatencySummary summary = latency.summarize(step * BUCKET + 1, PERCENTILES);
      Histogram reference = latency.merge(step * BUCKET + 1);

      assertThat(summary.mean()).as("step %d", step).isEqualTo(reference.getMean());
      assertThat(summary.atPercentile(8)).isEqualTo(reference.getValueAtPercentile(99.9));
    }
  }

  @Property(seed = "20261203", tries = 20)
  void anUnchangedWindow_givesTheSameSummaryBack_andANewValueANewOne(@ForAll long seed) {
    Random random = new Random(seed);
    RollingLatency latency = new RollingLatency(BUCKET * 6, 6, 0, 2);
    latency.record(1, value(random));

    LatencySummary first = latency.summarize(2, PERCENTILES);

    assertThat(latency.summarize(3, PERCENTILES)).isSameAs(first);
    latency.record(4, value(random));
    assertThat(latency.summarize(5, PERCENTILES).count()).isEqualTo(2);
    assertThat(latency.summarize(BUCKET * 7, PERCENTILES).count()).isZero();
  }

  @Property(seed = "20261203", tries = 5)
  void aWindowWithoutReferenceHistograms_summarizesTheSame(@ForAll long seed) {
    Random random = new Random(seed);
    RollingLatency kept = new RollingLatency(BUCKET * 4, 4, 0, 2, true);
    RollingLatency plain = new RollingLatency(BUCKET * 4, 4, 0, 2);
    for (int step = 0; step < 12; step++) {
      for (int i = 0; i < random.nextInt(40); i++) {
        long v = value(random);
        kept.record(step * BUCKET / 2, v);
        plain.record(step * BUCKET / 2, v);
      }
      LatencySummary a = kept.summarize(step * BUCKET / 2 + 1, PERCENTILES);
      LatencySummary b = plain.summarize(step * BUCKET / 2 + 1, PERCENTILES);
      assertThat(b.count()).isEqualTo(a.count());
      assertThat(b.mean()).isEqualTo(a.mean());
      for (int k = 0; k < PERCENTILES.size(); k++) {
        assertThat(b.atPercentile(k)).isEqualTo(a.atPercentile(k));
      }
    }
    assertThatThrownBy(() -> plain.merge(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this window keeps no reference histograms");
  }

  /** The summary holds exactly the reference histogram's count, mean and percentiles. */
  private static void assertAgrees(LatencySummary summary, Histogram reference, int step) {
    assertThat(summary.count()).isEqualTo(reference.getTotalCount());
    assertThat(summary.mean()).isEqualTo(reference.getMean());
    for (int k = 0; k < PERCENTILES.size(); k++) {
      double p = PERCENTILES.get(k);
      long expected =
          reference.getTotalCount() == 0
              ? 0
              : p == 0.0
                  ? reference.getMinValue()
                  : p == 100.0 ? reference.getMaxValue() : reference.getValueAtPercentile(p);
      assertThat(summary.atPercentile(k)).as("p%s at step %d", p, step).isEqualTo(expected);
    }
  }

  /** Latencies from 0 to past an hour, over many powers of two, with repeats. */
  private static long value(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> random.nextInt(3000);
      case 1 -> 1_000_000 + random.nextInt(100);
      case 2 -> (long) Math.exp(random.nextDouble() * 29);
      case 3 -> RollingLatency.MAX_NANOS + random.nextInt(1000);
      default -> random.nextInt(20) * 1_000_000L;
    };
  }
}
