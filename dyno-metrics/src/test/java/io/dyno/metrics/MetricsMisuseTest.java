package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Misuse of the timing calls never corrupts a metric, and one broken metric spoils no other. */
class MetricsMisuseTest {

  private final AtomicLong now = new AtomicLong();
  private final Metrics m = Metrics.builder("payments").ticker(now::get).build();

  @Test
  void recordFailure_withNullFailure_throwsNamingIt_andCountsNothing() {
    long start = m.begin();

    assertThatThrownBy(() -> m.recordFailure(start, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("failure");

    MetricsSnapshot s = m.snapshot();
    assertThat(s.inFlight()).as("still in flight: the call was not ended").isEqualTo(1);
    assertThat(s.requests()).isZero();
    assertThat(s.latencyCount()).isZero();
    m.recordFailure(start, new IOException("down"));
    assertThat(m.snapshot().inFlight()).isZero();
    assertThat(m.snapshot().failures()).isEqualTo(1);
  }

  @Test
  void aBeginEndedTwice_neverDrivesInFlightNegative_andTheSnapshotStillReads() {
    long start = m.begin();
    m.recordSuccess(start);
    m.recordSuccess(start);
    m.recordTimeout(start);
    m.recordFailure(start, new IOException("again"));

    MetricsSnapshot s = m.snapshot();

    assertThat(s.inFlight()).isZero();
    assertThat(m.unbalancedEnds()).isEqualTo(3);
    assertThat(s.successes()).isEqualTo(2);
  }

  @Test
  void recordSuccessWithoutBegin_isCountedAsUnbalanced_andLaterCallsCountRight() {
    m.recordSuccess(now.get());

    long start = m.begin();
    assertThat(m.snapshot().inFlight()).isEqualTo(1);
    m.recordSuccess(start);

    assertThat(m.snapshot().inFlight()).isZero();
    assertThat(m.unbalancedEnds()).isEqualTo(1);
  }

  @Test
  void start_andBegin_shareOneMachinery_aSampleEndsOnce() {
    Metrics.Sample sample = m.start();
    assertThat(m.snapshot().inFlight()).isEqualTo(1);

    assertThat(sample.success()).isTrue();
    assertThat(sample.timeout()).isFalse();
    assertThatThrownBy(() -> sample.failure(null)).hasMessage("failure");

    assertThat(m.snapshot().inFlight()).isZero();
    assertThat(m.unbalancedEnds()).isZero();
  }

  @Test
  void registrySnapshots_omitAMetricWhoseSnapshotThrows_andReadTheRest() {
    AtomicBoolean broken = new AtomicBoolean(true);
    Clock breakable =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            if (broken.get()) {
              throw new IllegalStateException("clock broke");
            }
            return Instant.EPOCH;
          }
        };
    MetricsRegistry board =
        MetricsRegistry.create(
            name ->
                name.equals("bad")
                    ? Metrics.builder(name).clock(breakable).build()
                    : Metrics.of(name));
    board.metrics("a");
    board.metrics("bad");
    board.metrics("z");

    assertThat(board.snapshots()).extracting(MetricsSnapshot::name).containsExactly("a", "z");
    assertThat(board.snapshots()).extracting(MetricsSnapshot::name).containsExactly("a", "z");

    broken.set(false);
    assertThat(board.snapshots())
        .extracting(MetricsSnapshot::name)
        .containsExactly("a", "bad", "z");
  }
}
