package io.dyno.cache.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One computation of a key: the claim that makes it the only one, and the outcome its waiters get.
 *
 * <p>A flight is created by the reader that claims the key ({@link Node#claim}). A computation run
 * on the reading thread starts at once ({@link #started}); one handed to an executor is {@link
 * #pending} until the task calls {@link #start}. Only the thread whose {@code start} succeeded
 * computes, so a reader that finds a pending flight may take it over by starting it itself: an
 * executor that drops the task, or runs it late, then cannot leave the key waiting, nor compute it
 * a second time.
 *
 * <p>Readers wait only for started flights ({@link #await}); the computing thread completes the
 * flight exactly once, after it released or retired the claim.
 *
 * @param <V> the value type
 */
public final class Flight<V> {

  private static final int PENDING = 0;
  private static final int STARTED = 1;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Flight.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile int state;
  private volatile @Nullable Thread owner;
  private volatile boolean discarded;
  private final CompletableFuture<Outcome<V>> outcome = new CompletableFuture<>();

  private Flight(int state, @Nullable Thread owner) {
    this.state = state;
    this.owner = owner;
  }

  /**
   * Returns a flight already started by the calling thread.
   *
   * @param <V> the value type
   * @return the flight
   */
  public static <V> Flight<V> started() {
    return new Flight<>(STARTED, Thread.currentThread());
  }

  /**
   * Returns a flight that no thread has started yet.
   *
   * @param <V> the value type
   * @return the flight
   */
  public static <V> Flight<V> pending() {
    return new Flight<>(PENDING, null);
  }

  /** Returns the mark of a retired node: started, owned by no thread, never completed. */
  static <V> Flight<V> retiredMark() {
    return new Flight<>(STARTED, null);
  }

  /**
   * Makes the calling thread the one that computes, if no thread has started the flight yet.
   *
   * @return true if the caller must now compute and complete the flight
   */
  public boolean start() {
    if (STATE.compareAndSet(this, PENDING, STARTED)) {
      owner = Thread.currentThread();
      return true;
    }
    return false;
  }

  /**
   * Returns whether no thread has started the flight yet.
   *
   * @return true while pending
   */
  public boolean isPending() {
    return state == PENDING;
  }

  /**
   * Returns whether the calling thread is the one computing this flight: a read of the key from its
   * own loader.
   *
   * @return true for the computing thread
   */
  public boolean isComputedByCurrentThread() {
    return owner == Thread.currentThread();
  }

  /**
   * Marks the flight's value as not to be kept: the key was invalidated while it was computed.
   * Waiters still get the outcome.
   */
  public void discard() {
    discarded = true;
  }

  /**
   * Returns whether the key was invalidated while this flight computed it.
   *
   * @return true if the value must not be kept
   */
  public boolean isDiscarded() {
    return discarded;
  }

  /**
   * Hands the outcome to the waiters; called once, by the computing thread.
   *
   * @param result the outcome
   */
  public void complete(Outcome<V> result) {
    outcome.complete(result);
  }

  /**
   * Waits for the outcome of a started flight. The wait is not cut short by an interrupt, which
   * stays set on the thread.
   *
   * @return the outcome
   */
  public Outcome<V> await() {
    // join() never completes exceptionally here (outcomes are values), waits uninterruptibly and
    // sets the interrupt flag again if the thread was interrupted while waiting.
    return outcome.join();
  }
}
