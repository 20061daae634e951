package io.dyno.benchmarks;

import io.dyno.utils.Stats;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A JMH benchmark that times one percentile of a million doubles computed three ways: by {@link
 * Stats#percentile(double[], double)}, by Apache Commons Math's {@link
 * DescriptiveStatistics#getPercentile(double)}, and by the sort-a-copy code users write by hand.
 *
 * <p>All three read the same seeded data, and none may change it: each call copies the values
 * before selecting or sorting, as it would in an application that keeps the samples. Commons Math
 * estimates with its legacy definition by default rather than the linear interpolation (Hyndman and
 * Fan type 7) that the other two use, so its answers differ slightly; the work it does is the same.
 *
 * <p>Thread safety: one instance is shared by all benchmark threads of a trial ({@code -t N}) and
 * is read-only after {@link #setUp()}, except that {@code getPercentile} stores the requested
 * quantile in Commons Math's shared estimator before each call, a benign race here because every
 * thread stores the same value.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// A fixed heap, so that a run does not also measure heap resizing.
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class PercentileBenchmark {

  /** The number of values every benchmark works on. */
  public static final int SIZE = 1_000_000;

  /**
   * The seed of the generator that draws the values, fixed so that every run sees the same data.
   */
  public static final long SEED = 0x5EED_D1A0L;

  /** The percentile to compute, in [0, 100]. */
  @Param({"50", "99"})
  public double percentile;

  @SuppressWarnings("NullAway.Init") // JMH calls setUp() before any benchmark method.
  private double[] data;

  @SuppressWarnings("NullAway.Init") // JMH calls setUp() before any benchmark method.
  private DescriptiveStatistics commonsMath;

  /** Creates a benchmark state; JMH calls {@link #setUp()} before measuring it. */
  public PercentileBenchmark() {}

  /** Draws the values and loads them into a {@code DescriptiveStatistics}, once per trial. */
  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(SEED);
    data = new double[SIZE];
    // An unbounded window, as a user keeps one: it holds every value added.
    commonsMath = new DescriptiveStatistics();
    for (int i = 0; i < SIZE; i++) {
      data[i] = random.nextDouble();
      commonsMath.addValue(data[i]);
    }
  }

  /**
   * Returns the percentile from {@code Stats.percentile}, which selects on a copy of the data.
   *
   * @return the percentile of the data
   */
  @Benchmark
  public double dyno() {
    return Stats.percentile(data, percentile);
  }

  /**
   * Returns the percentile from {@code DescriptiveStatistics.getPercentile}, which selects on a
   * copy of the values it holds.
   *
   * @return the percentile of the data, by Commons Math's default estimation
   */
  @Benchmark
  public double commonsMath() {
    return commonsMath.getPercentile(percentile);
  }

  /**
   * Returns the percentile the way it is often written by hand: sort a copy, then interpolate
   * between the two nearest ranks.
   *
   * @return the percentile of the data
   */
  @Benchmark
  public double sortCopy() {
    double[] sorted = data.clone();
    Arrays.sort(sorted);
    double rank = percentile / 100 * (sorted.length - 1);
    int below = (int) rank;
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }
}
