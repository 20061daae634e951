package io.dyno.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link NoLoadProbe}: waits for the calls in flight to fall to its limit, lets one round of calls
 * sent before pass, and measures the mean latency of the next round; gives up after its budget.
 */
class NoLoadProbeTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void measuresTheRoundAfterTheQueueDrained_notTheQueuedCalls() {
    NoLoadProbe probe = new NoLoadProbe();
    probe.start(4, 100);
    assertThat(probe.active()).isTrue();
    assertThat(probe.limit()).isEqualTo(4);

    // Calls queued before the cut: 30 ms, with more than the probe's limit in flight.
    for (int i = 0; i < 10; i++) {
      assertThat(probe.sample(30 * MS, 14 - i)).isZero();
    }
    // In flight fell to 4: the 4 calls still under way were sent before the cut.
    assertThat(probe.sample(30 * MS, 4)).isZero();
    for (int i = 0; i < 4; i++) {
      assertThat(probe.sample(20 * MS, 4)).isZero();
    }
    assertThat(probe.sample(9 * MS, 4)).isZero();
    assertThat(probe.sample(11 * MS, 3)).isZero();
    assertThat(probe.sample(9 * MS, 4)).isZero();

    assertThat(probe.sample(11 * MS, 4)).isEqualTo(10.0 * MS);
    assertThat(probe.active()).isFalse();
  }

  @Test
  void givesUp_whenTheCallsInFlightNeverFall() {
    NoLoadProbe probe = new NoLoadProbe();
    probe.start(4, 20);

    for (int i = 0; i < 20; i++) {
      assertThat(probe.sample(30 * MS, 40)).isZero();
    }
    assertThat(probe.active()).isTrue();

    assertThat(probe.sample(30 * MS, 40)).isZero();
    assertThat(probe.active()).isFalse();
  }
}
