package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.Race;
import io.dyno.testing.ThreadKind;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact counts when threads record at once, released together by a {@link Race}: on platform
 * threads, and on virtual ones where the JVM has them.
 */
class MetricsConcurrencyTest {

  private static final int THREADS = 4;
  private static final int CALLS = 20_000;

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void fourThreads_recordingAtOnce_loseNoCountAndNoLatency(ThreadKind kind) throws Exception {
    FakeTicker now = FakeTicker.create();
    Metrics metrics =
        Metrics.builder("contended")
            .window(Duration.ofSeconds(60), 60)
            .latencyWindow(Duration.ofSeconds(60), 6)
            .ticker(now)
            .build();
    IOException boom = new IOException("boom");
    Race.run(
        kind,
        THREADS,
        t -> {
          for (int i = 0; i < CALLS; i++) {
            // The ticker moves 0.5 ms per call: 40 s in all, across dozens of count buckets and
            // several latency buckets, inside both windows.
            metrics.run(() -> now.advance(500_000));
            try {
              metrics.call(
                  () -> {
                    throw boom;
                  });
            } catch (IOException expected) {
              // counted
            }
            metrics.recordShortCircuit();
            if (i % 2 == 0) {
              metrics.start().timeout();
            } else {
              metrics.recordRejection();
            }
          }
          return null;
        });

    MetricsSnapshot s = metrics.snapshot();
    assertThat(now.read()).isEqualTo(Duration.ofSeconds(40).toNanos());
    assertThat(s.successes()).isEqualTo(THREADS * CALLS);
    assertThat(s.failures()).isEqualTo(THREADS * CALLS);
    assertThat(s.failuresByType().get("java.io.IOException")).isEqualTo(THREADS * CALLS);
    assertThat(s.shortCircuits()).isEqualTo(THREADS * CALLS);
    assertThat(s.timeouts()).isEqualTo(THREADS * CALLS / 2);
    assertThat(s.rejections()).isEqualTo(THREADS * CALLS / 2);
    assertThat(s.latencyCount()).isEqualTo(THREADS * CALLS * 5L / 2);
    assertThat(s.inFlight()).isZero();
    assertThat(s.maxInFlight()).isBetween(1L, (long) THREADS);
  }
}
