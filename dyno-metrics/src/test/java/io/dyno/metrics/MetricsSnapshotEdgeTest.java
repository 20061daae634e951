package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.internal.PercentileMap;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A snapshot's checks at their edges, its derived values, and the copies it keeps. */
class MetricsSnapshotEdgeTest {

  private static SortedMap<Double, Duration> percentiles(long nanosEach) {
    SortedMap<Double, Duration> map = new TreeMap<>();
    for (Double p : MetricsSnapshot.PERCENTILES) {
      map.put(p, Duration.ofNanos(nanosEach));
    }
    return map;
  }

  private static MetricsSnapshot snapshot(long[] counts, Map<String, Long> byType) {
    return snapshot(counts, byType, percentiles(0));
  }

  /** {@code counts}: successes, failures, timeouts, shortCircuits, rejections, inFlight, max. */
  private static MetricsSnapshot snapshot(
      long[] counts, Map<String, Long> byType, SortedMap<Double, Duration> percentiles) {
    return new MetricsSnapshot(
        "s",
        Instant.EPOCH,
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        counts[4],
        counts[5],
        counts[6],
        byType,
        counts.length > 7 ? counts[7] : 0,
        Duration.ZERO,
        percentiles);
  }

  @Test
  void eachCount_belowZero_isRefusedByName() {
    String[] names = {
      "successes", "failures", "timeouts", "shortCircuits", "rejections", "inFlight"
    };
    for (int i = 0; i < names.length; i++) {
      long[] counts = new long[8];
      counts[i] = -1;
      counts[6] = 5;
      assertThatThrownBy(() -> snapshot(counts, Map.of()))
          .as(names[i])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(names[i] + " must be >= 0, was -1");
    }
    assertThatThrownBy(() -> snapshot(new long[] {0, 0, 0, 0, 0, 0, 0, -3}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latencyCount must be >= 0, was -3");
  }

  @Test
  void zeroCounts_andAPeakEqualToInFlight_areAccepted() {
    MetricsSnapshot s = snapshot(new long[] {0, 0, 0, 0, 0, 4, 4, 0}, Map.of());

    assertThat(s.inFlight()).isEqualTo(4);
    assertThat(s.maxInFlight()).isEqualTo(4);
    assertThat(s.requests()).isZero();
    assertThat(s.errors()).isZero();
    assertThat(s.errorPercentage()).isZero();
  }

  @Test
  void derivedValues_addEveryKindOfOutcome() {
    // 1 success, 2 failures, 4 timeouts, 8 short-circuits, 16 rejections.
    MetricsSnapshot s = snapshot(new long[] {1, 2, 4, 8, 16, 0, 0}, Map.of("a.B", 2L));

    assertThat(s.requests()).isEqualTo(31);
    assertThat(s.errors()).isEqualTo(30);
    assertThat(s.errorPercentage()).isEqualTo(100.0 * 30 / 31);
    assertThat(s.ratePerSecond()).isEqualTo(3.1);
    assertThat(snapshot(new long[] {3, 1, 0, 0, 0, 0, 0}, Map.of()).errorPercentage())
        .isEqualTo(25.0);
  }

  @Test
  void failuresByType_isASortedUnmodifiableCopy() {
    Map<String, Long> byType = new HashMap<>();
    byType.put("z.Late", 1L);
    byType.put("a.Early", 2L);

    MetricsSnapshot s = snapshot(new long[] {0, 3, 0, 0, 0, 0, 0}, byType);
    byType.put("m.Added", 9L);

    assertThat(s.failuresByType())
        .containsExactly(Map.entry("a.Early", 2L), Map.entry("z.Late", 1L));
    assertThatThrownBy(() -> s.failuresByType().put("x", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> snapshot(new long[7], Map.of()).failuresByType().put("x", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void latencyPercentiles_givenAsAnotherMap_areAnUnmodifiableSortedCopy() {
    SortedMap<Double, Duration> given = percentiles(7);
    given.put(42.0, Duration.ofNanos(1));

    MetricsSnapshot s = snapshot(new long[7], Map.of(), given);
    given.put(50.0, Duration.ofNanos(99));

    assertThat(s.latencyP50()).isEqualTo(Duration.ofNanos(7));
    assertThat(s.latencyPercentile(42.0)).isEqualTo(Duration.ofNanos(1));
    assertThatThrownBy(() -> s.latencyPercentiles().put(1.0, Duration.ZERO))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void latencyPercentiles_ofAPercentileMapWithOtherKeys_areCheckedToo() {
    PercentileMap partial = PercentileMap.of(List.of(50.0, 99.0), new long[] {1, 2});

    assertThatThrownBy(() -> snapshot(new long[7], Map.of(), partial))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("latencyPercentiles must hold every one of")
        .hasMessageEndingWith("was [50.0, 99.0]");
  }

  @Test
  void latencyAccessors_readTheirOwnPercentile() {
    long[] nanos = {1, 25, 50, 75, 90, 95, 99, 995, 999, 1000};
    MetricsSnapshot s =
        snapshot(new long[7], Map.of(), PercentileMap.of(MetricsSnapshot.PERCENTILES, nanos));

    assertThat(s.latencyMin()).isEqualTo(Duration.ofNanos(1));
    assertThat(s.latencyP50()).isEqualTo(Duration.ofNanos(50));
    assertThat(s.latencyP90()).isEqualTo(Duration.ofNanos(90));
    assertThat(s.latencyP99()).isEqualTo(Duration.ofNanos(99));
    assertThat(s.latencyP995()).isEqualTo(Duration.ofNanos(995));
    assertThat(s.latencyP999()).isEqualTo(Duration.ofNanos(999));
    assertThat(s.latencyMax()).isEqualTo(Duration.ofNanos(1000));
    assertThat(s.latencyPercentiles()).isSameAs(s.latencyPercentiles());
  }
}
