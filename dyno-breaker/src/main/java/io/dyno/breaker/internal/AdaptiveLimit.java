package io.dyno.breaker.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An adaptive limit: feeds the samples of finished calls to a {@link LimitAlgorithm} one at a time
 * and publishes the limit it returns, without ever making a thread wait.
 *
 * <p>The thread that finds the lock free applies its own sample, then every sample that others left
 * pending while it held the lock. A thread that finds the lock taken does not wait: it folds its
 * sample into the pending aggregate (a count with a latency sum, the largest in-flight count, and a
 * count of drops) and tries the lock once more, since the holder may have let go in between. The
 * holder, after letting go, looks at the aggregate again and takes the lock back if something is
 * pending, so no sample is left behind. Samples folded together are applied one by one with their
 * mean latency, successes before drops.
 *
 * <p>The listener is told of each change after the lock is let go, on the thread that made it.
 */
public final class AdaptiveLimit {

  /** Told of a change of the limit. */
  @FunctionalInterface
  public interface Listener {

    /**
     * Called after the limit moved from {@code previous} to {@code limit}, outside the lock.
     *
     * @param previous the limit before
     * @param limit the limit now
     */
    void changed(int previous, int limit);
  }

  /** Pending successes and their summed latency share one word, so they are taken together. */
  private static final int COUNT_SHIFT = 44;

  private static final long SUM_MASK = (1L << COUNT_SHIFT) - 1;
  private static final long MAX_COUNT = (1L << (63 - COUNT_SHIFT)) - 1;

  private final LimitAlgorithm algorithm;
  private final Listener listener;

  /**
   * The lock: true while a thread applies samples. Only ever tried, never waited for, so a flag
   * does what a lock would at half the cost; its volatile writes and reads order the algorithm's
   * state between the threads that take it in turn.
   */
  private final AtomicBoolean lock = new AtomicBoolean();

  private volatile int limit;

  private final AtomicLong pendingSuccesses = new AtomicLong();
  private final AtomicInteger pendingInflight = new AtomicInteger();
  private final AtomicInteger pendingDrops = new AtomicInteger();

  /**
   * Creates the limit at the algorithm's initial limit.
   *
   * @param algorithm the algorithm, used by this limit only
   * @param listener told of each change
   */
  public AdaptiveLimit(LimitAlgorithm algorithm, Listener listener) {
    this.algorithm = algorithm;
    this.listener = listener;
    this.limit = algorithm.initialLimit();
  }

  /**
   * Returns the limit now.
   *
   * @return the limit, at least 1
   */
  public int limit() {
    return limit;
  }

  /**
   * Returns the algorithm's name.
   *
   * @return the name
   */
  public String algorithm() {
    return algorithm.name();
  }

  /**
   * Takes the sample of one finished call.
   *
   * @param rttNanos how long it took; raised to 1 if lower, as no algorithm can divide by 0, and
   *     taken as 1 for a drop, whose time no algorithm reads
   * @param inflight how many calls were in flight with it, itself included
   * @param dropped whether it was a loss
   */
  public void sample(long rttNanos, int inflight, boolean dropped) {
    long rtt = dropped ? 1 : Math.max(1, rttNanos);
    if (tryLock()) {
      int previous = limit;
      int now;
      try {
        apply(rtt, inflight, dropped);
        drain();
        now = limit;
      } finally {
        lock.set(false);
      }
      tell(previous, now);
    } else {
      fold(rtt, inflight, dropped);
    }
    // Whoever held the lock may have let go before seeing what was folded in meanwhile.
    while (pending() && tryLock()) {
      int previous = limit;
      int now;
      try {
        drain();
        now = limit;
      } finally {
        lock.set(false);
      }
      tell(previous, now);
    }
  }

  private boolean tryLock() {
    return !lock.get() && lock.compareAndSet(false, true);
  }

  private void fold(long rtt, int inflight, boolean dropped) {
    pendingInflight.accumulateAndGet(inflight, Math::max);
    if (dropped) {
      pendingDrops.incrementAndGet();
      return;
    }
    long add = Math.min(rtt, SUM_MASK);
    while (true) {
      long word = pendingSuccesses.get();
      long count = word >>> COUNT_SHIFT;
      long sum = word & SUM_MASK;
      // Saturates rather than overflows: hours of latency pending at once cannot happen while the
      // holder drains after every sample, and the count stays exact either way.
      long next = (Math.min(count + 1, MAX_COUNT) << COUNT_SHIFT) | Math.min(SUM_MASK, sum + add);
      if (pendingSuccesses.compareAndSet(word, next)) {
        return;
      }
    }
  }

  private boolean pending() {
    return pendingSuccesses.get() != 0 || pendingDrops.get() != 0;
  }

  // Guarded by lock.
  private void drain() {
    if (!pending()) {
      // The common case: nothing was folded in. Plain reads spare two atomic swaps per sample.
      return;
    }
    int drops = pendingDrops.getAndSet(0);
    long word = pendingSuccesses.getAndSet(0);
    if (drops == 0 && word == 0) {
      return;
    }
    int inflight = pendingInflight.getAndSet(0);
    long count = word >>> COUNT_SHIFT;
    if (count > 0) {
      long mean = Math.max(1, (word & SUM_MASK) / count);
      for (long i = 0; i < count; i++) {
        apply(mean, inflight, false);
      }
    }
    for (int i = 0; i < drops; i++) {
      apply(1, inflight, true);
    }
  }

  // Guarded by lock.
  private void apply(long rtt, int inflight, boolean dropped) {
    int current = limit;
    int next = Math.max(1, algorithm.update(rtt, inflight, dropped, current));
    if (next != current) {
      // Most samples leave the limit as it is: no volatile write for them.
      limit = next;
    }
  }

  private void tell(int previous, int now) {
    if (previous != now) {
      listener.changed(previous, now);
    }
  }

  @Override
  public String toString() {
    return algorithm.name() + " limit " + limit;
  }
}
