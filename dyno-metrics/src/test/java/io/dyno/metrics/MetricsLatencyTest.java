package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Latency percentiles, against a sorted reference, within HdrHistogram's 3 significant digits. */
class MetricsLatencyTest {

  private final FakeTicker now = FakeTicker.create();
  // A day-long latency window, so that the calls below, about 12 minutes in all, stay in it.
  private final Metrics metrics =
      Metrics.builder("lat").latencyWindow(Duration.ofDays(1), 24).ticker(now).build();

  private void callTaking(long nanos) {
    metrics.run(() -> now.advance(nanos));
  }

  @Test
  void percentiles_matchASortedReferenceWithinAThousandth() {
    SplittableRandom random = new SplittableRandom(42);
    long[] values = new long[10_000];
    for (int i = 0; i < values.length; i++) {
      // Log-uniform from 1 µs to 1 s.
      values[i] = (long) Math.pow(10, 3 + 6 * random.nextDouble());
      callTaking(values[i]);
    }
    Arrays.sort(values);

    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.latencyCount()).isEqualTo(values.length);
    for (double p : new double[] {25, 50, 75, 90, 95, 99, 99.5, 99.9}) {
      // Nearest rank, rounded as HdrHistogram rounds it.
      int rank = (int) Math.max(1, (long) (p / 100 * values.length + 0.5));
      double expected = (double) values[rank - 1];
      assertThat((double) s.latencyPercentile(p).toNanos())
          .as("p%s", p)
          .isCloseTo(expected, within(expected * 0.001 + 1));
    }
    double min = (double) values[0];
    double max = (double) values[values.length - 1];
    assertThat((double) s.latencyMin().toNanos()).isCloseTo(min, within(min * 0.001));
    assertThat((double) s.latencyMax().toNanos()).isCloseTo(max, within(max * 0.001));
    double mean = Arrays.stream(values).average().orElseThrow();
    assertThat((double) s.latencyMean().toNanos()).isCloseTo(mean, within(mean * 0.001));
    assertThat(s.latencyP50()).isEqualTo(s.latencyPercentile(50));
    assertThat(s.latencyP90()).isEqualTo(s.latencyPercentile(90));
    assertThat(s.latencyP99()).isEqualTo(s.latencyPercentile(99));
    assertThat(s.latencyP995()).isEqualTo(s.latencyPercentile(99.5));
    assertThat(s.latencyP999()).isEqualTo(s.latencyPercentile(99.9));
  }

  @Test
  void latencies_longerThanAnHour_countAsAnHour() {
    callTaking(Duration.ofHours(5).toNanos());

    assertThat(metrics.snapshot().latencyMax())
        .isBetween(Duration.ofHours(1), Duration.ofMinutes(61));
  }

  @Test
  void aTickerThatStepsBack_recordsZeroRatherThanANegativeLatency() {
    metrics.run(() -> now.set(now.read() - 5_000));

    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.latencyCount()).isEqualTo(1);
    assertThat(s.latencyMax()).isZero();
  }
}
