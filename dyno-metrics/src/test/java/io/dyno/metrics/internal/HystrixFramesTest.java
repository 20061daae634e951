package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link HystrixFrames} writes, emission after emission, exactly the bytes that {@link
 * SnapshotJson#hystrixCommand} and {@link SnapshotJson#hystrixThreadPool} give for each snapshot,
 * whether a frame is written anew or reused from the last emission.
 */
class HystrixFramesTest {

  private static final String GROUP = "dyno";

  /**
   * The frames as the stream defines them, one {@link SnapshotJson#hystrixCommand} each, followed
   * by one {@link SnapshotJson#hystrixThreadPool} for a snapshot with a pool, as the text their
   * UTF-8 bytes read back as (a lone surrogate in a name is sent as {@code ?}).
   */
  static String reference(List<MetricsSnapshot> snapshots, String group) {
    if (snapshots.isEmpty()) {
      return ": ping\n\n";
    }
    StringBuilder sb = new StringBuilder();
    for (MetricsSnapshot s : snapshots) {
      sb.append("data: ").append(SnapshotJson.hystrixCommand(s, group)).append("\n\n");
      MetricsStatus status = s.status();
      if (status != null && status.pool() != null) {
        sb.append("data: ").append(SnapshotJson.hystrixThreadPool(s)).append("\n\n");
      }
    }
    return text(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void write_ofNoSnapshots_isAPing() {
    assertThat(text(new HystrixFrames(GROUP).write(List.of()))).isEqualTo(": ping\n\n");
  }

  @Test
  void anUnchangedMetric_keepsItsFrame_withTheNewTime() {
    HystrixFrames frames = new HystrixFrames(GROUP);
    MetricsSnapshot first = snapshot("payments", 1_000, 5, Duration.ofNanos(1_234_567));
    MetricsSnapshot later = withTime(first, 2_000);

    frames.write(List.of(first));
    String second = text(frames.write(List.of(later)));

    assertThat(second)
        .isEqualTo(reference(List.of(later), GROUP))
        .contains("\"currentTime\":2000,");
  }

  @Test
  void aChangedMetric_showsItsNewValues_besideAnUnchangedOne() {
    HystrixFrames frames = new HystrixFrames(GROUP);
    MetricsSnapshot idle = snapshot("idle", 1_000, 1, Duration.ofMillis(3));
    MetricsSnapshot busy = snapshot("busy", 1_000, 5, Duration.ofNanos(1_234_567));
    frames.write(List.of(busy, idle));

    MetricsSnapshot busier = snapshot("busy", 2_000, 6, Duration.ofNanos(2_500_000));
    List<MetricsSnapshot> next = List.of(busier, withTime(idle, 2_000));
    String second = text(frames.write(next));

    assertThat(second)
        .isEqualTo(reference(next, GROUP))
        .contains("\"rollingCountSuccess\":6,")
        .contains("\"latencyExecute_mean\":3,");
  }

  @Test
  void aMetricThatWasLeftOut_isWrittenAnewWhenItReturns() {
    HystrixFrames frames = new HystrixFrames(GROUP);
    MetricsSnapshot a = snapshot("a", 1_000, 1, Duration.ofMillis(3));
    MetricsSnapshot b = snapshot("b", 1_000, 2, Duration.ofMillis(4));
    frames.write(List.of(a, b));
    frames.write(List.of(withTime(b, 2_000)));
    frames.write(List.of());

    List<MetricsSnapshot> back = List.of(withTime(a, 4_000), withTime(b, 4_000));

    assertThat(text(frames.write(back))).isEqualTo(reference(back, GROUP));
  }

  @Test
  void twoSnapshotsOfOneName_eachGetTheirOwnFrame() {
    HystrixFrames frames = new HystrixFrames(GROUP);
    MetricsSnapshot a = snapshot("same", 1_000, 1, Duration.ofMillis(3));
    MetricsSnapshot b = snapshot("same", 1_000, 2, Duration.ofMillis(4));
    frames.write(List.of(a, b));

    List<MetricsSnapshot> next = List.of(withTime(a, 2_000), withTime(b, 2_000));

    assertThat(text(frames.write(next))).isEqualTo(reference(next, GROUP));
  }

  @Test
  void aMetricOnAPool_getsAThreadPoolFrame_rightAfterItsCommandFrame() {
    MetricsStatus.Pool pool = new MetricsStatus.Pool(8, 3, 5, 2, 1, 40);
    MetricsSnapshot onPool =
        withStatus(
            snapshot("payments", 1_000, 5, Duration.ofMillis(3)),
            MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null).withPool(pool));
    List<MetricsSnapshot> board =
        List.of(snapshot("alone", 1_000, 1, Duration.ofMillis(1)), onPool);

    String written = text(new HystrixFrames(GROUP).write(board));

    assertThat(written).isEqualTo(reference(board, GROUP));
    assertThat(HystrixDashboardFieldsTest.frames(written))
        .extracting(frame -> frame.substring(0, frame.indexOf(",\"currentTime\"")))
        .containsExactly(
            "data: {\"type\":\"HystrixCommand\",\"name\":\"alone\",\"group\":\"dyno\"",
            "data: {\"type\":\"HystrixCommand\",\"name\":\"payments\",\"group\":\"dyno\"",
            "data: {\"type\":\"HystrixThreadPool\",\"name\":\"payments\"");
  }

  @Test
  void aChangeOfStatusAlone_changesTheFrames_andAnUnchangedStatusKeepsThem() {
    HystrixFrames frames = new HystrixFrames(GROUP);
    MetricsSnapshot counts = snapshot("payments", 1_000, 5, Duration.ofMillis(3));
    MetricsStatus.Pool pool = new MetricsStatus.Pool(8, 3, 5, 2, 0, 40);
    MetricsStatus closed = MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null);
    frames.write(List.of(withStatus(counts, closed.withPool(pool))));

    List<MetricsSnapshot> open =
        List.of(
            withStatus(
                withTime(counts, 2_000),
                MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofSeconds(4))
                    .withPool(pool)));
    assertThat(text(frames.write(open)))
        .isEqualTo(reference(open, GROUP))
        .contains("\"isCircuitBreakerOpen\":true,");

    List<MetricsSnapshot> busier =
        List.of(
            withStatus(
                withTime(counts, 3_000),
                MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofSeconds(3))
                    .withPool(new MetricsStatus.Pool(8, 3, 5, 3, 0, 40))));
    assertThat(text(frames.write(busier)))
        .isEqualTo(reference(busier, GROUP))
        .contains("\"currentActiveCount\":3,");

    List<MetricsSnapshot> idle = List.of(withTime(busier.get(0), 4_000));
    assertThat(text(frames.write(idle)))
        .isEqualTo(reference(idle, GROUP))
        .contains("\"type\":\"HystrixThreadPool\",\"name\":\"payments\",\"currentTime\":4000,");

    List<MetricsSnapshot> noPool = List.of(withStatus(withTime(counts, 5_000), closed));
    assertThat(text(frames.write(noPool)))
        .isEqualTo(reference(noPool, GROUP))
        .doesNotContain("HystrixThreadPool")
        .contains("\"isCircuitBreakerOpen\":false,");
  }

  @Test
  void arms_areNotInTheStream_aStatusWithArmsGivesTheFramesOfTheStatusWithout() {
    MetricsSnapshot counts = snapshot("payments", 1_000, 5, Duration.ofMillis(3));
    MetricsStatus.Arms arms = new MetricsStatus.Arms("new-panel", 20, 1234, 4910, false);
    MetricsStatus.Pool pool = new MetricsStatus.Pool(8, 3, 5, 2, 1, 40);
    MetricsStatus[] statuses = {
      MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofSeconds(4)).withPool(pool),
      MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null),
      MetricsStatus.pool(pool),
      new MetricsStatus(null, null, null),
    };
    HystrixFrames withArms = new HystrixFrames(GROUP);
    HystrixFrames without = new HystrixFrames(GROUP);
    long time = 1_000;
    for (MetricsStatus status : statuses) {
      MetricsSnapshot plain = withStatus(withTime(counts, time), status);
      MetricsSnapshot split = withStatus(withTime(counts, time), status.withArms(arms));

      String expected = text(without.write(List.of(plain)));

      assertThat(text(withArms.write(List.of(split))))
          .as("the frames of %s with arms", status)
          .isEqualTo(expected)
          .isEqualTo(reference(List.of(plain), GROUP))
          .doesNotContain("new-panel");
      time += 1_000;
    }
    // Arms alone, and arms that change while all else stays, change nothing either.
    MetricsSnapshot armsOnly = withStatus(withTime(counts, time), MetricsStatus.arms(arms));
    MetricsSnapshot noStatus = withTime(counts, time);
    assertThat(text(withArms.write(List.of(armsOnly))))
        .isEqualTo(text(without.write(List.of(noStatus))));
    time += 1_000;
    MetricsSnapshot tripped =
        withStatus(
            withTime(counts, time),
            MetricsStatus.arms(new MetricsStatus.Arms("new-panel", 20, 1234, 4911, true)));
    assertThat(text(withArms.write(List.of(tripped))))
        .isEqualTo(text(without.write(List.of(withTime(counts, time)))));
  }

  @Test
  void limitAndThrottle_areNotInTheStream_aStatusWithThemGivesTheFramesOfTheStatusWithout() {
    MetricsSnapshot counts = snapshot("search", 1_000, 5, Duration.ofMillis(3));
    MetricsStatus.Limit limit = new MetricsStatus.Limit("search-limit", "gradient2", 48, 37);
    MetricsStatus.Throttle throttle =
        new MetricsStatus.Throttle("search-throttle", 0.12, 4000, 1200);
    MetricsStatus.Pool pool = new MetricsStatus.Pool(8, 3, 5, 2, 1, 40);
    MetricsStatus[] statuses = {
      MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofSeconds(4)).withPool(pool),
      MetricsStatus.circuit(MetricsStatus.Circuit.HALF_OPEN, null),
      MetricsStatus.pool(pool).withArms(new MetricsStatus.Arms("r", 20, 1, 2, false)),
      new MetricsStatus(null, null, null),
    };
    HystrixFrames withBoth = new HystrixFrames(GROUP);
    HystrixFrames without = new HystrixFrames(GROUP);
    long time = 1_000;
    for (MetricsStatus status : statuses) {
      MetricsSnapshot plain = withStatus(withTime(counts, time), status);
      MetricsSnapshot guarded =
          withStatus(withTime(counts, time), status.withLimit(limit).withThrottle(throttle));

      String expected = text(without.write(List.of(plain)));

      assertThat(text(withBoth.write(List.of(guarded))))
          .as("the frames of %s with a limit and a throttle", status)
          .isEqualTo(expected)
          .isEqualTo(reference(List.of(plain), GROUP))
          .doesNotContain("search-limit")
          .doesNotContain("search-throttle")
          .doesNotContain("gradient2");
      time += 1_000;
    }
    // A limit alone, a throttle alone, and figures that change while all else stays change
    // nothing either.
    MetricsSnapshot limitOnly = withStatus(withTime(counts, time), MetricsStatus.limit(limit));
    assertThat(text(withBoth.write(List.of(limitOnly))))
        .isEqualTo(text(without.write(List.of(withTime(counts, time)))));
    time += 1_000;
    MetricsSnapshot throttleOnly =
        withStatus(withTime(counts, time), MetricsStatus.throttle(throttle));
    assertThat(text(withBoth.write(List.of(throttleOnly))))
        .isEqualTo(text(without.write(List.of(withTime(counts, time)))));
    time += 1_000;
    MetricsSnapshot moved =
        withStatus(
            withTime(counts, time),
            MetricsStatus.limit(new MetricsStatus.Limit("search-limit", "gradient2", 30, 41))
                .withThrottle(new MetricsStatus.Throttle("search-throttle", 0.9, 5000, 100)));
    assertThat(text(withBoth.write(List.of(moved))))
        .isEqualTo(text(without.write(List.of(withTime(counts, time)))));
  }

  @Test
  void hedging_isNotInTheStream_aStatusWithItGivesTheFramesOfTheStatusWithout() {
    MetricsSnapshot counts = snapshot("search", 1_000, 5, Duration.ofMillis(3));
    MetricsStatus.Hedging hedging =
        new MetricsStatus.Hedging(Duration.ofNanos(12_345_678), 2, 41, 17);
    MetricsStatus.Pool pool = new MetricsStatus.Pool(8, 3, 5, 2, 1, 40);
    MetricsStatus[] statuses = {
      MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofSeconds(4)).withPool(pool),
      MetricsStatus.circuit(MetricsStatus.Circuit.FORCED_OPEN, null),
      MetricsStatus.pool(pool)
          .withLimit(new MetricsStatus.Limit("search-limit", "gradient2", 48, 37))
          .withThrottle(new MetricsStatus.Throttle("search-throttle", 0.12, 4000, 1200)),
      new MetricsStatus(null, null, null),
    };
    HystrixFrames withHedging = new HystrixFrames(GROUP);
    HystrixFrames without = new HystrixFrames(GROUP);
    long time = 1_000;
    for (MetricsStatus status : statuses) {
      MetricsSnapshot plain = withStatus(withTime(counts, time), status);
      MetricsSnapshot hedged = withStatus(withTime(counts, time), status.withHedging(hedging));

      String expected = text(without.write(List.of(plain)));

      assertThat(text(withHedging.write(List.of(hedged))))
          .as("the frames of %s with hedging", status)
          .isEqualTo(expected)
          .isEqualTo(reference(List.of(plain), GROUP))
          .doesNotContain("hedg")
          .doesNotContain("12.346")
          .doesNotContain("delayMs");
      time += 1_000;
    }
    // Hedging alone, and hedging figures that change while all else stays, change nothing either.
    MetricsSnapshot hedgingOnly =
        withStatus(withTime(counts, time), MetricsStatus.hedging(hedging));
    assertThat(text(withHedging.write(List.of(hedgingOnly))))
        .isEqualTo(text(without.write(List.of(withTime(counts, time)))));
    time += 1_000;
    MetricsSnapshot moved =
        withStatus(
            withTime(counts, time),
            MetricsStatus.hedging(new MetricsStatus.Hedging(Duration.ofMillis(40), 3, 90, 60)));
    assertThat(text(withHedging.write(List.of(moved))))
        .isEqualTo(text(without.write(List.of(withTime(counts, time)))));
  }

  @Test
  void latencies_areWholeMilliseconds_roundedHalfUp() {
    long[] nanos = {499_999, 500_000, 1_499_999, 1_500_000, -1_500_000, -1_500_001, 0, 1, 2, 3};
    SortedMap<Double, Duration> p = new TreeMap<>();
    for (int k = 0; k < nanos.length; k++) {
      p.put(MetricsSnapshot.PERCENTILES.get(k), Duration.ofNanos(nanos[k]));
    }
    MetricsSnapshot s =
        new MetricsSnapshot(
            "rounded",
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
            Duration.ofNanos(2_500_000),
            p);

    String written = text(new HystrixFrames(GROUP).write(List.of(s)));

    assertThat(written)
        .isEqualTo(reference(List.of(s), GROUP))
        .contains("\"latencyExecute_mean\":3,")
        .contains(
            "\"latencyExecute\":{\"0\":0,\"25\":1,\"50\":1,\"75\":2,\"90\":-1,\"95\":-2,\"99\":0,"
                + "\"99.5\":0,\"100\":0}");
  }

  @Test
  void writeLong_matchesLongToString_atTheEdges() {
    byte[] buffer = new byte[32];
    long[] values = {
      0, 9, 10, 99, 100, -1, -10, 1_700_000_000_123L, Long.MAX_VALUE, Long.MIN_VALUE
    };
    for (long v : values) {
      int end = HystrixFrames.writeLong(buffer, 0, v);
      assertThat(new String(buffer, 0, end, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
      assertThat(HystrixFrames.decimalLength(v)).isEqualTo(Long.toString(v).length());
    }
    for (long v = 1; v > 0 && v < Long.MAX_VALUE / 10; v *= 10) {
      for (long w : new long[] {v - 1, v, v + 1, -v, -v + 1}) {
        assertThat(HystrixFrames.decimalLength(w)).as("%d", w).isEqualTo(Long.toString(w).length());
      }
    }
  }

  /**
   * Many emissions of a changing board: metrics added, removed, left out, idle or changed in any of
   * their values, names that need escaping, groups that do too; every emission must equal the
   * reference.
   */
  @Property(seed = "20261203", tries = 30)
  void everyEmission_equalsTheReference_asTheBoardChanges(@ForAll long seed) {
    Random random = new Random(seed);
    String group = random.nextInt(4) == 0 ? "gr\"ou<p> \u00e9" : GROUP;
    HystrixFrames frames = new HystrixFrames(group);
    List<MetricsSnapshot> board = new ArrayList<>();
    for (int i = 0; i < 1 + random.nextInt(8); i++) {
      board.add(randomSnapshot(random, name(random, i), 1_000));
    }
    for (int emission = 0; emission < 25; emission++) {
      long time = random.nextInt(10) == 0 ? -5 : 1_000L * (emission + 2);
      List<MetricsSnapshot> next = new ArrayList<>();
      for (MetricsSnapshot s : board) {
        int roll = random.nextInt(10);
        if (roll < 5) {
          next.add(withTime(s, time));
        } else if (roll < 9) {
          next.add(changedOne(random, s, time));
        }
        // else: left out of this emission, as a metric whose snapshot failed
      }
      if (random.nextInt(5) == 0) {
        next.add(randomSnapshot(random, name(random, 100 + emission), time));
      }
      if (random.nextInt(15) == 0) {
        next.clear();
      }
      String written = text(frames.write(next));

      assertThat(written).as("emission %d", emission).isEqualTo(reference(next, group));
      if (!next.isEmpty()) {
        board = next;
      }
    }
  }

  private static String name(Random random, int i) {
    return switch (random.nextInt(4)) {
      case 0 -> "svc-" + i;
      case 1 -> "pay\"ments<" + i + ">&\n\u2028";
      case 2 -> "\u00fcber-\uD83D\uDE00-" + i;
      default -> "lone-\uD800-" + i;
    };
  }

  private static MetricsSnapshot changedOne(Random random, MetricsSnapshot s, long time) {
    long[] counts = {
      s.successes(), s.failures(), s.timeouts(), s.shortCircuits(), s.rejections(), s.inFlight()
    };
    SortedMap<Double, Duration> p = new TreeMap<>(s.latencyPercentiles());
    Duration mean = s.latencyMean();
    Duration window = s.window();
    MetricsStatus status = s.status();
    switch (random.nextInt(7)) {
      case 0 -> counts[random.nextInt(counts.length)]++;
      case 1 -> mean = mean.plusNanos(1 + random.nextInt(3_000));
      case 2 -> {
        Double q =
            MetricsSnapshot.PERCENTILES.get(random.nextInt(MetricsSnapshot.PERCENTILES.size()));
        p.put(q, p.get(q).plusNanos(1 + random.nextInt(3_000)));
      }
      case 3 -> window = window.plusSeconds(1);
      case 4 -> status = randomStatus(random);
      case 5 -> status = changedPool(random, status);
      default -> {
        // A change the frame may not show (under a millisecond, or p99.9), so it may be reused;
        // its bytes must still equal the reference.
        mean = mean.plusNanos(random.nextInt(400_000));
        p.put(99.9, p.get(99.9).plusNanos(7));
      }
    }
    return new MetricsSnapshot(
        s.name(),
        Instant.ofEpochMilli(time),
        window,
        s.latencyWindow(),
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        counts[4],
        counts[5],
        Math.max(counts[5], s.maxInFlight()),
        s.failuresByType(),
        s.latencyCount(),
        mean,
        p,
        status);
  }

  /** A status of any kind: none, a circuit in any state, a pool, or both. */
  private static @Nullable MetricsStatus randomStatus(Random random) {
    MetricsStatus.Circuit[] circuits = MetricsStatus.Circuit.values();
    MetricsStatus.Circuit circuit =
        random.nextInt(3) == 0 ? null : circuits[random.nextInt(circuits.length)];
    Duration nextTrial =
        circuit == MetricsStatus.Circuit.OPEN && random.nextBoolean()
            ? Duration.ofMillis(random.nextInt(5_000))
            : null;
    MetricsStatus.Pool pool = random.nextBoolean() ? randomPool(random) : null;
    return circuit == null && pool == null && random.nextBoolean()
        ? null
        : new MetricsStatus(circuit, nextTrial, pool);
  }

  private static MetricsStatus.Pool randomPool(Random random) {
    int max = 1 + random.nextInt(64);
    int size = random.nextInt(max + 1);
    return new MetricsStatus.Pool(
        max,
        size,
        size + random.nextInt(max - size + 1),
        random.nextInt(size + 1),
        random.nextInt(5),
        random.nextInt(10) == 0 ? Long.MAX_VALUE - random.nextInt(3) : random.nextInt(100_000));
  }

  /** {@code status} with one of its pool's figures changed, or a pool where it had none. */
  private static MetricsStatus changedPool(Random random, @Nullable MetricsStatus status) {
    MetricsStatus.Pool pool = status == null ? null : status.pool();
    if (status == null || pool == null) {
      return status == null
          ? MetricsStatus.pool(randomPool(random))
          : status.withPool(randomPool(random));
    }
    int[] f = {pool.maxSize(), pool.size(), pool.largest(), pool.active(), pool.queued()};
    long completed = pool.completed();
    int which = random.nextInt(f.length + 1);
    if (which == f.length) {
      completed = completed == Long.MAX_VALUE ? 0 : completed + 1;
    } else {
      f[which]++;
    }
    return status.withPool(new MetricsStatus.Pool(f[0], f[1], f[2], f[3], f[4], completed));
  }

  private static MetricsSnapshot randomSnapshot(Random random, String name, long time) {
    SortedMap<Double, Duration> p = new TreeMap<>();
    long nanos = 0;
    for (Double q : MetricsSnapshot.PERCENTILES) {
      nanos += randomNanos(random) / 10;
      p.put(q, Duration.ofNanos(nanos));
    }
    long inFlight = random.nextInt(5);
    MetricsStatus status = randomStatus(random);
    return new MetricsSnapshot(
        name,
        Instant.ofEpochMilli(time),
        Duration.ofMillis(1 + random.nextInt(100_000)),
        Duration.ofSeconds(60),
        random.nextInt(1_000_000),
        random.nextInt(1000),
        random.nextInt(3),
        random.nextInt(3),
        random.nextInt(3),
        inFlight,
        inFlight + random.nextInt(3),
        Map.of(),
        random.nextInt(1000),
        Duration.ofNanos(randomNanos(random)),
        p,
        status);
  }

  /**
   * Latencies from 0 to past an hour, whole milliseconds, half milliseconds, half microseconds and
   * everything else.
   */
  private static long randomNanos(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> 0;
      case 1 -> random.nextInt(100) * 1_000_000L + (random.nextBoolean() ? 500_000 : 0);
      case 2 -> random.nextInt(100_000) * 1_000L + 500;
      case 3 -> 4_000_000_000_000L + random.nextInt(1_000_000_000);
      default -> (long) Math.exp(random.nextDouble() * 29);
    };
  }

  private static MetricsSnapshot snapshot(String name, long time, long successes, Duration mean) {
    SortedMap<Double, Duration> p = new TreeMap<>();
    for (Double q : MetricsSnapshot.PERCENTILES) {
      p.put(q, mean.multipliedBy(1 + q.longValue()));
    }
    return new MetricsSnapshot(
        name,
        Instant.ofEpochMilli(time),
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        successes,
        1,
        0,
        0,
        2,
        0,
        1,
        Map.of("java.io.IOException", 1L),
        successes + 1,
        mean,
        p);
  }

  private static MetricsSnapshot withStatus(MetricsSnapshot s, @Nullable MetricsStatus status) {
    return s.withStatus(status);
  }

  private static MetricsSnapshot withTime(MetricsSnapshot s, long time) {
    return new MetricsSnapshot(
        s.name(),
        Instant.ofEpochMilli(time),
        s.window(),
        s.latencyWindow(),
        s.successes(),
        s.failures(),
        s.timeouts(),
        s.shortCircuits(),
        s.rejections(),
        s.inFlight(),
        s.maxInFlight(),
        s.failuresByType(),
        s.latencyCount(),
        s.latencyMean(),
        s.latencyPercentiles(),
        s.status());
  }
}
