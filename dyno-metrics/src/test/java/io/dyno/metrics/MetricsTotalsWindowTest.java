package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link Metrics#totals()} against the windows: equal to a snapshot while the windows hold every
 * call, and still every call, exactly, once the windows have rolled past them.
 */
class MetricsTotalsWindowTest {

  /** Latency bounds of a histogram, each between or at the latencies recorded below. */
  private static final long[] BOUNDS = {0, 1_000, 2_047, 1L << 20, 3L << 20, 1L << 30, 1L << 40};

  private final FakeTicker now = FakeTicker.create();
  private final Metrics metrics =
      Metrics.builder("totals")
          .window(Duration.ofSeconds(10), 10)
          .latencyWindow(Duration.ofSeconds(60), 6)
          .ticker(now)
          .clock(now.clock(Instant.EPOCH))
          .build();

  // The independent reckoning.
  private long successes;
  private long failures;
  private long timeouts;
  private long shortCircuits;
  private long rejections;
  private final Map<String, Long> byType = new TreeMap<>();
  private final List<Long> latencies = new ArrayList<>();

  /**
   * Latencies on HdrHistogram bucket edges at 3 digits, so each counts as itself: every value below
   * 2048, and multiples of 2^20 below 2^31.
   */
  private static long edgeLatency(int i) {
    return i % 3 == 0 ? (i * 7L) % 2_048 : ((i % 2_047) + 1L) << 20;
  }

  private void succeed(long nanos) {
    metrics.run(() -> now.advance(nanos));
    successes++;
    latencies.add(nanos);
  }

  private void fail(long nanos, Exception failure) {
    try {
      metrics.call(
          () -> {
            now.advance(nanos);
            throw failure;
          });
    } catch (Exception expected) {
      // counted
    }
    failures++;
    byType.merge(failure.getClass().getName(), 1L, Long::sum);
    latencies.add(nanos);
  }

  private void timeOut(long nanos) {
    Metrics.Sample s = metrics.start();
    now.advance(nanos);
    s.timeout();
    timeouts++;
    latencies.add(nanos);
  }

  private void refuse() {
    metrics.recordShortCircuit();
    metrics.recordRejection();
    metrics.recordRejection();
    shortCircuits++;
    rejections += 2;
  }

  private void callsOfEveryKind(int seed) {
    succeed(edgeLatency(seed));
    succeed(edgeLatency(seed + 1));
    fail(edgeLatency(seed + 2), new IOException("down"));
    if (seed % 2 == 0) {
      fail(edgeLatency(seed + 3), new IllegalStateException("broken"));
    }
    timeOut(edgeLatency(seed + 4));
    refuse();
  }

  private void assertTotalsExact() {
    MetricsTotals t = metrics.totals();
    assertThat(t.name()).isEqualTo("totals");
    assertThat(t.successes()).isEqualTo(successes);
    assertThat(t.failures()).isEqualTo(failures);
    assertThat(t.timeouts()).isEqualTo(timeouts);
    assertThat(t.shortCircuits()).isEqualTo(shortCircuits);
    assertThat(t.rejections()).isEqualTo(rejections);
    assertThat(t.requests())
        .isEqualTo(successes + failures + timeouts + shortCircuits + rejections);
    assertThat(t.failuresByType()).isEqualTo(byType);
    assertThat(t.latencyCount()).isEqualTo(latencies.size());
    long[] expected = new long[BOUNDS.length];
    long sum = 0;
    for (long latency : latencies) {
      sum += latency;
      for (int b = 0; b < BOUNDS.length; b++) {
        if (latency <= BOUNDS[b]) {
          expected[b]++;
        }
      }
    }
    assertThat(t.latencyCountsAtOrBelow(BOUNDS)).containsExactly(expected);
    // On bucket edges, each latency counts as itself.
    assertThat(t.latencySum().toNanos()).isEqualTo(sum);
  }

  @Test
  void withinTheWindows_totalsEqualTheSnapshot() {
    // Latencies below 2048 ns: every call lies in both windows' first buckets.
    for (int i = 0; i < 5; i++) {
      succeed(i * 400L);
      fail(i, new IOException("down"));
      fail(2_047, new IllegalStateException("broken"));
      timeOut(1_000 + i);
      refuse();
    }
    now.advance(Duration.ofSeconds(9));

    MetricsSnapshot s = metrics.snapshot();
    MetricsTotals t = metrics.totals();

    assertThat(t.successes()).isEqualTo(s.successes());
    assertThat(t.failures()).isEqualTo(s.failures());
    assertThat(t.timeouts()).isEqualTo(s.timeouts());
    assertThat(t.shortCircuits()).isEqualTo(s.shortCircuits());
    assertThat(t.rejections()).isEqualTo(s.rejections());
    assertThat(t.requests()).isEqualTo(s.requests());
    assertThat(t.failuresByType()).isEqualTo(s.failuresByType());
    assertThat(t.latencyCount()).isEqualTo(s.latencyCount());
    assertTotalsExact();
  }

  @Test
  void pastOneWindow_totalsStillCountEveryCall() {
    callsOfEveryKind(0);
    now.advance(Duration.ofSeconds(61));
    callsOfEveryKind(1);

    assertTotalsExact();
    assertThat(metrics.snapshot().successes()).isEqualTo(2);
  }

  @Test
  void pastManyWindows_withSlotsReusedAndIdlePeriods_totalsCountEveryCallExactly() {
    for (int round = 0; round < 40; round++) {
      callsOfEveryKind(round);
      // Some periods get no calls; some moves skip whole windows.
      now.advance(Duration.ofMillis(round % 5 == 0 ? 75_000 : 1_300 + 997L * round));
      if (round % 4 == 0) {
        assertTotalsExact();
      }
    }
    assertTotalsExact();
    now.advance(Duration.ofHours(1));
    assertTotalsExact();
    assertThat(metrics.snapshot().requests()).isZero();
    assertThat(metrics.snapshot().latencyCount()).isZero();
  }

  @Test
  void latencyOffBucketEdges_sumsWithinATenthOfAPercent() {
    long sum = 0;
    for (int i = 1; i <= 500; i++) {
      long nanos = 1_000_003L * i + 12_345;
      metrics.run(() -> now.advance(nanos));
      sum += nanos;
      if (i % 50 == 0) {
        now.advance(Duration.ofSeconds(20));
      }
    }

    MetricsTotals t = metrics.totals();

    assertThat(t.latencyCount()).isEqualTo(500);
    assertThat((double) t.latencySum().toNanos()).isCloseTo((double) sum, within(sum * 0.001));
    assertThat(t.latencySum().toNanos()).isLessThanOrEqualTo(sum);
  }

  @Test
  void readingTotals_readsTheTickerOnce_andChangesNoSnapshot() {
    callsOfEveryKind(0);
    now.advance(Duration.ofSeconds(30));
    callsOfEveryKind(1);
    MetricsSnapshot before = metrics.snapshot();
    long reads = now.reads();

    metrics.totals();

    assertThat(now.reads() - reads).isEqualTo(1);
    assertThat(metrics.snapshot()).isEqualTo(before);
  }
}
