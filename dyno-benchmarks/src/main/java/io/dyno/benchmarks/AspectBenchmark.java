package io.dyno.benchmarks;

import io.dyno.aspect.Aspect;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * A JMH benchmark that times a call through an {@link Aspect}: the same small piece of work ({@code
 * Blackhole.consumeCPU(10)}) called as a plain function, through an aspect with no filters, and
 * through an aspect with one before and one after filter.
 *
 * <p>The difference between {@code raw} and {@code noFilters} is what an aspect costs a call when
 * nothing is installed on it: one volatile read and one more call. The filters in {@code
 * beforeAndAfter} return what they are given, so the difference from {@code noFilters} is the
 * pipeline's own cost per filter. Functions and filters are built once, in fields, and capture
 * nothing, so that {@code -prof gc} shows only what the aspect itself allocates per call.
 *
 * <p>Not thread-safe: JMH gives each trial its own instance.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// A fixed heap, so that a run does not also measure heap resizing.
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class AspectBenchmark {

  /** The tokens of CPU work each call burns, through {@link Blackhole#consumeCPU(long)}. */
  public static final long WORK = 10;

  /** The argument of every call: a constant, so that passing it allocates nothing. */
  private static final Integer ARG = 42;

  private final Function<Integer, Integer> raw = AspectBenchmark::work;
  private final Aspect<Integer, Integer> noFilters = Aspect.of("none", AspectBenchmark::work);
  private final Aspect<Integer, Integer> beforeAndAfter = Aspect.of("two", AspectBenchmark::work);

  /** Creates a benchmark state, installing the filters of {@code beforeAndAfter}. */
  public AspectBenchmark() {
    beforeAndAfter.before(arg -> arg);
    beforeAndAfter.after((arg, result) -> result);
  }

  /** The work every benchmark does: a fixed amount of CPU, then its argument. */
  private static Integer work(Integer arg) {
    Blackhole.consumeCPU(WORK);
    return arg;
  }

  /**
   * Returns the work's result through the plain function: the baseline.
   *
   * @return the result
   */
  @Benchmark
  public Integer raw() {
    return raw.apply(ARG);
  }

  /**
   * Returns the work's result through an aspect with no filters.
   *
   * @return the result
   */
  @Benchmark
  public Integer noFilters() {
    return noFilters.apply(ARG);
  }

  /**
   * Returns the work's result through an aspect with one before and one after filter.
   *
   * @return the result
   */
  @Benchmark
  public Integer beforeAndAfter() {
    return beforeAndAfter.apply(ARG);
  }
}
