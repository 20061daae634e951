package io.dyno.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * The set-up the server tests share: a board whose snapshots are counted, and the server under
 * test, closed after each test.
 */
abstract class CountedServerTestBase {

  /** Counts snapshots taken: every snapshot stamps its time with the clock once. */
  final AtomicInteger reads = new AtomicInteger();

  final MetricsRegistry board =
      MetricsRegistry.create(
          name ->
              Metrics.builder(name).clock(CallbackClock.atEpoch(reads::incrementAndGet)).build());

  MetricsServer server;

  @AfterEach
  void closeServer() {
    if (server != null) {
      server.close();
    }
  }
}
