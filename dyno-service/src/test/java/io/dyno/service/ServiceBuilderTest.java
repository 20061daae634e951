package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsRegistry;
import io.dyno.retry.Retry;
import io.dyno.testing.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Bad input to the builders: each refusal names the parameter and the value. */
class ServiceBuilderTest {

  private static Service.Builder<String> builder() {
    return Service.builder("inventory", () -> "stock");
  }

  @Test
  void pool_belowOne_isRefusedWithValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().pool(0))
        .withMessage("pool must be >= 1, was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().pool(-3))
        .withMessage("pool must be >= 1, was -3");
  }

  @Test
  void ownPool_aboveTheBound_isRefusedAtBuild() throws Exception {
    // The own pool keeps maxConcurrent core threads and starts a new one per attempt until it has
    // them all, even while others idle: an unbounded size starts platform threads until the JVM
    // cannot create another.
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().pool(Integer.MAX_VALUE).build())
        .withMessage(
            "pool must be in [1, 1000] for the service's own pool, was 2147483647:"
                + " give an executor(e) for a larger limit");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Service.function("prices", (String s) -> s).pool(1001).build())
        .withMessageStartingWith("pool must be in [1, 1000] for the service's own pool");
    Executor direct = Runnable::run;
    Service<String> onExecutor = builder().executor(direct).pool(Integer.MAX_VALUE).build();
    assertThat(onExecutor.call()).isEqualTo("stock");
    Service<String> atTheBound = builder().pool(1000).build();
    atTheBound.close();
  }

  @Test
  void timeout_zeroOrNegative_isRefusedWithValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().timeout(Duration.ZERO))
        .withMessage("timeout must be positive, was PT0S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().timeout(Duration.ofMillis(-5)))
        .withMessage("timeout must be positive, was PT-0.005S");
  }

  @Test
  void build_withTimeoutButNeitherPoolNorExecutor_isRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().timeout(Duration.ofMillis(500)).build())
        .withMessage(
            "timeout PT0.5S needs pool(n) or executor(e): service 'inventory' can only interrupt"
                + " an attempt that runs on a thread of its own");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                Service.function("prices", (String s) -> s).timeout(Duration.ofSeconds(1)).build())
        .withMessageContaining("needs pool(n) or executor(e)")
        .withMessageContaining("service 'prices'");
  }

  @Test
  void build_withTimeoutAndExecutorOrPool_isAccepted() {
    Service<String> withExecutor =
        builder().timeout(Duration.ofSeconds(1)).executor(Runnable::run).build();
    Service<String> withPool = builder().timeout(Duration.ofSeconds(1)).pool(1).build();
    withPool.close();

    assertThat(withExecutor.name()).isEqualTo("inventory");
    assertThat(withPool.isClosed()).isTrue();
  }

  @Test
  void name_blank_isRefusedWithValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Service.builder("  ", () -> "stock"))
        .withMessage("name must not be blank, was '  '");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Service.builder("", () -> "stock"))
        .withMessage("name must not be blank, was ''");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Service.function(" ", (String s) -> s))
        .withMessage("name must not be blank, was ' '");
  }

  @Test
  void nullArguments_areRefusedNamingTheParameter() {
    assertThatNullPointerException()
        .isThrownBy(() -> Service.builder(null, () -> "stock"))
        .withMessage("name must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> Service.builder("inventory", (Callable<String>) null))
        .withMessage("work must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> Service.function("prices", (Function<String, String>) null))
        .withMessage("function must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder().executor((Executor) null))
        .withMessage("executor must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder().timeout(null))
        .withMessage("timeout must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder().retry(null))
        .withMessage("retry must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder().breaker(null))
        .withMessage("breaker must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder().metrics((Metrics) null))
        .withMessage("metrics must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder().metrics((MetricsRegistry) null))
        .withMessage("registry must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder().scheduler((ScheduledExecutorService) null))
        .withMessage("scheduler must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder().contextPropagator((UnaryOperator<Runnable>) null))
        .withMessage("propagator must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder().fallback((Supplier<String>) null))
        .withMessage("fallback must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> builder().fallback((Function<Throwable, String>) null))
        .withMessage("fallback must not be null");
    assertThatNullPointerException()
        .isThrownBy(
            () ->
                Service.function("prices", (String s) -> s)
                    .fallback((Function<String, String>) null))
        .withMessage("fallback must not be null");
    assertThatNullPointerException()
        .isThrownBy(
            () ->
                Service.function("prices", (String s) -> s)
                    .fallback((BiFunction<String, Throwable, String>) null))
        .withMessage("fallback must not be null");
  }

  @Test
  void setters_returnTheSameBuilderForChaining() {
    Service.Builder<String> b = builder();

    assertThat(b.pool(1)).isSameAs(b);
    assertThat(b.executor(Runnable::run)).isSameAs(b);
    assertThat(b.timeout(Duration.ofSeconds(1))).isSameAs(b);
    assertThat(b.retry(Retry.of("inventory", 2))).isSameAs(b);
    assertThat(b.breaker(Breaker.manual("inventory"))).isSameAs(b);
    assertThat(b.metrics(Metrics.of("inventory"))).isSameAs(b);
    assertThat(b.metrics(MetricsRegistry.create())).isSameAs(b);
    assertThat(b.scheduler(ManualScheduler.create())).isSameAs(b);
    assertThat(b.propagateMdc(false)).isSameAs(b);
    assertThat(b.propagateContextClassLoader(false)).isSameAs(b);
    assertThat(b.contextPropagator(r -> r)).isSameAs(b);
    assertThat(b.fallback(() -> "unknown")).isSameAs(b);
  }

  @Test
  void builder_canBuildSeveralIndependentServices() throws Exception {
    Service.Builder<String> b = builder();

    Service<String> first = b.build();
    Service<String> second = b.build();

    assertThat(first).isNotSameAs(second);
    assertThat(first.call()).isEqualTo("stock");
    // Each build without given metrics makes its own.
    assertThat(first.metrics()).isNotSameAs(second.metrics());
    assertThat(second.metrics().snapshot().successes()).isZero();
  }
}
