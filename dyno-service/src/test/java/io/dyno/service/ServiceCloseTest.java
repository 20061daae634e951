package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.metrics.Metrics;
import io.dyno.retry.Backoff;
import io.dyno.retry.Retry;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.RecordingSleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A service closed while a call is under way: the call's later steps are refused as closed, and
 * closing again, from any thread, returns.
 */
class ServiceCloseTest {

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);
  private final Metrics metrics = TestSupport.metrics("inventory", now);
  private final AtomicInteger invocations = new AtomicInteger();
  private final AtomicReference<Service<String>> self = new AtomicReference<>();

  /**
   * A service whose first attempt closes it and fails, with a retry that would try twice more on
   * fake time; the test registers the service in {@code self}.
   */
  private Service.Builder<String> closedByItsFirstAttempt() {
    Retry retry =
        Retry.builder("inventory")
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ofMillis(100)))
            .ticker(now)
            .sleeper(RecordingSleeper.advancing(now)::sleep)
            .build();
    return Service.<String>builder(
            "inventory",
            () -> {
              invocations.incrementAndGet();
              self.get().close();
              throw new IOException("down");
            })
        .retry(retry)
        .metrics(metrics);
  }

  @Test
  void call_whenClosedBetweenRetries_refusesTheNextAttemptAsClosed() {
    Service<String> service = closedByItsFirstAttempt().build();
    self.set(service);

    Throwable thrown = catchThrowable(service::call);

    assertThat(invocations).as("no attempt after close").hasValue(1);
    assertThat(thrown)
        .isInstanceOfSatisfying(
            RejectedException.class, e -> assertThat(e.isClosed()).as(e.getMessage()).isTrue());
    assertThat(metrics.snapshot().rejections()).isPositive();
  }

  @Test
  void call_whenClosedWhileHandedToTheExecutor_isRefusedAsClosedInsteadOfStartingATimer() {
    QueueingExecutor queue = new QueueingExecutor();
    Service<String> service =
        Service.builder(
                "inventory",
                () -> {
                  invocations.incrementAndGet();
                  return "stock";
                })
            .executor(
                task -> {
                  queue.execute(task);
                  self.get().close();
                })
            .timeout(Duration.ofSeconds(1))
            .metrics(metrics)
            .build();
    self.set(service);

    CompletableFuture<String> future = service.callAsync();

    assertThat(future).isCompletedExceptionally();
    assertThat(catchThrowable(future::join))
        .cause()
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.isClosed()).isTrue())
        .hasMessage("Service 'inventory' rejected the call: it is closed");
    queue.runNext();
    assertThat(invocations).as("the queued attempt had ended").hasValue(0);
  }

  @Test
  void call_afterClose_withFallback_failsAsClosedWithoutFallingBack() {
    AtomicInteger fallbacks = new AtomicInteger();
    Service<String> service =
        Service.builder("inventory", () -> "stock")
            .metrics(metrics)
            .fallback(
                failure -> {
                  fallbacks.incrementAndGet();
                  return "unknown";
                })
            .build();
    service.close();

    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown)
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.isClosed()).isTrue())
        .hasMessage("Service 'inventory' rejected the call: it is closed");
    assertThat(catchThrowable(service::get)).isInstanceOf(RejectedException.class);
    assertThat(fallbacks).hasValue(0);
  }

  @Test
  void call_whenClosedBetweenRetries_withFallback_failsAsClosedWithoutFallingBack() {
    AtomicInteger fallbacks = new AtomicInteger();
    Service<String> service =
        closedByItsFirstAttempt()
            .fallback(
                failure -> {
                  fallbacks.incrementAndGet();
                  return "unknown";
                })
            .build();
    self.set(service);

    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown)
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.isClosed()).isTrue());
    assertThat(fallbacks).hasValue(0);
  }

  @Test
  void function_afterClose_withFallback_failsAsClosedWithoutFallingBack_syncAndAsync() {
    AtomicInteger fallbacks = new AtomicInteger();
    ServiceFunction<String, Integer> prices =
        Service.<String, Integer>function("prices", String::length)
            .fallback(
                (sku, failure) -> {
                  fallbacks.incrementAndGet();
                  return -1;
                })
            .build();
    prices.close();

    assertThat(catchThrowable(() -> prices.call("a")))
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.isClosed()).isTrue())
        .hasMessage("Service 'prices' rejected the call: it is closed");
    CompletableFuture<Integer> later = prices.callAsync("a");
    assertThat(catchThrowable(later::join))
        .cause()
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.isClosed()).isTrue());
    assertThat(fallbacks).hasValue(0);
  }

  @Test
  void close_againFromAnotherThread_returns() throws Exception {
    Service<String> service =
        Service.builder("inventory", () -> "stock")
            .pool(1)
            .timeout(Duration.ofSeconds(1))
            .metrics(metrics)
            .build();
    assertThat(service.call()).isEqualTo("stock");
    service.close();

    CompletableFuture<Void> again = CompletableFuture.runAsync(service::close);

    TestSupport.result(again);
    assertThat(service.isClosed()).isTrue();
  }
}
