package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rolling windows: what they keep, when it leaves, and that idle metrics decay to zero. */
class MetricsWindowTest {

  private final FakeTicker now = FakeTicker.create();

  private Metrics metrics() {
    return Metrics.builder("w")
        .window(Duration.ofSeconds(10), 10)
        .latencyWindow(Duration.ofSeconds(60), 6)
        .ticker(now)
        .build();
  }

  private void advance(Duration d) {
    now.advance(d.toNanos());
  }

  private void succeedTaking(Metrics m, Duration d) {
    m.run(() -> advance(d));
  }

  private static void fail(Metrics m) {
    Metrics.Sample s = m.start();
    s.failure(new IOException("down"));
  }

  @Test
  void counts_leaveTheWindowABucketAtATime() {
    Metrics m = metrics();
    m.run(() -> {}); // t = 0 s, bucket 0
    advance(Duration.ofMillis(4_500));
    m.run(() -> {}); // t = 4.5 s, bucket 4
    advance(Duration.ofMillis(5_400)); // t = 9.9 s

    assertThat(m.snapshot().successes()).isEqualTo(2);
    advance(Duration.ofMillis(100)); // t = 10 s: bucket 0 has left
    assertThat(m.snapshot().successes()).isEqualTo(1);
    advance(Duration.ofMillis(3_999)); // t = 13.999 s: bucket 4 (4 s to 5 s) still in
    assertThat(m.snapshot().successes()).isEqualTo(1);
    advance(Duration.ofMillis(1)); // t = 14 s: the window is 5 s to 15 s
    assertThat(m.snapshot().successes()).isZero();
  }

  @Test
  void idleMetrics_decayToZero_countsPeakFailuresAndLatency() {
    Metrics m = metrics();
    for (int i = 0; i < 100; i++) {
      succeedTaking(m, Duration.ofMillis(20));
      fail(m);
    }
    m.recordShortCircuit();
    m.recordRejection();
    MetricsSnapshot busy = m.snapshot();
    assertThat(busy.requests()).isEqualTo(202);
    assertThat(busy.latencyCount()).isEqualTo(200);

    advance(Duration.ofMinutes(5)); // no calls, and no snapshots, for five minutes
    MetricsSnapshot idle = m.snapshot();

    assertThat(idle.requests()).isZero();
    assertThat(idle.failuresByType()).isEmpty();
    assertThat(idle.maxInFlight()).isZero();
    assertThat(idle.latencyCount()).isZero();
    assertThat(idle.latencyP99()).isZero();
    assertThat(idle.ratePerSecond()).isZero();
  }

  @Test
  void latencies_outliveCounts_inTheirLongerWindow() {
    Metrics m = metrics();
    succeedTaking(m, Duration.ofMillis(7));
    advance(Duration.ofSeconds(30));

    MetricsSnapshot s = m.snapshot();
    assertThat(s.requests()).isZero();
    assertThat(s.latencyCount()).isEqualTo(1);
    advance(Duration.ofSeconds(30)); // 60 s after the call
    assertThat(m.snapshot().latencyCount()).isZero();
  }

  @Test
  void latencies_ofBusyPeriods_stayInTheirOwnBuckets() {
    Metrics m = metrics();
    succeedTaking(m, Duration.ofMillis(100)); // ends in latency bucket 0
    advance(Duration.ofSeconds(25));
    succeedTaking(m, Duration.ofMillis(1)); // bucket 2
    advance(Duration.ofSeconds(20));
    succeedTaking(m, Duration.ofMillis(2)); // bucket 4
    assertThat(m.snapshot().latencyCount()).isEqualTo(3);

    advance(Duration.ofSeconds(15)); // t = 60.1 s: bucket 0 has left
    MetricsSnapshot s = m.snapshot();
    assertThat(s.latencyCount()).isEqualTo(2);
    assertThat(s.latencyMax()).isLessThan(Duration.ofMillis(3));
  }

  @Test
  void peakInFlight_isTheWindowsPeak_andCallsStillRunningKeepIt() {
    Metrics m = metrics();
    Metrics.Sample[] samples = new Metrics.Sample[5];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = m.start();
    }
    for (int i = 0; i < 4; i++) {
      samples[i].success();
    }
    assertThat(m.snapshot().maxInFlight()).isEqualTo(5);

    advance(Duration.ofSeconds(11)); // the peak of 5 has left the window; one call still runs
    MetricsSnapshot s = m.snapshot();
    assertThat(s.inFlight()).isEqualTo(1);
    assertThat(s.maxInFlight()).isEqualTo(1);

    m.start(); // the new bucket's peak starts from the one still running
    assertThat(m.snapshot().maxInFlight()).isEqualTo(2);
  }

  @Test
  void aTickerNearLongMaxValue_keepsCountingAcrossTheWrap() {
    now.set(Long.MAX_VALUE - Duration.ofSeconds(5).toNanos());
    Metrics m = metrics();
    for (int i = 0; i < 10; i++) {
      succeedTaking(m, Duration.ofSeconds(1)); // crosses Long.MAX_VALUE half way
    }

    MetricsSnapshot s = m.snapshot();
    assertThat(now.read()).isNegative();
    assertThat(s.successes()).isEqualTo(10);
    assertThat(s.latencyCount()).isEqualTo(10);
    assertThat(s.latencyP50()).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1_001));

    advance(Duration.ofSeconds(5));
    assertThat(m.snapshot().successes()).isEqualTo(5);
    advance(Duration.ofSeconds(60));
    assertThat(m.snapshot().requests()).isZero();
    assertThat(m.snapshot().latencyCount()).isZero();
  }

  @Test
  void aSingleBucketWindow_emptiesAtOnce() {
    Metrics m = Metrics.builder("one").window(Duration.ofSeconds(1), 1).ticker(now).build();
    m.run(() -> {});
    advance(Duration.ofMillis(999));
    assertThat(m.snapshot().successes()).isEqualTo(1);
    advance(Duration.ofMillis(1));
    assertThat(m.snapshot().successes()).isZero();
  }
}
