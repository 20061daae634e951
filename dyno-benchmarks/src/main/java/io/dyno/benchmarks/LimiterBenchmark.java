package io.dyno.benchmarks;

import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.dyno.breaker.Limiter;
import io.dyno.breaker.Throttle;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.Optional;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH benchmark of one call through a concurrency limiter or a throttle, the caller-timed path
 * that takes a permit, does the work ({@link Comparison#WORK}) and reports the answer, side by side
 * with Resilience4j's semaphore {@code Bulkhead} and Netflix concurrency-limits' {@code
 * SimpleLimiter} with {@code Gradient2Limit}:
 *
 * <ul>
 *   <li>{@code dynoFixed}: {@code Limiter.of(name, 64)}, {@code tryAcquire()} and {@code
 *       release()};
 *   <li>{@code dynoGradient2}: {@code Limiter.adaptive(name)} (gradient2 with its defaults), {@code
 *       tryAcquire()} and {@code onSuccess(nanos)} with a constant latency of 1 ms, so that the
 *       sample feeds the algorithm but no clock is read for it;
 *   <li>{@code dynoThrottle}: {@code Throttle.of(name)}, {@code tryAcquire()} and {@code
 *       onAccepted()};
 *   <li>{@code resilience4jBulkhead}: a semaphore bulkhead of 64 calls that does not wait, {@code
 *       tryAcquirePermission()} and {@code onComplete()};
 *   <li>{@code peerGradient2}: {@code SimpleLimiter} with {@code Gradient2Limit}'s defaults, {@code
 *       acquire(context)} and {@code listener.onSuccess()}, which times the call itself with {@code
 *       System.nanoTime()}.
 * </ul>
 *
 * <p>No call is ever refused: one or two threads stay far below every limit, and the throttle's
 * backend accepts everything. Run with {@code -t 2} for two threads contending for one limiter and
 * {@code -prof gc} for the bytes allocated per call.
 *
 * <p>Thread safety: one instance is shared by all benchmark threads ({@link Scope#Benchmark}), as a
 * limiter is in an application.
 */
@State(Scope.Benchmark)
public class LimiterBenchmark extends Comparison {

  private static final int PERMITS = 64;
  private static final long LATENCY_NANOS = 1_000_000L;

  private final Limiter fixed = Limiter.of("benchmark", PERMITS);
  private final Limiter gradient2 = Limiter.adaptive("benchmark");
  private final Throttle throttle = Throttle.of("benchmark");
  private final Bulkhead bulkhead =
      Bulkhead.of(
          "benchmark",
          BulkheadConfig.custom()
              .maxConcurrentCalls(PERMITS)
              .maxWaitDuration(Duration.ZERO)
              .build());
  private final SimpleLimiter<String> peer =
      SimpleLimiter.newBuilder()
          .named("benchmark")
          .limit(Gradient2Limit.newBuilder().build())
          .build();

  /** Creates the state. */
  public LimiterBenchmark() {}

  /**
   * A call through a fixed limiter.
   *
   * @return the work's result, or {@link #REJECTED}
   */
  @Benchmark
  public Object dynoFixed() {
    if (!fixed.tryAcquire()) {
      return REJECTED;
    }
    try {
      return work();
    } finally {
      fixed.release();
    }
  }

  /**
   * A call through dyno's adaptive gradient2 limiter, reporting a constant latency.
   *
   * @return the work's result, or {@link #REJECTED}
   */
  @Benchmark
  public Object dynoGradient2() {
    if (!gradient2.tryAcquire()) {
      return REJECTED;
    }
    Object result = work();
    gradient2.onSuccess(LATENCY_NANOS);
    return result;
  }

  /**
   * A call through dyno's throttle, accepted by the backend.
   *
   * @return the work's result, or {@link #REJECTED}
   */
  @Benchmark
  public Object dynoThrottle() {
    if (!throttle.tryAcquire()) {
      return REJECTED;
    }
    Object result = work();
    throttle.onAccepted();
    return result;
  }

  /**
   * A call through Resilience4j's semaphore bulkhead.
   *
   * @return the work's result, or {@link #REJECTED}
   */
  @Benchmark
  public Object resilience4jBulkhead() {
    if (!bulkhead.tryAcquirePermission()) {
      return REJECTED;
    }
    try {
      return work();
    } finally {
      bulkhead.onComplete();
    }
  }

  /**
   * A call through Netflix concurrency-limits' {@code SimpleLimiter} with gradient2.
   *
   * @return the work's result, or {@link #REJECTED}
   */
  @Benchmark
  public Object peerGradient2() {
    Optional<com.netflix.concurrency.limits.Limiter.Listener> listener = peer.acquire("call");
    if (listener.isEmpty()) {
      return REJECTED;
    }
    Object result = work();
    listener.get().onSuccess();
    return result;
  }
}
