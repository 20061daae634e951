package io.dyno.timing.internal;

import io.dyno.timing.Timing;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An interval: an {@link Event} with an end, set once by a compare-and-set, and a place in the
 * context stack of the thread that opened it.
 */
final class SpanNode extends Event implements Timing.Span, Frame {

  /** The end of a span that is still running. */
  static final long RUNNING = Long.MIN_VALUE;

  private static final VarHandle END;

  static {
    try {
      END = MethodHandles.lookup().findVarHandle(SpanNode.class, "end", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Recorder recorder;

  /** The context of the thread that opened the span, to tell a stop on another thread. */
  private final ThreadContext owner;

  /** Nanoseconds from the timing's start to the first stop, or {@link #RUNNING}. */
  private volatile long end = RUNNING;

  /** The frame below in the owner's context stack; read and written by the owner thread only. */
  private @Nullable Frame below;

  SpanNode(
      Recorder recorder,
      String name,
      @Nullable SpanNode parent,
      long start,
      int notes,
      ThreadContext owner) {
    super(name, parent, start, notes);
    this.recorder = recorder;
    this.owner = owner;
  }

  @Override
  public void stop() {
    if (end != RUNNING) {
      note(Timing.Note.STOPPED_TWICE);
      return;
    }
    long now = recorder.offsetNow();
    if (!END.compareAndSet(this, RUNNING, now)) {
      // Another thread stopped it between the check and here: that stop came first.
      note(Timing.Note.STOPPED_TWICE);
      return;
    }
    SpanNode p = parent;
    if (p != null
        && !p.isRunning()
        && (notes() & bit(Timing.Note.STARTED_AFTER_PARENT_STOPPED)) == 0) {
      note(Timing.Note.STOPPED_AFTER_PARENT);
    }
    ThreadContext here = ThreadContext.existing();
    if (here == owner) {
      here.popIfTop(this);
    } else {
      // The owner's stack still holds this span; the owner drops it the next time it looks.
      note(Timing.Note.STOPPED_ON_OTHER_THREAD);
    }
  }

  @Override
  public boolean isRunning() {
    return end == RUNNING;
  }

  @Override
  public Duration elapsed() {
    long e = end;
    return Duration.ofNanos((e == RUNNING ? recorder.offsetNow() : e) - start);
  }

  /** Returns the end, nanoseconds from the timing's start, or {@link #RUNNING}. */
  long end() {
    return end;
  }

  void linkBelow(@Nullable Frame frame) {
    below = frame;
  }

  @Override
  public @Nullable Frame below() {
    return below;
  }

  @Override
  public void unlink() {
    below = null;
  }

  @Override
  public Recorder recorder() {
    return recorder;
  }

  @Override
  public @Nullable SpanNode anchor() {
    return isRunning() ? this : null;
  }

  @Override
  public String toString() {
    return "Span '"
        + name
        + "' of Timing '"
        + recorder.name()
        + "' ("
        + (isRunning() ? "running" : "stopped")
        + ")";
  }
}
