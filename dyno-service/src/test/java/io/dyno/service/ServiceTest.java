package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.BreakerBuilder;
import io.dyno.breaker.BreakerOpenException;
import io.dyno.breaker.CallEvent;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsRegistry;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.retry.Backoff;
import io.dyno.retry.Retry;
import io.dyno.retry.RetryStoppedException;
import io.dyno.retry.StopReason;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.RecordingSleeper;
import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The direct path: no pool and no executor, every attempt on the caller's thread. */
class ServiceTest {

  private static final long MS = 1_000_000L;

  private final FakeTicker now = FakeTicker.startingAt(1_000 * MS);
  private final Metrics metrics = TestSupport.metrics("inventory", now);

  /** Records the retry's waits and moves the fake clock by them. */
  private final RecordingSleeper sleeper = RecordingSleeper.advancing(now);

  private final List<CallEvent> breakerEvents = new CopyOnWriteArrayList<>();
  private final AtomicInteger invocations = new AtomicInteger();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private BreakerBuilder breaker(int minimumCalls) {
    return Breaker.builder("inventory")
        .ticker(now)
        .minimumCalls(minimumCalls)
        .onCall(breakerEvents::add);
  }

  private Retry retry(int maxAttempts) {
    return Retry.builder("inventory")
        .maxAttempts(maxAttempts)
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .ticker(now)
        .sleeper(sleeper::sleep)
        .build();
  }

  /** Work that fails with each of {@code failures} in turn, then returns "stock". */
  private java.util.concurrent.Callable<String> failing(Exception... failures) {
    return () -> {
      int i = invocations.getAndIncrement();
      now.advance(2 * MS);
      if (i < failures.length) {
        throw failures[i];
      }
      return "stock";
    };
  }

  // ---------------------------------------------------------------- success

