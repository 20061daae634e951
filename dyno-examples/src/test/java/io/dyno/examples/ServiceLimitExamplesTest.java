package io.dyno.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.LimitExceededException;
import io.dyno.breaker.Limiter;
import io.dyno.breaker.Throttle;
import io.dyno.breaker.ThrottledException;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsStatus;
import io.dyno.retry.Retry;
import io.dyno.service.Service;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/service.md about a service's throttle and limiter, compiled and run; each
 * snippet appears here line for line, which {@link DocsSnippetsTest} verifies.
 */
class ServiceLimitExamplesTest {

  /** Stock of one item, or unknown. */
  record Stock(int units) {
    static Stock unknown() {
      return new Stock(-1);
    }
  }

  /** A fake inventory client whose first {@code failures} calls fail. */
  static final class InventoryClient {
    private final AtomicInteger calls = new AtomicInteger();
    private final int failures;

    InventoryClient(int failures) {
      this.failures = failures;
    }

    Stock fetchStock() throws IOException {
      if (calls.incrementAndGet() <= failures) {
        throw new IOException("inventory unavailable");
      }
      return new Stock(7);
    }
  }

  private final InventoryClient client = new InventoryClient(0);
  private final ExecutorService virtualThreads = Executors.newCachedThreadPool();

  @AfterEach
  void tearDown() throws InterruptedException {
    virtualThreads.shutdownNow();
    assertThat(virtualThreads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theOrderByHand_passesBreakerThrottleAndLimiter() {
    Retry retry = Retry.of("inventory", 3);
    Breaker breaker =
        Breaker.builder("inventory")
            .ignore(ThrottledException.class, LimitExceededException.class)
            .build();
    Throttle throttle = Throttle.of("inventory");
    Limiter limiter = Limiter.adaptive("inventory");
    Metrics metrics = Metrics.of("inventory");
    Stock s;
    try {
      s =
          retry.call(
              () ->
                  breaker.call(
                      () ->
                          throttle.call(
                              () -> limiter.call(() -> metrics.call(() -> client.fetchStock())))));
    } catch (Exception e) {
      s = Stock.unknown();
    }

    assertThat(s).isEqualTo(new Stock(7));
    assertThat(metrics.snapshot().successes()).isEqualTo(1);
    assertThat(throttle.requests()).isEqualTo(1);
    assertThat(throttle.accepts()).isEqualTo(1);
    assertThat(limiter.limit()).isEqualTo(20);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void aServiceWithThrottleAndLimiter_callsAndReportsThem() throws Exception {
    Throttle throttle = Throttle.of("search");
    Limiter limiter = Limiter.adaptive("search"); // Gradient2: starts at 20, moves with the latency
    Service<Stock> search =
        Service.builder("search", () -> client.fetchStock())
            .executor(virtualThreads)
            .timeout(Duration.ofSeconds(1)) // a timeout is a loss to the limiter
            .throttle(throttle) // rejects locally while the backend turns calls away
            .limiter(limiter) // as many at once as the latency allows
            .fallback(() -> Stock.unknown()) // also answers the throttle's and limiter's rejections
            .build();

    try {
      assertThat(search.call()).isEqualTo(new Stock(7));
      MetricsStatus status = search.metrics().snapshot().status();
      assertThat(status.limit().name()).isEqualTo("search");
      assertThat(status.limit().algorithm()).isEqualTo("gradient2");
      assertThat(status.limit().inFlight()).isZero();
      assertThat(status.throttle()).isEqualTo(new MetricsStatus.Throttle("search", 0.0, 1, 1));
    } finally {
      search.close();
    }
  }
}
