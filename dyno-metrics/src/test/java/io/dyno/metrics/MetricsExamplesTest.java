package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The examples of docs/metrics.md, README.md and the javadoc, compiled and run. Each snippet in the
 * guide appears here line for line, which dyno-examples' documentation test verifies.
 */
class MetricsExamplesTest {

  private static final Logger log = LoggerFactory.getLogger(MetricsExamplesTest.class);

  /** A quote. */
  record Quote(String symbol, long cents) {}

  /** A fake quote service whose calls fail every {@code failEvery}th time. */
  static final class Quotes {
    private final AtomicInteger calls = new AtomicInteger();
    private final int failEvery;

    Quotes(int failEvery) {
      this.failEvery = failEvery;
    }

    Quote fetch() throws IOException {
      if (failEvery > 0 && calls.incrementAndGet() % failEvery == 0) {
        throw new IOException("quote service unavailable");
      }
      return new Quote("DYNO", 4200);
    }

    CompletableFuture<Quote> fetchAsync() {
      return CompletableFuture.completedFuture(new Quote("DYNO", 4200));
    }
  }

  private final Quotes quotes = new Quotes(0);

  @Test
  void readme() throws Exception {
    Metrics payments = Metrics.of("payments"); // counts over 10 s, latency over 60 s
    Quote q = payments.call(() -> quotes.fetch());
    MetricsSnapshot s = payments.snapshot();
    String p99 = String.format("%.2f ms", s.latencyP99().toNanos() / 1e6); // "0.70 ms"
    log.info("{} calls, {}% errors, p99 {}", s.requests(), s.errorPercentage(), p99);

    assertThat(q.cents()).isEqualTo(4200);
    assertThat(s.requests()).isEqualTo(1);
    assertThat(p99).matches("\\d+[.,]\\d{2} ms");
  }

