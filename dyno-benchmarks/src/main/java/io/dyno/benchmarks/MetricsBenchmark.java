package io.dyno.benchmarks;

import com.codahale.metrics.MetricRegistry;
import io.dyno.metrics.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A JMH benchmark of recording one successful timed call, side by side with Micrometer's {@code
 * Timer} (with a percentile histogram), Dropwizard Metrics' {@code Timer} and a bare HdrHistogram
 * {@code Recorder}, all timing the same work ({@code Blackhole.consumeCPU(10)}).
 *
 * <p>Each meter is built once, outside the measured code, and every benchmark reads the time twice
 * around the work, as a timer must. The state is shared ({@link Scope#Benchmark}), so that {@code
 * -t 2} measures two threads recording into the same instance, as the threads of a service do.
 *
 * <p>Thread safety: every field is thread-safe or immutable.
 */
@State(Scope.Benchmark)
public class MetricsBenchmark extends Comparison {

  private final Metrics dyno = Metrics.of("benchmark");

  private final Timer micrometer =
      Timer.builder("benchmark")
          .publishPercentileHistogram()
          .publishPercentiles(0.5, 0.99)
          .register(new SimpleMeterRegistry());

  private final com.codahale.metrics.Timer dropwizard = new MetricRegistry().timer("benchmark");

  /** One recorder shared by every thread, the way a single HdrHistogram is usually shared. */
  private final Recorder hdr = new Recorder(3);

  /** Creates the state; the meters are built once per trial, as an application builds them. */
  public MetricsBenchmark() {}

  /** The work alone. */
  @Benchmark
  public Object raw() throws Exception {
    return WORK.call();
  }

  /** Dyno {@code Metrics.call}: counts, in-flight and latency. */
  @Benchmark
  public Object dyno() throws Exception {
    return dyno.call(WORK);
  }

  /** Micrometer {@code Timer.recordCallable}, with a percentile histogram and two percentiles. */
  @Benchmark
  public Object micrometer() throws Exception {
    return micrometer.recordCallable(WORK);
  }

  /** Dropwizard Metrics {@code Timer.time(Callable)}. */
  @Benchmark
  public Object dropwizard() throws Exception {
    return dropwizard.time(WORK);
  }

  /** A bare HdrHistogram {@code Recorder}, shared, timing the work by hand. */
  @Benchmark
  public Object hdrRecorder() throws Exception {
    long start = System.nanoTime();
    Object result = WORK.call();
    hdr.recordValue(System.nanoTime() - start);
    return result;
  }
}
