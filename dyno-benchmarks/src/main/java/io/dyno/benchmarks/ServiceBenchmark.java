package io.dyno.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.retry.Retry;
import io.dyno.service.Hedge;
import io.dyno.service.Service;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.decorators.Decorators;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A JMH benchmark of one successful call through a composed fault-tolerance stack, side by side:
 * dyno-service's {@code Service} (retry, breaker, metrics), Resilience4j's {@code Decorators}
 * (retry, circuit breaker, bulkhead) and Failsafe's {@code Failsafe.with(retry, breaker,
 * bulkhead)}, all around the same work ({@code Blackhole.consumeCPU(10)}), composed once outside
 * the measured code, retry outermost.
 *
 * <ul>
 *   <li>On the caller's thread: {@code dyno} (no pool; its metrics time every call), {@code
 *       resilience4j} (a semaphore {@code Bulkhead}) and {@code failsafe} (a {@code Bulkhead} of
 *       permits); and {@code resilience4jMicrometer}, the composition a Resilience4j user writes to
 *       get what dyno's gives: the same {@code Decorators} with a Micrometer {@code Timer} (a
 *       percentile histogram and two percentiles, as in {@code MetricsBenchmark}) timing each
 *       attempt inside the retry, as dyno's metrics do.
 *   <li>On a pool, the caller waiting for the result: {@code dynoPool} ({@code pool(4)}, its own
 *       threads), {@code resilience4jThreadPool} (a {@code ThreadPoolBulkhead} of 4 threads) and
 *       {@code failsafeAsync} ({@code getAsync} on a 4-thread executor behind a bulkhead of 4).
 *   <li>What a hedge adds to an attempt that needs none: {@code dynoSameThread} and {@code
 *       dynoSameThreadHedged}, the same service on an executor that runs the attempt within {@code
 *       execute}, without and with {@code Hedge.afterPercentile(95)}.
 * </ul>
 *
 * <p>Two floors, for what any composition with exact metrics must do per call: {@code rawTimed},
 * the work between two clock reads (a latency needs both), and {@code rawTimedCounted}, the same
 * with an exact in-flight count, one shared word that every call increments and decrements.
 *
 * <p>Run: {@code dyno-benchmarks/bench ServiceBenchmark -prof gc}, and again with {@code -t 2}.
 *
 * <p>Thread safety: one instance is shared by all benchmark threads ({@link Scope#Benchmark}), so
 * that {@code -t 2} measures two threads calling one service, as in an application.
 */
@State(Scope.Benchmark)
public class ServiceBenchmark extends Comparison {

  private static final int POOL = 4;

  // ---------------------------------------------------------------- dyno

  private final Service<Object> dyno =
      Service.builder("benchmark", WORK)
          .retry(Retry.of("benchmark", 3))
          .breaker(Breaker.builder("benchmark").build())
          .metrics(Metrics.of("benchmark"))
          .build();

  private final Service<Object> dynoPool =
      Service.builder("benchmark", WORK)
          .pool(POOL)
          .retry(Retry.of("benchmark", 3))
          .breaker(Breaker.builder("benchmark").build())
          .metrics(Metrics.of("benchmark"))
          .build();

  /**
   * An executor that runs the attempt on the caller's thread within {@code execute}: the first copy
   * has answered before the caller waits, so that what a configured hedge adds to an attempt that
   * needs none is the whole difference between the two services below.
   */
  private static final Executor SAME_THREAD = Runnable::run;

  private final Service<Object> dynoSameThread =
      Service.builder("benchmark", WORK)
          .executor(SAME_THREAD)
          .retry(Retry.of("benchmark", 3))
          .breaker(Breaker.builder("benchmark").build())
          .metrics(Metrics.of("benchmark"))
          .build();

  private final Service<Object> dynoSameThreadHedged =
      Service.builder("benchmark", WORK)
          .executor(SAME_THREAD)
          .retry(Retry.of("benchmark", 3))
          .breaker(Breaker.builder("benchmark").build())
          .metrics(Metrics.of("benchmark"))
          .hedge(Hedge.afterPercentile(95))
          .build();

  /** The in-flight count of {@link #rawTimedCounted}, shared by all benchmark threads. */
  private final AtomicLong inFlight = new AtomicLong();

  // ---------------------------------------------------------------- Resilience4j

  private final Callable<Object> resilience4j =
      Decorators.ofCallable(WORK)
          .withBulkhead(Bulkhead.of("benchmark", BulkheadConfig.ofDefaults()))
          .withCircuitBreaker(CircuitBreaker.ofDefaults("benchmark"))
          .withRetry(resilience4jRetry())
          .decorate();

  private final Timer micrometer =
      Timer.builder("benchmark")
          .publishPercentileHistogram()
          .publishPercentiles(0.5, 0.99)
          .register(new SimpleMeterRegistry());

  // The timer is read only once the benchmark runs, after construction (see below).
  @SuppressWarnings("this-escape")
  private final Callable<Object> resilience4jMicrometer =
      Decorators.ofCallable(() -> micrometer.recordCallable(WORK))
          .withBulkhead(Bulkhead.of("benchmark", BulkheadConfig.ofDefaults()))
          .withCircuitBreaker(CircuitBreaker.ofDefaults("benchmark"))
          .withRetry(resilience4jRetry())
          .decorate();

  private final ScheduledExecutorService resilience4jScheduler =
      Executors.newSingleThreadScheduledExecutor();

  private final ThreadPoolBulkhead resilience4jPool =
      ThreadPoolBulkhead.of(
          "benchmark",
          ThreadPoolBulkheadConfig.custom()
              .coreThreadPoolSize(POOL)
              .maxThreadPoolSize(POOL)
              .queueCapacity(POOL)
              .build());

  // The supplier is called only once the benchmark runs, after construction (javac 21+'s
  // this-escape lint cannot see that; JMH subclasses this state class).
  @SuppressWarnings("this-escape")
  private final Supplier<java.util.concurrent.CompletionStage<Object>> resilience4jThreadPool =
      Decorators.ofSupplier(Comparison::work)
          .withThreadPoolBulkhead(resilience4jPool)
          .withCircuitBreaker(CircuitBreaker.ofDefaults("benchmark"))
          .withRetry(resilience4jRetry(), resilience4jScheduler)
          .decorate();

  // ---------------------------------------------------------------- Failsafe

  private final FailsafeExecutor<Object> failsafe =
      Failsafe.with(
          RetryPolicy.builder().withMaxAttempts(3).handle(Exception.class).build(),
          dev.failsafe.CircuitBreaker.ofDefaults(),
          dev.failsafe.Bulkhead.of(25));

  private final ExecutorService failsafePool = Executors.newFixedThreadPool(POOL);

  private final FailsafeExecutor<Object> failsafeAsync =
      Failsafe.with(
              RetryPolicy.<Object>builder().withMaxAttempts(3).handle(Exception.class).build(),
              dev.failsafe.CircuitBreaker.<Object>ofDefaults(),
              dev.failsafe.Bulkhead.<Object>of(POOL))
          .with(failsafePool);

  private static io.github.resilience4j.retry.Retry resilience4jRetry() {
    return io.github.resilience4j.retry.Retry.of(
        "benchmark", RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ZERO).build());
  }

  /** Stops the pools. */
  @TearDown
  public void stop() throws Exception {
    dynoPool.close();
    dynoSameThread.close();
    dynoSameThreadHedged.close();
    resilience4jPool.close();
    resilience4jScheduler.shutdownNow();
    failsafePool.shutdownNow();
  }

  /** The work alone. */
  @Benchmark
  public Object raw() throws Exception {
    return WORK.call();
  }

  /** The floor of a timed call: the work between two clock reads, the difference kept. */
  @Benchmark
  public long rawTimed() throws Exception {
    long start = System.nanoTime();
    Object result = WORK.call();
    return System.nanoTime() - start + (result == RESULT ? 0 : 1);
  }

  /** The floor with an exact in-flight count: one shared word written twice per call. */
  @Benchmark
  public long rawTimedCounted() throws Exception {
    long start = System.nanoTime();
    inFlight.incrementAndGet();
    Object result = WORK.call();
    inFlight.decrementAndGet();
    return System.nanoTime() - start + (result == RESULT ? 0 : 1);
  }

  /** Dyno: retry, breaker and metrics on the caller's thread. */
  @Benchmark
  public Object dyno() throws Exception {
    return dyno.call();
  }

  /** Resilience4j: retry, circuit breaker and a semaphore bulkhead. */
  @Benchmark
  public Object resilience4j() throws Exception {
    return resilience4j.call();
  }

  /** Resilience4j as above, each attempt timed by a Micrometer {@code Timer}. */
  @Benchmark
  public Object resilience4jMicrometer() throws Exception {
    return resilience4jMicrometer.call();
  }

  /** Failsafe: retry, circuit breaker and bulkhead. */
  @Benchmark
  public Object failsafe() {
    return failsafe.get(Comparison::work);
  }

  /** Dyno on its own pool of 4 threads, the caller waiting. */
  @Benchmark
  public Object dynoPool() throws Exception {
    return dynoPool.call();
  }

  /** Dyno on an executor that runs the attempt within {@code execute}: no thread hand-off. */
  @Benchmark
  public Object dynoSameThread() throws Exception {
    return dynoSameThread.call();
  }

  /** The same with {@code Hedge.afterPercentile(95)}: its first copy has always answered. */
  @Benchmark
  public Object dynoSameThreadHedged() throws Exception {
    return dynoSameThreadHedged.call();
  }

  /** Resilience4j with a thread-pool bulkhead of 4 threads, the caller waiting. */
  @Benchmark
  public Object resilience4jThreadPool() {
    return resilience4jThreadPool.get().toCompletableFuture().join();
  }

  /** Failsafe asynchronously on a 4-thread executor, the caller waiting. */
  @Benchmark
  public Object failsafeAsync() {
    return failsafeAsync.getAsync(Comparison::work).join();
  }
}
