package io.dyno.benchmarks;

import com.google.common.base.Stopwatch;
import io.dyno.timing.Timing;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A JMH benchmark that times recording one named interval three ways: a span of a running {@link
 * Timing}, a Guava {@link Stopwatch} whose elapsed time goes into a list, and the bookkeeping of
 * Spring's {@code StopWatch} (a name and a start read on {@code start}, a task info appended to a
 * list on {@code stop}); and a whole request's timing, to show what a finished timing holds.
 *
 * <p>Every interval reads the clock twice, as all three must, so {@code nanoTimePair} (two {@link
 * System#nanoTime()} calls and nothing else) is the floor. Each invocation of the interval
 * benchmarks records {@value #INTERVALS} intervals into fresh bookkeeping, as one request would,
 * and JMH divides by that count: the score is per interval, and memory stays bounded however long
 * the run. With {@code -prof gc}, {@code gc.alloc.rate.norm} is likewise bytes per interval.
 *
 * <p>{@code request} starts a timing, opens {@link Request#spans} nested spans with a mark at the
 * second and the last level, closes them innermost first, and stops the timing; its {@code
 * gc.alloc.rate.norm} is the size of one finished timing, which grows with its events and nothing
 * else.
 *
 * <p>Not thread-safe: JMH gives each trial its own instance.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// A fixed heap, so that a run does not also measure heap resizing.
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
public class TimingBenchmark {

  /** The intervals each invocation of an interval benchmark records, one request's worth. */
  public static final int INTERVALS = 100;

  /** The name of every interval: a constant, so that naming allocates nothing. */
  private static final String NAME = "db";

  /** Creates a benchmark state. */
  public TimingBenchmark() {}

  /**
   * Returns the difference of two {@code System.nanoTime()} readings: the clock reads that every
   * interval needs, and nothing else.
   *
   * @return the difference, in nanoseconds
   */
  @Benchmark
  public long nanoTimePair() {
    long start = System.nanoTime();
    return System.nanoTime() - start;
  }

  /**
   * Records {@value #INTERVALS} intervals as spans of one running {@code Timing}: each opened by
   * {@code interval(name)} and closed by {@code stop()}.
   *
   * @return the timing, holding the intervals
   */
  @Benchmark
  @OperationsPerInvocation(INTERVALS)
  public Timing dyno() {
    Timing timing = Timing.start("request");
    for (int i = 0; i < INTERVALS; i++) {
      timing.interval(NAME).stop();
    }
    return timing;
  }

  /**
   * Records {@value #INTERVALS} intervals with Guava's {@code Stopwatch}: one started per interval,
   * stopped, and its elapsed nanoseconds added to a list.
   *
   * @return the list of elapsed times
   */
  @Benchmark
  @OperationsPerInvocation(INTERVALS)
  public List<Long> guavaStopwatch() {
    List<Long> elapsed = new ArrayList<>();
    for (int i = 0; i < INTERVALS; i++) {
      Stopwatch stopwatch = Stopwatch.createStarted();
      stopwatch.stop();
      elapsed.add(stopwatch.elapsed(TimeUnit.NANOSECONDS));
    }
    return elapsed;
  }

  /**
   * Records {@value #INTERVALS} intervals with Spring's {@code StopWatch} bookkeeping, one task
   * after another.
   *
   * @return the stop watch, holding the task infos
   */
  @Benchmark
  @OperationsPerInvocation(INTERVALS)
  public SpringStyleStopWatch springStyle() {
    SpringStyleStopWatch stopWatch = new SpringStyleStopWatch("request");
    for (int i = 0; i < INTERVALS; i++) {
      stopWatch.start(NAME);
      stopWatch.stop();
    }
    return stopWatch;
  }

  /**
   * Times a whole request: starts a timing, opens {@code spans} nested spans with two marks, closes
   * them innermost first and stops the timing.
   *
   * @param request the request's shape
   * @return the finished timing
   */
  @Benchmark
  public Timing request(Request request) {
    int spans = request.spans;
    Timing timing = Timing.start("request");
    Timing.Span[] open = new Timing.Span[spans];
    for (int i = 0; i < spans; i++) {
      open[i] = timing.interval(NAME);
      if (i == 1 || i == spans - 1) {
        timing.mark("mark");
      }
    }
    for (int i = spans - 1; i >= 0; i--) {
      open[i].stop();
    }
    timing.stop();
    return timing;
  }

  /** The shape of the request that {@link #request(Request)} times. */
  @State(Scope.Thread)
  public static class Request {

    /** How many nested spans the request opens; it always records two marks besides. */
    @Param({"10", "100"})
    public int spans;

    /** Creates a request shape; JMH sets {@link #spans}. */
    public Request() {}
  }

  /**
   * The bookkeeping of Spring Framework 6's {@code org.springframework.util.StopWatch}, without the
   * dependency: {@code start(name)} keeps the name and a {@code nanoTime()} reading, {@code stop()}
   * adds the elapsed time to the total and appends a {@link TaskInfo} to a list. Tasks run one at a
   * time; it cannot nest.
   *
   * <p>Not thread-safe, as Spring's is not.
   */
  public static final class SpringStyleStopWatch {

    private final String id;
    private final List<TaskInfo> taskList = new ArrayList<>(1);
    private @Nullable String currentTaskName;
    private long startTimeNanos;
    private long totalTimeNanos;
    private int taskCount;
    private @Nullable TaskInfo lastTaskInfo;

    /**
     * Creates a stop watch.
     *
     * @param id the stop watch's name
     */
    public SpringStyleStopWatch(String id) {
      this.id = id;
    }

    /**
     * Starts a task.
     *
     * @param taskName the task's name
     * @throws IllegalStateException if a task is running
     */
    public void start(String taskName) {
      if (currentTaskName != null) {
        throw new IllegalStateException(id + ": can't start StopWatch: it's already running");
      }
      currentTaskName = taskName;
      startTimeNanos = System.nanoTime();
    }

    /**
     * Stops the running task and records it.
     *
     * @throws IllegalStateException if no task is running
     */
    public void stop() {
      String name = currentTaskName;
      if (name == null) {
        throw new IllegalStateException(id + ": can't stop StopWatch: it's not running");
      }
      long lastTime = System.nanoTime() - startTimeNanos;
      totalTimeNanos += lastTime;
      lastTaskInfo = new TaskInfo(name, lastTime);
      taskList.add(lastTaskInfo);
      ++taskCount;
      currentTaskName = null;
    }

    /**
     * Returns the tasks recorded so far.
     *
     * @return the task infos, in order
     */
    public List<TaskInfo> taskInfo() {
      return taskList;
    }

    /**
     * Returns the summed time of the tasks, with their count, for a quick look.
     *
     * @return a summary
     */
    @Override
    public String toString() {
      return id + ": " + taskCount + " tasks, " + totalTimeNanos + " ns, last " + lastTaskInfo;
    }
  }

  /**
   * One task of a {@link SpringStyleStopWatch}.
   *
   * @param taskName the task's name
   * @param timeNanos how long it ran
   */
  public record TaskInfo(String taskName, long timeNanos) {}
}
