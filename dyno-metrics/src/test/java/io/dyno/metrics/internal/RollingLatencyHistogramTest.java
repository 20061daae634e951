package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.internal.hdr.Histogram;
import io.dyno.metrics.internal.hdr.HistogramIterationValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link RollingLatency#histogram} gives the window's latencies as an HdrHistogram: the same counts
 * at the same bucket values as the reference histograms, so that HdrHistogram's own percentiles of
 * it are the window's summary, and it survives the encoding other instances decode.
 */
class RollingLatencyHistogramTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private static List<long[]> counts(Histogram h) {
    List<long[]> out = new ArrayList<>();
    for (HistogramIterationValue v : h.recordedValues()) {
      out.add(new long[] {v.getValueIteratedTo(), v.getCountAtValueIteratedTo()});
    }
    return out;
  }

  @Test
  void theWindowsHistogram_holdsTheReferenceCounts_asTheWindowRolls() {
    RollingLatency window = new RollingLatency(6 * SECOND, 6, 0, 4, true);
    SplittableRandom random = new SplittableRandom(7);
    for (long now = 0; now < 20 * SECOND; now += SECOND / 4) {
      for (int i = 0; i < 25; i++) {
        window.record(now, random.nextLong(1, 3 * SECOND));
      }
      Histogram reference = window.merge(now);
      Histogram histogram = window.histogram(now);

      assertThat(counts(histogram)).as("at %d", now).containsExactlyElementsOf(counts(reference));
      assertThat(histogram.getTotalCount()).isEqualTo(reference.getTotalCount());
    }
  }

  @Test
  void hdrHistogramsOwnFigures_ofTheHistogram_areTheSummarys() {
    RollingLatency window = new RollingLatency(60 * SECOND, 6, 0, 2);
    for (int i = 1; i <= 1_000; i++) {
      window.record(i * 1_000_000L, i * 12_345L);
    }
    long now = SECOND;
    List<Double> percentiles = MetricsSnapshot.PERCENTILES;

    LatencySummary summary = window.summarize(now, percentiles);
    Histogram h = window.histogram(now);

    assertThat(h.getTotalCount()).isEqualTo(summary.count());
    assertThat(h.getMean()).isEqualTo(summary.mean());
    for (int k = 0; k < percentiles.size(); k++) {
      double p = percentiles.get(k);
      long expected =
          p == 0.0 ? h.getMinValue() : p == 100.0 ? h.getMaxValue() : h.getValueAtPercentile(p);
      assertThat(summary.atPercentile(k)).as("p%s", p).isEqualTo(expected);
    }
  }

  @Test
  void summarizingInto_aHistogram_addsTheValuesOfThatSameReading() {
    RollingLatency window = new RollingLatency(6 * SECOND, 6, 0, 2);
    window.record(0, 5_000);
    window.record(3 * SECOND, 7_000_000);
    Histogram into = new Histogram(3);

    LatencySummary summary = window.summarize(4 * SECOND, MetricsSnapshot.PERCENTILES, into);
    // Past the window, the first value has left, and the next summary holds the second alone.
    LatencySummary later = window.summarize(7 * SECOND, MetricsSnapshot.PERCENTILES, into);

    assertThat(summary.count()).isEqualTo(2);
    assertThat(later.count()).isEqualTo(1);
    assertThat(into.getTotalCount()).isEqualTo(3);
    assertThat(into.getCountAtValue(7_000_000)).isEqualTo(2);
  }

  @Test
  void theHistogram_holdsValuesJustRecorded_inTheLivePeriod() {
    RollingLatency window = new RollingLatency(6 * SECOND, 6, 0, 2);
    window.record(SECOND / 4, 5_000);
    window.record(SECOND / 2, 7_000);

    Histogram h = window.histogram(SECOND / 2);

    assertThat(h.getTotalCount()).isEqualTo(2);
    assertThat(h.getMaxValue()).isEqualTo(h.highestEquivalentValue(7_000));
  }

  @Test
  void readingsLateByUpToTwoWindows_showTheWindowOfTheirOwnTime_asTheReferenceDoes() {
    // One window read through histogram, one through summarize, each against the reference.
    RollingLatency histograms = new RollingLatency(4 * SECOND, 4, 0, 2, true);
    RollingLatency summaries = new RollingLatency(4 * SECOND, 4, 0, 2, true);
    SplittableRandom random = new SplittableRandom(11);
    long now = 0;
    for (int step = 0; step < 300; step++) {
      now += random.nextLong(0, SECOND);
      long reading = now - random.nextLong(0, 10 * SECOND);
      checkLateReading(histograms, summaries, now, reading);
      // The same reading again after values that may move the window on.
      int values = random.nextInt(0, 4);
      for (int i = 0; i < values; i++) {
        long nanos = random.nextLong(1, SECOND);
        histograms.record(now, nanos);
        summaries.record(now, nanos);
      }
      checkLateReading(histograms, summaries, now, reading);
    }
  }

  private static void checkLateReading(
      RollingLatency histograms, RollingLatency summaries, long now, long reading) {
    Histogram histogram = histograms.histogram(reading);
    Histogram reference = histograms.merge(reading);
    LatencySummary summary = summaries.summarize(reading, MetricsSnapshot.PERCENTILES);
    Histogram summaryReference = summaries.merge(reading);
    if (!Arrays.deepEquals(counts(histogram).toArray(), counts(reference).toArray())
        || summary.count() != summaryReference.getTotalCount()
        || summary.mean() != summaryReference.getMean()) {
      assertThat(counts(histogram))
          .as("histogram at %d, read at %d", now, reading)
          .containsExactlyElementsOf(counts(reference));
      assertThat(summary.count())
          .as("summary's count at %d, read at %d", now, reading)
          .isEqualTo(summaryReference.getTotalCount());
      assertThat(summary.mean())
          .as("summary's mean at %d, read at %d", now, reading)
          .isEqualTo(summaryReference.getMean());
    }
  }

  @Test
  void afterAHistogram_anotherThreadsRecording_rollsTheWindow() throws InterruptedException {
    RollingLatency window = new RollingLatency(4 * SECOND, 4, 0, 2);
    window.record(0, 1_000);
    assertThat(window.histogram(SECOND / 2).getTotalCount()).isEqualTo(1);

    // Recorded in the next period by a thread that does not hold the window's lock.
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread other = new Thread(() -> window.record(SECOND + 1, 2_000));
    other.setUncaughtExceptionHandler((t, e) -> failed.set(e));
    other.start();
    other.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(other.isAlive()).isFalse();
    assertThat(failed.get()).isNull();

    // Four periods on, the first value has left the window; the second, a period later, stays.
    Histogram h = window.histogram(4 * SECOND + 1);
    assertThat(h.getTotalCount()).isEqualTo(1);
    assertThat(h.getMaxValue()).isEqualTo(h.highestEquivalentValue(2_000));
  }

  @Test
  void theHistogram_survivesTheEncodingOtherInstancesRead() {
    RollingLatency window = new RollingLatency(6 * SECOND, 6, 0, 2);
    for (int i = 0; i < 500; i++) {
      window.record(i * 1_000L, 1_000 + i * 9_973L);
    }
    Histogram h = window.histogram(SECOND);

    Histogram decoded = HistogramCodec.decode(HistogramCodec.encode(h));

    assertThat(counts(decoded)).containsExactlyElementsOf(counts(h));
    assertThat(
            HistogramCodec.decode(HistogramCodec.encode(window.histogram(60 * SECOND)))
                .getTotalCount())
        .isZero();
  }

  @Test
  void aHistogramNotAtThreeDigits_orNotOneAtAll_isRefusedWithTheReason() {
    Histogram five = new Histogram(5);
    five.recordValue(10);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HistogramCodec.decode(HistogramCodec.encode(five)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "latencyHistogram must have 3 significant digits and unit 1, was 5 digits and unit 1");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HistogramCodec.decode("not base64!"))
        .hasMessageStartingWith("latencyHistogram is not base64");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HistogramCodec.decode("AAAAAAAAAAA="))
        .hasMessage("latencyHistogram is not an HdrHistogram compressed encoding: no V2 cookie");
  }
}
