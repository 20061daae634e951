package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link CallTimer}: the allocation-free timing that dyno-service's engine uses. */
class CallTimerTest {

  private final FakeTicker now = FakeTicker.startingAt(1_000);
  private final Metrics metrics = Metrics.builder("payments").ticker(now).build();
  private final CallTimer timer = CallTimer.of(metrics);

  @Test
  void of_returnsTheMetricsOwnTimer_soTheVerbsAndTheTimerShareTheWindows() throws Exception {
    assertThat(CallTimer.of(metrics)).isSameAs(timer);
    metrics.call(() -> "ok");
    long start = timer.begin();
    timer.success(start);

    assertThat(metrics.snapshot().successes()).isEqualTo(2);
    assertThatThrownBy(() -> CallTimer.of(null)).hasMessage("metrics must not be null");
  }

  @Test
  void beginAndEnds_countInFlightAndReturnTheLatency() {
    long ok = timer.begin();
    long failed = timer.begin();
    long slow = timer.begin();
    assertThat(metrics.snapshot().inFlight()).isEqualTo(3);
    now.advance(Duration.ofMillis(7));

    assertThat(timer.success(ok)).isEqualTo(Duration.ofMillis(7).toNanos());
    now.advance(Duration.ofMillis(1));
    assertThat(timer.failure(failed, new IOException("x")))
        .isEqualTo(Duration.ofMillis(8).toNanos());
    assertThat(timer.timeout(slow)).isEqualTo(Duration.ofMillis(8).toNanos());

    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.failures()).isEqualTo(1);
    assertThat(s.failuresByType()).containsEntry(IOException.class.getName(), 1L);
    assertThat(s.timeouts()).isEqualTo(1);
    assertThat(s.inFlight()).isZero();
    assertThat(s.latencyCount()).isEqualTo(3);
    assertThat(timer.unbalancedEnds()).isZero();
  }

  @Test
  void failure_withNullFailure_throwsNamingIt_andCountsNothing() {
    long start = timer.begin();

    assertThatThrownBy(() -> timer.failure(start, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("failure must not be null");

    assertThat(metrics.snapshot().inFlight()).isEqualTo(1);
    assertThat(metrics.snapshot().requests()).isZero();
  }

  @Test
  void aStartEndedTwice_neverDrivesInFlightNegative_andTheSnapshotStillReads() {
    long start = timer.begin();
    timer.success(start);
    timer.success(start);
    timer.timeout(start);
    timer.failure(start, new IOException("again"));

    MetricsSnapshot s = metrics.snapshot();

    assertThat(s.inFlight()).isZero();
    assertThat(timer.unbalancedEnds()).isEqualTo(3);
    assertThat(s.successes()).isEqualTo(2);
  }

  @Test
  void anEndWithoutBegin_isCountedAsUnbalanced_andLaterCallsCountRight() {
    timer.success(now.read());

    long start = timer.begin();
    assertThat(metrics.snapshot().inFlight()).isEqualTo(1);
    timer.success(start);

    assertThat(metrics.snapshot().inFlight()).isZero();
    assertThat(timer.unbalancedEnds()).isEqualTo(1);
  }

  @Test
  void cancelled_leavesInFlight_andRecordsNoOutcomeAndNoLatency() {
    long won = timer.begin();
    long abandoned = timer.begin();
    assertThat(metrics.snapshot().inFlight()).isEqualTo(2);
    now.advance(Duration.ofMillis(5));

    timer.success(won);
    timer.cancelled(abandoned);

    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.inFlight()).isZero();
    assertThat(s.maxInFlight()).isEqualTo(2);
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.failures()).isZero();
    assertThat(s.timeouts()).isZero();
    assertThat(s.requests()).isEqualTo(1);
    assertThat(s.latencyCount()).isEqualTo(1);
    assertThat(metrics.totals().successes()).isEqualTo(1);
    assertThat(metrics.totals().latencyCount()).isEqualTo(1);
    assertThat(timer.unbalancedEnds()).isZero();
  }

  @Test
  void cancelled_twiceOrWithoutBegin_isCountedAsUnbalanced_andNeverDrivesInFlightNegative() {
    long start = timer.begin();
    timer.cancelled(start);
    timer.cancelled(start);
    timer.cancelled(now.read());

    assertThat(timer.unbalancedEnds()).isEqualTo(2);
    assertThat(metrics.snapshot().inFlight()).isZero();
    assertThat(metrics.snapshot().requests()).isZero();

    long next = timer.begin();
    assertThat(metrics.snapshot().inFlight()).isEqualTo(1);
    timer.cancelled(next);
    assertThat(metrics.snapshot().inFlight()).isZero();
    assertThat(timer.unbalancedEnds()).isEqualTo(2);
  }
}
