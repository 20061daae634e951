package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Metrics#latencyAt}: the latency at any percentile over the latency window. */
class MetricsLatencyAtTest {

  private final FakeTicker now = FakeTicker.startingAt(1_000);
  private final Metrics metrics =
      Metrics.builder("search").ticker(now).latencyWindow(Duration.ofSeconds(60), 6).build();

  /**
   * Records one call of each latency from 1 to {@code count} milliseconds, all started at once so
   * that they end within {@code count} milliseconds, well inside the window.
   */
  private void recordOneToMillis(int count) {
    List<Metrics.Sample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      samples.add(metrics.start());
    }
    for (Metrics.Sample sample : samples) {
      now.advance(Duration.ofMillis(1));
      sample.success();
    }
  }

  @Test
  void anEmptyWindow_givesEmpty_atEveryPercentile() {
    assertThat(metrics.latencyAt(0)).isEmpty();
    assertThat(metrics.latencyAt(95)).isEmpty();
    assertThat(metrics.latencyAt(100)).isEmpty();
  }

  @Test
  void atEachOfTheSnapshotsPercentiles_equalsTheSnapshot_onTheSameData() {
    recordOneToMillis(200);

    MetricsSnapshot s = metrics.snapshot();
    for (double p : MetricsSnapshot.PERCENTILES) {
      assertThat(metrics.latencyAt(p)).as("p%s", p).contains(s.latencyPercentile(p));
    }
    assertThat(metrics.latencyAt(95)).contains(s.latencyPercentile(95));
    assertThat(metrics.latencyAt(0)).contains(s.latencyMin());
    assertThat(metrics.latencyAt(100)).contains(s.latencyMax());
  }

  @Test
  void atAnyOtherPercentile_givesTheLatencyAtItsRank_withinThreeDigits() {
    recordOneToMillis(1000);

    // 37.5% of 1000 calls of 1..1000 ms: the 375th, 375 ms.
    assertThat(metrics.latencyAt(37.5).orElseThrow())
        .isBetween(Duration.ofMillis(375), Duration.ofNanos(375_500_000));
    assertThat(metrics.latencyAt(99.99).orElseThrow())
        .isBetween(Duration.ofMillis(1000), Duration.ofMillis(1001));
    assertThat(metrics.latencyAt(37.5).orElseThrow())
        .isBetween(metrics.latencyAt(25).orElseThrow(), metrics.latencyAt(50).orElseThrow());
  }

  @Test
  void readingOtherPercentiles_leavesWhatSnapshotsReadUnchanged() {
    recordOneToMillis(100);
    MetricsSnapshot before = metrics.snapshot();

    assertThat(metrics.latencyAt(12.5)).isPresent();
    assertThat(metrics.latencyAt(66.6)).isPresent();

    MetricsSnapshot after = metrics.snapshot();
    assertThat(after.latencyPercentiles()).isEqualTo(before.latencyPercentiles());
    assertThat(after.latencyCount()).isEqualTo(100);
  }

  @Test
  void followsTheWindow_newLatenciesCount_andOnceTheyLeaveItIsEmptyAgain() {
    recordOneToMillis(10);
    assertThat(metrics.latencyAt(100).orElseThrow()).isLessThan(Duration.ofMillis(11));

    Metrics.Sample slow = metrics.start();
    now.advance(Duration.ofMillis(500));
    slow.success();
    assertThat(metrics.latencyAt(100).orElseThrow()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertThat(metrics.latencyAt(100)).contains(metrics.snapshot().latencyMax());

    now.advance(Duration.ofSeconds(61));
    assertThat(metrics.latencyAt(50)).isEmpty();
    assertThat(metrics.snapshot().latencyCount()).isZero();
  }

  @Test
  void doesNotAskTheStatusSource() {
    AtomicInteger asked = new AtomicInteger();
    try (Metrics.StatusReport report =
        metrics.reportStatus(
            () -> {
              asked.incrementAndGet();
              return MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null);
            })) {
      recordOneToMillis(3);

      assertThat(metrics.latencyAt(50)).isPresent();

      assertThat(report.isOpen()).isTrue();
      assertThat(asked).hasValue(0);
    }
  }

  @Test
  void aPercentileThatIsNaNOrOutsideZeroToHundred_isRefused_namingIt() {
    assertThatThrownBy(() -> metrics.latencyAt(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percentile must be in [0, 100], was NaN");
    assertThatThrownBy(() -> metrics.latencyAt(-0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percentile must be in [0, 100], was -0.5");
    assertThatThrownBy(() -> metrics.latencyAt(100.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percentile must be in [0, 100], was 100.5");
    assertThatThrownBy(() -> metrics.latencyAt(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percentile must be in [0, 100], was Infinity");
  }
}
