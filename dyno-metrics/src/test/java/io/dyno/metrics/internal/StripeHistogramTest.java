package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.internal.hdr.Histogram;
import io.dyno.metrics.internal.hdr.HistogramIterationValue;
import io.dyno.metrics.internal.hdr.PackedHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The stripe histogram against HdrHistogram's buckets, and its exactly-once drain. */
class StripeHistogramTest {

  private static final long MAX = RollingLatency.MAX_NANOS;

  /** The reference: a plain HdrHistogram at 3 digits, as the buckets the stripes drain into. */
  private final Histogram reference = new Histogram(3);

  @Test
  void indexOf_mapsEdgeValuesToTheLowestValueOfTheirHdrHistogramBucket() {
    List<Long> values = new ArrayList<>(List.of(0L, 1L, 2L, 1023L, 1024L, 2046L, 2047L, 2048L));
    values.addAll(List.of(2049L, 4095L, 4096L, 4097L, 1_000_000L, MAX - 1, MAX));
    for (int shift = 1; shift < 63; shift++) {
      long power = 1L << shift;
      for (long v : new long[] {power - 1, power, power + 1}) {
        if (v <= MAX) {
          values.add(v);
        }
      }
    }
    for (long v : values) {
      assertThat(StripeHistogram.valueAt(StripeHistogram.indexOf(v)))
          .as("value %d", v)
          .isEqualTo(reference.lowestEquivalentValue(v));
    }
  }

  @Property(seed = "20260201", tries = 2000)
  void indexOf_mapsEveryValueToTheLowestValueOfItsHdrHistogramBucket(
      @ForAll @LongRange(min = 0, max = 3_600_000_000_000L) long value) {
    // The range is RollingLatency.MAX_NANOS, 1 h, which an annotation cannot name.
    assertThat(StripeHistogram.valueAt(StripeHistogram.indexOf(value)))
        .isEqualTo(reference.lowestEquivalentValue(value));
  }

  @Test
  void indexOf_coversTheRangeWithTheDeclaredPages() {
    assertThat(StripeHistogram.indexOf(MAX) >>> 8).isEqualTo(StripeHistogram.PAGES - 1);
  }

  @Test
  void drain_givesTheCountsAPlainHistogramGives() {
    SplittableRandom random = new SplittableRandom(20260202L);
    StripeHistogram stripe = new StripeHistogram();
    for (int i = 0; i < 50_000; i++) {
      // Log-uniform over 1 ns .. 1 h, so that every bucket magnitude is exercised.
      long v = (long) Math.exp(random.nextDouble() * Math.log((double) MAX));
      stripe.record(v);
      reference.recordValue(v);
    }
    Histogram drained = new PackedHistogram(3);

    assertThat(stripe.drainTo(() -> drained)).isEqualTo(50_000);

    assertThat(drained.getTotalCount()).isEqualTo(reference.getTotalCount());
    for (double p : new double[] {0, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 100}) {
      assertThat(drained.getValueAtPercentile(p))
          .as("p%s", p)
          .isEqualTo(reference.getValueAtPercentile(p));
    }
    assertThat(drained.getMaxValue()).isEqualTo(reference.getMaxValue());
    assertThat(drained.getMinValue()).isEqualTo(reference.getMinValue());
    assertThat(drained.getMean()).isEqualTo(reference.getMean());
    for (HistogramIterationValue bucket : reference.recordedValues()) {
      assertThat(drained.getCountAtValue(bucket.getValueIteratedTo()))
          .as("count at %d", bucket.getValueIteratedTo())
          .isEqualTo(bucket.getCountAtValueIteratedTo());
    }
  }

  @Test
  void drain_clampsValuesOutsideTheRange() {
    StripeHistogram stripe = new StripeHistogram();
    stripe.record(-5);
    stripe.record(Long.MAX_VALUE);
    Histogram drained = new Histogram(3);

    stripe.drainTo(() -> drained);

    assertThat(drained.getCountAtValue(0)).isEqualTo(1);
    assertThat(drained.getCountAtValue(MAX)).isEqualTo(1);
  }