  @Test
  void call_whenWorkSucceeds_returnsValueAndRecordsLatencyFromTicker() throws Exception {
    Breaker breaker = breaker(20).build();
    Service<String> service =
        Service.builder(
                "inventory",
                () -> {
                  invocations.incrementAndGet();
                  now.advance(5 * MS);
                  return "stock";
                })
            .metrics(metrics)
            .breaker(breaker)
            .build();

    assertThat(service.call()).isEqualTo("stock");

    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.failures()).isZero();
    assertThat(s.timeouts()).isZero();
    assertThat(s.shortCircuits()).isZero();
    assertThat(s.rejections()).isZero();
    assertThat(s.inFlight()).isZero();
    assertThat(s.latencyCount()).isEqualTo(1);
    assertThat((double) s.latencyMax().toNanos()).isCloseTo(5 * MS, within(5 * MS * 0.001));
    assertThat(breaker.metrics().calls()).isEqualTo(1);
    assertThat(breaker.metrics().failures()).isZero();
    assertThat(breakerEvents)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(CallEvent.Kind.SUCCESS);
              assertThat(e.duration()).isEqualTo(Duration.ofMillis(5));
            });
    assertThat(invocations).hasValue(1);
  }

  @Test
  void call_whenWorkReturnsNull_returnsNull() throws Exception {
    Service<String> service = Service.builder("inventory", () -> (String) null).build();

    assertThat(service.call()).isNull();
    assertThat(service.metrics().snapshot().successes()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- failure without fallback

  @Test
  void call_whenWorkThrowsChecked_throwsSameInstanceAndCountsFailure() {
    IOException failure = new IOException("connection reset");
    Breaker breaker = breaker(20).build();
    Service<String> service =
        Service.builder("inventory", failing(failure)).metrics(metrics).breaker(breaker).build();

    assertThat(catchThrowable(service::call)).isSameAs(failure);

    assertThat(failure.getSuppressed()).isEmpty();
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.failures()).isEqualTo(1);
    assertThat(s.successes()).isZero();
    assertThat(s.inFlight()).isZero();
    assertThat(s.failuresByType()).isEqualTo(Map.of("java.io.IOException", 1L));
    assertThat(breaker.metrics().calls()).isEqualTo(1);
    assertThat(breaker.metrics().failures()).isEqualTo(1);
    assertThat(breakerEvents)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo(CallEvent.Kind.FAILURE);
              assertThat(e.failure()).isSameAs(failure);
              assertThat(e.duration()).isEqualTo(Duration.ofMillis(2));
            });
  }

  @Test
  void call_whenWorkThrowsUnchecked_throwsSameInstance() {
    IllegalStateException failure = new IllegalStateException("bad answer");
    Service<String> service = Service.builder("inventory", failing(failure)).build();

    assertThat(catchThrowable(service::call)).isSameAs(failure);
  }

  @Test
  void call_withRetry_throwsLastFailureWithRecordAndEarlierFailuresSuppressed() {
    IOException first = new IOException("1");
    IOException second = new IOException("2");
    IOException third = new IOException("3");
    Breaker breaker = breaker(20).build();
    Service<String> service =
        Service.builder("inventory", failing(first, second, third))
            .metrics(metrics)
            .breaker(breaker)
            .retry(retry(3))
            .build();

    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown).isSameAs(third);
    Throwable[] suppressed = thrown.getSuppressed();
    assertThat(suppressed).hasSize(3);
    assertThat(suppressed[0])
        .isInstanceOfSatisfying(
            RetryStoppedException.class,
            r -> {
              assertThat(r.attempts()).isEqualTo(3);
              assertThat(r.reason()).isEqualTo(StopReason.MAX_ATTEMPTS);
            });
    assertThat(suppressed[1]).isSameAs(first);
    assertThat(suppressed[2]).isSameAs(second);
    assertThat(invocations).hasValue(3);
    assertThat(metrics.snapshot().failures()).isEqualTo(3);
    assertThat(metrics.snapshot().failuresByType()).isEqualTo(Map.of("java.io.IOException", 3L));
    assertThat(breaker.metrics().calls()).isEqualTo(3);
    assertThat(breaker.metrics().failures()).isEqualTo(3);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
  }

  @Test
  void call_withRetry_whenLaterAttemptSucceeds_returnsValueAndCountsEachAttempt() throws Exception {
    Breaker breaker = breaker(20).build();
    Service<String> service =
        Service.builder("inventory", failing(new IOException("1")))
            .metrics(metrics)
            .breaker(breaker)
            .retry(retry(3))
            .build();

    assertThat(service.call()).isEqualTo("stock");

    assertThat(metrics.snapshot().failures()).isEqualTo(1);
    assertThat(metrics.snapshot().successes()).isEqualTo(1);
    assertThat(breaker.metrics().calls()).isEqualTo(2);
    assertThat(breaker.metrics().failures()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- retry and breaker together

  @Test
  void call_withRetryAndBreaker_asksBreakerPerAttemptSoLaterAttemptsShortCircuit() {
    IOException first = new IOException("1");
    IOException second = new IOException("2");
    Breaker breaker = breaker(2).build();
    Service<String> service =
        Service.builder(
                "inventory", failing(first, second, new IOException("3"), new IOException("4")))
            .metrics(metrics)
            .breaker(breaker)
            .retry(retry(4))
            .build();

    Throwable thrown = catchThrowable(service::call);

    // Attempts 1 and 2 fail and open the breaker; attempts 3 and 4 never reach the work.
    assertThat(thrown)
        .isInstanceOfSatisfying(
            ShortCircuitException.class, e -> assertThat(e.state()).isEqualTo(Breaker.State.OPEN));
    assertThat(thrown.getSuppressed()).hasSize(4);
    assertThat(thrown.getSuppressed()[0]).isInstanceOf(RetryStoppedException.class);
    assertThat(thrown.getSuppressed()[1]).isSameAs(first);
    assertThat(thrown.getSuppressed()[2]).isSameAs(second);
    assertThat(thrown.getSuppressed()[3]).isInstanceOf(ShortCircuitException.class);
    assertThat(invocations).hasValue(2);
    assertThat(breaker.state()).isEqualTo(Breaker.State.OPEN);
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.failures()).isEqualTo(2);
    assertThat(s.shortCircuits()).isEqualTo(2);
    assertThat(s.requests()).isEqualTo(4);
  }

  // ---------------------------------------------------------------- fallback

  @Test
  void call_whenWorkFails_returnsSupplierFallback() throws Exception {
    Service<String> service =
        Service.builder("inventory", failing(new IOException("down")))
            .metrics(metrics)
            .fallback(() -> "unknown")
            .build();

    assertThat(service.call()).isEqualTo("unknown");
    assertThat(metrics.snapshot().failures()).isEqualTo(1);
  }

  @Test
  void call_whenWorkFails_givesFailureToFunctionFallback() throws Exception {
    IOException failure = new IOException("down");
    List<Throwable> given = new ArrayList<>();
    Service<String> service =
        Service.builder("inventory", failing(failure))
            .fallback(
                (Throwable t) -> {
                  given.add(t);
                  return "unknown";
                })
            .build();

    assertThat(service.call()).isEqualTo("unknown");
    assertThat(given).containsExactly(failure);
  }

  @Test
  void call_withRetryAndFallback_givesLastFailureToFallbackOnlyOnce() throws Exception {
    IOException last = new IOException("2");
    List<Throwable> given = new ArrayList<>();
    Service<String> service =
        Service.builder("inventory", failing(new IOException("1"), last))
            .retry(retry(2))
            .fallback(
                (Throwable t) -> {
                  given.add(t);
                  return "unknown";
                })
            .build();

    assertThat(service.call()).isEqualTo("unknown");
    assertThat(given).containsExactly(last);
  }

  @Test
  void call_whenBreakerOpen_shortCircuitsToFallback() throws Exception {
    Breaker breaker = breaker(1).build();
    List<Throwable> given = new ArrayList<>();
    Service<String> service =
        Service.builder("inventory", failing(new IOException("1"), new IOException("2")))
            .metrics(metrics)
            .breaker(breaker)
            .fallback(
                (Throwable t) -> {
                  given.add(t);
                  return "unknown";
                })
            .build();
    assertThat(service.call()).isEqualTo("unknown"); // fails and opens the breaker
    assertThat(breaker.state()).isEqualTo(Breaker.State.OPEN);

    assertThat(service.call()).isEqualTo("unknown");

    assertThat(invocations).hasValue(1);
    assertThat(given).hasSize(2);
    assertThat(given.get(1))
        .isInstanceOfSatisfying(
            ShortCircuitException.class, e -> assertThat(e.state()).isEqualTo(Breaker.State.OPEN));
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.shortCircuits()).isEqualTo(1);
    assertThat(s.failures()).isEqualTo(1);
    assertThat(s.inFlight()).isZero();
  }

  @Test
  void call_whenBreakerOpenWithoutFallback_throwsShortCircuitWithBreakerCause() throws Exception {
    Breaker breaker = breaker(1).build();
    Service<String> service =
        Service.builder("inventory", failing(new IOException("1")))
            .metrics(metrics)
            .breaker(breaker)
            .build();
    assertThat(catchThrowable(service::call)).isInstanceOf(IOException.class);

    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown)
        .isInstanceOfSatisfying(
            ShortCircuitException.class,
            e -> {
              assertThat(e.state()).isEqualTo(Breaker.State.OPEN);
              assertThat(e.name()).isEqualTo("inventory");
              assertThat(e.getCause())
                  .isInstanceOfSatisfying(
                      BreakerOpenException.class,
                      open -> {
                        assertThat(open.state()).isEqualTo(Breaker.State.OPEN);
                        assertThat(open.breakerName()).isEqualTo("inventory");
                      });
              assertThat(e.getMessage())
                  .startsWith("Service 'inventory' short-circuited: ")
                  .endsWith(e.getCause().getMessage());
            });
    assertThat(invocations).hasValue(1);
    assertThat(metrics.snapshot().shortCircuits()).isEqualTo(1);
  }

  @Test
  void call_whenBreakerTripped_shortCircuitsWithForcedOpenAndNeverRunsWork() {
    Breaker breaker = breaker(20).build();
    breaker.trip();
    Service<String> service =
        Service.builder("inventory", failing()).metrics(metrics).breaker(breaker).build();

    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown)
        .isInstanceOfSatisfying(
            ShortCircuitException.class,
            e -> assertThat(e.state()).isEqualTo(Breaker.State.FORCED_OPEN));
    assertThat(invocations).hasValue(0);
    assertThat(metrics.snapshot().shortCircuits()).isEqualTo(1);
    assertThat(metrics.snapshot().requests()).isEqualTo(1);
  }

  @Test
  void call_whenFallbackFails_throwsFallbackFailedWithBothFailures() {
    IOException failure = new IOException("down");
    IllegalStateException fallbackFailure = new IllegalStateException("cache empty");
    Service<String> service =
        Service.builder("inventory", failing(failure))
            .fallback(
                () -> {
                  throw fallbackFailure;
                })
            .build();

    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown)
        .isInstanceOfSatisfying(
            FallbackFailedException.class,
            e -> {
              assertThat(e.getCause()).isSameAs(failure);
              assertThat(e.failure()).isSameAs(failure);
              assertThat(e.getSuppressed()).containsExactly(fallbackFailure);
              assertThat(e.fallbackFailure()).isSameAs(fallbackFailure);
              assertThat(e.name()).isEqualTo("inventory");
            });
  }

  @Test
  void call_whenFallbackRethrowsTheFailure_throwsSameInstanceUnwrapped() {
    IllegalStateException failure = new IllegalStateException("down");
    Service<String> service =
        Service.builder("inventory", failing(failure))
            .fallback(
                (Throwable t) -> {
                  throw (RuntimeException) t;
                })
            .build();

    assertThat(catchThrowable(service::call)).isSameAs(failure);
    assertThat(failure.getSuppressed()).isEmpty();
  }

  @Test
  void call_whenFallbackRethrowsShortCircuit_throwsThatShortCircuit() {
    Breaker breaker = breaker(20).build();
    breaker.trip();
    Service<String> service =
        Service.builder("inventory", failing())
            .breaker(breaker)
            .fallback(
                (Throwable t) -> {
                  if (t instanceof ShortCircuitException sc) {
                    throw sc;
                  }
                  return "unknown";
                })
            .build();

    assertThat(catchThrowable(service::call)).isInstanceOf(ShortCircuitException.class);
  }

  @Test
  void call_whenWorkThrowsError_neverGivesItToFallbackAndThrowsItAsIs() {
    Boom boom = new Boom();
    AtomicInteger fallbacks = new AtomicInteger();
    Breaker breaker = breaker(20).build();
    Service<String> service =
        Service.<String>builder(
                "inventory",
                () -> {
                  throw boom;
                })
            .metrics(metrics)
            .breaker(breaker)
            .fallback(
                () -> {
                  fallbacks.incrementAndGet();
                  return "unknown";
                })
            .build();

    assertThat(catchThrowable(service::call)).isSameAs(boom);
    assertThat(fallbacks).hasValue(0);
    assertThat(metrics.snapshot().failuresByType()).containsOnlyKeys(Boom.class.getName());
    assertThat(breaker.metrics().failures()).isEqualTo(1);
  }

  @Test
  void call_whenFallbackThrowsError_throwsItUnwrapped() {
    Boom boom = new Boom();
    Service<String> service =
        Service.builder("inventory", failing(new IOException("down")))
            .fallback(
                () -> {
                  throw boom;
                })
            .build();

    assertThat(catchThrowable(service::call)).isSameAs(boom);
  }

  @Test
  void call_whenWorkThrowsInterruptedException_throwsItWithoutFallback() {
    InterruptedException stop = new InterruptedException("stop");
    AtomicInteger fallbacks = new AtomicInteger();
    Breaker breaker = breaker(20).build();
    Service<String> service =
        Service.builder("inventory", failing(stop))
            .breaker(breaker)
            .fallback(
                () -> {
                  fallbacks.incrementAndGet();
                  return "unknown";
                })
            .build();

    assertThat(catchThrowable(service::call)).isSameAs(stop);
    assertThat(Thread.currentThread().isInterrupted()).as("flag kept for the caller").isTrue();
    assertThat(fallbacks).hasValue(0);
    // An interrupt says nothing about the dependency: the breaker only gives the permission back.
    assertThat(breaker.metrics().calls()).isZero();
  }

  // ---------------------------------------------------------------- get()

  @Test
  void get_returnsValue() {
    Service<String> service = Service.builder("inventory", failing()).build();

    assertThat(service.get()).isEqualTo("stock");
  }

  @Test
  void get_whenWorkThrowsChecked_wrapsItInUndeclaredThrowable() {
    IOException failure = new IOException("down");
    Service<String> service = Service.builder("inventory", failing(failure)).build();

    Throwable thrown = catchThrowable(service::get);

    assertThat(thrown)
        .isInstanceOfSatisfying(
            UndeclaredThrowableException.class,
            e -> {
              assertThat(e.getCause()).isSameAs(failure);
              assertThat(e.getUndeclaredThrowable()).isSameAs(failure);
            });
  }

  @Test
  void get_whenWorkThrowsUnchecked_throwsSameInstance() {
    IllegalStateException failure = new IllegalStateException("down");
    Service<String> service = Service.builder("inventory", failing(failure)).build();

    assertThat(catchThrowable(service::get)).isSameAs(failure);
  }

  // ---------------------------------------------------------------- accessors

  @Test
  void accessors_describeTheService() {
    Breaker breaker = breaker(20).build();
    Retry retry = retry(2);
    Service<String> service =
        Service.builder("inventory", failing())
            .metrics(metrics)
            .breaker(breaker)
            .retry(retry)
            .build();

    assertThat(service.name()).isEqualTo("inventory");
    assertThat(service).hasToString("Service[name=inventory]");
    assertThat(service.metrics()).isSameAs(metrics);
    assertThat(service.breaker()).containsSame(breaker);
    assertThat(service.retry()).containsSame(retry);
    assertThat(service.isClosed()).isFalse();
  }

  @Test
  void accessors_withoutBreakerOrRetry_areEmptyAndMetricsAreNamedAfterService() {
    Service<String> service = Service.builder("inventory", failing()).build();

    assertThat(service.breaker()).isEmpty();
    assertThat(service.retry()).isEmpty();
    assertThat(service.metrics().name()).isEqualTo("inventory");
  }

  @Test
  void metrics_withRegistry_recordsIntoRegistryMetricsUnderServiceName() throws Exception {
    MetricsRegistry registry = MetricsRegistry.create();
    Service<String> service = Service.builder("inventory", failing()).metrics(registry).build();

    service.call();

    assertThat(service.metrics()).isSameAs(registry.metrics("inventory"));
    assertThat(registry.all()).containsExactly(service.metrics());
    assertThat(registry.metrics("inventory").snapshot().successes()).isEqualTo(1);
  }

  @Test
  void metrics_lastOneSetWins() {
    MetricsRegistry registry = MetricsRegistry.create();

    Service<String> registryLast =
        Service.builder("inventory", failing()).metrics(metrics).metrics(registry).build();
    Service<String> metricsLast =
        Service.builder("other", failing()).metrics(registry).metrics(metrics).build();

    assertThat(registryLast.metrics()).isSameAs(registry.metrics("inventory"));
    assertThat(metricsLast.metrics()).isSameAs(metrics);
    assertThat(registry.all()).hasSize(1);
  }

  @Test
  void call_afterClose_isRejectedAsClosedAndCounted() {
    Service<String> service = Service.builder("inventory", failing()).metrics(metrics).build();

    service.close();

    assertThat(service.isClosed()).isTrue();
    Throwable thrown = catchThrowable(service::call);
    assertThat(thrown)
        .isInstanceOfSatisfying(
            RejectedException.class,
            e -> {
              assertThat(e.isClosed()).isTrue();
              assertThat(e.maxConcurrent()).isZero();
              assertThat(e.getMessage())
                  .isEqualTo("Service 'inventory' rejected the call: it is closed");
            });
    assertThat(invocations).hasValue(0);
    assertThat(metrics.snapshot().rejections()).isEqualTo(1);
  }

  @Test
  void call_afterClose_withFallback_isRejectedWithoutAskingTheFallback() {
    List<Throwable> given = new ArrayList<>();
    Service<String> service =
        Service.builder("inventory", failing())
            .fallback(
                (Throwable t) -> {
                  given.add(t);
                  return "unknown";
                })
            .build();
    service.close();
    service.close(); // idempotent

    assertThat(catchThrowable(service::call))
        .isInstanceOfSatisfying(RejectedException.class, e -> assertThat(e.isClosed()).isTrue());
    assertThat(given).isEmpty();
  }

  /** An Error of the tests' own, so that none of the code under test could throw it. */
  static final class Boom extends Error {
    private static final long serialVersionUID = 1L;

    Boom() {
      super("boom");
    }
  }

  // ---------------------------------------------------------------- edges

  @Test
  void callAsync_whenWorkThrowsAnError_failsTheFutureWithTheSameError() {
    AssertionError boom = new AssertionError("boom");
    Service<String> service =
        Service.<String>builder(
                "inventory",
                () -> {
                  throw boom;
                })
            .metrics(metrics)
            .build();

    java.util.concurrent.CompletableFuture<String> future = service.callAsync();

    assertThat(future).isCompletedExceptionally();
    assertThat(catchThrowable(future::join)).hasCause(boom);
    assertThat(metrics.snapshot().failures()).isEqualTo(1);
  }

  @Test
  void call_whenFallbackRethrowsTheCheckedFailureItWasGiven_passesItOnUnchanged() {
    IOException down = new IOException("down");
    Service<String> service =
        Service.builder("inventory", failing(down))
            .metrics(metrics)
            .fallback(
                failure -> {
                  ServiceTest.<RuntimeException>sneakyThrow(failure);
                  return "unreachable";
                })
            .build();

    assertThat(catchThrowable(service::call)).isSameAs(down);
  }

  @Test
  void call_whenExecutorThrowsAnError_givesBackTheSlotAndPermissionAndThrowsTheError()
      throws Exception {
    OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread");
    AtomicInteger executions = new AtomicInteger();
    Breaker breaker = breaker(1).halfOpenCalls(1).build();
    Service<String> service =
        Service.builder("inventory", failing())
            .executor(
                task -> {
                  if (executions.getAndIncrement() == 0) {
                    throw noThread;
                  }
                  task.run();
                })
            .pool(1)
            .breaker(breaker)
            .metrics(metrics)
            .build();

    assertThat(catchThrowable(service::call)).isSameAs(noThread);
    assertThat(service.call()).isEqualTo("stock");
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.inFlight()).isZero();
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.failuresByType()).containsKey(RejectedException.class.getName());
  }

  @Test
  void call_withBreakerOnTheMetricsTicker_readsTheTickerOnlyForTheMetrics() throws Exception {
    // One ticker for both, which counts their reads.
    FakeTicker shared = FakeTicker.startingAt(1_000_000_000L);
    Metrics sharedMetrics = Metrics.builder("inventory").ticker(shared).build();
    Breaker breaker = Breaker.builder("inventory").ticker(shared).build();
    Service<String> service =
        Service.builder("inventory", failing(new IOException("down")))
            .metrics(sharedMetrics)
            .breaker(breaker)
            .build();
    long before = shared.reads();

    assertThat(catchThrowable(service::call)).isInstanceOf(IOException.class);
    assertThat(shared.reads() - before).as("a failure: the metrics' start and end").isEqualTo(2);
    assertThat(service.call()).isEqualTo("stock");
    assertThat(shared.reads() - before).as("a success: the metrics' start and end").isEqualTo(4);

    assertThat(breaker.metrics().calls()).isEqualTo(2);
    assertThat(breaker.metrics().failures()).isEqualTo(1);
  }

  @Test
  void call_withBreakerOnAnotherTicker_letsItReadItsOwnOncePerCall() throws Exception {
    // A ticker of the breaker's own, which counts the breaker's reads.
    FakeTicker breakerTicker = FakeTicker.startingAt(1_000_000_000L);
    Breaker breaker = Breaker.builder("inventory").ticker(breakerTicker).build();
    Service<String> service =
        Service.builder("inventory", failing()).metrics(metrics).breaker(breaker).build();
    long before = breakerTicker.reads();

    assertThat(service.call()).isEqualTo("stock");

    assertThat(breakerTicker.reads() - before).as("the success's bucket").isEqualTo(1);
  }

  /** Throws a checked exception past the compiler, as some libraries do. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> void sneakyThrow(Throwable t) throws E {
    throw (E) t;
  }
}
