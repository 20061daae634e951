package io.dyno.service.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The copies of one hedged attempt, from the moment its first copy was slow or failed: it sends the
 * next copy when the delay passes (on the caller's timed wait, or on a timer for an asynchronous
 * call) or at once when a copy fails, takes the first success and cancels the other copies, or
 * fails with the last failure, the earlier ones attached as suppressed.
 *
 * <p>Thread-safe. The lock guards the group's bookkeeping only: copies are started, cancelled and
 * completed outside it.
 *
 * @param <R> the result type
 */
final class HedgeGroup<R> {

  private final Engine<R> engine;
  private final Callable<? extends R> work;
  private final int maxCopies;

  /** The context each extra copy runs in, captured on the caller's thread; or its failure. */
  private final Slot[] slots;

  private final @Nullable Runnable[] launchers;
  private final @Nullable RuntimeException[] captureFailures;

  /** Whether the delays run on the scheduler (an asynchronous call) rather than the caller. */
  private final boolean timed;

  private final CompletableFuture<R> outcome = new CompletableFuture<>();
  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.
  private final List<PooledAttempt<R>> copies;
  private final List<Throwable> failures = new ArrayList<>();

  /** Copies started or being started; also what a delay that ran out compares with. */
  private int launches;

  /** No further copy is sent: one could not start. */
  private boolean stopped;

  private boolean done;
  private @Nullable Future<?> timer;

  HedgeGroup(Engine<R> engine, Callable<? extends R> work, int maxExtra, boolean timed) {
    this.engine = engine;
    this.work = work;
    this.maxCopies = maxExtra + 1;
    this.timed = timed;
    this.copies = new ArrayList<>(maxCopies);
    this.slots = new Slot[maxExtra];
    this.launchers = new Runnable[maxExtra];
    this.captureFailures = new RuntimeException[maxExtra];
    for (int i = 0; i < maxExtra; i++) {
      Slot slot = new Slot();
      slots[i] = slot;
      try {
        launchers[i] = engine.captureContext(slot);
      } catch (RuntimeException failure) {
        captureFailures[i] = failure; // the copy fails with it, if it is ever sent
      }
    }
  }

  /**
   * Stands for a copy in the caller's context until the copy exists; the context runs it on the
   * copy's thread, which runs the copy.
   */
  static final class Slot implements Runnable {

    // Set before the copy is handed to the executor, which publishes it to the copy's thread.
    @Nullable Runnable target;

    @Override
    public void run() {
      Runnable t = target;
      if (t != null) {
        t.run();
      }
    }
  }

  CompletableFuture<R> outcome() {
    return outcome;
  }

  /** Takes in the first copy, already started, and (for a timed group) sets the first delay. */
  void adopt(PooledAttempt<R> first) {
    lock.lock();
    try {
      launches = 1;
      copies.add(first);
    } finally {
      lock.unlock();
    }
    watch(first);
    scheduleAfter(1);
  }

