package io.dyno.timing.internal;

import org.jspecify.annotations.Nullable;

/**
 * An entry of a thread's context stack: an open span, or an activated scope. Frames are linked from
 * the innermost down, and only the thread that owns the stack reads or writes the links.
 */
interface Frame {

  /** Returns the frame below this one, null at the bottom. */
  @Nullable Frame below();

  /** Drops the link below, once the frame has left the stack, so it retains nothing. */
  void unlink();

  /** Returns the recorder the frame belongs to; null for a scope of the no-op timing. */
  @Nullable Recorder recorder();

  /**
   * Returns the span a new interval of {@link #recorder()} nests under when this is the innermost
   * frame of that recorder, or null to keep looking below.
   */
  @Nullable SpanNode anchor();
}
