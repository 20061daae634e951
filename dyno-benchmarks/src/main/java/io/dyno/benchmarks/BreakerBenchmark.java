package io.dyno.benchmarks;

import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import io.dyno.breaker.Breaker;
import io.dyno.breaker.BreakerOpenException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH benchmark of a circuit breaker side by side with Resilience4j's {@code CircuitBreaker}
 * (count-based and time-based windows) and Failsafe's {@code CircuitBreaker}, all guarding the same
 * work ({@code Blackhole.consumeCPU(10)}), configured alike (50 % failures over at least 20 calls,
 * a 10 s or 100-call window, open for an hour) and decorated once, outside the measured code.
 *
 * <ul>
 *   <li>{@code *Closed}: a successful call through a closed breaker, the case that runs millions of
 *       times.
 *   <li>{@code *Rejected}: a call refused by an open breaker; the rejection is caught and a
 *       constant returned, so that the exception's cost, with and without a stack trace, is what is
 *       measured.
 * </ul>
 *
 * <p>Thread safety: one instance is shared by all benchmark threads ({@link Scope#Benchmark}), so
 * that {@code -t 2} measures two threads contending for one breaker, as in an application.
 */
@State(Scope.Benchmark)
public class BreakerBenchmark extends Comparison {

  private static final Duration OPEN_FOR = Duration.ofHours(1);

  // ---------------------------------------------------------------- closed breakers

  private final Breaker dyno = Breaker.builder("benchmark").openDuration(OPEN_FOR).build();

  private final CircuitBreaker resilience4jCount =
      CircuitBreaker.of("benchmark", resilience4jConfig(SlidingWindowType.COUNT_BASED, 100, true));

  private final CircuitBreaker resilience4jTime =
      CircuitBreaker.of("benchmark", resilience4jConfig(SlidingWindowType.TIME_BASED, 10, true));

  private final FailsafeExecutor<Object> failsafe = Failsafe.with(failsafeBreaker());

  private final Callable<Object> dynoClosed = dyno.decorateCallable(WORK);
  private final Callable<Object> resilience4jCountClosed =
      CircuitBreaker.decorateCallable(resilience4jCount, WORK);
  private final Callable<Object> resilience4jTimeClosed =
      CircuitBreaker.decorateCallable(resilience4jTime, WORK);

  // ---------------------------------------------------------------- open breakers

  private final Breaker dynoOpen = openDyno(true);
  private final Breaker dynoOpenNoStackTrace = openDyno(false);

  private final CircuitBreaker resilience4jOpen =
      openResilience4j(resilience4jConfig(SlidingWindowType.COUNT_BASED, 100, true));
  private final CircuitBreaker resilience4jOpenNoStackTrace =
      openResilience4j(resilience4jConfig(SlidingWindowType.COUNT_BASED, 100, false));

  private final dev.failsafe.CircuitBreaker<Object> failsafeOpenBreaker = failsafeBreaker();
  private final FailsafeExecutor<Object> failsafeOpen = Failsafe.with(failsafeOpenBreaker);

  private final Callable<Object> dynoRejecting = dynoOpen.decorateCallable(WORK);
  private final Callable<Object> dynoRejectingNoStackTrace =
      dynoOpenNoStackTrace.decorateCallable(WORK);
  private final Callable<Object> resilience4jRejecting =
      CircuitBreaker.decorateCallable(resilience4jOpen, WORK);
  private final Callable<Object> resilience4jRejectingNoStackTrace =
      CircuitBreaker.decorateCallable(resilience4jOpenNoStackTrace, WORK);

  /** Creates the state; the breakers are built once per trial, as an application builds them. */
  public BreakerBenchmark() {
    failsafeOpenBreaker.open();
  }

  private static CircuitBreakerConfig resilience4jConfig(
      SlidingWindowType type, int size, boolean writableStackTrace) {
    return CircuitBreakerConfig.custom()
        .slidingWindowType(type)
        .slidingWindowSize(size)
        .minimumNumberOfCalls(20)
        .failureRateThreshold(50)
        .waitDurationInOpenState(OPEN_FOR)
        .writableStackTraceEnabled(writableStackTrace)
        .build();
  }

  private static dev.failsafe.CircuitBreaker<Object> failsafeBreaker() {
    return dev.failsafe.CircuitBreaker.builder()
        .withFailureRateThreshold(50, 20, Duration.ofSeconds(10))
        .withDelay(OPEN_FOR)
        .build();
  }

  private static Breaker openDyno(boolean writableStackTrace) {
    Breaker b =
        Breaker.builder("benchmark")
            .minimumCalls(1)
            .openDuration(OPEN_FOR)
            .writableStackTrace(writableStackTrace)
            .build();
    b.acquirePermission().onFailure(0, new IllegalStateException("opens the breaker"));
    return b;
  }

  private static CircuitBreaker openResilience4j(CircuitBreakerConfig config) {
    CircuitBreaker cb = CircuitBreaker.of("benchmark", config);
    cb.transitionToOpenState();
    return cb;
  }

  /** The work alone. */
  @Benchmark
  public Object rawClosed() throws Exception {
    return WORK.call();
  }

  /** Dyno, closed, successful call. */
  @Benchmark
  public Object dynoClosed() throws Exception {
    return dynoClosed.call();
  }

  /** Resilience4j with a count-based window, closed, successful call. */
  @Benchmark
  public Object resilience4jCountClosed() throws Exception {
    return resilience4jCountClosed.call();
  }

  /** Resilience4j with a time-based window, closed, successful call. */
  @Benchmark
  public Object resilience4jTimeClosed() throws Exception {
    return resilience4jTimeClosed.call();
  }

  /** Failsafe, closed, successful call. */
  @Benchmark
  public Object failsafeClosed() {
    return failsafe.get(Comparison::work);
  }

  /** Dyno, open: the rejection, with a stack trace. */
  @Benchmark
  public Object dynoRejected() throws Exception {
    try {
      return dynoRejecting.call();
    } catch (BreakerOpenException e) {
      return REJECTED;
    }
  }

  /** Dyno, open: the rejection, without a stack trace. */
  @Benchmark
  public Object dynoRejectedNoStackTrace() throws Exception {
    try {
      return dynoRejectingNoStackTrace.call();
    } catch (BreakerOpenException e) {
      return REJECTED;
    }
  }

  /** Resilience4j, open: the rejection, with a stack trace. */
  @Benchmark
  public Object resilience4jRejected() throws Exception {
    try {
      return resilience4jRejecting.call();
    } catch (CallNotPermittedException e) {
      return REJECTED;
    }
  }

  /** Resilience4j, open: the rejection, without a stack trace. */
  @Benchmark
  public Object resilience4jRejectedNoStackTrace() throws Exception {
    try {
      return resilience4jRejectingNoStackTrace.call();
    } catch (CallNotPermittedException e) {
      return REJECTED;
    }
  }

  /** Failsafe, open: the rejection. */
  @Benchmark
  public Object failsafeRejected() {
    try {
      return failsafeOpen.get(Comparison::work);
    } catch (CircuitBreakerOpenException e) {
      return REJECTED;
    }
  }
}
