package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Misuse of a sample is refused at the call, and one broken metric spoils no other. */
class MetricsMisuseTest {

  private final FakeTicker now = FakeTicker.create();
  private final Metrics m = Metrics.builder("payments").ticker(now).build();

  @Test
  void aSampleEndedTwice_throwsNamingTheMetricAndBothOutcomes_andCountsNothingMore() {
    Metrics.Sample sample = m.start();
    sample.success();

    assertThatThrownBy(sample::success)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Metrics.Sample of 'payments' cannot end as a success: it already ended as a success;"
                + " a sample ends once");
    assertThatThrownBy(sample::timeout)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot end as a timeout: it already ended as a success");
    assertThatThrownBy(() -> sample.failure(new IOException("again")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot end as a failure: it already ended as a success");

    MetricsSnapshot s = m.snapshot();
    assertThat(s.inFlight()).isZero();
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.failures()).isZero();
    assertThat(s.timeouts()).isZero();
    assertThat(s.latencyCount()).isEqualTo(1);
  }

  @Test
  void aSampleEndedTwiceAtOnce_endsOnce() throws Exception {
    // Two threads race to end one sample (a timer and the work, say): exactly one wins.
    for (int round = 0; round < 200; round++) {
      Metrics.Sample sample = m.start();
      CountDownLatch go = new CountDownLatch(1);
      AtomicInteger refused = new AtomicInteger();
      Runnable timeout =
          () -> {
            try {
              go.await(10, TimeUnit.SECONDS);
              sample.timeout();
            } catch (IllegalStateException lost) {
              refused.incrementAndGet();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          };
      Thread racer = new Thread(timeout);
      racer.start();
      go.countDown();
      try {
        sample.success();
      } catch (IllegalStateException lost) {
        refused.incrementAndGet();
      }
      racer.join(10_000);
      assertThat(racer.isAlive()).isFalse();
      assertThat(refused).hasValue(1);
    }

    MetricsSnapshot s = m.snapshot();
    assertThat(s.inFlight()).isZero();
    assertThat(s.successes() + s.timeouts()).isEqualTo(200);
    assertThat(s.latencyCount()).isEqualTo(200);
  }

  @Test
  void failure_withNullFailure_throwsNamingIt_andTheSampleKeepsRunning() {
    Metrics.Sample sample = m.start();

    assertThatThrownBy(() -> sample.failure(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("failure must not be null");

    MetricsSnapshot s = m.snapshot();
    assertThat(s.inFlight()).as("still in flight: the call was not ended").isEqualTo(1);
    assertThat(s.requests()).isZero();
    assertThat(s.latencyCount()).isZero();
    sample.failure(new IOException("down"));
    assertThat(m.snapshot().inFlight()).isZero();
    assertThat(m.snapshot().failures()).isEqualTo(1);
  }

  @Test
  void registrySnapshots_omitAMetricWhoseSnapshotThrows_andReadTheRest() {
    AtomicBoolean broken = new AtomicBoolean(true);
    Clock breakable = CallbackClock.breaking(broken::get);
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
