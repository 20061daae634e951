package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The builder's defaults and its refusal of bad input, and the snapshot's own checks. */
class MetricsBuilderTest {

  @Test
  void of_hasTheDocumentedDefaults() {
    Metrics m = Metrics.of("payments");

    assertThat(m.window()).isEqualTo(Duration.ofSeconds(10));
    assertThat(m.windowBuckets()).isEqualTo(10);
    assertThat(m.latencyWindow()).isEqualTo(Duration.ofSeconds(60));
    assertThat(m.latencyWindowBuckets()).isEqualTo(6);
  }

  @Test
  void builder_setsWindows() {
    Metrics m =
        Metrics.builder("x")
            .window(Duration.ofSeconds(30), 30)
            .latencyWindow(Duration.ofMinutes(5), 5)
            .build();

    assertThat(m.window()).isEqualTo(Duration.ofSeconds(30));
    assertThat(m.windowBuckets()).isEqualTo(30);
    assertThat(m.latencyWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(m.latencyWindowBuckets()).isEqualTo(5);
  }

  @Test
  void builder_refusesBadNames() {
    assertThatThrownBy(() -> Metrics.of(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Metrics.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
  }

  @Test
  void builder_refusesBadWindows() {
    Metrics.Builder b = Metrics.builder("x");

    assertThatThrownBy(() -> b.window(Duration.ZERO, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window must be positive and at most PT24H, was PT0S");
    assertThatThrownBy(() -> b.window(Duration.ofSeconds(-1), 10))
        .hasMessage("window must be positive and at most PT24H, was PT-1S");
    assertThatThrownBy(() -> b.latencyWindow(Duration.ofDays(2), 10))
        .hasMessage("latencyWindow must be positive and at most PT24H, was PT48H");
    assertThatThrownBy(() -> b.window(Duration.ofSeconds(10), 0))
        .hasMessage("window buckets must be between 1 and 1000, was 0");
    assertThatThrownBy(() -> b.latencyWindow(Duration.ofSeconds(10), 1001))
        .hasMessage("latencyWindow buckets must be between 1 and 1000, was 1001");
    assertThatThrownBy(() -> b.window(Duration.ofNanos(10), 3))
        .hasMessage("window must divide evenly into its buckets, was PT0.00000001S in 3 buckets");
    assertThatThrownBy(() -> b.window(null, 3))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("window must not be null");
    assertThatThrownBy(() -> b.ticker(null)).hasMessage("ticker must not be null");
    assertThatThrownBy(() -> b.clock(null)).hasMessage("clock must not be null");
  }

  private static MetricsSnapshot snapshot(long successes, long inFlight, long maxInFlight) {
    Map<Double, Duration> percentiles = new TreeMap<>();
    for (Double p : MetricsSnapshot.PERCENTILES) {
      percentiles.put(p, Duration.ZERO);
    }
    return new MetricsSnapshot(
        "s",
        Instant.EPOCH,
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        successes,
        0,
        0,
        0,
        0,
        inFlight,
        maxInFlight,
        Map.of(),
        0,
        Duration.ZERO,
        new TreeMap<>(percentiles));
  }

  @Test
  void snapshot_refusesInconsistentValues() {
    assertThat(snapshot(1, 0, 0).requests()).isEqualTo(1);
    assertThatThrownBy(() -> snapshot(-1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("successes must be >= 0, was -1");
    assertThatThrownBy(() -> snapshot(0, 2, 1))
        .hasMessage("maxInFlight must be >= inFlight 2, was 1");
    assertThatThrownBy(() -> snapshot(0, 0, 0).latencyPercentile(42))
        .hasMessageStartingWith("percentile must be one of [0.0, 25.0, 50.0")
        .hasMessageEndingWith("was 42.0");
  }

  @Test
  void snapshot_refusesMissingPercentiles() {
    assertThatThrownBy(
            () ->
                new MetricsSnapshot(
                    "s",
                    Instant.EPOCH,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(60),
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    0,
                    Map.of(),
                    0,
                    Duration.ZERO,
                    new TreeMap<>(Map.of(50.0, Duration.ZERO))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("latencyPercentiles must hold every one of")
        .hasMessageEndingWith("was [50.0]");
  }
}