  /**
   * Waits on the caller's thread for the outcome, sending the next copy each time a delay passes
   * without one.
   */
  R await() throws Exception {
    try {
      while (true) {
        int seen = launchesIfMore();
        if (seen < 0) {
          return outcome.get();
        }
        try {
          return outcome.get(engine.hedgeDelayNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException slow) {
          fire(seen);
        }
      }
    } catch (ExecutionException wrapped) {
      throw Engine.unwrapped(wrapped);
    } catch (InterruptedException stop) {
      cancelAll(stop);
      Thread.currentThread().interrupt();
      throw stop;
    }
  }

  /** The copies sent so far, or -1 when no further copy can be sent. */
  private int launchesIfMore() {
    lock.lock();
    try {
      return done || stopped || launches >= maxCopies ? -1 : launches;
    } finally {
      lock.unlock();
    }
  }

  /** Sends the next copy, unless one was sent since {@code seen} copies were counted. */
  void fire(int seen) {
    int next;
    lock.lock();
    try {
      if (done || stopped || launches != seen || launches >= maxCopies) {
        return;
      }
      next = ++launches;
    } finally {
      lock.unlock();
    }
    launch(next);
  }

  /** Starts copy number {@code n}, reserved already in {@link #launches}. */
  private void launch(int n) {
    int i = n - 2;
    Runnable launcher = launchers[i];
    if (launcher == null) {
      // A context propagator failed on the caller's thread: the copy fails with its failure, and
      // no further copy is sent.
      RuntimeException captureFailed = captureFailures[i];
      failed(
          null,
          captureFailed != null
              ? captureFailed
              : new IllegalStateException("the copy's context was not captured"),
          true);
      return;
    }
    PooledAttempt<R> copy;
    try {
      copy = engine.copy(work, slots[i], launcher);
    } catch (Error failure) {
      failed(null, failure, true);
      return;
    }
    boolean late = false;
    Future<?> stale = null;
    lock.lock();
    try {
      if (copy == null) {
        // The copy could not start: no hedge, and the group waits on the copies it has.
        launches--;
        stopped = true;
        stale = timer;
        timer = null;
      } else if (done) {
        late = true;
      } else {
        copies.add(copy);
      }
    } finally {
      lock.unlock();
    }
    if (copy == null) {
      if (stale != null) {
        stale.cancel(false);
      }
      settleIfAllFailed();
      return;
    }
    if (late) {
      copy.endEarly(CopyCancelled.lost());
      // A copy may have answered already, inside the executor's execute: watched, its value
      // reaches succeeded, which finds the group done and closes it if it holds a resource.
      watch(copy);
      return;
    }
    watch(copy);
    scheduleAfter(n);
  }

  private void watch(PooledAttempt<R> copy) {
    // The future whenComplete returns has nothing more to say: the group completes its own.
    CompletableFuture<?> unused =
        copy.result()
            .whenComplete(
                (value, thrown) -> {
                  if (thrown == null) {
                    succeeded(copy, value);
                  } else if (!(thrown instanceof CopyCancelled)) {
                    failed(copy, thrown, false);
                  }
                });
  }

  /** For a timed group: sends the next copy a delay after copy {@code n} was sent. */
  private void scheduleAfter(int n) {
    if (!timed) {
      return;
    }
    lock.lock();
    try {
      if (done || stopped || launches != n || launches >= maxCopies) {
        return;
      }
    } finally {
      lock.unlock();
    }
    long delay = engine.hedgeDelayNanos();
    if (delay == 0) {
      fire(n);
      return;
    }
    Future<?> t = engine.scheduleHedge(() -> fire(n), delay);
    if (t == null) {
      return; // the scheduler is closed: the group waits on the copies it has
    }
    Future<?> old;
    lock.lock();
    try {
      if (done || launches != n) {
        old = t;
      } else {
        old = timer;
        timer = t;
      }
    } finally {
      lock.unlock();
    }
    if (old != null) {
      old.cancel(false);
    }
  }

  private void succeeded(PooledAttempt<R> winner, @Nullable R value) {
    List<PooledAttempt<R>> losers;
    Future<?> t;
    boolean byHedge;
    lock.lock();
    try {
      if (done) {
        losers = null;
        t = null;
        byHedge = false;
      } else {
        done = true;
        losers = new ArrayList<>(copies);
        losers.remove(winner);
        byHedge = copies.indexOf(winner) > 0;
        t = timer;
        timer = null;
      }
    } finally {
      lock.unlock();
    }
    if (losers == null) {
      // Answered as well, but after the winner: nobody takes this result.
      engine.discard(value);
      return;
    }
    if (t != null) {
      t.cancel(false);
    }
    for (PooledAttempt<R> loser : losers) {
      loser.endEarly(CopyCancelled.lost());
    }
    if (byHedge) {
      engine.hedgeWon();
    }
    outcome.complete(value);
  }

  /**
   * Takes a copy's failure: the next copy goes at once if one is left and {@code last} is false;
   * the group fails once every copy sent has failed and no further one will be.
   */
  private void failed(@Nullable PooledAttempt<R> copy, Throwable failure, boolean last) {
    List<PooledAttempt<R>> others = null;
    Future<?> t = null;
    int next = 0;
    lock.lock();
    try {
      if (done) {
        return;
      }
      failures.add(failure);
      if (last) {
        stopped = true;
      }
      if (failure instanceof Error) {
        // An Error is never caught: it ends the attempt at once.
        done = true;
        others = new ArrayList<>(copies);
        if (copy != null) {
          others.remove(copy);
        }
        t = timer;
        timer = null;
      } else if (!stopped && launches < maxCopies) {
        next = ++launches;
      }
    } finally {
      lock.unlock();
    }
    if (others != null) {
      if (t != null) {
        t.cancel(false);
      }
      for (PooledAttempt<R> other : others) {
        other.endEarly(CopyCancelled.lost());
      }
      outcome.completeExceptionally(failure);
      return;
    }
    if (next > 0) {
      launch(next);
    } else {
      settleIfAllFailed();
    }
  }

  /** Fails the group when every copy sent has failed and no further one will be sent. */
  private void settleIfAllFailed() {
    Throwable last;
    Future<?> t;
    lock.lock();
    try {
      if (done
          || failures.isEmpty()
          || failures.size() < launches
          || (!stopped && launches < maxCopies)) {
        return;
      }
      done = true;
      t = timer;
      timer = null;
      last = failures.get(failures.size() - 1);
      for (Throwable earlier : failures.subList(0, failures.size() - 1)) {
        if (earlier != last) {
          last.addSuppressed(earlier);
        }
      }
    } finally {
      lock.unlock();
    }
    if (t != null) {
      t.cancel(false);
    }
    outcome.completeExceptionally(last);
  }

  /** Ends every copy for a caller that stopped waiting. */
  private void cancelAll(InterruptedException stop) {
    List<PooledAttempt<R>> all;
    Future<?> t;
    lock.lock();
    try {
      done = true;
      all = new ArrayList<>(copies);
      t = timer;
      timer = null;
    } finally {
      lock.unlock();
    }
    if (t != null) {
      t.cancel(false);
    }
    for (PooledAttempt<R> copy : all) {
      copy.endEarly(stop);
    }
    outcome.completeExceptionally(stop);
  }
}
