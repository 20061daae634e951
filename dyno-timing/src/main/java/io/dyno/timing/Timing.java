package io.dyno.timing;

import io.dyno.timing.internal.Durations;
import io.dyno.timing.internal.Names;
import io.dyno.timing.internal.NoopSpan;
import io.dyno.timing.internal.Recorder;
import io.dyno.timing.internal.ThreadContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The events and nested intervals of one request: a running root interval under which {@linkplain
 * #interval(String) intervals} nest and {@linkplain #mark(String) marks} record instants, reported
 * as an indented tree of offsets, durations and names.
 *
 * <pre>{@code
 * Timing t = Timing.start("checkout");
 * try (Timing.Span s = t.interval("load-cart")) {
 *   t.mark("cache-miss");
 * }
 * t.stop();
 * String report = t.report();
 * }</pre>
 *
 * <p>An interval nests under the innermost interval of the same timing that is still open in the
 * calling thread's context, or under the root when there is none. The context is the thread's own
 * stack of open spans, plus whatever {@link #activate()} or {@link #wrap(Runnable)} installed, so
 * intervals opened by two threads at once never nest under each other by accident.
 *
 * <p>Durations come from the {@linkplain Builder#ticker(LongSupplier) ticker} (monotonic
 * nanoseconds, {@link System#nanoTime()} by default); the {@linkplain Builder#clock(Clock) clock}
 * is read once, for the wall-clock {@link #startedAt()} stamp.
 *
 * <p>Spans may be stopped in any order, more than once, and from any thread; nothing is stopped
 * implicitly. Stopping a parent leaves its children running; a second stop keeps the first end
 * time. The tree stays well-formed and each {@link Record} carries {@link Note}s saying what
 * happened, which the report prints next to the name.
 *
 * <p>Thread-safe: every method may be called from any thread at any time. Opening and stopping a
 * span takes no lock: events are appended to a lock-free log, a span's end is set by one
 * compare-and-set, and the per-thread context is touched only by its own thread. Nothing blocks, so
 * virtual threads are never pinned. The ticker must be safe to call from every thread that uses the
 * timing.
 *
 * <p>Outside any scope, {@link #current()} returns a shared no-op timing: every operation on it
 * does nothing, and none allocates.
 */
public final class Timing {

  private static final LongSupplier SYSTEM_TICKER = System::nanoTime;

  private static final Timing NOOP = new Timing("noop", null);

  private final String name;

  /** Null only for the no-op timing. */
  private final @Nullable Recorder recorder;

  private Timing(String name, @Nullable Recorder recorder) {
    this.name = name;
    this.recorder = recorder;
  }

  /**
   * Starts a timing on the system ticker and the UTC clock: its root interval, named {@code name},
   * is running.
   *
   * @param name the timing's name, also the name of its root interval; not blank
   * @return the running timing
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Timing start(String name) {
    Names.require(name, "name");
    return new Timing(
        name, Recorder.start(name, SYSTEM_TICKER, Clock.systemUTC(), Builder.DEFAULT_MAX_EVENTS));
  }

  /**
   * Returns a builder for timings named {@code name} with an injected ticker or clock.
   *
   * @param name the name of every timing the builder starts; not blank
   * @return a builder with the system ticker and the UTC clock
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder builder(String name) {
    Names.require(name, "name");
    return new Builder(name);
  }

  /**
   * Returns the timing made current on this thread by the innermost open {@link #activate()} scope
   * or {@link #wrap(Runnable) wrapped} task, or the {@linkplain #noop() no-op timing} if there is
   * none; never null.
   *
   * @return the current timing
   */
  public static Timing current() {
    Timing current = ThreadContext.currentTiming();
    return current == null ? NOOP : current;
  }

  /**
   * Returns the shared no-op timing: every operation on it does nothing and allocates nothing, its
   * records are empty and its report says it is a no-op.
   *
   * @return the no-op timing
   */
  public static Timing noop() {
    return NOOP;
  }

  /**
   * Returns a task that runs {@code task} with the timing that is current now, at wrap time, made
   * current on whichever thread runs it. Intervals the task opens nest under the interval that is
   * open here now. The thread's previous context is restored when the task ends.
   *
   * <p>Wrapping outside any scope captures the no-op timing, so the task runs with no timing
   * current even on a thread that has one.
   *
   * @param task the task to run
   * @return the wrapped task
   * @throws NullPointerException if {@code task} is null
   */
  // Runnable and Callable, as ExecutorService.submit takes them: a lambda that returns a value
  // resolves to the Callable overload, a void one to the Runnable overload.
  public static Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task must not be null");
    Timing timing = current();
    return ThreadContext.wrap(timing, timing.recorder, task);
  }

  /**
   * Returns a task that calls {@code task} with the timing that is current now, at wrap time, made
   * current on whichever thread calls it; see {@link #wrap(Runnable)}. The result and any exception
   * pass through unchanged.
   *
   * @param task the task to call
   * @param <T> the task's result type
   * @return the wrapped task
   * @throws NullPointerException if {@code task} is null
   */
  public static <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task must not be null");
    Timing timing = current();
    return ThreadContext.wrap(timing, timing.recorder, task);
  }

  /**
   * Returns the timing's name, which is also the name of its root interval; {@code "noop"} for the
   * no-op timing.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns whether this is the {@linkplain #noop() no-op timing}, which records nothing.
   *
   * @return true for the no-op timing
   */
  public boolean isNoop() {
    return recorder == null;
  }

  /**
   * Returns the wall-clock instant the timing started, read once from its clock; {@link
   * Instant#EPOCH} for the no-op timing.
   *
   * @return the start instant
   */
  public Instant startedAt() {
    Recorder r = recorder;
    return r == null ? Instant.EPOCH : r.startedAt();
  }

  /**
   * Returns whether the root interval is still running, that is whether {@link #stop()} has not
   * been called; false for the no-op timing.
   *
   * @return true while the timing runs
   */
  public boolean isRunning() {
    Recorder r = recorder;
    return r != null && r.root().isRunning();
  }

  /**
   * Returns the root interval's duration: until {@link #stop()} if stopped, until now if running;
   * zero for the no-op timing.
   *
   * @return the elapsed time
   */
  public Duration elapsed() {
    Recorder r = recorder;
    return r == null ? Duration.ZERO : r.root().elapsed();
  }

  /**
   * Opens an interval named {@code name}, nested under the innermost interval of this timing that
   * is open in the calling thread's context (or under the root), and returns it running. Close it
   * with try-with-resources or {@link Span#stop()}.
   *
   * @param name the interval's name; not blank
   * @return the running interval; a shared do-nothing span on the no-op timing
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public Span interval(String name) {
    Names.require(name, "name");
    Recorder r = recorder;
    return r == null ? NoopSpan.INSTANCE : r.interval(name);
  }

  /**
   * Records an instant event named {@code name}, nested where {@link #interval(String)} would nest
   * an interval.
   *
   * @param name the event's name; not blank
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public void mark(String name) {
    Names.require(name, "name");
    Recorder r = recorder;
    if (r != null) {
      r.mark(name);
    }
  }

  /**
   * Stops the root interval. Intervals still open keep running and are reported as running;
   * stopping again keeps the first end time and notes {@link Note#STOPPED_TWICE}.
   */
  public void stop() {
    Recorder r = recorder;
    if (r != null) {
      r.root().stop();
    }
  }

  /**
   * Makes this timing {@linkplain #current() current} on the calling thread until the returned
   * scope is closed, which restores the timing that was current before.
   *
   * <p>Close scopes on the thread that opened them, innermost first, with try-with-resources.
   * Closing a scope while scopes opened inside it are still open closes those too; closing a scope
   * twice does nothing. Intervals opened in the scope and still open when it closes keep running,
   * but no longer parent new intervals on this thread.
   *
   * <p>Activating the no-op timing makes no timing current; when none is current already, it
   * returns a shared scope and allocates nothing.
   *
   * @return the scope to close
   */
  public Scope activate() {
    return ThreadContext.activate(this, recorder);
  }

  /**
   * Returns every interval and mark recorded so far, in tree order: the root first, each record
   * followed by its descendants, siblings in start order (for one thread, this is start order). A
   * running interval's duration is its time so far. Immutable; empty for the no-op timing.
   *
   * @return the records, as the report shows them
   */
  public List<Record> records() {
    Recorder r = recorder;
    return r == null ? List.of() : r.records();
  }

  /**
   * Returns the timing as an indented tree: a header with the name, the start instant and the
   * total, then one line per record with its offset from the start, its duration with three
   * significant digits (or {@code running}), and its name indented by depth, marks as {@code ·},
   * followed by its notes in parentheses.
   *
   * <pre>
   * checkout  started 2026-11-27T06:00:00Z  total 12.3 ms
   *   +0 ns     12.3 ms  checkout
   *   +1.00 µs  4.56 ms    load-cart
   *   +2.00 ms             · cache-miss
   *   +4.60 ms  running    db  (still running after its parent stopped)
   * </pre>
   *
   * @return the report, lines separated by {@code \n}
   */
  public String report() {
    Recorder r = recorder;
    return r == null ? "(no-op timing: nothing is recorded)" : r.report();
  }

  /**
   * Returns how many intervals and marks were not recorded because the timing already held its
   * {@linkplain Builder#maxEvents(int) most events}; the report's last line says so too.
   *
   * @return the dropped events; zero for the no-op timing
   */
  public long droppedEvents() {
    Recorder r = recorder;
    return r == null ? 0 : r.droppedEvents();
  }

  /**
   * Returns the timing's name and state, such as {@code Timing[name=checkout, state=running,
   * elapsed=1.00 ms]}, or {@code Timing[name=noop, state=no-op]}.
   *
   * @return a description naming the timing
   */
  @Override
  public String toString() {
    Recorder r = recorder;
    if (r == null) {
      return "Timing[name=" + name + ", state=no-op]";
    }
    return "Timing[name="
        + name
        + ", state="
        + (r.root().isRunning() ? "running" : "stopped")
        + ", elapsed="
        + Durations.format(r.root().elapsed().toNanos())
        + "]";
  }

  /**
   * An interval of a {@link Timing}: running from {@link Timing#interval(String)} until {@link
   * #stop()} or {@link #close()}.
   *
   * <p>Thread-safe: a span may be stopped from any thread, any number of times; the first stop sets
   * its end.
   */
  public interface Span extends AutoCloseable {

    /**
     * Stops the interval. The first call sets its end; later calls keep it and note {@link
     * Note#STOPPED_TWICE}. Stopping on a thread other than the one that opened it works and notes
     * {@link Note#STOPPED_ON_OTHER_THREAD}. Intervals nested in this one are not stopped.
     */
    void stop();

    /** Stops the interval, as {@link #stop()}: for try-with-resources. */
    @Override
    default void close() {
      stop();
    }

    /**
     * Returns whether the interval has not been stopped yet.
     *
     * @return true while running
     */
    boolean isRunning();

    /**
     * Returns the interval's duration: until its first stop, or until now while it runs.
     *
     * @return the elapsed time
     */
    Duration elapsed();
  }

  /**
   * The extent of an {@link Timing#activate()}: while open, its timing is {@linkplain
   * Timing#current() current} on the thread that opened it.
   *
   * <p>Confined to the thread that opened it.
   */
  public interface Scope extends AutoCloseable {

    /**
     * Ends the scope, restoring the timing that was current when it was opened. Does nothing if the
     * scope is already closed, or was closed with an enclosing scope.
     *
     * @throws IllegalStateException if called on a thread other than the one that opened the scope
     */
    @Override
    void close();
  }

  /** What a {@link Record} describes. */
  public enum Kind {
    /** A span of time with a start and, once stopped, an end. */
    INTERVAL,
    /** An instant: a start and no duration. */
    MARK
  }

  /** Something unusual that happened to a record, printed by the report next to its name. */
  public enum Note {
    /** The record began after its parent interval had stopped. */
    STARTED_AFTER_PARENT_STOPPED("started after its parent stopped"),
    /** The interval stopped after its parent interval had stopped. */
    STOPPED_AFTER_PARENT("stopped after its parent"),
    /** The interval is still running though its parent interval has stopped. */
    RUNNING_AFTER_PARENT("still running after its parent stopped"),
    /** The interval was stopped more than once; its first end time is kept. */
    STOPPED_TWICE("stopped twice"),
    /** The interval was stopped on a thread other than the one that opened it. */
    STOPPED_ON_OTHER_THREAD("stopped on another thread");

    private final String description;

    Note(String description) {
      this.description = description;
    }

    /**
     * Returns the words the report prints for this note, such as {@code stopped twice}.
     *
     * @return the description
     */
    public String description() {
      return description;
    }
  }

  /**
   * One interval or mark of a {@link Timing}, as {@link Timing#records()} returns it.
   *
   * @param index the record's position in the list
   * @param parent the index of the parent interval's record, -1 for the root
   * @param depth the nesting depth, 0 for the root
   * @param kind an interval or a mark
   * @param name the interval's or mark's name
   * @param startNanos the start, in nanoseconds after the timing's start
   * @param durationNanos the duration in nanoseconds: until the end, or until the records were
   *     taken if {@code running}; 0 for a mark
   * @param running whether the interval was still running when the records were taken
   * @param notes what unusual happened to it, empty normally
   */
  @SuppressWarnings("JavaLangClash") // The design names it Timing.Record; always used qualified.
  public record Record(
      int index,
      int parent,
      int depth,
      Kind kind,
      String name,
      long startNanos,
      long durationNanos,
      boolean running,
      Set<Note> notes) {

    /**
     * Checks the components and makes {@code notes} an immutable copy.
     *
     * @param index the record's position in the list, not negative
     * @param parent the index of the parent interval's record, -1 for the root, less than {@code
     *     index}
     * @param depth the nesting depth, not negative
     * @param kind an interval or a mark
     * @param name the interval's or mark's name
     * @param startNanos the start, in nanoseconds after the timing's start
     * @param durationNanos the duration in nanoseconds, 0 for a mark
     * @param running whether the interval was still running, false for a mark
     * @param notes what unusual happened to it
     * @throws NullPointerException if {@code kind}, {@code name} or {@code notes} is null
     * @throws IllegalArgumentException if an index or the depth is out of range, or a mark has a
     *     duration or is running
     */
    public Record {
      Objects.requireNonNull(kind, "kind must not be null");
      Objects.requireNonNull(name, "name must not be null");
      Objects.requireNonNull(notes, "notes must not be null");
      if (index < 0) {
        throw new IllegalArgumentException("index must be >= 0, was " + index);
      }
      if (parent < -1 || parent >= index) {
        throw new IllegalArgumentException(
            "parent must be in [-1, index " + index + "), was " + parent);
      }
      if (depth < 0) {
        throw new IllegalArgumentException("depth must be >= 0, was " + depth);
      }
      if (kind == Kind.MARK && (durationNanos != 0 || running)) {
        throw new IllegalArgumentException(
            "a mark has no duration and never runs, was durationNanos="
                + durationNanos
                + ", running="
                + running);
      }
      notes = notes.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(notes));
    }
  }

  /**
   * Starts timings with an injected ticker and clock: {@code
   * Timing.builder("checkout").ticker(now::get).clock(clock).start()}. A timing is started, not
   * built, so the builder ends in {@link #start()}, which may be called again to start another
   * timing with the same settings.
   *
   * <p>Not thread-safe: configure it on one thread; timings it starts are thread-safe.
   */
  public static final class Builder {

    private final String name;

    /** The default of {@link #maxEvents(int)}. */
    public static final int DEFAULT_MAX_EVENTS = 10_000;

    private static final int MAX_MAX_EVENTS = 1_000_000;

    private LongSupplier ticker = SYSTEM_TICKER;
    private Clock clock = Clock.systemUTC();
    private int maxEvents = DEFAULT_MAX_EVENTS;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Sets the source of monotonic nanoseconds that every duration is measured on; {@link
     * System#nanoTime()} by default. It is called once per interval start and stop and per mark,
     * from whichever thread does it, so it must be thread-safe.
     *
     * @param ticker the ticker
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Sets the clock read once, when a timing starts, for its {@link Timing#startedAt()} stamp;
     * {@link Clock#systemUTC()} by default.
     *
     * @param clock the clock
     * @return this builder
     * @throws NullPointerException if {@code clock} is null
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * Sets the most intervals and marks a timing keeps besides its root; {@value
     * #DEFAULT_MAX_EVENTS} by default. Once a timing holds that many, later intervals and marks are
     * not recorded (an interval opened then is a span that records nothing) and are counted by
     * {@link Timing#droppedEvents()}, so that a timing left open around a loop holds bounded
     * memory.
     *
     * @param maxEvents between 1 and 1,000,000
     * @return this builder
     * @throws IllegalArgumentException if {@code maxEvents} is out of range
     */
    public Builder maxEvents(int maxEvents) {
      if (maxEvents < 1 || maxEvents > MAX_MAX_EVENTS) {
        throw new IllegalArgumentException(
            "maxEvents must be between 1 and " + MAX_MAX_EVENTS + ", was " + maxEvents);
      }
      this.maxEvents = maxEvents;
      return this;
    }

    /**
     * Starts a new timing with this builder's name, ticker, clock and most events; its root
     * interval is running.
     *
     * @return the running timing
     */
    public Timing start() {
      return new Timing(name, Recorder.start(name, ticker, clock, maxEvents));
    }
  }
}
