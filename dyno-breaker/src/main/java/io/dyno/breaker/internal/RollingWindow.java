package io.dyno.breaker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A breaker's rolling time window: successes, failures and slow calls in a ring of buckets, each
 * outcome counted in the bucket of the time it happened, so that a bucket leaves the window with
 * exactly the calls of its period (as Resilience4j's time-based window and Failsafe's timed stats
 * count them).
 *
 * <p><b>A success takes no lock.</b> {@link #addSuccess} finds the bucket of its time (the newest
 * bucket, read from one volatile field, unless the time has moved on) and increments the bucket's
 * striped counter ({@link LongAdder}): no lock, no allocation, and no single shared word for two
 * threads to fight over. A bucket is created once per bucket period, by compare-and-set into the
 * ring; a thread holding a reading so old that a newer bucket already took its slot counts nothing,
 * as that time has left the window.
 *
 * <p><b>Failures and slow calls take the lock</b> ({@link #record}), with the read of the whole
 * window, because the breaker judges the window after each of them.
 *
 * <p><b>Which successes must be judged.</b> A success can open a breaker only when the window holds
 * a failure or a slow call: it may be the call that brings the window to its minimum volume. So
 * {@link #record} first raises {@link #badUntil} (the first period whose window no longer holds
 * that failure) and then sums the buckets, and {@link #addSuccess} first increments its bucket and
 * then reads {@code badUntil}. All of these are volatile or atomic accesses, which Java orders as
 * one sequence: either the failure's sum includes the success, or the success sees the failure and
 * is judged itself. A success is also spared the judgement when the window was already judged safe
 * (at least the minimum volume, rates below the thresholds) in the same period: a success only
 * lowers the rates, and nothing leaves the window within a period.
 *
 * <p>Bucket periods count from the reading the window was created with, by difference, so that a
 * ticker that wraps past {@code Long.MAX_VALUE} (as {@code System.nanoTime} may) keeps counting
 * smoothly. Thread-safe.
 */
public final class RollingWindow {

  /** The calls of one bucket period. */
  private static final class Bucket {
    final long period;

    /** The ticker reading at which the period starts; compared by difference. */
    final long start;

    /** Every call of the period that did not fail, slow ones included. */
    final LongAdder successes = new LongAdder();

    // Guarded by the window's lock.
    long failures;
    long slowCalls;

    Bucket(long period, long start) {
      this.period = period;
      this.start = start;
    }
  }

  private final int size;
  private final long bucketNanos;
  private final long origin;
  private final AtomicReferenceArray<Bucket> ring;
  private final ReentrantLock lock = new ReentrantLock();

  /** The newest bucket; the hot path's only read of the ring. Advanced by {@link #CURRENT}. */
  private volatile Bucket current;

  /** The first period whose window holds no failure or slow call; below it, successes judge. */
  private volatile long badUntil = Long.MIN_VALUE;

  /** The newest period in which the window was judged safe; successes there need no judging. */
  private volatile long safeIn = Long.MIN_VALUE;

  private static final VarHandle CURRENT;

  static {
    try {
      CURRENT = MethodHandles.lookup().findVarHandle(RollingWindow.class, "current", Bucket.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Creates an empty window whose first bucket starts at {@code now}.
   *
   * @param windowNanos the window length, at least {@code buckets} nanoseconds
   * @param buckets how many buckets the window is counted in, at least 1
   * @param now the ticker reading the bucket periods count from
   */
  public RollingWindow(long windowNanos, int buckets, long now) {
    this.size = buckets;
    this.bucketNanos = windowNanos / buckets;
    this.origin = now;
    this.ring = new AtomicReferenceArray<>(buckets);
    Bucket first = new Bucket(0, now);
    ring.set(0, first);
    this.current = first;
  }

  /**
   * Counts one success at {@code now} that was not slow. Lock-free; allocates only the first time a
   * bucket period is used.
   *
   * @param now the ticker reading when the call ended
   * @return whether the breaker must judge the window: it holds a failure or a slow call and was
   *     not judged safe in this period
   */
  public boolean addSuccess(long now) {
    Bucket b = current;
    long offset = now - b.start;
    if (offset < 0 || offset >= bucketNanos) {
      b = bucketAt(now);
      if (b == null) {
        return false;
      }
    }
    b.successes.increment();
    // Read after the increment: see the class comment for why this order matters.
    long period = b.period;
    return period < badUntil && period != safeIn;
  }

  /**
   * Records one call at {@code now} and returns the counts including it.
   *
   * @param now the ticker reading when the call ended
   * @param failed whether the call failed
   * @param slow whether the call was slower than the threshold
   * @return the counts of the window after recording
   */
  public WindowCounts record(long now, boolean failed, boolean slow) {
    lock.lock();
    try {
      Bucket b = bucketAt(now);
      if (b != null) {
        if (failed) {
          b.failures++;
        } else {
          b.successes.increment();
        }
        if (slow) {
          b.slowCalls++;
        }
        if (failed || slow) {
          long until = b.period + size;
          if (until > badUntil) {
            // Written before the sum below: see the class comment.
            badUntil = until;
          }
        }
      }
      return countsLocked(now);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the counts of the window as of {@code now}.
   *
   * @param now the ticker reading
   * @return the counts
   */
  public WindowCounts counts(long now) {
    lock.lock();
    try {
      return countsLocked(now);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Notes that the window was judged safe as of {@code counts}: until the period changes, a success
   * cannot bring it to a threshold.
   *
   * @param counts the counts that were judged
   */
  public void judgedSafe(WindowCounts counts) {
    long period = counts.period();
    // A racing, older judgement may lower it again: that only costs a later success a judgement.
    if (period > safeIn) {
      safeIn = period;
    }
  }

  /** Returns the bucket of the period of {@code now}, or null if that time left the window. */
  private @Nullable Bucket bucketAt(long now) {
    long period = Math.floorDiv(now - origin, bucketNanos);
    int slot = (int) Math.floorMod(period, (long) size);
    while (true) {
      Bucket b = ring.get(slot);
      if (b != null && b.period >= period) {
        // A newer bucket holds the slot: this time is at least a window older than the newest.
        return b.period == period ? b : null;
      }
      Bucket fresh = new Bucket(period, origin + period * bucketNanos);
      if (ring.compareAndSet(slot, b, fresh)) {
        Bucket c = current;
        while (period > c.period && !CURRENT.compareAndSet(this, c, fresh)) {
          c = current;
        }
        return fresh;
      }
    }
  }

  private WindowCounts countsLocked(long now) {
    // A reading taken before another thread's newer bucket counts as of the newest bucket.
    long newest = Math.max(Math.floorDiv(now - origin, bucketNanos), current.period);
    long s = 0;
    long f = 0;
    long slow = 0;
    for (int i = 0; i < size; i++) {
      Bucket b = ring.get(i);
      if (b != null && newest - b.period < size) {
        s += b.successes.sum();
        f += b.failures;
        slow += b.slowCalls;
      }
    }
    return new WindowCounts(s + f, f, slow, newest);
  }
}
