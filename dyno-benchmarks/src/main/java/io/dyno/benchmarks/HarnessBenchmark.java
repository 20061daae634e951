package io.dyno.benchmarks;

import io.dyno.harness.Harness;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * A JMH benchmark that times the success path of a {@link Harness}: the same small piece of work
 * ({@code Blackhole.consumeCPU(10)}) called directly, through {@link Harness#call}, through {@link
 * Harness#get}, and through a supplier made once by {@link Harness#decorateSupplier}.
 *
 * <p>The work never fails, so the harness's capture machinery never runs: the difference from
 * {@code raw} is the whole cost a harness adds to a call that succeeds. The lambdas handed to the
 * harness are built once, in fields, and capture nothing, so that {@code -prof gc} shows only what
 * the harness itself allocates per call, which should be nothing.
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
public class HarnessBenchmark {

  /** The tokens of CPU work each call burns, through {@link Blackhole#consumeCPU(long)}. */
  public static final long WORK = 10;

  /** What the work returns: a constant, so that returning it allocates nothing. */
  private static final Integer RESULT = 42;

  private final Harness harness = Harness.of("benchmark");
  private final Callable<Integer> callable = HarnessBenchmark::work;
  private final Supplier<Integer> supplier = HarnessBenchmark::work;
  private final Supplier<Integer> decorated = harness.decorateSupplier(HarnessBenchmark::work);

  /** Creates a benchmark state. */
  public HarnessBenchmark() {}

  /** The work every benchmark does: a fixed amount of CPU, then a constant. */
  private static Integer work() {
    Blackhole.consumeCPU(WORK);
    return RESULT;
  }

  /**
   * Returns the work's result, called directly: the baseline.
   *
   * @return the result
   */
  @Benchmark
  public Integer raw() {
    return work();
  }

  /**
   * Returns the work's result through {@code harness.call(callable)}.
   *
   * @return the result
   * @throws Exception never: the work does not fail
   */
  @Benchmark
  public Integer call() throws Exception {
    return harness.call(callable);
  }

  /**
   * Returns the work's result through {@code harness.get(supplier)}.
   *
   * @return the result
   */
  @Benchmark
  public Integer get() {
    return harness.get(supplier);
  }

  /**
   * Returns the work's result through a supplier decorated once, at setup.
   *
   * @return the result
   */
  @Benchmark
  public Integer decorateSupplier() {
    return decorated.get();
  }
}