  @Test
  void drain_twice_movesNothingTheSecondTimeAndAsksForNoTarget() {
    StripeHistogram stripe = new StripeHistogram();
    stripe.record(100);
    stripe.record(100);
    stripe.record(5_000_000);
    Histogram drained = new Histogram(3);
    AtomicInteger asked = new AtomicInteger();

    assertThat(stripe.drainTo(() -> count(asked, drained))).isEqualTo(3);
    assertThat(stripe.drainTo(() -> count(asked, drained))).isZero();

    assertThat(asked.get()).isEqualTo(1);
    assertThat(drained.getTotalCount()).isEqualTo(3);
    assertThat(drained.getCountAtValue(100)).isEqualTo(2);
  }

  @Test
  void drain_afterNewRecordsInAnOldPage_movesOnlyTheNewOnes() {
    StripeHistogram stripe = new StripeHistogram();
    stripe.record(100);
    stripe.record(1_000_000);
    stripe.drainTo(() -> new Histogram(3));
    stripe.record(101);
    Histogram drained = new Histogram(3);

    assertThat(stripe.drainTo(() -> drained)).isEqualTo(1);

    assertThat(drained.getCountAtValue(101)).isEqualTo(1);
  }

  @Test
  void drain_ofAnEmptyStripe_asksForNoTarget() {
    StripeHistogram stripe = new StripeHistogram();
    AtomicInteger asked = new AtomicInteger();

    assertThat(stripe.drainTo(() -> count(asked, new Histogram(3)))).isZero();

    assertThat(asked.get()).isZero();
  }

  @Test
  void pages_areCreatedOnlyForTheRangesRecorded() {
    StripeHistogram stripe = new StripeHistogram();
    assertThat(stripe.pagesAllocated()).isZero();

    stripe.record(100);
    stripe.record(150);
    assertThat(stripe.pagesAllocated()).isEqualTo(1);

    stripe.record(1_000_000);
    stripe.record(1_000_500);
    assertThat(stripe.pagesAllocated()).isEqualTo(2);

    stripe.drainTo(() -> new Histogram(3));
    assertThat(stripe.pagesAllocated()).isEqualTo(2);
    assertThat(StripeHistogram.PAGES).isLessThan(140);
  }

  @Test
  void fourThreads_recordingWhileAThreadDrains_moveEveryValueExactlyOnce() throws Exception {
    int threads = 4;
    int records = 100_000;
    StripeHistogram stripe = new StripeHistogram();
    Histogram drained = new Histogram(3);
    CountDownLatch ready = new CountDownLatch(threads + 1);
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch writersDone = new CountDownLatch(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        writers.add(
            pool.submit(
                () -> {
                  SplittableRandom random = new SplittableRandom(seed);
                  ready.countDown();
                  go.await(10, TimeUnit.SECONDS);
                  for (int i = 0; i < records; i++) {
                    stripe.record(random.nextLong(10_000_000));
                  }
                  writersDone.countDown();
                  return null;
                }));
      }
      Future<Long> drainer =
          pool.submit(
              () -> {
                ready.countDown();
                go.await(10, TimeUnit.SECONDS);
                long moved = 0;
                while (writersDone.getCount() > 0) {
                  moved += stripe.drainTo(() -> drained);
                }
                return moved;
              });
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      for (Future<?> w : writers) {
        w.get(30, TimeUnit.SECONDS);
      }
      long moved = drainer.get(30, TimeUnit.SECONDS);

      moved += stripe.drainTo(() -> drained);

      assertThat(moved).isEqualTo((long) threads * records);
      assertThat(drained.getTotalCount()).isEqualTo((long) threads * records);
      assertThat(stripe.drainTo(() -> drained)).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  private static Histogram count(AtomicInteger asked, Histogram histogram) {
    asked.incrementAndGet();
    return histogram;
  }
}
