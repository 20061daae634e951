package io.dyno.service;

import static io.dyno.service.TestSupport.await;
import static io.dyno.service.TestSupport.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsRegistry;
import io.dyno.metrics.MetricsStatus;
import io.dyno.metrics.MetricsStatus.Circuit;
import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a service reports to its metrics about its breaker and its own pool, as every snapshot (and
 * so the dashboard) shows it, and the rule that one open service reports to a metric at a time.
 */
class ServiceStatusTest {

  private static final Duration OPEN = Duration.ofSeconds(5);

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);
  private final Metrics metrics = TestSupport.metrics("inventory", now);
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  /** Lets the held calls of {@link #held} return. */
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void tearDown() throws Exception {
    release.countDown();
    for (AutoCloseable c : toClose) {
      c.close();
    }
    callers.shutdownNow();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private @Nullable MetricsStatus status() {
    return metrics.snapshot().status();
  }

  /** Work that counts down {@code running} and then waits for {@link #release}. */
  private Callable<String> held(CountDownLatch running) {
    return () -> {
      running.countDown();
      await(release);
      return "stock";
    };
  }

  // ---------------------------------------------------------------- the breaker

  @Test
  void breaker_isReportedThroughEachOfItsStates() throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    Breaker breaker =
        Breaker.builder("inventory")
            .ticker(now)
            .minimumCalls(2)
            .openDuration(OPEN)
            .halfOpenCalls(2)
            .build();
    Service<String> service =
        closeLater(
            Service.builder(
                    "inventory",
                    () -> {
                      if (down.get()) {
                        throw new IOException("down");
                      }
                      return "stock";
                    })
                .breaker(breaker)
                .metrics(metrics)
                .build());
    assertThat(status()).isEqualTo(MetricsStatus.circuit(Circuit.CLOSED, null));

    assertThat(catchThrowable(service::call)).isInstanceOf(IOException.class);
    assertThat(catchThrowable(service::call)).isInstanceOf(IOException.class);
    assertThat(status()).isEqualTo(MetricsStatus.circuit(Circuit.OPEN, OPEN));
    assertThat(status().isCircuitOpen()).isTrue();

    now.advance(Duration.ofMillis(1_500));
    assertThat(status()).isEqualTo(MetricsStatus.circuit(Circuit.OPEN, Duration.ofMillis(3_500)));
    now.advance(Duration.ofMillis(3_500));
    assertThat(status())
        .as("due: the next call is the trial")
        .isEqualTo(MetricsStatus.circuit(Circuit.OPEN, Duration.ZERO));

    down.set(false);
    assertThat(service.call()).as("the first of two trials").isEqualTo("stock");
    assertThat(status()).isEqualTo(MetricsStatus.circuit(Circuit.HALF_OPEN, null));
    assertThat(status().isCircuitOpen()).isFalse();
    assertThat(service.call()).isEqualTo("stock");
    assertThat(status()).isEqualTo(MetricsStatus.circuit(Circuit.CLOSED, null));

    breaker.trip();
    assertThat(status()).isEqualTo(MetricsStatus.circuit(Circuit.FORCED_OPEN, null));
    assertThat(status().isCircuitOpen()).isTrue();

    breaker.disable();
    assertThat(status()).isEqualTo(MetricsStatus.circuit(Circuit.DISABLED, null));
  }

  @Test
  void breakerWithALimitOnTheUsersExecutor_reportsTheCircuitAndNoPool() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      Service<String> service =
          closeLater(
              Service.builder("inventory", () -> "stock")
                  .executor(executor)
                  .pool(2)
                  .breaker(Breaker.builder("inventory").ticker(now).build())
                  .metrics(metrics)
                  .build());

      assertThat(service.call()).isEqualTo("stock");

      assertThat(status()).isEqualTo(MetricsStatus.circuit(Circuit.CLOSED, null));
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void serviceFunction_reportsItsBreaker_untilClosed() {
    Breaker breaker = Breaker.builder("inventory").ticker(now).build();
    ServiceFunction<String, String> prices =
        Service.function("inventory", (String sku) -> sku)
            .breaker(breaker)
            .metrics(metrics)
            .build();
    breaker.trip();
    assertThat(status()).isEqualTo(MetricsStatus.circuit(Circuit.FORCED_OPEN, null));

    prices.close();

    assertThat(status()).isNull();
  }

  // ---------------------------------------------------------------- the own pool

  @Test
  void ownPool_reportsItsSize_andTheCallsHeldOnIt_thenWhatItCompleted() throws Exception {
    CountDownLatch running = new CountDownLatch(2);
    Service<String> service =
        closeLater(Service.builder("pooled", held(running)).pool(3).metrics(metrics).build());
    assertThat(status())
        .as("an idle pool holds no threads")
        .isEqualTo(MetricsStatus.pool(new MetricsStatus.Pool(3, 0, 0, 0, 0, 0)));

    Future<String> first = callers.submit(service::call);
    Future<String> second = callers.submit(service::call);
    await(running);

    assertThat(status())
        .as("two calls running, none waiting for a thread")
        .isEqualTo(MetricsStatus.pool(new MetricsStatus.Pool(3, 2, 2, 2, 0, 0)));

    release.countDown();
    assertThat(result(first)).isEqualTo("stock");
    assertThat(result(second)).isEqualTo("stock");
    // A worker counts its task as completed just after the caller has the result.
    TestSupport.spinUntil(
        "both tasks counted as completed", () -> status().pool().completed() == 2);
    MetricsStatus.Pool idle = status().pool();
    assertThat(idle.active()).isZero();
    assertThat(idle.queued()).isZero();
    assertThat(idle.largest()).isEqualTo(2);
    assertThat(idle.maxSize()).isEqualTo(3);
  }

  @Test
  void ownPoolAndBreaker_reportBoth() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    Service<String> service =
        closeLater(
            Service.builder("inventory", held(running))
                .pool(1)
                .breaker(Breaker.builder("inventory").ticker(now).build())
                .metrics(metrics)
                .build());
    Future<String> call = callers.submit(service::call);
    await(running);

    assertThat(catchThrowable(service::call))
        .as("the only slot is taken")
        .isInstanceOf(RejectedException.class);
    assertThat(status())
        .isEqualTo(
            new MetricsStatus(Circuit.CLOSED, null, new MetricsStatus.Pool(1, 1, 1, 1, 0, 0)));

    release.countDown();
    assertThat(result(call)).isEqualTo("stock");
  }

  @Test
  void noBreakerAndNoOwnPool_reportsNothing() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Service<String> direct =
          closeLater(Service.builder("inventory", () -> "stock").metrics(metrics).build());
      Service<String> onExecutor =
          closeLater(
              Service.builder("inventory", () -> "stock")
                  .executor(executor)
                  .pool(1)
                  .metrics(metrics)
                  .build());

      assertThat(direct.call()).isEqualTo("stock");
      assertThat(onExecutor.call()).isEqualTo("stock");

      assertThat(metrics.snapshot().successes()).isEqualTo(2);
      assertThat(status()).isNull();
    } finally {
      executor.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- close and sharing

  @Test
  void close_removesTheStatus() throws Exception {
    Service<String> service =
        Service.builder("pooled", () -> "stock")
            .pool(2)
            .breaker(Breaker.builder("inventory").ticker(now).build())
            .metrics(metrics)
            .build();
    assertThat(service.call()).isEqualTo("stock");
    assertThat(status()).isNotNull();

    service.close();

    assertThat(status()).isNull();
    assertThat(metrics.snapshot().successes()).as("the counts stay").isEqualTo(1);
  }

  @Test
  void secondReportingService_onTheSameMetrics_failsToBuild_namingTheMetrics() throws Exception {
    Service<String> first =
        closeLater(
            Service.builder("inventory", () -> "first")
                .breaker(Breaker.builder("inventory").ticker(now).build())
                .metrics(metrics)
                .build());

    assertThatThrownBy(
            () -> Service.builder("inventory-2", () -> "second").pool(2).metrics(metrics).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Service 'inventory-2' cannot report the state of its breaker, pool, limiter,"
                + " throttle or hedge to metrics 'inventory', which another owner reports to"
                + " already (see"
                + " the cause): close the service"
                + " that uses metrics 'inventory' first, or give this service metrics of another"
                + " name")
        .cause()
        .hasMessageContaining("Service[name=inventory]");
    assertThat(TestSupport.threadsNamed("dyno-service-inventory-2-")).isEmpty();
    assertThat(status())
        .as("the first service still reports")
        .isEqualTo(MetricsStatus.circuit(Circuit.CLOSED, null));
    assertThat(first.call()).isEqualTo("first");
  }

  @Test
  void sameNameOnOneRegistry_buildsAgainOnceTheFirstIsClosed() throws Exception {
    MetricsRegistry registry =
        MetricsRegistry.create(name -> Metrics.builder(name).ticker(now).build());
    Service<String> first =
        Service.builder("inventory", () -> "first").pool(1).metrics(registry).build();

    assertThatThrownBy(
            () -> Service.function("inventory", (String s) -> s).pool(1).metrics(registry).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("metrics 'inventory'");

    first.close();
    ServiceFunction<String, String> second =
        closeLater(
            Service.function("inventory", (String s) -> s)
                .breaker(Breaker.builder("inventory").ticker(now).build())
                .metrics(registry)
                .build());
    assertThat(second.apply("again")).isEqualTo("again");
    assertThat(registry.metrics("inventory").snapshot().status())
        .isEqualTo(MetricsStatus.circuit(Circuit.CLOSED, null));
  }

  @Test
  void aServiceThatReportsNothing_stillSharesTheCounts() throws Exception {
    Service<String> reporting =
        closeLater(Service.builder("inventory", () -> "stock").pool(1).metrics(metrics).build());
    Service<String> counting =
        closeLater(Service.builder("inventory", () -> "stock").metrics(metrics).build());

    assertThat(reporting.call()).isEqualTo("stock");
    assertThat(counting.call()).isEqualTo("stock");

    assertThat(metrics.snapshot().successes()).isEqualTo(2);
    assertThat(status().pool().maxSize()).isEqualTo(1);
  }
}
