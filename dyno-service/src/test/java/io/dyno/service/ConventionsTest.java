package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.BreakerOpenException;
import io.dyno.retry.Retry;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The house conventions (DESIGN.md §2) as they apply to dyno-service: one {@code toString()} shape,
 * names checked alike, the same accessors on {@link Service} and {@link ServiceFunction}, typed
 * accessors on the exceptions, and the interrupt policy. A service reads no clock of its own: its
 * attempts are timed by its {@code Metrics}' ticker and judged by its {@code Breaker}'s, each set
 * on that type's builder, so no service type takes a ticker and none has a time wither. The
 * duration table lives in {@link SharedConventionsTest}. dyno-service keeps no board or registry of
 * named instances; the one duplicate it answers, two open services reporting their breaker and pool
 * to the same metrics, is refused at build and covered by {@link ServiceStatusTest}.
 */
class ConventionsTest {

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    Thread.interrupted();
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  @Test
  void theApiScan_findsThePublicTypes() {
    assertThat(PublicApi.types())
        .contains(
            Service.class, ServiceFunction.class, ServiceOptions.class, Service.Builder.class);
  }

  @Test
  void aServiceReadsNoTime_itsBreakerAndMetricsDo() {
    assertThat(PublicApi.declaring("ticker", LongSupplier.class)).isEmpty();
    assertThat(PublicApi.declaring("clock", Clock.class)).isEmpty();
  }

  @Test
  void serviceFunction_hasEveryAccessorThatServiceHas() {
    Set<String> function = accessors(ServiceFunction.class);

    assertThat(function).containsAll(accessors(Service.class));
  }

  /** The public methods without parameters that are not the service's own verbs. */
  private static Set<String> accessors(Class<?> type) {
    Set<String> verbs = Set.of("call", "get", "callAsync", "close", "build");
    return Arrays.stream(type.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
        .filter(m -> m.getParameterCount() == 0 && !verbs.contains(m.getName()))
        .map(m -> m.getName() + ":" + m.getGenericReturnType().getTypeName())
        .collect(Collectors.toSet());
  }

  @Test
  void serviceFunction_answersWithItsBreakerRetryAndClosedState() {
    Breaker breaker = Breaker.builder("prices").build();
    Retry retry = Retry.of("prices", 2);
    ServiceFunction<String, String> prices =
        Service.function("prices", (String sku) -> sku).breaker(breaker).retry(retry).build();

    assertThat(prices.breaker()).containsSame(breaker);
    assertThat(prices.retry()).containsSame(retry);
    assertThat(prices.isClosed()).isFalse();
    prices.close();
    assertThat(prices.isClosed()).isTrue();
    assertThat(Service.function("plain", (String s) -> s).build())
        .satisfies(f -> assertThat(f.breaker()).isEmpty())
        .satisfies(f -> assertThat(f.retry()).isEmpty());
  }

  @Test
  void toString_hasTheSharedShape() {
    assertThat(Service.builder("inventory", () -> "x").build())
        .hasToString("Service[name=inventory]");
    assertThat(Service.function("pricing", (String s) -> s).build())
        .hasToString("ServiceFunction[name=pricing]");
  }

  @Test
  void blankNames_areRefusedWithTheSharedMessage_byEveryFactory() {
    assertThatThrownBy(() -> Service.builder(" ", () -> "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Service.function("", (String s) -> s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ''");
    assertThatThrownBy(() -> Service.builder(null, () -> "x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
  }

  @Test
  void exceptions_carryTypedAccessors() {
    Breaker breaker = Breaker.builder("inventory").build();
    breaker.trip();
    BreakerOpenException open =
        (BreakerOpenException) catchThrowable(() -> breaker.acquirePermission());

    ShortCircuitException shortCircuit = new ShortCircuitException("inventory", open);
    ServiceTimeoutException timeout =
        new ServiceTimeoutException("inventory", Duration.ofMillis(1500));

    assertThat(shortCircuit.name()).isEqualTo("inventory");
    assertThat(shortCircuit.state()).isEqualTo(Breaker.State.FORCED_OPEN);
    assertThat(timeout.name()).isEqualTo("inventory");
    assertThat(timeout.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(timeout).hasMessage("Service 'inventory' timed out after 1.50 s");
    assertThat(RejectedException.full("inventory", 4).name()).isEqualTo("inventory");
  }

  @Test
  void anInterruptedCaller_stopsAtOnce_keepsItsFlag_andGetsNoFallback() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean fellBack = new AtomicBoolean();
    Service<String> service =
        Service.<String>builder(
                "inventory",
                () -> {
                  release.await();
                  return "stock";
                })
            .pool(1)
            .fallback(
                () -> {
                  fellBack.set(true);
                  return "unknown";
                })
            .build();
    toClose.add(release::countDown);
    toClose.add(service);
    Thread.currentThread().interrupt();

    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown).isInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(fellBack).isFalse();
  }
}
