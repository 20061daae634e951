package io.dyno.timing.internal;

import io.dyno.timing.Timing;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a {@link Recorder}'s event log: a mark as it is, and the common part of every {@link
 * SpanNode}.
 *
 * <p>The log is a singly linked list from the newest event back to the root, so appending is one
 * compare-and-set on the recorder's head and a finished timing holds exactly one object per event.
 * {@link #previous} and {@link #sequence} are written before that compare-and-set publishes the
 * event and never after, so a reader that reaches the event through the head sees them.
 */
class Event {

  private static final VarHandle NOTES;

  static {
    try {
      NOTES = MethodHandles.lookup().findVarHandle(Event.class, "notes", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final String name;

  /** The interval this event nests under; null only for a timing's root. */
  final @Nullable SpanNode parent;

  /** Nanoseconds from the timing's start. */
  final long start;

  /** The event before this one in the log; null only for the root. */
  @Nullable Event previous;

  /** The position in the log: 0 for the root, one more than {@link #previous}'s. */
  int sequence;

  /** A bit per {@link Timing.Note}, by ordinal. */
  private volatile int notes;

  /**
   * Creates an event; {@code notes} holds the bits known at its start, written before the event is
   * published.
   */
  Event(String name, @Nullable SpanNode parent, long start, int notes) {
    this.name = name;
    this.parent = parent;
    this.start = start;
    this.notes = notes;
  }

  final void note(Timing.Note note) {
    NOTES.getAndBitwiseOr(this, bit(note));
  }

  final int notes() {
    return notes;
  }

  // Bits by ordinal, as EnumSet does: they live only in memory, within one version.
  @SuppressWarnings("EnumOrdinal")
  static int bit(Timing.Note note) {
    return 1 << note.ordinal();
  }
}
