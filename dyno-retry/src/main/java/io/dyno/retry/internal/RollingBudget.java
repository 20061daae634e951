package io.dyno.retry.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The counting behind a retry budget: calls and retries in a ring of time buckets covering the
 * window. Calls are added lock-free to striped counters, since every call records one; retries are
 * decided under a lock, since a retry must see and update the balance atomically or concurrent
 * failures would overdraw it.
 */
public final class RollingBudget {

  /** The window is counted in this many buckets; a bucket's counts expire all at once. */
  public static final int BUCKETS = 10;

  private final double ratio;
  private final double floor;
  private final long bucketNanos;

  /** Which bucket period each slot currently counts; a slot with an old period is stale. */
  private final AtomicLongArray periods = new AtomicLongArray(BUCKETS);

  private final LongAdder[] calls = new LongAdder[BUCKETS];

  /** Guarded by {@link #lock}. */
  private final long[] retries = new long[BUCKETS];

  private final ReentrantLock lock = new ReentrantLock();

  /**
   * The first ticker reading seen: periods count from it, by difference, so that a ticker that
   * wraps past {@code Long.MAX_VALUE} (as {@code System.nanoTime} may) keeps counting smoothly.
   * Written once under the lock, before {@link #started} is set.
   */
  private long origin;

  private volatile boolean started;

  /**
   * Creates the counters.
   *
   * @param ratio retries allowed per call
   * @param floor retries allowed per window regardless of calls
   * @param windowNanos the window length, at least {@link #BUCKETS} nanoseconds
   */
  public RollingBudget(double ratio, double floor, long windowNanos) {
    this.ratio = ratio;
    this.floor = floor;
    this.bucketNanos = windowNanos / BUCKETS;
    for (int i = 0; i < BUCKETS; i++) {
      calls[i] = new LongAdder();
      // Period MIN_VALUE is older than any real one, so every slot starts stale.
      periods.set(i, Long.MIN_VALUE);
    }
  }

  /**
   * Counts one call made at {@code now}. Lock-free, except once per bucket period, when the first
   * call of the period clears the slot it reuses under the lock.
   */
  public void recordCall(long now) {
    long period = period(now);
    int slot = slotOf(period);
    if (isOlder(periods.get(slot), period)) {
      renew(slot, period);
    }
    // A call that raced a renewal may land in the renewed bucket; it then counts a little
    // longer than the window, which errs towards allowing a retry, never towards overdrawing.
    calls[slot].increment();
  }

  /** What {@link #takeRetry} returns when the balance allows no retry. */
  public static final long REFUSED = Long.MIN_VALUE;

  /**
   * Takes one retry at {@code now} if the balance allows it, and returns the ticket that {@link
   * #refund} takes back: the bucket period it was counted in. Returns {@link #REFUSED} otherwise.
   */
  public long takeRetry(long now) {
    long period = period(now);
    lock.lock();
    try {
      // A thread that read the ticker just before a bucket boundary may get here after others
      // already counted in the next bucket: judge it against the newest bucket, or it would not
      // see their retries and could overdraw the budget.
      for (int i = 0; i < BUCKETS; i++) {
        long p = periods.get(i);
        if (p != Long.MIN_VALUE && p - period > 0) {
          period = p;
        }
      }
      int slot = slotOf(period);
      if (isOlder(periods.get(slot), period)) {
        renewLocked(slot, period);
      }
      long callCount = 0;
      long retryCount = 0;
      for (int i = 0; i < BUCKETS; i++) {
        long p = periods.get(i);
        // Only buckets of the last BUCKETS periods count.
        if (p != Long.MIN_VALUE && period - p >= 0 && period - p < BUCKETS) {
          callCount += calls[i].sum();
          retryCount += retries[i];
        }
      }
      if (retryCount + 1 > floor + ratio * callCount) {
        return REFUSED;
      }
      retries[slot]++;
      return period;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives back a retry that was taken but never made (its wait was interrupted, its call
   * cancelled). The ticket belongs to the bucket period that issued it: once that bucket has been
   * reused for a newer period, the retry has left the window anyway, and giving it back there would
   * free a retry that a newer call took. The refund is then a no-op, as is a {@link #REFUSED} one.
   */
  public void refund(long ticket) {
    if (ticket == REFUSED) {
      return;
    }
    int slot = slotOf(ticket);
    lock.lock();
    try {
      if (periods.get(slot) == ticket && retries[slot] > 0) {
        retries[slot]--;
      }
    } finally {
      lock.unlock();
    }
  }

  /** The bucket period of a ticker reading, counted from the first reading. */
  private long period(long now) {
    if (!started) {
      start(now);
    }
    return Math.floorDiv(now - origin, bucketNanos);
  }

  private void start(long now) {
    lock.lock();
    try {
      if (!started) {
        origin = now;
        started = true;
      }
    } finally {
      lock.unlock();
    }
  }

  private static int slotOf(long period) {
    return (int) Math.floorMod(period, (long) BUCKETS);
  }

  private void renew(int slot, long period) {
    lock.lock();
    try {
      if (isOlder(periods.get(slot), period)) {
        renewLocked(slot, period);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether a slot's period is older than {@code period}. A late caller holding an older period
   * must never reset a slot that already counts a newer one.
   */
  private static boolean isOlder(long slotPeriod, long period) {
    return slotPeriod == Long.MIN_VALUE || period - slotPeriod > 0;
  }

  private void renewLocked(int slot, long period) {
    calls[slot].reset();
    retries[slot] = 0;
    periods.set(slot, period);
  }
}
