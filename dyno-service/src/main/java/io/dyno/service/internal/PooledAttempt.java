package io.dyno.service.internal;

import io.dyno.breaker.Breaker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * One attempt handed to another thread: its work, its outcome and the race between the work
 * finishing and the attempt being ended early (by its timeout, or by a caller that stopped
 * waiting).
 *
 * <p>The state moves once from {@code NEW} or {@code RUNNING} to an end. The work's thread ends it
 * with {@code RUNNING → DONE}; a timeout or a cancellation ends it with {@code → INTERRUPTING →
 * ENDED}, interrupting the work's thread in between if the work had started. Whoever wins the
 * compare-and-set records the outcome, so an attempt is counted exactly once. As in {@link
 * java.util.concurrent.FutureTask}, the work's thread waits out {@code INTERRUPTING} before it
 * clears the interrupt that was meant for this attempt, so that the interrupt cannot leak into the
 * next task the thread runs.
 *
 * <p>A hedged copy that loses to another is ended early too, with a {@link CopyCancelled} reason,
 * into {@code LOST} rather than {@code ENDED}: a result its work still returns is closed if it is
 * {@link AutoCloseable}.
 *
 * <p>The bulkhead's permit is given back by the work's thread: at once when the work finishes
 * first, and only when the work has really returned when the attempt was ended early, so that a
 * stuck attempt keeps its slot and cannot let the pool grow without bound.
 *
 * @param <R> the result type
 */
final class PooledAttempt<R> implements Runnable {

  private static final int NEW = 0;
  private static final int RUNNING = 1;
  private static final int DONE = 2;
  private static final int INTERRUPTING = 3;
  private static final int ENDED = 4;

  /** Ended early because another copy of a hedged attempt answered first, or never started. */
  private static final int LOST = 5;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(PooledAttempt.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Engine<R> engine;
  private final Breaker.@Nullable Permit permit;

  /** Whether this is a hedged attempt's extra copy rather than its first. */
  private final boolean copy;

  private final Callable<? extends R> work;
  // Set by the caller before the attempt is handed over, which publishes it to the other threads.
  private long start;
  private final CompletableFuture<R> result = new CompletableFuture<>();

  /** What the worker runs: {@link #body()} inside the caller's context. */
  private Runnable launch = () -> {};

  private volatile int state = NEW;
  private volatile @Nullable Thread runner;
  private volatile @Nullable Future<?> timer;

  // Written before the state becomes ENDED and read after it is seen, so no volatile needed.
  private boolean interruptSent;

  // Touched only by the thread that runs the attempt.
  private boolean released;

  PooledAttempt(
      Engine<R> engine, Callable<? extends R> work, Breaker.@Nullable Permit permit, boolean copy) {
    this.engine = engine;
    this.work = work;
    this.permit = permit;
    this.copy = copy;
  }

  void begin(long start) {
    this.start = start;
  }

  void launchIn(Runnable launch) {
    this.launch = launch;
  }

  Runnable body() {
    return this::runWork;
  }

  long start() {
    return start;
  }

  /** The breaker's permit for this attempt, or null when the service has no breaker. */
  Breaker.@Nullable Permit permit() {
    return permit;
  }

  /** Whether this is an extra copy of a hedged attempt. */
  boolean isCopy() {
    return copy;
  }

  CompletableFuture<R> result() {
    return result;
  }

  void setTimer(Future<?> timer) {
    this.timer = timer;
    if (state != NEW && state != RUNNING) {
      // Ended before the timer was set: nobody else will cancel it.
      timer.cancel(false);
    }
  }

  @Override
  public void run() {
    try {
      launch.run();
      if (state == NEW && STATE.compareAndSet(this, NEW, DONE)) {
        // The context returned without running the attempt: a propagator dropped it. Without
        // this, the caller would wait for an outcome that never comes.
        finish(null, engine.attemptNotRun());
      }
    } catch (RuntimeException | Error e) {
      // A context propagator failed around the work. If the work never started, this is the
      // attempt's outcome; otherwise the outcome stands and the failure goes to the executor.
      if (!STATE.compareAndSet(this, NEW, DONE)) {
        throw e;
      }
      finish(null, e);
    } finally {
      // Waits out an interrupt in flight. interruptSent is written only while INTERRUPTING, before
      // ENDED is published, so once the state reads as anything else it is settled and visible.
      while (state == INTERRUPTING) {
        Thread.onSpinWait();
      }
      if (interruptSent) {
        Thread.interrupted();
      }
      release();
    }
  }

  private void runWork() {
    runner = Thread.currentThread();
    if (!STATE.compareAndSet(this, NEW, RUNNING)) {
      runner = null;
      return; // ended while it waited for a thread
    }
    R value = null;
    Throwable failure = null;
    try {
      value = work.call();
    } catch (Throwable t) {
      failure = t;
    }
    runner = null;
    if (STATE.compareAndSet(this, RUNNING, DONE)) {
      finish(value, failure);
    } else if (value != null) {
      // Ended early: once the end is settled, a copy that lost to another hands back its result.
      while (state == INTERRUPTING) {
        Thread.onSpinWait();
      }
      if (state == LOST) {
        engine.discard(value);
      }
    }
  }

  /** Records the work's own outcome; the permit goes back first, so a caller can call again. */
  private void finish(@Nullable R value, @Nullable Throwable failure) {
    release();
    cancelTimer();
    engine.finished(this, value, failure);
  }

  /**
   * Ends the attempt early unless it has ended already, interrupting its work if it started.
   *
   * @param reason what {@link Engine#endedEarly} is told
   */
  void endEarly(Throwable reason) {
    int s = state;
    while (s == NEW || s == RUNNING) {
      if (STATE.compareAndSet(this, s, INTERRUPTING)) {
        Thread r = runner;
        if (s == RUNNING && r != null) {
          interruptSent = true;
          r.interrupt();
        }
        state = reason instanceof CopyCancelled ? LOST : ENDED;
        cancelTimer();
        engine.endedEarly(this, reason);
        return;
      }
      s = state;
    }
  }

  private void cancelTimer() {
    Future<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
  }

  private void release() {
    if (!released) {
      released = true;
      engine.release();
    }
  }
}
