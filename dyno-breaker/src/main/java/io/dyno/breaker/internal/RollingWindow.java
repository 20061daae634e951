package io.dyno.breaker.internal;

import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A breaker's rolling time window: successes, failures and slow calls in a ring of buckets.
 *
 * <p><b>Successes are counted without the time.</b> {@link #success()} only increments a striped
 * counter ({@link LongAdder}): no lock, no clock, no allocation, and no single shared word for two
 * threads to fight over. The buckets learn of those successes when the window is next brought up to
 * date ({@link #sync}), which every failure, slow call and read does: the successes seen since the
 * previous sync are spread evenly over the buckets between the two syncs, and those that would fall
 * before the window are dropped. When syncs are frequent, a success is counted in its own bucket or
 * the next; after a quiet spell the count is an estimate that assumes a steady rate. A caller that
 * knows the time anyway can call {@link #tick} to sync once per bucket.
 *
 * <p>Everything else happens under a lock that is never held around user code: failures are the
 * slow path, and a breaker must see and update the counts together to judge them.
 *
 * <p>Bucket periods count from the first ticker reading, by difference, so that a ticker that wraps
 * past {@code Long.MAX_VALUE} (as {@code System.nanoTime} may) keeps counting smoothly.
 */
public final class RollingWindow {

  private final int buckets;
  private final long bucketNanos;

  /** Every success ever counted by {@link #success()}; never reset, read by difference. */
  private final LongAdder successTotal = new LongAdder();

  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.
  private final long[] periods;
  private final long[] successes;
  private final long[] failures;
  private final long[] slowCalls;
  private long origin;
  private boolean started;

  /** The period of the last sync, the newest bucket. */
  private long newest;

  /** The value of {@link #successTotal} that the buckets already hold. */
  private long successesSeen;

  /** The ticker reading at which the next bucket starts; read without the lock by {@link #tick}. */
  private volatile long nextBucketAt;

  private volatile boolean ticking;

  /**
   * Creates an empty window.
   *
   * @param windowNanos the window length, at least {@code buckets} nanoseconds
   * @param buckets how many buckets the window is counted in, at least 1
   */
  public RollingWindow(long windowNanos, int buckets) {
    this.buckets = buckets;
    this.bucketNanos = windowNanos / buckets;
    this.periods = new long[buckets];
    this.successes = new long[buckets];
    this.failures = new long[buckets];
    this.slowCalls = new long[buckets];
  }

  /** Counts one success that was not slow, at no particular time. Lock-free; allocates nothing. */
  public void success() {
    successTotal.increment();
  }

  /**
   * Syncs the window if it has not started yet or {@code now} is in a later bucket than the last
   * sync; the cheap check a caller that has read the ticker anyway makes after a success. Never
   * waits for the lock: if another thread holds it, that thread is bringing the window up to date.
   */
  public void tick(long now) {
    if ((!ticking || now - nextBucketAt >= 0) && lock.tryLock()) {
      try {
        sync(now);
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Records one call at {@code now} and returns the counts including it.
   *
   * @param now the ticker reading
   * @param failed whether the call failed
   * @param slow whether the call was slower than the threshold
   * @return the counts of the window after recording
   */
  public WindowCounts record(long now, boolean failed, boolean slow) {
    lock.lock();
    try {
      int slot = sync(now);
      if (failed) {
        failures[slot]++;
      } else {
        successes[slot]++;
      }
      if (slow) {
        slowCalls[slot]++;
      }
      return countsLocked();
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
      sync(now);
      return countsLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Empties the window; successes counted while it clears may be kept or dropped. */
  public void clear() {
    lock.lock();
    try {
      successesSeen = successTotal.sum();
      started = false;
      ticking = false;
      for (int i = 0; i < buckets; i++) {
        successes[i] = 0;
        failures[i] = 0;
        slowCalls[i] = 0;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Brings the buckets up to {@code now} and returns the slot of the newest. Under the lock. */
  private int sync(long now) {
    if (!started) {
      origin = now;
      started = true;
      newest = 0;
      periods[0] = 0;
      for (int i = 1; i < buckets; i++) {
        // An empty slot whose period lies before any real one.
        periods[i] = Long.MIN_VALUE;
      }
    }
    long period = Math.floorDiv(now - origin, bucketNanos);
    // A reading taken before another thread's sync may arrive after it: count it as now.
    long previous = newest;
    if (period < previous) {
      period = previous;
    }
    for (long p = Math.max(previous + 1, period - buckets + 1); p <= period; p++) {
      int slot = slotOf(p);
      periods[slot] = p;
      successes[slot] = 0;
      failures[slot] = 0;
      slowCalls[slot] = 0;
    }
    newest = period;
    spreadSuccesses(previous, period);
    nextBucketAt = origin + (period + 1) * bucketNanos;
    ticking = true;
    return slotOf(period);
  }

  /**
   * Spreads the successes counted since the last sync evenly over the periods from {@code previous}
   * to {@code period}, dropping the share of those already out of the window.
   */
  private void spreadSuccesses(long previous, long period) {
    long total = successTotal.sum();
    long delta = total - successesSeen;
    successesSeen = total;
    if (delta <= 0) {
      return;
    }
    long span = period - previous + 1;
    long first = Math.max(previous, period - buckets + 1);
    long inWindow = period - first + 1;
    long kept = inWindow == span ? delta : Math.round((double) delta * inWindow / span);
    long share = kept / inWindow;
    for (long p = first; p <= period; p++) {
      successes[slotOf(p)] += share;
    }
    // The remainder goes to the newest bucket, where it lives longest.
    successes[slotOf(period)] += kept - share * inWindow;
  }

  private WindowCounts countsLocked() {
    long s = 0;
    long f = 0;
    long slow = 0;
    for (int i = 0; i < buckets; i++) {
      long p = periods[i];
      if (p != Long.MIN_VALUE && newest - p < buckets) {
        s += successes[i];
        f += failures[i];
        slow += slowCalls[i];
      }
    }
    return new WindowCounts(s + f, f, slow);
  }

  private int slotOf(long period) {
    return (int) Math.floorMod(period, (long) buckets);
  }
}
