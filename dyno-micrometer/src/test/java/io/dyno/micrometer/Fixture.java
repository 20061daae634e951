package io.dyno.micrometer;

import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsRegistry;
import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** A board whose metrics read one fake ticker, and calls of known outcomes and latencies. */
final class Fixture {

  final FakeTicker ticker = FakeTicker.create();
  final MetricsRegistry board =
      MetricsRegistry.create(name -> Metrics.builder(name).ticker(ticker).build());

  /** Runs {@code n} calls through {@code m} that succeed after {@code latency}. */
  void succeed(Metrics m, int n, Duration latency) {
    for (int i = 0; i < n; i++) {
      m.run(() -> ticker.advance(latency));
    }
  }

  /** Runs {@code n} calls through {@code m} that throw {@code failure} after {@code latency}. */
  void fail(Metrics m, int n, Duration latency, Exception failure) {
    for (int i = 0; i < n; i++) {
      try {
        m.call(
            () -> {
              ticker.advance(latency);
              throw failure;
            });
      } catch (Exception expected) {
        // The failure passes through; the metric counted it.
      }
    }
  }

  /** Ends {@code n} calls of {@code m} as timeouts after {@code latency}. */
  void timeOut(Metrics m, int n, Duration latency) {
    for (int i = 0; i < n; i++) {
      Metrics.Sample s = m.start();
      ticker.advance(latency);
      s.timeout();
    }
  }

  static IOException io() {
    return new IOException("connection reset");
  }

  static TimeoutException timeout() {
    return new TimeoutException("read timed out");
  }
}
