package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The caller's context (MDC, context class loader, user propagators) on the attempt's thread. */
class ServiceContextTest {

  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  private final ClassLoader callerLoader = new ClassLoader(null) {};
  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);
  private final Metrics metrics = TestSupport.metrics("inventory", now);
  private final WorkerExecutor worker = new WorkerExecutor("user-worker");
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicInteger invocations = new AtomicInteger();
  private final AtomicReference<@Nullable Map<String, String>> seenMdc = new AtomicReference<>();
  private final AtomicReference<@Nullable ClassLoader> seenLoader = new AtomicReference<>();
  private final AtomicReference<@Nullable Thread> seenThread = new AtomicReference<>();
  private @Nullable ClassLoader testLoader;

  @BeforeEach
  void setCallerContext() {
    testLoader = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(callerLoader);
    MDC.put("request", "42");
  }

  @AfterEach
  void tearDown() throws Exception {
    Thread.currentThread().setContextClassLoader(testLoader);
    MDC.clear();
    for (AutoCloseable c : toClose) {
      c.close();
    }
    worker.close();
  }

  private Service.Builder<String> service() {
    return Service.builder(
            "inventory",
            () -> {
              invocations.incrementAndGet();
              seenThread.set(Thread.currentThread());
              seenMdc.set(MDC.getCopyOfContextMap());
              seenLoader.set(Thread.currentThread().getContextClassLoader());
              return "stock";
            })
        .executor(worker)
        .pool(1)
        .metrics(metrics);
  }

  @Test
  void call_withPool_carriesMdcAndClassLoaderAndRestoresWorkerOwn() throws Exception {
    assertThat(service().build().call()).isEqualTo("stock");

    assertThat(seenThread.get()).isNotSameAs(Thread.currentThread());
    assertThat(seenMdc.get()).isEqualTo(Map.of("request", "42"));
    assertThat(seenLoader.get()).isSameAs(callerLoader);
    WorkerExecutor.After after = worker.awaitTaskDone();
    assertThat(after.thread()).isSameAs(seenThread.get());
    assertThat(after.mdc()).isEqualTo(WorkerExecutor.OWN_MDC);
    assertThat(after.contextClassLoader()).isSameAs(WorkerExecutor.OWN_LOADER);
    assertThat(after.thrown()).isNull();
    // The caller's own context is untouched.
    assertThat(MDC.getCopyOfContextMap()).isEqualTo(Map.of("request", "42"));
    assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(callerLoader);
  }

  @Test
  void call_withEmptyCallerMdc_runsWithEmptyMdcAndRestoresWorkerOwn() throws Exception {
    MDC.clear();

    assertThat(service().build().call()).isEqualTo("stock");

    assertThat(seenMdc.get()).isNullOrEmpty();
    assertThat(worker.awaitTaskDone().mdc()).isEqualTo(WorkerExecutor.OWN_MDC);
  }

  @Test
  void call_withOwnPool_carriesMdcOntoServiceThread() throws Exception {
    Service<String> service =
        Service.builder(
                "context-pool",
                () -> {
                  seenMdc.set(MDC.getCopyOfContextMap());
                  seenLoader.set(Thread.currentThread().getContextClassLoader());
                  return "stock";
                })
            .pool(1)
            .build();
    toClose.add(service);

    assertThat(service.call()).isEqualTo("stock");

    assertThat(seenMdc.get()).isEqualTo(Map.of("request", "42"));
    assertThat(seenLoader.get()).isSameAs(callerLoader);
  }

  @Test
  void call_withPropagateMdcFalse_leavesWorkerMdc() throws Exception {
    assertThat(service().propagateMdc(false).build().call()).isEqualTo("stock");

    assertThat(seenMdc.get()).isEqualTo(WorkerExecutor.OWN_MDC);
    assertThat(seenLoader.get()).isSameAs(callerLoader);
  }

  @Test
  void call_withPropagateContextClassLoaderFalse_leavesWorkerClassLoader() throws Exception {
    assertThat(service().propagateContextClassLoader(false).build().call()).isEqualTo("stock");

    assertThat(seenLoader.get()).isSameAs(WorkerExecutor.OWN_LOADER);
    assertThat(seenMdc.get()).isEqualTo(Map.of("request", "42"));
  }

  @Test
  void call_withPropagators_callsThemOnCallerAndRunsWrappersOnWorkerInsideMdc() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    Thread caller = Thread.currentThread();
    Service<String> service =
        service()
            .contextPropagator(
                attempt -> {
                  events.add("capture first on caller: " + (Thread.currentThread() == caller));
                  return () -> {
                    events.add("first on " + Thread.currentThread().getName());
                    attempt.run();
                  };
                })
            .contextPropagator(
                attempt -> {
                  events.add("capture second on caller: " + (Thread.currentThread() == caller));
                  return () -> {
                    events.add("second sees request " + MDC.get("request"));
                    attempt.run();
                  };
                })
            .build();

    assertThat(service.call()).isEqualTo("stock");

    assertThat(events)
        .containsExactly(
            "capture first on caller: true",
            "capture second on caller: true",
            "second sees request 42",
            "first on user-worker");
  }

  @Test
  void call_withoutPool_runsOnCallerThreadAndNeverCallsPropagators() throws Exception {
    AtomicInteger propagations = new AtomicInteger();
    Service<String> service =
        Service.builder(
                "inventory",
                () -> {
                  seenThread.set(Thread.currentThread());
                  return "stock";
                })
            .contextPropagator(
                attempt -> {
                  propagations.incrementAndGet();
                  return attempt;
                })
            .build();

    assertThat(service.call()).isEqualTo("stock");

    assertThat(seenThread.get()).isSameAs(Thread.currentThread());
    assertThat(propagations).hasValue(0);
  }

  @Test
  void call_whenPropagatorReturnsNull_throwsNullPointerNamingService() {
    Service<String> service = service().contextPropagator(attempt -> null).build();

    Throwable thrown = catchThrowable(service::call);

    assertThat(thrown)
        .isInstanceOf(NullPointerException.class)
        .hasMessage("service 'inventory': a context propagator returned null");
    assertThat(invocations).hasValue(0);
    assertThat(worker.executed()).isZero();
  }

  /** A propagator that returns a Runnable which never runs the attempt. */
  private static final UnaryOperator<Runnable> DROPPING =
      new UnaryOperator<>() {
        @Override
        public Runnable apply(Runnable attempt) {
          return () -> {};
        }

        @Override
        public String toString() {
          return "tracing";
        }
      };

  private static final String NOT_RUN =
      "service 'inventory': the attempt never ran: the Runnable that contextPropagator tracing"
          + " returned did not run the attempt it was given; a contextPropagator must return a"
          + " Runnable that runs the attempt once, on the same thread, before it returns";

  @Test
  void call_whenPropagatorNeverRunsTheAttempt_failsNamingItInsteadOfWaitingForever()
      throws Exception {
    Service<String> service = service().contextPropagator(DROPPING).build();
    toClose.add(service);

    Throwable thrown = assertTimeoutPreemptively(TEN_SECONDS, () -> catchThrowable(service::call));

    assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage(NOT_RUN);
    assertThat(invocations).hasValue(0);
    assertThat(metrics.snapshot().inFlight()).isZero();
  }

  @Test
  void callAsync_whenPropagatorNeverRunsTheAttempt_failsTheFutureNamingIt() throws Exception {
    Service<String> service = service().contextPropagator(DROPPING).build();
    toClose.add(service);

    CompletableFuture<String> f = service.callAsync();

    assertThat(catchThrowable(() -> f.get(10, TimeUnit.SECONDS)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(NOT_RUN);
    assertThat(invocations).hasValue(0);
  }

  @Test
  void call_whenOneOfSeveralPropagatorsNeverRunsTheAttempt_namesThemAll() {
    UnaryOperator<Runnable> passing =
        new UnaryOperator<>() {
          @Override
          public Runnable apply(Runnable attempt) {
            return attempt;
          }

          @Override
          public String toString() {
            return "security";
          }
        };
    Service<String> service =
        service().contextPropagator(passing).contextPropagator(DROPPING).build();
    toClose.add(service);

    Throwable thrown = assertTimeoutPreemptively(TEN_SECONDS, () -> catchThrowable(service::call));

    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "service 'inventory': the attempt never ran: the Runnable that one of the"
                + " contextPropagators [security, tracing] returned did not run the attempt");
  }

  @Test
  void call_whenPropagatorReturnsNull_givesBackSlotInFlightAndBreakerPermission() throws Exception {
    AtomicInteger captures = new AtomicInteger();
    Service<String> service =
        service()
            .contextPropagator(attempt -> captures.getAndIncrement() == 0 ? null : attempt)
            .build();
    assertThat(catchThrowable(service::call)).isInstanceOf(NullPointerException.class);

    assertThat(metrics.snapshot().inFlight()).isZero();
    assertThat(service.call()).isEqualTo("stock");
  }

  @Test
  void call_whenPropagatorWrapperFailsBeforeWork_failsWithItAndReleasesSlot() throws Exception {
    IllegalStateException broken = new IllegalStateException("no tracing context");
    AtomicInteger wraps = new AtomicInteger();
    Breaker breaker = Breaker.builder("inventory").ticker(now).build();
    Service<String> service =
        service()
            .breaker(breaker)
            .contextPropagator(
                attempt ->
                    () -> {
                      if (wraps.getAndIncrement() == 0) {
                        throw broken;
                      }
                      attempt.run();
                    })
            .build();

    assertThat(catchThrowable(service::call)).isSameAs(broken);

    assertThat(invocations).hasValue(0);
    assertThat(worker.awaitTaskDone().thrown()).as("nothing reaches the executor").isNull();
    assertThat(metrics.snapshot().failuresByType())
        .isEqualTo(Map.of(IllegalStateException.class.getName(), 1L));
    assertThat(metrics.snapshot().inFlight()).isZero();
    assertThat(breaker.metrics().failures()).isEqualTo(1);
    assertThat(service.call()).isEqualTo("stock");
    assertThat(invocations).hasValue(1);
  }

  @Test
  void call_whenPropagatorWrapperFailsAfterWork_keepsResultAndHandsFailureToExecutor()
      throws Exception {
    IllegalStateException broken = new IllegalStateException("could not restore");
    Service<String> service =
        service()
            .contextPropagator(
                attempt ->
                    () -> {
                      attempt.run();
                      throw broken;
                    })
            .build();

    assertThat(service.call()).isEqualTo("stock");

    WorkerExecutor.After after = worker.awaitTaskDone();
    assertThat(after.thrown()).isSameAs(broken);
    assertThat(after.mdc()).isEqualTo(WorkerExecutor.OWN_MDC);
    assertThat(metrics.snapshot().successes()).isEqualTo(1);
    assertThat(metrics.snapshot().failures()).isZero();
  }
}