  @Test
  void everyOption() throws Exception {
    Metrics payments =
        Metrics.builder("payments")
            .window(Duration.ofSeconds(10), 10) // counts: 10 s in 10 buckets of 1 s
            .latencyWindow(Duration.ofMinutes(1), 6) // latency: 60 s in 6 buckets of 10 s
            .build();

    assertThat(payments.window()).isEqualTo(Duration.ofSeconds(10));
    assertThat(payments.latencyWindow()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void verbs() throws Exception {
    Metrics payments = Metrics.of("payments");
    Quote q = payments.call(() -> quotes.fetch()); // failures leave unchanged
    String id = payments.get(() -> "order-17");
    payments.run(() -> log.debug("ping"));
    CompletableFuture<Quote> f = payments.callAsync(() -> quotes.fetchAsync());

    assertThat(q).isEqualTo(f.join());
    assertThat(id).isEqualTo("order-17");
    assertThat(payments.snapshot().successes()).isEqualTo(4);
  }

  @Test
  void composites() throws Exception {
    Metrics payments = Metrics.of("payments");
    boolean breakerOpen = false;
    boolean poolFull = false;
    if (breakerOpen) {
      payments.recordShortCircuit(); // refused: never ran, no latency
    } else if (poolFull) {
      payments.recordRejection();
    } else {
      Metrics.Sample sample = payments.start(); // in flight from here
      try {
        Quote q = quotes.fetchAsync().get(500, TimeUnit.MILLISECONDS);
        sample.success();
        log.info("{}", q);
      } catch (TimeoutException e) {
        sample.timeout();
      } catch (ExecutionException e) {
        sample.failure(e.getCause());
      }
    }

    assertThat(payments.snapshot().successes()).isEqualTo(1);
  }

  @Test
  void snapshot() throws Exception {
    Quotes flaky = new Quotes(4);
    Metrics payments = Metrics.of("payments");
    for (int i = 0; i < 8; i++) {
      try {
        payments.call(() -> flaky.fetch());
      } catch (IOException e) {
        // counted
      }
    }
    MetricsSnapshot s = payments.snapshot();
    long requests = s.requests(); // 8: successes + failures + timeouts + shortCircuits + rejections
    double errors = s.errorPercentage(); // 25.0
    Duration p99 = s.latencyP99();
    Long ioFailures = s.failuresByType().get("java.io.IOException"); // 2

    assertThat(requests).isEqualTo(8);
    assertThat(errors).isEqualTo(25.0);
    assertThat(p99).isPositive();
    assertThat(ioFailures).isEqualTo(2);
  }

  @Test
  void latencyAtAnyPercentile() throws Exception {
    FakeTicker now = FakeTicker.create();
    Metrics payments = Metrics.builder("payments").ticker(now).build();
    assertThat(payments.latencyAt(95)).isEmpty();
    for (int ms = 1; ms <= 100; ms++) {
      long millis = ms;
      payments.run(() -> now.advance(Duration.ofMillis(millis)));
    }
    Duration p95 = payments.latencyAt(95).orElse(Duration.ZERO); // empty while no latency
    Duration p97 = payments.latencyAt(97.5).orElse(Duration.ZERO);

    assertThat(p95).isEqualTo(payments.snapshot().latencyPercentile(95));
    assertThat(p97).isBetween(Duration.ofMillis(98), Duration.ofMillis(99));
  }

  @Test
  void registry() throws Exception {
    MetricsRegistry board = MetricsRegistry.create();
    Quote q = board.metrics("payments").call(() -> quotes.fetch()); // created on first use
    board.onAdded(m -> log.info("now tracking {}", m.name()));
    board.onRemoved(m -> log.info("stopped tracking {}", m.name()));
    for (MetricsSnapshot s : board.snapshots()) {
      log.info("{}: {} calls, p99 {} ms", s.name(), s.requests(), s.latencyP99().toNanos() / 1e6);
    }
    board.remove("payments");

    assertThat(q.cents()).isEqualTo(4200);
    assertThat(board.all()).isEmpty();
  }

  @Test
  void testingWithoutWaiting() throws Exception {
    FakeTicker now = FakeTicker.create();
    Metrics m = Metrics.builder("test").ticker(now).build();
    m.run(() -> now.advance(Duration.ofMillis(20))); // a call that "takes" 20 ms
    Duration p50 = m.snapshot().latencyP50(); // 20 ms, within 0.1 %
    now.advance(Duration.ofMinutes(2)); // two idle minutes later
    long requests = m.snapshot().requests(); // 0: the windows have decayed

    assertThat(p50).isBetween(Duration.ofMillis(20), Duration.ofNanos(20_020_000));
    assertThat(requests).isZero();
  }

  @Test
  void registryWithOtherWindows() {
    List<String> names = new ArrayList<>();
    MetricsRegistry board =
        MetricsRegistry.create(
            name -> Metrics.builder(name).window(Duration.ofSeconds(30), 30).build());
    names.add(board.metrics("payments").name());

    assertThat(names).containsExactly("payments");
    assertThat(board.metrics("payments").window()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void dashboardServer() throws Exception {
    try {
      MetricsRegistry registry = MetricsRegistry.create();
      registry.metrics("payments").call(() -> quotes.fetch());
      MetricsServer server = MetricsServer.start(registry, 7979); // http://localhost:7979/
      log.info("dashboard on port {}", server.port());
      server.close(); // ends every open stream; closing again does nothing

      assertThat(server.port()).isEqualTo(7979);
    } catch (BindException e) {
      Assumptions.abort("port 7979 is taken on this machine");
    }
  }

  @Test
  void dashboardServerOptions() throws Exception {
    MetricsRegistry registry = MetricsRegistry.create();
    MetricsServer server =
        MetricsServer.builder(registry)
            .port(0) // any free port; server.port() tells which
            .bindAddress(InetAddress.getLoopbackAddress()) // the default: this machine only
            .streamInterval(Duration.ofMillis(500)) // default 1 s
            .maxStreams(8) // default 32; more clients get 503
            .writeTimeout(Duration.ofSeconds(5)) // default 10 s; drops stuck stream clients
            .allowHosts("metrics.internal") // besides the loopback names; default none
            .group("shop") // the Hystrix group; default "dyno"
            .start();
    try (server) {
      assertThat(server.port()).isPositive();
    }
  }

  @Test
  void statusReport() {
    Metrics payments = Metrics.of("payments");
    AtomicBoolean paused = new AtomicBoolean(); // your own guard's state
    Metrics.StatusReport report =
        payments.reportStatus(
            () ->
                MetricsStatus.circuit(
                    paused.get() ? MetricsStatus.Circuit.FORCED_OPEN : MetricsStatus.Circuit.CLOSED,
                    null));
    MetricsStatus now = payments.snapshot().status(); // circuit CLOSED
    report.close(); // snapshots carry no status again

    assertThat(now).isEqualTo(new MetricsStatus(MetricsStatus.Circuit.CLOSED, null, null));
    assertThat(payments.snapshot().status()).isNull();
    assertThat(report.isOpen()).isFalse();
  }

  @Test
  void limitAndThrottleStatus() {
    MetricsRegistry registry = MetricsRegistry.create();
    AtomicInteger running = new AtomicInteger(); // your own limiter's calls in flight
    Metrics search = registry.metrics("search");
    Metrics.StatusReport guards =
        search.reportStatus(
            () ->
                MetricsStatus.limit(new MetricsStatus.Limit("search", "fixed", 48, running.get()))
                    .withThrottle(new MetricsStatus.Throttle("search", 0.12, 4000, 1200)));
    MetricsStatus.Limit limit = search.snapshot().status().limit(); // 0 in flight of 48
    guards.close();

    AtomicInteger copiesSent = new AtomicInteger(); // your own hedging's counts
    AtomicInteger copiesWon = new AtomicInteger();
    Metrics.StatusReport hedges =
        search.reportStatus(
            () ->
                MetricsStatus.hedging(
                    new MetricsStatus.Hedging(
                        search.latencyAt(95).orElse(Duration.ofMillis(50)),
                        1,
                        copiesSent.get(),
                        copiesWon.get())));
    MetricsStatus.Hedging hedging = search.snapshot().status().hedging(); // after 50 ms, none sent
    hedges.close();

    assertThat(limit).isEqualTo(new MetricsStatus.Limit("search", "fixed", 48, 0));
    assertThat(guards.isOpen()).isFalse();
    assertThat(hedging).isEqualTo(new MetricsStatus.Hedging(Duration.ofMillis(50), 1, 0, 0));
    assertThat(hedges.isOpen()).isFalse();
    assertThat(search.snapshot().status()).isNull();
  }

  @Test
  void clusterServer() throws Exception {
    MetricsRegistry registry = MetricsRegistry.create();
    registry.metrics("payments").call(() -> quotes.fetch());
    try {
      MetricsServer server =
          MetricsServer.builder(registry)
              .port(7979)
              .cluster(URI.create("http://10.0.0.8:7979/")) // the other instances' servers
              .start();
      server.close();

      assertThat(server.port()).isEqualTo(7979);
    } catch (BindException e) {
      Assumptions.abort("port 7979 is taken on this machine");
    }
  }
}
