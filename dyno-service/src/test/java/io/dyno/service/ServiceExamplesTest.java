package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsRegistry;
import io.dyno.retry.Backoff;
import io.dyno.retry.Retry;
import io.dyno.retry.RetryBudget;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The examples of docs/service.md, README.md and the javadoc, compiled and run. Each snippet in the
 * guide appears here line for line, which dyno-examples' documentation test verifies.
 */
class ServiceExamplesTest {

  /** Stock of one item, or unknown. */
  record Stock(int units) {
    static Stock unknown() {
      return new Stock(-1);
    }
  }

  /** A price of one item. */
  record Price(String sku, long cents) {
    static Price unknown(String sku) {
      return new Price(sku, -1);
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

    Price price(String sku) {
      return new Price(sku, 1999);
    }
  }

  /** The tenant of the current request, a user's own thread-bound context. */
  static final class Tenant {
    private static final ThreadLocal<String> CURRENT = ThreadLocal.withInitial(() -> "none");

    static String current() {
      return CURRENT.get();
    }

    static void with(String tenant, Runnable work) {
      String own = CURRENT.get();
      CURRENT.set(tenant);
      try {
        work.run();
      } finally {
        CURRENT.set(own);
      }
    }
  }

  private final InventoryClient client = new InventoryClient(0);
  private final ExecutorService virtualThreads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() throws InterruptedException {
    virtualThreads.shutdown();
    assertThat(virtualThreads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void quickStart() throws Exception {
    // docs/service.md, README.md: quick start
    MetricsRegistry registry = MetricsRegistry.create();
    Service<Stock> stock =
        Service.builder("inventory", () -> client.fetchStock())
            .pool(8) // at most 8 at once, on the service's own threads
            .timeout(Duration.ofMillis(500)) // interrupts the attempt
            .retry(Retry.of("inventory", 3))
            .breaker(Breaker.builder("inventory").build())
            .metrics(registry) // shown on the registry's dashboard
            .fallback(() -> Stock.unknown())
            .build();
    Stock s = stock.call();
    CompletableFuture<Stock> later = stock.callAsync();
    stock.close(); // stops its threads once the accepted calls are done

    assertThat(s).isEqualTo(new Stock(7));
    assertThat(later.get(10, TimeUnit.SECONDS)).isEqualTo(new Stock(7));
    assertThat(registry.metrics("inventory").snapshot().successes()).isEqualTo(2);
  }

  @Test
  void nestedEquivalent() throws Exception {
    InventoryClient flaky = new InventoryClient(1);
    // docs/service.md: what the service does, without the pool and the timeout
    Retry retry = Retry.of("inventory", 3);
    Breaker breaker = Breaker.builder("inventory").build();
    Metrics metrics = Metrics.of("inventory");
    Stock s;
    try {
      s = retry.call(() -> breaker.call(() -> metrics.call(() -> flaky.fetchStock())));
    } catch (Exception e) {
      s = Stock.unknown();
    }

    assertThat(s).isEqualTo(new Stock(7));
    assertThat(metrics.snapshot().failures()).isEqualTo(1);
  }

  @Test
  void withoutFallback() throws Exception {
    InventoryClient down = new InventoryClient(Integer.MAX_VALUE);
    // docs/service.md: without a fallback
    Service<Stock> stock =
        Service.builder("inventory", () -> down.fetchStock())
            .retry(Retry.of("inventory", 3))
            .build();
    try {
      stock.call();
    } catch (IOException last) {
      // the third attempt's failure; the first two are attached to it as suppressed
    } catch (ShortCircuitException | RejectedException | ServiceTimeoutException e) {
      // the service's own reasons, each naming the service
    }

    assertThatThrownBy(stock::call).isInstanceOf(IOException.class);
    assertThat(stock.metrics().snapshot().failures()).isEqualTo(6);
  }

  @Test
  void fallbackByReason() throws Exception {
    // docs/service.md: a fallback that looks at the failure
    Breaker breaker = Breaker.builder("inventory").build();
    Service<Stock> stock =
        Service.builder("inventory", () -> client.fetchStock())
            .breaker(breaker)
            .fallback(
                failure -> {
                  if (failure instanceof ShortCircuitException) {
                    return Stock.unknown(); // the breaker is open: do not wait for it
                  }
                  throw new IllegalStateException("no stock figure", failure);
                })
            .build();

    breaker.trip();
    assertThat(stock.call()).isEqualTo(Stock.unknown());
    assertThat(stock.metrics().snapshot().shortCircuits()).isEqualTo(1);
  }

  @Test
  void withArgument() throws Exception {
    // docs/service.md: a call with an argument
    ServiceFunction<String, Price> prices =
        Service.function("pricing", (String sku) -> client.price(sku))
            .retry(Retry.of("pricing", 2))
            .fallback((sku, failure) -> Price.unknown(sku))
            .build();
    Price p = prices.apply("sku-1");

    assertThat(p).isEqualTo(new Price("sku-1", 1999));
  }

  @Test
  void asSupplier() {
    // docs/service.md: a service is a Supplier
    Service<Stock> stock = Service.builder("inventory", () -> client.fetchStock()).build();
    Supplier<Stock> supplier = stock;
    Stock s = supplier.get(); // a checked failure arrives wrapped in UndeclaredThrowableException

    assertThat(s).isEqualTo(new Stock(7));
  }

  @Test
  void userExecutorAndContext() throws Exception {
    // docs/service.md: a user's executor and context
    Service<Stock> stock =
        Service.builder("inventory", () -> client.fetchStock())
            .executor(virtualThreads) // Executors.newVirtualThreadPerTaskExecutor() on Java 21+
            .pool(64) // at most 64 at once on it
            .timeout(Duration.ofSeconds(2))
            .contextPropagator(
                attempt -> {
                  String tenant = Tenant.current(); // on the caller's thread
                  return () -> Tenant.with(tenant, attempt); // on the attempt's thread
                })
            .build();

    MDC.put("request", "r-1");
    try {
      assertThat(stock.call()).isEqualTo(new Stock(7));
    } finally {
      MDC.remove("request");
      stock.close();
    }
  }

  @Test
  void retryThatSkipsServiceReasons() throws Exception {
    // docs/service.md: not retrying a short-circuit or a rejection
    Retry retry =
        Retry.builder("inventory")
            .maxAttempts(3)
            .backoff(Backoff.exponential(Duration.ofMillis(50), 2.0))
            .abortOn(ShortCircuitException.class, RejectedException.class)
            .build();

    Breaker open = Breaker.builder("inventory").build();
    open.trip();
    Service<Stock> stock =
        Service.builder("inventory", () -> client.fetchStock()).retry(retry).breaker(open).build();
    assertThatThrownBy(stock::call).isInstanceOf(ShortCircuitException.class);
    assertThat(stock.metrics().snapshot().shortCircuits()).isEqualTo(1);
  }

  @Test
  void hedgedRequests() throws Exception {
    // docs/service.md: hedged requests
    RetryBudget shared = RetryBudget.tokens(10, 0.1); // one budget for retries and hedges
    Service<Stock> stock =
        Service.builder("inventory", () -> client.fetchStock())
            .pool(16) // copies run on the service's threads, like attempts
            .timeout(Duration.ofSeconds(2))
            .retry(Retry.builder("inventory").maxAttempts(3).budget(shared).build())
            .hedge(Hedge.afterPercentile(95).budget(shared)) // a copy after the p95 latency
            .fallback(() -> Stock.unknown())
            .build();
    Stock s = stock.call();
    stock.close();

    assertThat(s).isEqualTo(new Stock(7));
    assertThat(stock.metrics().snapshot().status()).isNull();
  }
}
