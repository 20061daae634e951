package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link LimiterBuilder.Gradient2#rttTolerance}: the lowest tolerance, 1.0, is a valid setting. */
class LimiterGradient2SettingsTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  /** Takes every permit, reports one call of {@code rtt} with all of them in flight, frees all. */
  private static void busy(Limiter limiter, long rtt) {
    int inflight = limiter.limit();
    for (int p = 0; p < inflight; p++) {
      assertThat(limiter.tryAcquire()).isTrue();
    }
    limiter.onSuccess(rtt);
    for (int p = 1; p < inflight; p++) {
      limiter.release();
    }
  }

  private static Limiter limiter(double rttTolerance) {
    return Limiter.builder("db")
        .gradient2(
            g ->
                g.initialLimit(4)
                    .minLimit(1)
                    .maxLimit(4)
                    .queueSize(0)
                    .smoothing(1.0)
                    .rttTolerance(rttTolerance))
        .build();
  }

  @Test
  void aToleranceOfOne_isAccepted_andLowersTheLimitOnAnyCallSlowerThanTheNoLoadLatency() {
    Limiter strict = limiter(1.0);
    Limiter lenient = limiter(1.5);

    busy(strict, 10 * MS);
    busy(lenient, 10 * MS);
    busy(strict, 11 * MS);
    busy(lenient, 11 * MS);

    // The long average is 10.5 ms and the no-load latency 10 ms: 4 * 10 / 11 is 3.6.
    assertThat(strict.limit()).isEqualTo(3);
    assertThat(lenient.limit()).isEqualTo(4);
  }
}
