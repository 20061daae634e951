package io.dyno.harness;

import static java.util.Objects.requireNonNull;

import io.dyno.harness.internal.Counts;
import io.dyno.harness.internal.Durations;
import io.dyno.harness.internal.Names;
import io.dyno.harness.internal.Ring;
import io.dyno.harness.internal.StormTable;
import io.dyno.harness.internal.StormTable.Decision;
import io.dyno.harness.internal.StormTable.Kind;
import io.dyno.harness.internal.StormTable.Summary;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A named wrapper that watches a call's failures without changing them: each failure is counted,
 * kept among the most recent, logged, handed to listeners, and rethrown as the same instance.
 *
 * <pre>{@code
 * Harness harness = Harness.builder("payments").keepRecent(50).build();
 * Connection c = harness.call(() -> pool.connect()); // failures logged once, counted, rethrown
 * Supplier<Quote> quote = harness.decorateSupplier(quotes::fetch);
 * long failed = harness.failures(); // and failuresByType(), recent()
 * List<Failure> last = harness.recent(); // newest last, at most 50
 * }</pre>
 *
 * <p><b>Captured failures.</b> Every {@code Exception} and {@code Error} a wrapped call throws is
 * captured, unless the builder's {@link Builder#ignore ignore} or {@link Builder#captureIf
 * captureIf} exclude it; an excluded failure passes through untouched and uncounted. A captured
 * failure is counted ({@link #failures()}, {@link #failuresByType()}), kept among the {@link
 * #recent()} ones, logged, and handed to each {@link Builder#onFailure onFailure} listener in
 * order. Then the same instance is rethrown: an {@code Error} too, and a checked exception that a
 * {@code Supplier} threw sneakily.
 *
 * <p><b>Logging.</b> Exceptions are logged at the builder's level (WARN by default), errors at
 * ERROR. Failures of the same exact class with the same message are identical. The first of a kind
 * is logged with its stack trace; identical failures within the {@link Builder#summaryInterval
 * summary interval} (one minute by default) of the last line about them are only counted, and the
 * first one after the interval, while the storm goes on, logs one summary line with the count:
 *
 * <pre>
 * Harness 'payments': 4,812 more java.io.IOException: connection reset in the last 1.00 min
 * </pre>
 *
 * A kind quiet for a whole interval starts afresh: its next failure is logged with its stack trace
 * again. The harness has no thread of its own, so the tail of a storm is reported by the next
 * failure of its kind or by {@link #logSummaries()}. At most 1,000 kinds are tracked; when that
 * many are, kinds quiet for an interval are retired (at most once per interval), and if none is,
 * each failure of a new kind is logged in full, marked as not summarized.
 *
 * <p><b>Errors and interruption.</b> Errors are captured, logged at ERROR and rethrown, never
 * swallowed. An {@code InterruptedException} is captured and rethrown like any exception; the
 * harness never sets or clears the thread's interrupt flag, and if the flag was set when the
 * harness began handling a failure it is still set afterwards, even if the logging back end cleared
 * it. This differs on purpose from the rule of the other dyno modules (stop and restore the flag):
 * a harness only watches, so the caller's code, which threw the {@code InterruptedException}, keeps
 * the say over the flag, and a harness added around a call changes nothing about it.
 *
 * <p><b>Listeners and the harness's own failures.</b> A listener that throws an exception does not
 * change the caller's failure: the listener's exception is logged at WARN and the next listener
 * runs. A listener's {@code Error}, and anything the harness's own work throws (a {@code captureIf}
 * predicate, the clock, the ticker, the logger), is attached to the caller's failure with {@link
 * Throwable#addSuppressed}, as {@link CompletableFuture#whenComplete} does, so it is neither lost
 * nor in the way.
 *
 * <p><b>Thread safety and cost.</b> Thread-safe; configuration is immutable once built. A call that
 * succeeds costs a {@code try} block: no lock, no allocation, no clock read. On failure, counts are
 * {@code LongAdder}s, the recent failures a ring behind a short lock, each kind's storm state a
 * short lock of its own; the logger and the listeners are never called under a lock, so virtual
 * threads are never pinned.
 */
public final class Harness {

  /** The most kinds of failure whose storms are tracked at once. */
  static final int TRACKED_KINDS = 1000;

  private final String name;
  private final Logger logger;
  private final Level level;
  private final List<Consumer<? super Failure>> listeners;
  private final List<Predicate<? super Throwable>> filters;
  private final List<Class<? extends Throwable>> ignored;
  private final Clock clock;
  private final LongSupplier ticker;
  private final Counts counts = new Counts();
  private final Ring<Failure> recent;
  private final StormTable storms;

  private Harness(Builder builder) {
    this.name = builder.name;
    Logger configured = builder.logger;
    this.logger =
        configured != null ? configured : LoggerFactory.getLogger("io.dyno.harness." + name);
    this.level = builder.level;
    this.listeners = List.copyOf(builder.listeners);
    this.filters = List.copyOf(builder.filters);
    this.ignored = List.copyOf(builder.ignored);
    this.clock = builder.clock;
    this.ticker = builder.ticker;
    this.recent = new Ring<>(builder.keepRecent);
    this.storms =
        new StormTable(
            TRACKED_KINDS, builder.summaryInterval.toNanos(), builder.ticker.getAsLong());
  }

  /**
   * Returns a harness with the defaults: logging at WARN to the SLF4J logger {@code
   * io.dyno.harness.<name>}, keeping the 20 most recent failures, summarizing storms every minute.
   *
   * @param name the harness's name, shown in every log line and in {@link #toString()}
   * @return a new harness
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Harness of(String name) {
    return builder(name).build();
  }

  /**
   * Returns a builder for a harness with the given name and, until changed, the defaults of {@link
   * #of(String)}.
   *
   * @param name the harness's name, shown in every log line and in {@link #toString()}
   * @return a new builder
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Returns this harness's name.
   *
   * @return the name given at creation
   */
  public String name() {
    return name;
  }

  /**
   * Calls {@code callable} and returns its result; a failure is captured and rethrown as the same
   * instance.
   *
   * @param callable the work
   * @param <T> the result type
   * @return what {@code callable} returned
   * @throws Exception the same instance {@code callable} threw
   * @throws NullPointerException if {@code callable} is null
   */
  public <T extends @Nullable Object> T call(Callable<T> callable) throws Exception {
    requireNonNull(callable, "callable must not be null");
    try {
      return callable.call();
    } catch (Exception e) {
      observe(e);
      throw e;
    } catch (Error e) {
      observe(e);
      throw e;
    }
  }

  /**
   * Gets a value from {@code supplier}; a failure is captured and rethrown as the same instance.
   *
   * @param supplier the work
   * @param <T> the result type
   * @return what {@code supplier} returned
   * @throws NullPointerException if {@code supplier} is null
   */
  public <T extends @Nullable Object> T get(Supplier<T> supplier) {
    requireNonNull(supplier, "supplier must not be null");
    try {
      return supplier.get();
    } catch (Exception e) {
      // Exception, not RuntimeException, to see a checked exception thrown sneakily; the precise
      // rethrow below still lets this method declare nothing.
      observe(e);
      throw e;
    } catch (Error e) {
      observe(e);
      throw e;
    }
  }

  /**
   * Runs {@code runnable}; a failure is captured and rethrown as the same instance.
   *
   * @param runnable the work
   * @throws NullPointerException if {@code runnable} is null
   */
  public void run(Runnable runnable) {
    requireNonNull(runnable, "runnable must not be null");
    try {
      runnable.run();
    } catch (Exception e) {
      observe(e);
      throw e;
    } catch (Error e) {
      observe(e);
      throw e;
    }
  }

  /**
   * Returns a callable that calls {@code callable} through this harness, as {@link #call} does.
   *
   * @param callable the work
   * @param <T> the result type
   * @return the wrapped callable
   * @throws NullPointerException if {@code callable} is null
   */
  public <T extends @Nullable Object> Callable<T> decorateCallable(Callable<T> callable) {
    requireNonNull(callable, "callable must not be null");
    return () -> call(callable);
  }

  /**
   * Returns a supplier that gets from {@code supplier} through this harness, as {@link #get} does.
   *
   * @param supplier the work
   * @param <T> the result type
   * @return the wrapped supplier
   * @throws NullPointerException if {@code supplier} is null
   */
  public <T extends @Nullable Object> Supplier<T> decorateSupplier(Supplier<T> supplier) {
    requireNonNull(supplier, "supplier must not be null");
    return () -> get(supplier);
  }

  /**
   * Returns a runnable that runs {@code runnable} through this harness, as {@link #run} does.
   *
   * @param runnable the work
   * @return the wrapped runnable
   * @throws NullPointerException if {@code runnable} is null
   */
  public Runnable decorateRunnable(Runnable runnable) {
    requireNonNull(runnable, "runnable must not be null");
    return () -> run(runnable);
  }

  /**
   * Returns a function that applies {@code function} through this harness: a failure is captured
   * and rethrown as the same instance.
   *
   * @param function the work
   * @param <A> the argument type
   * @param <R> the result type
   * @return the wrapped function
   * @throws NullPointerException if {@code function} is null
   */
  public <A extends @Nullable Object, R extends @Nullable Object> Function<A, R> decorateFunction(
      Function<A, R> function) {
    requireNonNull(function, "function must not be null");
    return argument -> {
      try {
        return function.apply(argument);
      } catch (Exception e) {
        observe(e);
        throw e;
      } catch (Error e) {
        observe(e);
        throw e;
      }
    };
  }

  /**
   * Starts asynchronous work and returns a future that completes exactly as the work's stage does;
   * a failed stage is captured when it fails.
   *
   * <p>The returned future completes with the stage's value, or exceptionally with the very {@code
   * Throwable} instance the stage holds, so {@code join()} and {@code get()} throw what they would
   * throw on the stage itself. The failure captured (counted, logged, kept, given to listeners) is
   * the stage's cause: a {@link CompletionException} wrapper, which the JDK adds when a dependent
   * stage's function throws, is looked through, as {@code get()} does. A cancelled stage is
   * captured as its {@code CancellationException}, and the returned future is cancelled too;
   * cancelling the returned future does not cancel the stage.
   *
   * <p>If {@code supplier} itself throws an exception, it is captured and returned as a future
   * failed with that same instance, so the caller handles one failure path. If it throws an {@code
   * Error}, the error is captured and rethrown, never hidden in a future. If it returns null
   * instead of a stage, the returned future fails with a {@code NullPointerException}, captured
   * like any failure.
   *
   * @param supplier starts the work and returns its stage
   * @param <T> the result type
   * @return a future that completes as the stage does
   * @throws NullPointerException if {@code supplier} is null
   */
  public <T extends @Nullable Object> CompletableFuture<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier) {
    requireNonNull(supplier, "supplier must not be null");
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (Exception e) {
      observe(e);
      return CompletableFuture.failedFuture(e);
    } catch (Error e) {
      observe(e);
      throw e;
    }
    if (stage == null) {
      NullPointerException missing =
          new NullPointerException(
              "Harness '" + name + "': supplier returned null instead of a CompletionStage");
      observe(missing);
      return CompletableFuture.failedFuture(missing);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    var unused =
        stage.whenComplete(
            (value, failure) -> {
              if (failure == null) {
                result.complete(value);
                return;
              }
              try {
                observe(unwrap(failure));
              } finally {
                // The stage's own Throwable, wrapper and all, so the result mirrors the stage.
                result.completeExceptionally(failure);
              }
            });
    return result;
  }

  /**
   * Returns how many failures this harness has captured.
   *
   * @return the total count, exact once the failing calls have returned
   */
  public long failures() {
    return counts.total();
  }

  /**
   * Returns how many failures this harness has captured, by exact class.
   *
   * @return an immutable snapshot, with no entry for a class never seen
   */
  public Map<Class<? extends Throwable>, Long> failuresByType() {
    return counts.byType();
  }

  /**
   * Returns the most recent failures captured, newest last, at most as many as {@link
   * Builder#keepRecent} allows.
   *
   * @return an immutable snapshot
   */
  public List<Failure> recent() {
    return recent.snapshot();
  }

  /**
   * Logs one summary line for each kind of failure counted since its last line, and resets those
   * counts; kinds quiet for a whole interval stop being tracked. Call it on shutdown, or from a
   * scheduler, so that the tail of a storm is logged without waiting for its next failure.
   */
  public void logSummaries() {
    for (Summary summary : storms.drain(ticker.getAsLong())) {
      logSummary(summary);
    }
  }

  /**
   * Returns a description naming this harness, with its failure count.
   *
   * @return for example {@code Harness[name=payments, failures=3]}
   */
  @Override
  public String toString() {
    return "Harness[name=" + name + ", failures=" + failures() + "]";
  }

  /** Returns the logger, for tests that check the default name. */
  Logger logger() {
    return logger;
  }

  /** Captures {@code failure} unless excluded; never throws, never clears the interrupt flag. */
  private void observe(Throwable failure) {
    Thread thread = Thread.currentThread();
    boolean interrupted = thread.isInterrupted();
    try {
      Failure captured;
      try {
        if (!captures(failure)) {
          return;
        }
        captured = new Failure(name, clock.instant(), failure, thread.getName());
        counts.add(failure.getClass());
        recent.add(captured);
      } catch (Exception | Error e) {
        attach(failure, e);
        return;
      }
      try {
        log(captured);
      } catch (Exception | Error e) {
        attach(failure, e);
      }
      for (Consumer<? super Failure> listener : listeners) {
        notify(listener, captured);
      }
    } finally {
      // Some logging back ends clear the flag (or lose it to an interrupted write); the caller's
      // thread must leave the harness as interrupted as it came in.
      if (interrupted && !thread.isInterrupted()) {
        thread.interrupt();
      }
    }
  }

  private boolean captures(Throwable failure) {
    for (Class<? extends Throwable> type : ignored) {
      if (type.isInstance(failure)) {
        return false;
      }
    }
    for (Predicate<? super Throwable> filter : filters) {
      if (!filter.test(failure)) {
        return false;
      }
    }
    return true;
  }

  private void log(Failure captured) {
    Throwable failure = captured.throwable();
    Kind kind = new Kind(failure.getClass(), failure.getMessage());
    Decision decision = storms.record(kind, ticker.getAsLong());
    for (Summary summary : decision.summaries()) {
      logSummary(summary);
    }
    if (!decision.logInFull()) {
      return;
    }
    Level at = levelFor(kind.type());
    if (!logger.isEnabledForLevel(at)) {
      return;
    }
    if (decision.tracked()) {
      logger
          .atLevel(at)
          .setCause(failure)
          .log("Harness '{}': call failed: {}", name, kind.describe());
    } else {
      logger
          .atLevel(at)
          .setCause(failure)
          .log(
              "Harness '{}': call failed: {} (not summarized: {} kinds of failure already tracked)",
              name,
              kind.describe(),
              String.format(Locale.ROOT, "%,d", TRACKED_KINDS));
    }
  }

  private void logSummary(Summary summary) {
    Level at = levelFor(summary.kind().type());
    if (logger.isEnabledForLevel(at)) {
      logger
          .atLevel(at)
          .log(
              "Harness '{}': {} more {} in the last {}",
              name,
              String.format(Locale.ROOT, "%,d", summary.count()),
              summary.kind().describe(),
              Durations.format(Math.max(0, summary.spanNanos())));
    }
  }

  private void notify(Consumer<? super Failure> listener, Failure captured) {
    Throwable failure = captured.throwable();
    try {
      listener.accept(captured);
    } catch (Exception e) {
      if (e != failure) {
        logListenerFailure(Level.WARN, failure, e);
      }
    } catch (Error e) {
      if (e != failure) {
        attach(failure, e);
        logListenerFailure(Level.ERROR, failure, e);
      }
    }
  }

  private void logListenerFailure(Level at, Throwable failure, Throwable fromListener) {
    try {
      if (logger.isEnabledForLevel(at)) {
        logger
            .atLevel(at)
            .setCause(fromListener)
            .log(
                "Harness '{}': a failure listener threw while handling {}",
                name,
                new Kind(failure.getClass(), failure.getMessage()).describe());
      }
    } catch (Exception | Error e) {
      attach(failure, e);
    }
  }

  private Level levelFor(Class<?> type) {
    return Error.class.isAssignableFrom(type) ? Level.ERROR : level;
  }

  /** Attaches the harness's own problem to the caller's failure, which stays the one thrown. */
  private static void attach(Throwable failure, Throwable problem) {
    if (problem != failure) {
      failure.addSuppressed(problem);
    }
  }

  /** Looks through the wrapper the JDK puts around a dependent stage's failure. */
  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure.getCause();
    return failure instanceof CompletionException && cause != null ? cause : failure;
  }

  /**
   * Builds a {@link Harness}. Each setter validates its argument at once; {@code build()} may be
   * called more than once, each time for a new, independent harness.
   *
   * <p>Not thread-safe: configure a builder on one thread.
   */
  public static final class Builder {

    private static final int MAX_KEEP_RECENT = 1000;

    private final String name;
    private @Nullable Logger logger;
    private Level level = Level.WARN;
    private final List<Consumer<? super Failure>> listeners = new ArrayList<>();
    private final List<Predicate<? super Throwable>> filters = new ArrayList<>();
    private final List<Class<? extends Throwable>> ignored = new ArrayList<>();
    private int keepRecent = 20;
    private Clock clock = Clock.systemUTC();
    private LongSupplier ticker = System::nanoTime;
    private Duration summaryInterval = Duration.ofMinutes(1);

    private Builder(String name) {
      this.name = Names.require(name, "name");
    }

    /**
     * Sets the logger failures and summaries are written to; by default the SLF4J logger {@code
     * io.dyno.harness.<name>}.
     *
     * @param logger the logger
     * @return this builder
     * @throws NullPointerException if {@code logger} is null
     */
    public Builder logger(Logger logger) {
      this.logger = requireNonNull(logger, "logger must not be null");
      return this;
    }

    /**
     * Sets the level at which exceptions and their summaries are logged; WARN by default. Errors
     * are always logged at ERROR.
     *
     * @param level the level
     * @return this builder
     * @throws NullPointerException if {@code level} is null
     */
    public Builder level(Level level) {
      this.level = requireNonNull(level, "level must not be null");
      return this;
    }

    /**
     * Adds a listener called with every captured failure, after it is logged, on the thread that
     * captured it. Listeners run in the order added; each sees every captured failure, including
     * those a storm summary only counts.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder onFailure(Consumer<? super Failure> listener) {
      listeners.add(requireNonNull(listener, "listener must not be null"));
      return this;
    }

    /**
     * Sets how many of the most recent failures {@link Harness#recent()} keeps; 20 by default, 0
     * keeps none.
     *
     * @param keepRecent how many failures to keep, in [0, 1000]
     * @return this builder
     * @throws IllegalArgumentException if {@code keepRecent} is outside [0, 1000]
     */
    public Builder keepRecent(int keepRecent) {
      // The ring is allocated whole when the harness is built, and each slot holds a failure with
      // its stack trace: a bound keeps both the array and what it retains small.
      if (keepRecent < 0 || keepRecent > MAX_KEEP_RECENT) {
        throw new IllegalArgumentException(
            "keepRecent must be in [0, " + MAX_KEEP_RECENT + "], was " + keepRecent);
      }
      this.keepRecent = keepRecent;
      return this;
    }

    /**
     * Captures only failures that {@code predicate} accepts; the others pass through untouched and
     * uncounted. Each call narrows: a failure is captured only if every predicate given accepts it
     * and no {@link #ignore ignored} class matches it.
     *
     * @param predicate which failures to capture
     * @return this builder
     * @throws NullPointerException if {@code predicate} is null
     */
    public Builder captureIf(Predicate<? super Throwable> predicate) {
      filters.add(requireNonNull(predicate, "predicate must not be null"));
      return this;
    }

    /**
     * Lets failures of these classes, and of their subclasses, pass through untouched and
     * uncounted. Each call adds to the classes ignored.
     *
     * @param types the classes to ignore
     * @return this builder
     * @throws NullPointerException if {@code types} or one of its elements is null
     */
    @SafeVarargs
    public final Builder ignore(Class<? extends Throwable>... types) {
      requireNonNull(types, "types must not be null");
      for (int i = 0; i < types.length; i++) {
        requireNonNull(types[i], "types[" + i + "] must not be null");
      }
      for (Class<? extends Throwable> type : types) {
        ignored.add(type);
      }
      return this;
    }

    /**
     * Sets the clock that stamps each {@link Failure}; {@link Clock#systemUTC()} by default.
     *
     * @param clock the wall clock
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * Sets the monotonic time source, in nanoseconds, that times the summary interval; {@code
     * System::nanoTime} by default. It is read when the harness is built, when a call fails and by
     * {@link Harness#logSummaries()}; never when a call succeeds.
     *
     * @param ticker the time source
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Sets how long identical failures are only counted before a summary line reports them; one
     * minute by default.
     *
     * @param summaryInterval the interval, positive and at most about 292 years
     * @return this builder
     * @throws NullPointerException if {@code summaryInterval} is null
     * @throws IllegalArgumentException if {@code summaryInterval} is zero, negative, or too long to
     *     count in nanoseconds
     */
    public Builder summaryInterval(Duration summaryInterval) {
      requireNonNull(summaryInterval, "summaryInterval must not be null");
      if (summaryInterval.isNegative() || summaryInterval.isZero()) {
        throw new IllegalArgumentException(
            "summaryInterval must be positive, was " + summaryInterval);
      }
      if (summaryInterval.compareTo(Duration.ofNanos(Long.MAX_VALUE)) > 0) {
        throw new IllegalArgumentException(
            "summaryInterval must be at most "
                + Duration.ofNanos(Long.MAX_VALUE)
                + ", was "
                + summaryInterval);
      }
      this.summaryInterval = summaryInterval;
      return this;
    }

    /**
     * Returns a new harness with this configuration.
     *
     * @return the harness
     */
    public Harness build() {
      return new Harness(this);
    }
  }
}
