package io.dyno.metrics;

import io.dyno.metrics.internal.CallTimer;
import io.dyno.metrics.internal.Durations;
import io.dyno.metrics.internal.LatencySummary;
import io.dyno.metrics.internal.Names;
import io.dyno.metrics.internal.RollingCounts;
import io.dyno.metrics.internal.RollingLatency;
import io.dyno.metrics.internal.hdr.Histogram;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Times and counts the calls that pass through it: successes, failures by type, timeouts,
 * short-circuits and rejections, the calls in flight and their peak, and latency percentiles, over
 * rolling windows that decay to zero when idle.
 *
 * <pre>{@code
 * Metrics payments = Metrics.of("payments"); // counts over 10 s, latency over 60 s
 * Quote q = payments.call(() -> quotes.fetch());
 * MetricsSnapshot s = payments.snapshot();
 * log.info("{} calls, {}% errors, p99 {}", s.requests(), s.errorPercentage(), s.latencyP99());
 * }</pre>
 *
 * <p><b>What is recorded.</b> The verbs ({@link #call}, {@link #get}, {@link #run}, the {@code
 * decorate} methods and {@link #callAsync}) count a call in flight while it runs, then a success,
 * or a failure of the thrown type, and its latency. Failures leave unchanged, the same instance,
 * {@link Error}s included. Composites that decide outcomes themselves (a timeout, say) time a call
 * with {@link #start()} and end its {@link Sample} once. {@link #recordShortCircuit()} and {@link
 * #recordRejection()} count calls that never ran.
 *
 * <p><b>Misuse.</b> Refused at the call, before anything is counted: a sample ended a second time
 * throws {@link IllegalStateException} naming the metric and the first outcome, and a null failure
 * throws {@link NullPointerException}. A snapshot never throws because of how calls were timed.
 *
 * <p><b>Windows.</b> Counts, failures by type and the in-flight peak cover the last {@code window}
 * (default 10 s in 10 buckets); latencies the last {@code latencyWindow} (default 60 s in 6
 * buckets). A window rolls a bucket at a time: a bucket's values leave it all at once, a bucket's
 * width after the window has passed them, so a service that stops being called reads zero within
 * one window.
 *
 * <p><b>Cost.</b> A successful call reads the ticker twice and allocates nothing. Recording takes
 * no lock and never waits for a reader: counts go to striped adders, latencies to striped
 * HdrHistogram recorders, and only the in-flight count is one shared atomic word. (The first time a
 * recorder meets a latency its packed storage has no room for, HdrHistogram grows the storage under
 * a short internal lock.)
 *
 * <p>Thread-safe: one instance serves any number of concurrent calls and readers.
 */
public final class Metrics {

  private static final LongSupplier SYSTEM_TICKER = System::nanoTime;

  private final String name;
  private final Duration window;
  private final int windowBuckets;
  private final Duration latencyWindow;
  private final int latencyBuckets;
  private final LongSupplier ticker;
  private final Clock clock;
  private final RollingCounts counts;
  private final RollingLatency latency;
  private final CallTimer timer;

  /** Who reports the status of what guards these calls, if anyone. */
  private final AtomicReference<@Nullable StatusReport> statusReport = new AtomicReference<>();

  /**
   * The percentiles map of the last latency summary read, so that a window that has not changed (a
   * summary the latency window hands back again) is not turned into a map again. Racy by design: a
   * reader that finds another summary here builds the map itself.
   */
  private volatile @Nullable Percentiles lastPercentiles;

  /** A latency summary and the snapshot map made from it. */
  private record Percentiles(LatencySummary summary, SortedMap<Double, Duration> map) {}

  private Metrics(Builder b) {
    this.name = b.name;
    this.window = b.window;
    this.windowBuckets = b.windowBuckets;
    this.latencyWindow = b.latencyWindow;
    this.latencyBuckets = b.latencyBuckets;
    this.ticker = b.ticker;
    this.clock = b.clock;
    long origin = ticker.getAsLong();
    this.counts = new RollingCounts(window.toNanos(), windowBuckets, origin);
    this.latency =
        new RollingLatency(
            latencyWindow.toNanos(), latencyBuckets, origin, RollingLatency.defaultStripes());
    this.timer = new CallTimer(ticker, counts, latency);
  }

  /**
   * Returns metrics with the default windows: counts over 10 seconds in 10 buckets, latencies over
   * 60 seconds in 6 buckets.
   *
   * @param name the name shown in snapshots, not blank
   * @return the metrics
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Metrics of(String name) {
    return builder(name).build();
  }

  /**
   * Returns a builder for metrics with the given name and the default windows until changed.
   *
   * @param name the name shown in snapshots, not blank
   * @return the builder
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  // ---------------------------------------------------------------- execution verbs

  /**
   * Calls {@code callable}, recording its outcome and latency.
   *
   * @param callable the work
   * @param <T> the result type
   * @return the result
   * @throws Exception the work's failure, unchanged
   */
  public <T> T call(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable must not be null");
    long start = timer.begin();
    T result;
    try {
      result = callable.call();
    } catch (Throwable failure) {
      failed(start, failure);
      throw failure;
    }
    timer.success(start);
    return result;
  }

  /**
   * Gets a value from {@code supplier}, recording its outcome and latency.
   *
   * @param supplier the work
   * @param <T> the result type
   * @return the result
   * @throws RuntimeException the work's failure, unchanged
   */
  public <T> T get(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    long start = timer.begin();
    T result;
    try {
      result = supplier.get();
    } catch (Throwable failure) {
      failed(start, failure);
      throw failure;
    }
    timer.success(start);
    return result;
  }

  /**
   * Runs {@code runnable}, recording its outcome and latency.
   *
   * @param runnable the work
   * @throws RuntimeException the work's failure, unchanged
   */
  public void run(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    long start = timer.begin();
    try {
      runnable.run();
    } catch (Throwable failure) {
      failed(start, failure);
      throw failure;
    }
    timer.success(start);
  }

  /**
   * Returns {@code callable} wrapped so that each call is recorded.
   *
   * @param callable the work
   * @param <T> the result type
   * @return the recorded callable
   */
  public <T> Callable<T> decorateCallable(Callable<T> callable) {
    Objects.requireNonNull(callable, "callable must not be null");
    return () -> call(callable);
  }

  /**
   * Returns {@code supplier} wrapped so that each get is recorded.
   *
   * @param supplier the work
   * @param <T> the result type
   * @return the recorded supplier
   */
  public <T> Supplier<T> decorateSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return () -> get(supplier);
  }

  /**
   * Returns {@code runnable} wrapped so that each run is recorded.
   *
   * @param runnable the work
   * @return the recorded runnable
   */
  public Runnable decorateRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    return () -> run(runnable);
  }

  /**
   * Returns {@code function} wrapped so that each application is recorded.
   *
   * @param function the work
   * @param <A> the argument type
   * @param <R> the result type
   * @return the recorded function
   */
  public <A, R> Function<A, R> decorateFunction(Function<A, R> function) {
    Objects.requireNonNull(function, "function must not be null");
    return argument -> {
      long start = timer.begin();
      R result;
      try {
        result = function.apply(argument);
      } catch (Throwable failure) {
        failed(start, failure);
        throw failure;
      }
      timer.success(start);
      return result;
    };
  }

  /**
   * Starts asynchronous work and records its outcome and latency when its stage completes.
   *
   * <p>The returned future completes as the stage does, with the same value or the same failure. A
   * supplier that throws instead of returning a stage is recorded as a failure and the returned
   * future fails with that exception; an {@link Error} is recorded and thrown.
   *
   * @param supplier starts the work
   * @param <T> the result type
   * @return a future with the stage's outcome
   */
  public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    long start = timer.begin();
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Throwable failure) {
      failed(start, failure);
      if (failure instanceof Error error) {
        throw error;
      }
      return CompletableFuture.failedFuture(failure);
    }
    if (stage == null) {
      NullPointerException npe =
          new NullPointerException("Metrics '" + name + "': callAsync supplier returned null");
      failed(start, npe);
      return CompletableFuture.failedFuture(npe);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            timer.success(start);
            result.complete(value);
          } else {
            timer.failure(start, unwrap(failure));
            result.completeExceptionally(failure);
          }
        });
    return result;
  }

  // ---------------------------------------------------------------- composites

  /**
   * Starts timing one call whose outcome the caller reports: the call counts as in flight until its
   * sample ends with one of {@link Sample#success()}, {@link Sample#failure(Throwable)} or {@link
   * Sample#timeout()}. A sample that is never ended leaves the call in flight for good.
   *
   * @return the running sample
   */
  public Sample start() {
    return new Sample(this, timer.begin());
  }

  /** Counts one call refused by an open circuit breaker; it never ran, so it has no latency. */
  public void recordShortCircuit() {
    counts.shortCircuit(ticker.getAsLong());
  }

  /** Counts one call refused for lack of capacity (a full pool or limiter); it never ran. */
  public void recordRejection() {
    counts.rejection(ticker.getAsLong());
  }

  // ---------------------------------------------------------------- status

  /**
   * Makes {@code source} the reporter of this metric's {@linkplain MetricsStatus status}: the state
   * of the circuit breaker and the pool that guard its calls, which dyno-metrics does not know of
   * itself. Every {@link #snapshot()} asks {@code source} once, so it should answer quickly from
   * state it holds; it is never asked on the path of a call. A dyno-service {@code Service} reports
   * its breaker and pool this way; code that guards calls itself may do the same.
   *
   * <p>One owner at a time: closing the returned report stops it, and only then may another owner
   * report. A source that throws, or returns null, makes the snapshot fail as a broken ticker
   * would; a registry leaves the metric out of its reading and logs why.
   *
   * @param source answers the status now
   * @return the report, to close when the owner goes away
   * @throws IllegalStateException if another report of this metric is open, naming the metric
   */
  public StatusReport reportStatus(Supplier<MetricsStatus> source) {
    Objects.requireNonNull(source, "source must not be null");
    StatusReport report = new StatusReport(this, source);
    StatusReport current = statusReport.compareAndExchange(null, report);
    if (current != null) {
      throw new IllegalStateException(
          "Metrics '"
              + name
              + "' already report a status, from "
              + current.source
              + "; close that report first, or give each owner metrics of its own");
    }
    return report;
  }

  /**
   * Asks the reporter for the status now.
   *
   * @return the status, or null when no one reports one
   * @throws NullPointerException if the reporter returns null
   */
  public @Nullable MetricsStatus status() {
    StatusReport report = statusReport.get();
    if (report == null) {
      return null;
    }
    MetricsStatus status = report.source.get();
    if (status == null) {
      throw new NullPointerException(
          "status source " + report.source + " of metrics '" + name + "' returned null");
    }
    return status;
  }

  /**
   * An open report of a metric's status, from {@link #reportStatus}; closing it stops the report,
   * after which snapshots carry no status until another owner reports one.
   *
   * <p>Thread-safe.
   */
  public static final class StatusReport implements AutoCloseable {

    private final Metrics metrics;
    private final Supplier<MetricsStatus> source;

    private StatusReport(Metrics metrics, Supplier<MetricsStatus> source) {
      this.metrics = metrics;
      this.source = source;
    }

    /**
     * Returns whether this report is the one the metric's snapshots read.
     *
     * @return true until closed
     */
    public boolean isOpen() {
      return metrics.statusReport.get() == this;
    }

    /** Stops the report; later calls do nothing. */
    @Override
    public void close() {
      metrics.statusReport.compareAndSet(this, null);
    }

    @Override
    public String toString() {
      return "Metrics.StatusReport[name="
          + metrics.name
          + ", state="
          + (isOpen() ? "OPEN" : "CLOSED")
          + "]";
    }
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads the windows as they are now.
   *
   * @return an immutable snapshot
   */
  public MetricsSnapshot snapshot() {
    return snapshot(null);
  }

  /**
   * Reads the windows as {@link #snapshot()} does and, when {@code latencies} is given, adds the
   * latency window's values to it in the same reading, so that the histogram holds exactly the
   * values the snapshot's latency figures are computed from.
   *
   * @param latencies a histogram at 3 significant digits in nanoseconds, or null
   * @return an immutable snapshot
   */
  MetricsSnapshot snapshot(@Nullable Histogram latencies) {
    long now = ticker.getAsLong();
    Instant time = clock.instant();
    RollingCounts.Counts c = counts.sum(now);
    LatencySummary h =
        latencies == null
            ? latency.summarize(now, MetricsSnapshot.PERCENTILES)
            : latency.summarize(now, MetricsSnapshot.PERCENTILES, latencies);
    return new MetricsSnapshot(
        name,
        time,
        window,
        latencyWindow,
        c.successes(),
        c.failures(),
        c.timeouts(),
        c.shortCircuits(),
        c.rejections(),
        c.inFlight(),
        c.maxInFlight(),
        c.failuresByType(),
        h.count(),
        Duration.ofNanos(Math.round(h.mean())),
        percentiles(h),
        status());
  }

  /**
   * Returns the latency at {@code percentile} over the latency window as it is now: the same
   * values, computed the same way, as {@link #snapshot()} reads for its fixed {@link
   * MetricsSnapshot#PERCENTILES}, so that {@code latencyAt(95)} equals {@code
   * snapshot().latencyPercentile(95)} on the same data; 0 gives the shortest latency and 100 the
   * longest. It does not ask the status source.
   *
   * <p>Not for the call path: each reading takes the latency window's lock and walks its values, as
   * a snapshot does, without reusing a snapshot's work. Read it now and then (to set a hedging
   * delay from the 95th percentile every second, say), not on every call.
   *
   * @param percentile the percentile, in [0, 100]
   * @return the latency, or empty while the window holds no latency
   * @throws IllegalArgumentException if {@code percentile} is NaN or outside [0, 100], naming it
   *     and its value
   */
  public Optional<Duration> latencyAt(double percentile) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], was " + percentile);
    }
    LatencySummary s = latency.summarizeAt(ticker.getAsLong(), List.of(percentile));
    return s.count() == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(s.atPercentile(0)));
  }

  /**
   * Reads the counts and latencies since this metric was created, for exporters whose counters only
   * grow (a Prometheus counter, a Micrometer {@code FunctionCounter}): every success, failure (by
   * type), timeout, short-circuit and rejection counted, and every latency recorded, whether or not
   * the windows still hold it.
   *
   * <p><b>Monotonic.</b> Each count, and each failure type's, never decreases from one reading to
   * the next, so a scraper never mistakes a reading for a counter reset. A call is in the totals
   * once it has ended. One imperfection remains: a recording thread that read the ticker and then
   * stalled for longer than the whole count window, so that its count lands in a bucket that has
   * already left the window and been added to the totals, is lost from them.
   *
   * <p><b>Cost.</b> Nothing on a call's path: a bucket's counts are added to the totals once, when
   * its slot is reused for a newer period, by the thread that replaces it, and a latency bucket's
   * values likewise, under the lock that already rolls the latency window. A reading sums the count
   * buckets and takes the latency lock as a {@link #snapshot()} does, merging the latency buckets'
   * distinct values; it reads the ticker once and does not change what snapshots return.
   *
   * @return the totals so far
   */
  public MetricsTotals totals() {
    long now = ticker.getAsLong();
    RollingCounts.Totals c = counts.totals();
    long[][] l = latency.totals(now);
    return new MetricsTotals(
        name,
        c.successes(),
        c.failures(),
        c.timeouts(),
        c.shortCircuits(),
        c.rejections(),
        c.failuresByType(),
        l[0],
        l[1]);
  }

  /**
   * Returns the ticker a metric reads unless its builder is given another: {@code
   * System::nanoTime}, always the same instance.
   *
   * @return the system ticker
   */
  public static LongSupplier systemTicker() {
    return SYSTEM_TICKER;
  }

  /**
   * Returns the monotonic clock this metric reads, {@link #systemTicker()} unless the builder was
   * given another. A composite that hands this metric's readings to another part (a breaker) checks
   * first that both read the same clock.
   *
   * @return the ticker
   */
  public LongSupplier ticker() {
    return ticker;
  }

  /**
   * Returns the name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns how far back counts, failures by type and the in-flight peak reach.
   *
   * @return the count window
   */
  public Duration window() {
    return window;
  }

  /**
   * Returns the number of buckets the count window rolls by.
   *
   * @return the count window's buckets
   */
  public int windowBuckets() {
    return windowBuckets;
  }

  /**
   * Returns how far back latencies reach.
   *
   * @return the latency window
   */
  public Duration latencyWindow() {
    return latencyWindow;
  }

  /**
   * Returns the number of buckets the latency window rolls by.
   *
   * @return the latency window's buckets
   */
  public int latencyWindowBuckets() {
    return latencyBuckets;
  }

  @Override
  public String toString() {
    return "Metrics[name="
        + name
        + ", window="
        + Durations.format(window)
        + "/"
        + windowBuckets
        + ", latencyWindow="
        + Durations.format(latencyWindow)
        + "/"
        + latencyBuckets
        + "]";
  }

  // ---------------------------------------------------------------- recording

  private SortedMap<Double, Duration> percentiles(LatencySummary summary) {
    Percentiles last = lastPercentiles;
    if (last != null && last.summary() == summary) {
      return last.map();
    }
    SortedMap<Double, Duration> map = MetricsSnapshot.percentilesOf(summary);
    lastPercentiles = new Percentiles(summary, map);
    return map;
  }

  /** Records a failure thrown by work this thread ran, which is about to be rethrown. */
  private void failed(long start, Throwable failure) {
    timer.failure(start, failure);
    if (failure instanceof InterruptedException) {
      // The work was interrupted and its exception passes on: keep the interrupt visible too.
      Thread.currentThread().interrupt();
    }
  }

  /** A stage's failure as the work threw it: dependent stages wrap it in a CompletionException. */
  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure.getCause();
    return failure instanceof CompletionException && cause != null ? cause : failure;
  }

  /**
   * One call being timed by hand, for composites that decide its outcome themselves: ends with
   * exactly one of {@link #success()}, {@link #failure(Throwable)} or {@link #timeout()}, each of
   * which returns the call's latency. Ending it again throws {@link IllegalStateException} and
   * counts nothing: where two parties race to end a call (the work and a timer), the composite
   * decides the winner itself, for example with {@code CompletableFuture.complete}, and ends the
   * sample from the winner.
   *
   * <pre>{@code
   * Metrics.Sample sample = metrics.start();
   * if (finished) sample.success(); else sample.timeout();
   * }</pre>
   *
   * <p>Thread-safe: the outcome may be reported from another thread than the one that started it.
   */
  public static final class Sample {

    private static final int RUNNING = 0;
    private static final int SUCCEEDED = 1;
    private static final int FAILED = 2;
    private static final int TIMED_OUT = 3;

    private static final AtomicIntegerFieldUpdater<Sample> ENDED =
        AtomicIntegerFieldUpdater.newUpdater(Sample.class, "ended");

    private final Metrics metrics;
    private final long start;

    @SuppressWarnings("UnusedVariable") // written through ENDED
    private volatile int ended;

    private Sample(Metrics metrics, long start) {
      this.metrics = metrics;
      this.start = start;
    }

    /**
     * Ends the call as a success and records its latency.
     *
     * @return the call's latency in nanoseconds
     * @throws IllegalStateException if the sample has already ended
     */
    public long success() {
      end(SUCCEEDED);
      return metrics.timer.success(start);
    }

    /**
     * Ends the call as a failure of {@code failure}'s type and records its latency.
     *
     * @param failure the failure
     * @return the call's latency in nanoseconds
     * @throws NullPointerException if {@code failure} is null; the sample keeps running then
     * @throws IllegalStateException if the sample has already ended
     */
    public long failure(Throwable failure) {
      Objects.requireNonNull(failure, "failure must not be null");
      end(FAILED);
      return metrics.timer.failure(start, failure);
    }

    /**
     * Ends the call as timed out and records the time it ran until now as its latency.
     *
     * @return the call's latency in nanoseconds
     * @throws IllegalStateException if the sample has already ended
     */
    public long timeout() {
      end(TIMED_OUT);
      return metrics.timer.timeout(start);
    }

    private void end(int outcome) {
      if (!ENDED.compareAndSet(this, RUNNING, outcome)) {
        throw new IllegalStateException(
            "Metrics.Sample of '"
                + metrics.name
                + "' cannot end as "
                + describe(outcome)
                + ": it already ended as "
                + describe(ended)
                + "; a sample ends once");
      }
    }

    private static String describe(int outcome) {
      return switch (outcome) {
        case SUCCEEDED -> "a success";
        case FAILED -> "a failure";
        case TIMED_OUT -> "a timeout";
        default -> "running";
      };
    }

    @Override
    public String toString() {
      int outcome = ended;
      String state =
          switch (outcome) {
            case SUCCEEDED -> "SUCCEEDED";
            case FAILED -> "FAILED";
            case TIMED_OUT -> "TIMED_OUT";
            default -> "RUNNING";
          };
      return "Metrics.Sample[name=" + metrics.name + ", state=" + state + "]";
    }
  }

  // ---------------------------------------------------------------- builder

  /**
   * Builds {@link Metrics}. Not thread-safe; the metrics it builds are.
   *
   * <pre>{@code
   * Metrics m = Metrics.builder("payments")
   *     .window(Duration.ofSeconds(10), 10)
   *     .latencyWindow(Duration.ofMinutes(1), 6)
   *     .build();
   * }</pre>
   */
  public static final class Builder {

    private static final Duration MAX_WINDOW = Duration.ofDays(1);

    private final String name;
    private Duration window = Duration.ofSeconds(10);
    private int windowBuckets = 10;
    private Duration latencyWindow = Duration.ofSeconds(60);
    private int latencyBuckets = 6;
    private LongSupplier ticker = SYSTEM_TICKER;
    private Clock clock = Clock.systemUTC();

    private Builder(String name) {
      this.name = Names.require(name, "name");
    }

    /**
     * Sets the window of counts, failures by type and the in-flight peak, and the number of buckets
     * it rolls by: a bucket's counts leave the window all at once.
     *
     * @param window the window, positive, at most a day, a whole number of nanoseconds per bucket
     * @param buckets the buckets, at least 1 and at most 1000
     * @return this builder
     * @throws IllegalArgumentException if the window or buckets are out of range, or the window
     *     does not divide evenly into the buckets
     */
    public Builder window(Duration window, int buckets) {
      checkWindow("window", window, buckets);
      this.window = window;
      this.windowBuckets = buckets;
      return this;
    }

    /**
     * Sets the window of latencies and the number of buckets it rolls by.
     *
     * @param window the window, positive, at most a day, a whole number of nanoseconds per bucket
     * @param buckets the buckets, at least 1 and at most 1000
     * @return this builder
     * @throws IllegalArgumentException if the window or buckets are out of range, or the window
     *     does not divide evenly into the buckets
     */
    public Builder latencyWindow(Duration window, int buckets) {
      checkWindow("latencyWindow", window, buckets);
      this.latencyWindow = window;
      this.latencyBuckets = buckets;
      return this;
    }

    /**
     * Sets the source of monotonic time, in nanoseconds; {@code System::nanoTime} by default. It
     * may wrap past {@code Long.MAX_VALUE}.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Sets the clock that stamps snapshots; the system UTC clock by default.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * Builds the metrics, reading the ticker once: its windows start now.
     *
     * @return the metrics
     */
    public Metrics build() {
      return new Metrics(this);
    }

    private static void checkWindow(String parameter, Duration window, int buckets) {
      Objects.requireNonNull(window, parameter + " must not be null");
      if (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
        throw new IllegalArgumentException(
            parameter + " must be positive and at most " + MAX_WINDOW + ", was " + window);
      }
      if (buckets < 1 || buckets > 1000) {
        throw new IllegalArgumentException(
            parameter + " buckets must be between 1 and 1000, was " + buckets);
      }
      if (window.toNanos() % buckets != 0) {
        throw new IllegalArgumentException(
            parameter
                + " must divide evenly into its buckets, was "
                + window
                + " in "
                + buckets
                + " buckets");
      }
    }
  }
}
