package io.dyno.service;

import static io.dyno.service.TestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsRegistry;
import io.dyno.retry.Retry;
import io.dyno.testing.FakeTicker;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ServiceFunction: the same decorator for calls that take an argument. */
class ServiceFunctionTest {

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);
  private final Metrics metrics = TestSupport.metrics("prices", now);
  private final List<String> arguments = new ArrayList<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    Thread.interrupted();
  }

  private Integer lookup(String sku) {
    arguments.add(sku);
    if (sku.startsWith("bad")) {
      throw new IllegalArgumentException("no such sku: " + sku);
    }
    return sku.length();
  }

  @Test
  void apply_callsFunctionWithArgument() throws Exception {
    ServiceFunction<String, Integer> prices =
        Service.function("prices", this::lookup).metrics(metrics).build();

    assertThat(prices.apply("abc")).isEqualTo(3);
    assertThat(prices.call("abcd")).isEqualTo(4);

    assertThat(arguments).containsExactly("abc", "abcd");
    assertThat(metrics.snapshot().successes()).isEqualTo(2);
  }

  @Test
  void call_withARetry_triesTheFunctionAgainWithTheSameArgument_throughTheRetryItWasBuiltWith()
      throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    Retry retry = Retry.builder("prices").maxAttempts(2).build();
    ServiceFunction<String, Integer> prices =
        Service.<String, Integer>function(
                "prices",
                sku -> {
                  arguments.add(sku);
                  if (attempts.incrementAndGet() % 2 == 1) {
                    throw new IllegalStateException("blip");
                  }
                  return sku.length();
                })
            .retry(retry)
            .build();
    toClose.add(prices);

    assertThat(prices.call("abc")).isEqualTo(3);
    assertThat(prices.apply("abcd")).isEqualTo(4);

    assertThat(arguments).containsExactly("abc", "abc", "abcd", "abcd");
    assertThat(prices.retry()).containsSame(retry);
  }

  @Test
  void callAsync_callsFunctionWithArgument() {
    ServiceFunction<String, Integer> prices = Service.function("prices", this::lookup).build();

    assertThat(prices.callAsync("abcde")).isCompletedWithValue(5);
    assertThat(arguments).containsExactly("abcde");
  }

  @Test
  void apply_whenFunctionFails_throwsSameInstance() {
    IllegalStateException failure = new IllegalStateException("down");
    ServiceFunction<String, Integer> prices =
        Service.<String, Integer>function(
                "prices",
                sku -> {
                  throw failure;
                })
            .metrics(metrics)
            .build();

    assertThat(catchThrowable(() -> prices.apply("abc"))).isSameAs(failure);
    assertThat(catchThrowable(() -> prices.call("abc"))).isSameAs(failure);
    assertThat(metrics.snapshot().failures()).isEqualTo(2);
  }

  @Test
  void call_whenFunctionFails_givesArgumentToFallback() throws Exception {
    ServiceFunction<String, Integer> prices =
        Service.function("prices", this::lookup).fallback((String sku) -> -sku.length()).build();

    assertThat(prices.call("bad-1")).isEqualTo(-5);
    assertThat(prices.apply("ok")).isEqualTo(2);
    assertThat(prices.callAsync("bad-22")).isCompletedWithValue(-6);
  }

  @Test
  void call_whenFunctionFails_givesArgumentAndFailureToBiFallback() throws Exception {
    List<Throwable> given = new ArrayList<>();
    ServiceFunction<String, Integer> prices =
        Service.function("prices", this::lookup)
            .fallback(
                (String sku, Throwable failure) -> {
                  given.add(failure);
                  return sku.equals("bad-1") ? 100 : 200;
                })
            .build();

    assertThat(prices.call("bad-1")).isEqualTo(100);
    assertThat(prices.callAsync("bad-2")).isCompletedWithValue(200);

    assertThat(given)
        .hasSize(2)
        .allSatisfy(
            t ->
                assertThat(t)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("no such sku: bad-")); // each call its own failure
    assertThat(given.get(0)).hasMessage("no such sku: bad-1");
    assertThat(given.get(1)).hasMessage("no such sku: bad-2");
  }

  @Test
  void call_whenBreakerOpen_shortCircuitsWithoutCallingFunction() {
    Breaker breaker = Breaker.builder("prices").ticker(now).build();
    breaker.trip();
    ServiceFunction<String, Integer> prices =
        Service.function("prices", this::lookup).breaker(breaker).metrics(metrics).build();

    assertThat(catchThrowable(() -> prices.apply("abc"))).isInstanceOf(ShortCircuitException.class);
    assertThat(arguments).isEmpty();
    assertThat(metrics.snapshot().shortCircuits()).isEqualTo(1);
  }

  @Test
  void apply_withPool_runsOnServiceThread() {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    ServiceFunction<String, Integer> prices =
        Service.function(
                "prices-pool",
                (String sku) -> {
                  ranOn.set(Thread.currentThread());
                  return sku.length();
                })
            .pool(1)
            .build();
    toClose.add(prices);

    assertThat(prices.apply("abc")).isEqualTo(3);
    assertThat(ranOn.get().getName()).startsWith("dyno-service-prices-pool-");
  }

  @Test
  void apply_whenCallerInterruptedWhileWaiting_wrapsInterruptAndKeepsFlag() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    ServiceFunction<String, Integer> prices =
        Service.function(
                "prices",
                (String sku) -> {
                  started.countDown();
                  try {
                    release.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return sku.length();
                })
            .pool(1)
            .build();
    toClose.add(prices);

    Thread.currentThread().interrupt();
    Throwable thrown = catchThrowable(() -> prices.apply("abc"));

    assertThat(Thread.interrupted()).isTrue();
    assertThat(thrown)
        .isInstanceOf(UndeclaredThrowableException.class)
        .cause()
        .isInstanceOf(InterruptedException.class);
    release.countDown();
  }

  @Test
  void get_whenCallerInterruptedWhileWaiting_wrapsInterruptAndKeepsFlag() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Service<String> service =
        Service.builder(
                "inventory",
                () -> {
                  await(release);
                  return "stock";
                })
            .pool(1)
            .build();
    toClose.add(service);

    Thread.currentThread().interrupt();
    Throwable thrown = catchThrowable(service::get);

    assertThat(Thread.interrupted()).isTrue();
    assertThat(thrown)
        .isInstanceOf(UndeclaredThrowableException.class)
        .cause()
        .isInstanceOf(InterruptedException.class);
    release.countDown();
  }

  @Test
  void accessors_describeTheFunction() {
    MetricsRegistry registry = MetricsRegistry.create();
    ServiceFunction<String, Integer> prices =
        Service.function("prices", this::lookup).metrics(registry).build();

    assertThat(prices.name()).isEqualTo("prices");
    assertThat(prices).hasToString("ServiceFunction[name=prices]");
    assertThat(prices.metrics()).isSameAs(registry.metrics("prices"));
  }

  @Test
  void close_rejectsLaterCalls() {
    ServiceFunction<String, Integer> prices =
        Service.function("prices", this::lookup).metrics(metrics).build();

    prices.close();

    assertThat(catchThrowable(() -> prices.apply("abc")))
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.isClosed()).isTrue());
    assertThat(arguments).isEmpty();
    assertThat(metrics.snapshot().rejections()).isEqualTo(1);
  }
}
