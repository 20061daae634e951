package io.dyno.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.dyno.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH benchmark of the retry path side by side with Resilience4j's {@code Retry} and Failsafe's
 * {@code RetryPolicy}, all doing the same work ({@code Blackhole.consumeCPU(10)}), configured alike
 * (3 attempts, no wait, every exception retried) and decorated once, outside the measured code.
 *
 * <ul>
 *   <li>{@code *FirstAttempt}: the work succeeds at once, the case that runs millions of times.
 *   <li>{@code *TwoFailures}: the work fails twice, then succeeds: the retry machinery itself, with
 *       a preallocated exception so that exception creation is not what is measured.
 * </ul>
 *
 * <p>Thread safety: each benchmark thread has its own instance ({@link Scope#Thread}), since the
 * failing work counts its attempts.
 */
@State(Scope.Thread)
public class RetryBenchmark extends Comparison {

  /** Thrown by the failing work; made once per thread and without a stack trace. */
  private final IllegalStateException failure = stackless("benchmark failure");

  private final Retry dyno = Retry.of("benchmark", 3);

  private final io.github.resilience4j.retry.Retry resilience4j =
      io.github.resilience4j.retry.Retry.of(
          "benchmark", RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ZERO).build());

  private final FailsafeExecutor<Object> failsafe = // no delay is Failsafe's default
      Failsafe.with(RetryPolicy.builder().withMaxAttempts(3).handle(Exception.class).build());

  private int attempts;

  private final Callable<Object> twoFailures =
      () -> {
        if (++attempts % 3 != 0) {
          work();
          throw failure;
        }
        return work();
      };

  private final Callable<Object> dynoFirstAttempt = dyno.decorateCallable(WORK);
  private final Callable<Object> dynoTwoFailures = dyno.decorateCallable(twoFailures);
  private final Callable<Object> resilience4jFirstAttempt =
      io.github.resilience4j.retry.Retry.decorateCallable(resilience4j, WORK);
  private final Callable<Object> resilience4jTwoFailures =
      io.github.resilience4j.retry.Retry.decorateCallable(resilience4j, twoFailures);

  /** Creates the state; the retries are built once per trial, as an application builds them. */
  public RetryBenchmark() {}

  /** The work alone. */
  @Benchmark
  public Object rawFirstAttempt() throws Exception {
    return WORK.call();
  }

  /** Dyno, first attempt succeeds. */
  @Benchmark
  public Object dynoFirstAttempt() throws Exception {
    return dynoFirstAttempt.call();
  }

  /** Resilience4j, first attempt succeeds. */
  @Benchmark
  public Object resilience4jFirstAttempt() throws Exception {
    return resilience4jFirstAttempt.call();
  }

  /** Failsafe, first attempt succeeds. */
  @Benchmark
  public Object failsafeFirstAttempt() {
    return failsafe.get(Comparison::work);
  }

  /** The work alone, three times, catching the two failures by hand. */
  @Benchmark
  public Object rawTwoFailures() throws Exception {
    for (int i = 0; ; i++) {
      try {
        return twoFailures.call();
      } catch (IllegalStateException e) {
        if (i == 2) {
          throw e;
        }
      }
    }
  }

  /** Dyno, two failures then success. */
  @Benchmark
  public Object dynoTwoFailures() throws Exception {
    return dynoTwoFailures.call();
  }

  /** Resilience4j, two failures then success. */
  @Benchmark
  public Object resilience4jTwoFailures() throws Exception {
    return resilience4jTwoFailures.call();
  }

  /** Failsafe, two failures then success. */
  @Benchmark
  public Object failsafeTwoFailures() {
    return failsafe.get(twoFailures::call);
  }
}
