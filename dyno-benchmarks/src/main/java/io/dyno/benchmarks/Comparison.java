package io.dyno.benchmarks;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the side-by-side benchmarks share: JMH's settings and the work every library guards. A new
 * comparison is a subclass with a {@code @State}, each library built once in a field, and one
 * {@code @Benchmark} method per library around {@link #WORK}:
 *
 * <pre>{@code
 * @State(Scope.Benchmark)
 * public class LimiterBenchmark extends Comparison {
 *   private final Callable<Object> dyno = Limiter.of("benchmark", 64).decorateCallable(WORK);
 *
 *   @Benchmark
 *   public Object dyno() throws Exception {
 *     return dyno.call();
 *   }
 * }
 * }</pre>
 *
 * <p>The settings: average time in nanoseconds, one fork on a fixed 1 GB heap (so that a run does
 * not also measure heap resizing), four warm-up and five measured iterations of a second each. A
 * subclass's own JMH annotations replace these.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class Comparison {

  /** The tokens of CPU work each call burns, through {@link Blackhole#consumeCPU(long)}. */
  protected static final int TOKENS = 10;

  /** What the work returns. */
  protected static final Object RESULT = new Object();

  /** What a benchmark returns for a call the library refused: the refusal is what it measures. */
  protected static final Object REJECTED = new Object();

  /** The work every library guards; it captures nothing, so calling it allocates nothing. */
  protected static final Callable<Object> WORK = Comparison::work;

  /** Creates the state; subclasses build what they compare once, in fields. */
  protected Comparison() {}

  /**
   * Burns {@link #TOKENS} of CPU and returns {@link #RESULT}: the work, for a library that takes a
   * {@code Supplier} ({@code Comparison::work}).
   *
   * @return {@link #RESULT}
   */
  protected static Object work() {
    Blackhole.consumeCPU(TOKENS);
    return RESULT;
  }

  /**
   * Returns an exception without a stack trace, to be made once and thrown by failing work, so that
   * creating exceptions is not what is measured.
   *
   * @param message its message
   * @return the exception
   */
  protected static IllegalStateException stackless(String message) {
    return new IllegalStateException(message, null) {
      private static final long serialVersionUID = 1L;

      @Override
      public Throwable fillInStackTrace() {
        return this;
      }
    };
  }
}
