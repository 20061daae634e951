package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link HystrixFrames} at the edges of what a frame shows: long groups, numbers of every length at
 * every position, latencies below zero and past hours, extra percentiles, metrics with nothing
 * recorded; each frame must read as {@link SnapshotJson#hystrixCommand} and {@link
 * SnapshotJson#hystrixThreadPool} write it.
 */
class HystrixFramesFieldsTest {

  private static String reference(List<MetricsSnapshot> snapshots, String group) {
    return HystrixFramesTest.reference(snapshots, group);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static SortedMap<Double, Duration> percentiles(Duration each) {
    SortedMap<Double, Duration> p = new TreeMap<>();
    for (Double q : MetricsSnapshot.PERCENTILES) {
      p.put(q, each);
    }
    return p;
  }

  private static MetricsSnapshot snapshot(
      String name, long time, long successes, long failures, Duration mean) {
    return new MetricsSnapshot(
        name,
        Instant.ofEpochMilli(time),
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        successes,
        failures,
        0,
        0,
        0,
        0,
        0,
        Map.of(),
        successes + failures,
        mean,
        percentiles(mean));
  }

  /** {@code s} with its calls on {@code pool} and no circuit. */
  private static MetricsSnapshot pooled(MetricsSnapshot s, MetricsStatus.Pool pool) {
    return s.withStatus(MetricsStatus.pool(pool));
  }

  /** A metric with nothing recorded in a window of no length: every value it shows is zero. */
  private static MetricsSnapshot empty(String name, long time) {
    return new MetricsSnapshot(
        name,
        Instant.ofEpochMilli(time),
        Duration.ZERO,
        Duration.ZERO,
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
        percentiles(Duration.ZERO));
  }

  @Test
  void aGroupLongerThanAWholeFrame_isWrittenWhole() {
    String group = "g".repeat(10_000);
    HystrixFrames frames = new HystrixFrames(group);
    List<MetricsSnapshot> board = List.of(snapshot("payments", 1_000, 3, 1, Duration.ofMillis(2)));

    String written = text(frames.write(board));

    assertThat(written).isEqualTo(reference(board, group));
    assertThat(written).contains("\"group\":\"" + group + "\"", "\"threadPool\":\"" + group + "\"");
  }

  @Test
  void nineteenDigitCounts_areWrittenWhole_whereverTheyFallInTheFrames() {
    // Group names of every length move each number of the later frames across the points where
    // the frames outgrow their buffer, so that some number straddles each of them.
    for (int length = 1; length <= 1_200; length++) {
      String group = "g".repeat(length);
      HystrixFrames frames = new HystrixFrames(group);
      List<MetricsSnapshot> board =
          List.of(
              snapshot("a", 1_000, 4_000_000_000_000_000_000L, 1, Duration.ofNanos(1_234_567)),
              pooled(
                  snapshot("b", 1_000, 1, 4_000_000_000_000_000_000L, Duration.ofNanos(7_654_321)),
                  new MetricsStatus.Pool(
                      Integer.MAX_VALUE, 1, 2, 3, 4, 4_000_000_000_000_000_000L)),
              snapshot("c", 1_000, 999_999_999_999_999_999L, 12_345, Duration.ofMillis(3)),
              pooled(
                  snapshot("d", 1_000, 123_456_789_012_345_678L, 98_765, Duration.ofMillis(4)),
                  new MetricsStatus.Pool(1_000, 999, 999, 998, Integer.MAX_VALUE, Long.MAX_VALUE)));

      String written = text(frames.write(board));

      if (!written.equals(reference(board, group))) {
        assertThat(written).as("group of %d", length).isEqualTo(reference(board, group));
      }
    }
  }

  @Test
  void aMetricWithNothingRecorded_appearingBesideAnother_getsItsWholeFrame() {
    HystrixFrames frames = new HystrixFrames("dyno");
    MetricsSnapshot busy = snapshot("busy", 1_000, 5, 1, Duration.ofMillis(3));
    frames.write(List.of(busy));

    List<MetricsSnapshot> next =
        List.of(snapshot("busy", 2_000, 6, 1, Duration.ofMillis(3)), empty("new", 2_000));
    String written = text(frames.write(next));

    assertThat(written).isEqualTo(reference(next, "dyno"));
    assertThat(written)
        .contains("\"name\":\"new\"")
        .contains("\"requestCount\":0,")
        .contains("\"latencyExecute\":{\"0\":0,\"25\":0,");
  }

  @Test
  void aSecondEmptyMetricOfTheSameName_getsItsWholeFrameToo() {
    HystrixFrames frames = new HystrixFrames("dyno");
    frames.write(List.of(empty("same", 1_000)));

    List<MetricsSnapshot> next = List.of(empty("same", 2_000), empty("same", 2_000));

    assertThat(text(frames.write(next))).isEqualTo(reference(next, "dyno"));
  }

  @Test
  void latenciesBelowZero_andPastTwoHours_areWrittenAsWholeMilliseconds() {
    SortedMap<Double, Duration> p = new TreeMap<>();
    long[] nanos = {
      -1_500_000,
      -1_000,
      0,
      1_000,
      1_500_000,
      7_200_000_000_000L,
      10_800_001_500_000L,
      10_800_001_500_000L,
      10_800_001_500_000L,
      36_000_000_000_001_000L
    };
    for (int k = 0; k < nanos.length; k++) {
      p.put(MetricsSnapshot.PERCENTILES.get(k), Duration.ofNanos(nanos[k]));
    }
    MetricsSnapshot s =
        new MetricsSnapshot(
            "odd",
            Instant.ofEpochMilli(-5),
            Duration.ofHours(3),
            Duration.ofHours(3),
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            Map.of(),
            1,
            Duration.ofNanos(-2_500_000),
            p);
    HystrixFrames frames = new HystrixFrames("dyno");

    String written = text(frames.write(List.of(s)));

    assertThat(written)
        .isEqualTo(reference(List.of(s), "dyno"))
        .contains("\"currentTime\":-5,")
        .contains("\"latencyExecute_mean\":-2,")
        .contains("\"0\":-1,\"25\":0,\"50\":0,\"75\":0,\"90\":2,\"95\":7200000,")
        .contains("\"99\":10800002,")
        .contains("\"100\":36000000000}")
        .contains("\"propertyValue_metricsRollingStatisticalWindowInMilliseconds\":10800000,");
  }

  @Test
  void aSnapshotWithMorePercentilesThanTheStreamShows_showsTheStreamsOnly() {
    SortedMap<Double, Duration> p = percentiles(Duration.ofMillis(2));
    p.put(-1.0, Duration.ofMillis(1));
    p.put(99.99, Duration.ofMillis(8));
    p.put(100.5, Duration.ofMillis(9));
    p.put(150.0, Duration.ofMillis(10));
    MetricsSnapshot s =
        new MetricsSnapshot(
            "extra",
            Instant.ofEpochMilli(1_000),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            Map.of(),
            1,
            Duration.ofMillis(2),
            p);

    String written = text(new HystrixFrames("dyno").write(List.of(s)));

    assertThat(written)
        .isEqualTo(reference(List.of(s), "dyno"))
        .contains(
            "\"latencyExecute\":{\"0\":2,\"25\":2,\"50\":2,\"75\":2,\"90\":2,\"95\":2,\"99\":2,"
                + "\"99.5\":2,\"100\":2}");
  }

  @Test
  void writeLong_ofNegativeNumbers_writesTheirOwnDigits() {
    byte[] buffer = new byte[32];
    for (long v : new long[] {-1, -42, -1_000, -9_223_372_036_854_775_807L, Long.MIN_VALUE}) {
      int end = HystrixFrames.writeLong(buffer, 3, v);
      assertThat(new String(buffer, 3, end - 3, StandardCharsets.US_ASCII))
          .isEqualTo(Long.toString(v));
    }
  }
}
