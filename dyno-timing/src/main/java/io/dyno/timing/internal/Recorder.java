package io.dyno.timing.internal;

import io.dyno.timing.Timing;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The state of one running {@link Timing}: its ticker, its root interval and its event log.
 *
 * <p>Lock-free: an event is appended by one compare-and-set on {@link #head}, and a reader walks
 * back from the head it read, so it sees every event appended before that read, complete.
 */
public final class Recorder {

  private static final VarHandle HEAD;
  private static final VarHandle DROPPED;

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(Recorder.class, "head", Event.class);
      DROPPED = MethodHandles.lookup().findVarHandle(Recorder.class, "dropped", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final LongSupplier ticker;
  private final Instant startedAt;

  /** The ticker's reading at the start; every offset is measured from it. */
  private final long base;

  private final SpanNode root;

  /** The most events appended after the root; later ones are dropped and counted. */
  private final int maxEvents;

  /** The intervals and marks dropped because the log was full; written through DROPPED. */
  @SuppressWarnings("UnusedVariable")
  private volatile long dropped;

  /** The newest event; the log runs back from it through {@link Event#previous} to the root. */
  private volatile Event head;

  private Recorder(
      String name,
      LongSupplier ticker,
      Instant startedAt,
      long base,
      int maxEvents,
      ThreadContext owner) {
    this.name = name;
    this.maxEvents = maxEvents;
    this.ticker = ticker;
    this.startedAt = startedAt;
    this.base = base;
    this.root = new SpanNode(this, name, null, 0, 0, owner);
    this.head = root;
  }

  /**
   * Starts recording: reads the clock for the start instant and the ticker for the base of every
   * offset; the root interval, named {@code name}, is running.
   *
   * @param name the timing's name
   * @param ticker the source of monotonic nanoseconds
   * @param clock the clock for the start instant
   * @param maxEvents the most intervals and marks kept after the root
   * @return the recorder
   */
  public static Recorder start(String name, LongSupplier ticker, Clock clock, int maxEvents) {
    Instant startedAt = clock.instant();
    long base = ticker.getAsLong();
    return new Recorder(name, ticker, startedAt, base, maxEvents, ThreadContext.here());
  }

  /**
   * Returns the root interval.
   *
   * @return the root
   */
  public Timing.Span root() {
    return root;
  }

  /**
   * Returns the wall-clock start instant.
   *
   * @return the start instant
   */
  public Instant startedAt() {
    return startedAt;
  }

  String name() {
    return name;
  }

  /**
   * Opens an interval under the innermost open interval of this recorder in the calling thread's
   * context, or under the root, and pushes it onto that context.
   *
   * @param name the interval's name
   * @return the running interval, or a span that records nothing when the log is full
   */
  public Timing.Span interval(String name) {
    if (full()) {
      return NoopSpan.INSTANCE;
    }
    ThreadContext context = ThreadContext.here();
    SpanNode parent = context.anchorFor(this);
    int notes = notesAtStart(parent);
    SpanNode span = new SpanNode(this, name, parent, offsetNow(), notes, context);
    if (!append(span)) {
      return NoopSpan.INSTANCE;
    }
    context.push(span);
    return span;
  }

  /**
   * Records an instant under the innermost open interval of this recorder in the calling thread's
   * context, or under the root.
   *
   * @param name the mark's name
   */
  public void mark(String name) {
    if (full()) {
      return;
    }
    ThreadContext context = ThreadContext.existing();
    SpanNode parent = context == null ? root : context.anchorFor(this);
    int notes = notesAtStart(parent);
    append(new Event(name, parent, offsetNow(), notes));
  }

  /**
   * Returns every event appended so far as records, in tree order.
   *
   * @return the immutable records
   */
  public List<Timing.Record> records() {
    Event newest = head;
    return RecordTree.build(newest, offsetNow());
  }

  /**
   * Returns the report of the records appended so far.
   *
   * @return the report
   */
  public String report() {
    return ReportWriter.write(name, startedAt, records(), droppedEvents(), maxEvents);
  }

  /**
   * Returns how many intervals and marks were dropped because the log held its most events.
   *
   * @return the dropped events
   */
  public long droppedEvents() {
    return dropped;
  }

  /** Whether the log holds its most events; counts the event about to be dropped if so. */
  private boolean full() {
    if (head.sequence < maxEvents) {
      return false;
    }
    DROPPED.getAndAdd(this, 1L);
    return true;
  }

  SpanNode rootNode() {
    return root;
  }

  /** Returns the ticker's nanoseconds since the start, never equal to {@link SpanNode#RUNNING}. */
  long offsetNow() {
    long offset = ticker.getAsLong() - base;
    return offset == SpanNode.RUNNING ? offset + 1 : offset;
  }

  /** Returns the notes an event has from its start: read before the ticker, see the caller. */
  private static int notesAtStart(SpanNode parent) {
    // Read before the event's start is taken, so a parent seen stopped here had stopped before
    // the event began.
    return parent.isRunning() ? 0 : Event.bit(Timing.Note.STARTED_AFTER_PARENT_STOPPED);
  }

  /** Appends {@code event}, or drops and counts it if the log became full meanwhile. */
  private boolean append(Event event) {
    Event newest;
    do {
      newest = head;
      if (newest.sequence >= maxEvents) {
        DROPPED.getAndAdd(this, 1L);
        return false;
      }
      event.previous = newest;
      event.sequence = newest.sequence + 1;
    } while (!HEAD.compareAndSet(this, newest, event));
    return true;
  }
}
