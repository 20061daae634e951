package io.dyno.benchmarks;

import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import io.dyno.breaker.Breaker;
import io.dyno.breaker.BreakerOpenException;
import io.dyno.breaker.Rollout;
import io.getunleash.strategy.StrategyUtils;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.SplittableRandom;
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
 *   <li>{@code *Admit}: whether a user is in a gradual rollout at 20 %, by a salted hash of the
 *       user's id, side by side with Unleash's gradual-rollout hash (its {@code
 *       GradualRolloutUserIdStrategy}'s decision: {@code StrategyUtils.getNormalizedNumber}); each
 *       call takes the next of 1,024 user ids such as {@code "user-482913"}, so that no answer can
 *       be remembered. No work is guarded: the decision is what is measured.
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

  // ---------------------------------------------------------------- rollouts at 20 %

  private static final String ROLLOUT = "new-panel";
  private static final int ROLLOUT_PERCENT = 20;

  private final Rollout rollout = Rollout.of(ROLLOUT, ROLLOUT_PERCENT);
  private final Rollout rolloutWithLists = Rollout.of(ROLLOUT, ROLLOUT_PERCENT);

  /**
   * Each benchmark thread's own walk over the same user ids.
   *
   * <p>Thread safety: one instance per thread ({@link Scope#Thread}).
   */
  @State(Scope.Thread)
  public static class Users {
    private static final int COUNT = 1 << 10;
    private final String[] ids = new String[COUNT];
    private int next;

    /** Draws the ids from a fixed seed, so that every run asks about the same users. */
    public Users() {
      SplittableRandom random = new SplittableRandom(19);
      for (int i = 0; i < COUNT; i++) {
        ids[i] = "user-" + (100_000 + random.nextInt(900_000));
      }
    }

    String next() {
      next = (next + 1) & (COUNT - 1);
      return ids[next];
    }
  }

  /** Creates the state; the breakers are built once per trial, as an application builds them. */
  public BreakerBenchmark() {
    failsafeOpenBreaker.open();
    // Lists of a realistic size that the walked ids are not on: each call looks in both, then
    // falls through to the percentage.
    String[] listed = new String[64];
    for (int i = 0; i < listed.length; i++) {
      listed[i] = "staff-" + i;
    }
    rolloutWithLists.allow(listed);
    for (int i = 0; i < listed.length; i++) {
      listed[i] = "blocked-" + i;
    }
    rolloutWithLists.deny(listed);
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

  /** Dyno's rollout: is this user in? */
  @Benchmark
  public boolean dynoAdmit(Users users) {
    return rollout.admit(users.next());
  }

  /** Dyno's rollout with 64 keys on each of its allow and deny lists, none of them the user. */
  @Benchmark
  public boolean dynoAdmitWithLists(Users users) {
    return rolloutWithLists.admit(users.next());
  }

  /** Unleash's gradual rollout by user id: the same decision, as its strategy makes it. */
  @Benchmark
  public boolean unleashAdmit(Users users) {
    return StrategyUtils.getNormalizedNumber(users.next(), ROLLOUT, 0) <= ROLLOUT_PERCENT;
  }
}
