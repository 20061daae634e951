package io.dyno.timing.internal;

import io.dyno.timing.Timing;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * A thread's timing context: the stack of spans it has open and scopes it has activated, and the
 * timing that is current.
 *
 * <p>Confined to its thread: only that thread reads or writes {@link #top} and {@link #current} and
 * the links between frames. Other threads may stop a span on the stack; the span then stays there,
 * stopped, until this thread next looks and drops it.
 */
public final class ThreadContext {

  // The one piece of static state in the module, and the point of it: a request's timing follows
  // its thread. A ThreadLocal works the same on platform and virtual threads.
  private static final ThreadLocal<@Nullable ThreadContext> CONTEXTS = new ThreadLocal<>();

  /** The innermost frame, null when the stack is empty. */
  private @Nullable Frame top;

  /** The current timing; null when none is, or the no-op timing was activated. */
  private @Nullable Timing current;

  private ThreadContext() {}

  /** Returns this thread's context if it has one, without creating it. */
  static @Nullable ThreadContext existing() {
    return CONTEXTS.get();
  }

  /** Returns this thread's context, creating it on first use. */
  static ThreadContext here() {
    ThreadContext context = CONTEXTS.get();
    if (context == null) {
      context = new ThreadContext();
      CONTEXTS.set(context);
    }
    return context;
  }

  /**
   * Returns the timing current on this thread, or null if there is none.
   *
   * @return the current timing, null for none
   */
  public static @Nullable Timing currentTiming() {
    ThreadContext context = existing();
    return context == null ? null : context.current;
  }

  /**
   * Makes {@code timing} current on this thread until the returned scope closes; new intervals of
   * its recorder nest as they would without the scope.
   *
   * @param timing the timing to make current
   * @param recorder its recorder, null for the no-op timing
   * @return the scope
   */
  public static Timing.Scope activate(Timing timing, @Nullable Recorder recorder) {
    return activate(timing, recorder, null);
  }

  /**
   * Returns {@code task} wrapped to run with {@code timing} current and new intervals of {@code
   * recorder} nesting under the interval open on this thread now.
   *
   * @param timing the timing current now
   * @param recorder its recorder, null for the no-op timing
   * @param task the task
   * @return the wrapped task
   */
  public static Runnable wrap(Timing timing, @Nullable Recorder recorder, Runnable task) {
    SpanNode anchor = anchorHere(recorder);
    return () -> {
      Timing.Scope scope = activate(timing, recorder, anchor);
      try {
        task.run();
      } finally {
        scope.close();
      }
    };
  }

  /**
   * Returns {@code task} wrapped to be called with {@code timing} current and new intervals of
   * {@code recorder} nesting under the interval open on this thread now.
   *
   * @param timing the timing current now
   * @param recorder its recorder, null for the no-op timing
   * @param task the task
   * @param <T> the task's result type
   * @return the wrapped task
   */
  public static <T> Callable<T> wrap(Timing timing, @Nullable Recorder recorder, Callable<T> task) {
    SpanNode anchor = anchorHere(recorder);
    return () -> {
      Timing.Scope scope = activate(timing, recorder, anchor);
      try {
        return task.call();
      } finally {
        scope.close();
      }
    };
  }

  /** Returns where intervals of {@code recorder} nest on this thread now; null for the no-op. */
  private static @Nullable SpanNode anchorHere(@Nullable Recorder recorder) {
    if (recorder == null) {
      return null;
    }
    ThreadContext context = existing();
    return context == null ? recorder.rootNode() : context.anchorFor(recorder);
  }

  private static Timing.Scope activate(
      Timing timing, @Nullable Recorder recorder, @Nullable SpanNode anchor) {
    if (recorder == null) {
      ThreadContext context = existing();
      // With no timing current, making the no-op timing current changes nothing.
      return context == null || context.current == null
          ? NoopScope.INSTANCE
          : context.push(timing, null, null);
    }
    return here().push(timing, recorder, anchor);
  }

  private Activation push(Timing timing, @Nullable Recorder recorder, @Nullable SpanNode anchor) {
    Activation scope = new Activation(this, timing, recorder, anchor, top, current);
    top = scope;
    current = recorder == null ? null : timing;
    return scope;
  }

  /**
   * Returns the span a new event of {@code recorder} nests under: the innermost open span of that
   * recorder on this stack, or the anchor of the innermost scope that has one, or the root.
   */
  SpanNode anchorFor(Recorder recorder) {
    dropFinished(recorder);
    for (Frame frame = top; frame != null; frame = frame.below()) {
      if (frame.recorder() == recorder) {
        SpanNode anchor = frame.anchor();
        if (anchor != null) {
          return anchor;
        }
      }
    }
    return recorder.rootNode();
  }

  void push(SpanNode span) {
    span.linkBelow(top);
    top = span;
  }

  /** Pops {@code span} if it is the innermost frame, then any finished spans it uncovers. */
  void popIfTop(SpanNode span) {
    if (top == span) {
      top = span.below();
      span.unlink();
      dropFinished(span.recorder());
    }
  }

  /**
   * Pops spans that can no longer parent anything off the top, for a thread now working on {@code
   * current}: spans stopped out of order or on another thread, and spans of other timings that have
   * stopped. The last are spans never stopped, left behind by a finished request; dropping them
   * keeps a pooled thread from holding on to old timings. A running span of a stopped timing is
   * kept while that timing is the one in use, since it still parents that timing's new intervals.
   */
  private void dropFinished(Recorder current) {
    Frame frame = top;
    while (frame instanceof SpanNode span
        && (!span.isRunning()
            || (span.recorder() != current && !span.recorder().rootNode().isRunning()))) {
      frame = span.below();
      span.unlink();
    }
    top = frame;
  }

  /**
   * Ends {@code scope}: restores the stack and current timing to what they were when it opened,
   * dropping any frames above it. Does nothing if the scope is no longer on the stack.
   */
  void deactivate(Activation scope) {
    Frame frame = top;
    while (frame != null && frame != scope) {
      frame = frame.below();
    }
    if (frame == null) {
      return; // Closed already, or dropped when an enclosing scope closed.
    }
    frame = top;
    while (frame != null && frame != scope) {
      Frame next = frame.below();
      frame.unlink();
      frame = next;
    }
    top = scope.below();
    current = scope.previous();
    scope.unlink();
  }
}
