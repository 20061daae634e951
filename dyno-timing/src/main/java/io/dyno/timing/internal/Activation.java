package io.dyno.timing.internal;

import io.dyno.timing.Timing;
import org.jspecify.annotations.Nullable;

/**
 * An open {@link Timing.Scope}: a frame of its thread's context that makes a timing current and,
 * for a wrapped task, fixes where that timing's new intervals nest.
 */
final class Activation implements Frame, Timing.Scope {

  private final ThreadContext context;
  private final Timing timing;
  private final @Nullable Recorder recorder;

  /** Where new intervals of {@link #recorder} nest, or null to nest as without the scope. */
  private final @Nullable SpanNode anchor;

  /** The timing current before, restored on close. */
  private final @Nullable Timing previous;

  private @Nullable Frame below;

  Activation(
      ThreadContext context,
      Timing timing,
      @Nullable Recorder recorder,
      @Nullable SpanNode anchor,
      @Nullable Frame below,
      @Nullable Timing previous) {
    this.context = context;
    this.timing = timing;
    this.recorder = recorder;
    this.anchor = anchor;
    this.below = below;
    this.previous = previous;
  }

  @Override
  public void close() {
    if (ThreadContext.existing() != context) {
      throw new IllegalStateException(
          "Scope of Timing '"
              + timing.name()
              + "' must be closed on the thread that activated it, not on "
              + Thread.currentThread().getName());
    }
    context.deactivate(this);
  }

  @Nullable Timing previous() {
    return previous;
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
  public @Nullable Recorder recorder() {
    return recorder;
  }

  @Override
  public @Nullable SpanNode anchor() {
    return anchor;
  }

  @Override
  public String toString() {
    return "Scope of " + (recorder == null ? "the no-op timing" : "Timing '" + timing.name() + "'");
  }
}
