package io.dyno.benchmarks;

import io.dyno.aspect.Aspect;
import io.dyno.aspect.Chaos;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * Blackhole.consumeCPU(10)}) called as a plain function, through an aspect with no filters, through
 * one with a before and an after filter, through one with an around filter that passes the call on,
 * and through ones with a {@link Chaos} latency filter that injects nothing: switched off, or at
 * rate 0.
 *
 * <p>The difference between {@code raw} and {@code noFilters} is what an aspect costs a call when
 * nothing is installed on it: one volatile read and one more call. The filters in {@code
 * beforeAndAfter} return what they are given, so the difference from {@code noFilters} is the
 * pipeline's own cost per filter. {@code aroundPassThrough} is the cost of an around stage; {@code
 * chaosDisabled} and {@code chaosRateZero} add what a chaos filter costs a call it lets through:
 * one read of its switch, a comparison of its rate and one count. Functions and filters are built
 * once, in fields, so that {@code -prof gc} shows only what a call itself allocates.
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
  private final Aspect<Integer, Integer> aroundPassThrough =
      Aspect.of("around", AspectBenchmark::work);
  private final Aspect<Integer, Integer> chaosDisabled = Aspect.of("off", AspectBenchmark::work);
  private final Aspect<Integer, Integer> chaosRateZero = Aspect.of("zero", AspectBenchmark::work);

  /** The switch of {@code chaosDisabled}'s latency filter: off for the whole run. */
  private final AtomicBoolean chaosOn = new AtomicBoolean(false);

  /** Creates a benchmark state, installing the filters of each aspect. */
  public AspectBenchmark() {
    beforeAndAfter.before(arg -> arg);
    beforeAndAfter.after((arg, result) -> result);
    aroundPassThrough.around((arg, next) -> next.apply(arg));
    chaosDisabled.around(
        Chaos.<Integer, Integer>latency(1, Duration.ofSeconds(1)).enabled(chaosOn::get));
    chaosRateZero.around(Chaos.latency(0, Duration.ofSeconds(1)));
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

  /**
   * Returns the work's result through an aspect with one around filter that calls {@code next}.
   *
   * @return the result
   */
  @Benchmark
  public Integer aroundPassThrough() {
    return aroundPassThrough.apply(ARG);
  }

  /**
   * Returns the work's result through an aspect with a chaos latency filter whose switch is off.
   *
   * @return the result
   */
  @Benchmark
  public Integer chaosDisabled() {
    return chaosDisabled.apply(ARG);
  }

  /**
   * Returns the work's result through an aspect with an enabled chaos latency filter at rate 0.
   *
   * @return the result
   */
  @Benchmark
  public Integer chaosRateZero() {
    return chaosRateZero.apply(ARG);
  }
}
