package io.dyno.benchmarks;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.dyno.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

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
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class RetryBenchmark {

  /** Thrown by the failing work; made once per thread and without a stack trace. */
  private final IllegalStateException failure =
      new IllegalStateException("benchmark failure", null) {
        private static final long serialVersionUID = 1L;

        @Override
        public Throwable fillInStackTrace() {
          return this;
        }
      };

  private final Retry dyno = Retry.of("benchmark", 3);

  private final io.github.resilience4j.retry.Retry resilience4j =
      io.github.resilience4j.retry.Retry.of(
          "benchmark", RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ZERO).build());

  private final FailsafeExecutor<Object> failsafe = // no delay is Failsafe's default
      Failsafe.with(RetryPolicy.builder().withMaxAttempts(3).handle(Exception.class).build());

  private int attempts;

  private final Callable<Object> succeeding =
      () -> {
        Blackhole.consumeCPU(10);
        return this;
      };

  private final Callable<Object> twoFailures =
      () -> {
        Blackhole.consumeCPU(10);
        if (++attempts % 3 != 0) {
          throw failure;
        }
        return this;
      };

  private final Callable<Object> dynoFirstAttempt = dyno.decorateCallable(succeeding);
  private final Callable<Object> dynoTwoFailures = dyno.decorateCallable(twoFailures);
  private final Callable<Object> resilience4jFirstAttempt =
      io.github.resilience4j.retry.Retry.decorateCallable(resilience4j, succeeding);
  private final Callable<Object> resilience4jTwoFailures =
      io.github.resilience4j.retry.Retry.decorateCallable(resilience4j, twoFailures);

  /** Creates the state; the retries are built once per trial, as an application builds them. */
  public RetryBenchmark() {}

  /** The work alone. */
  @Benchmark
  public Object rawFirstAttempt() throws Exception {
    return succeeding.call();
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
    return failsafe.get(succeeding::call);
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
