package io.dyno.metrics.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Counts of call outcomes, the in-flight count and its peak, and failures by type, in a ring of
 * time buckets covering the window. Lock-free: each bucket period gets a fresh {@link Bucket},
 * swapped into its slot by compare-and-set, so that counting never waits and a bucket never needs
 * resetting while another thread adds to it.
 */
public final class RollingCounts {

  private final int buckets;
  private final long bucketNanos;

  /**
   * The ticker reading periods count from, by difference, so that a ticker that wraps past {@code
   * Long.MAX_VALUE} (as {@code System.nanoTime} may) keeps counting smoothly.
   */
  private final long origin;

  private final AtomicReferenceArray<@Nullable Bucket> ring;
  private final AtomicLong inFlight = new AtomicLong();

  /** Ends that found no call in flight: a start ended twice, or an end without a start. */
  private final LongAdder unbalancedEnds = new LongAdder();

  /**
   * The bucket the last call down the slow path found, the newest but for a late reading, so that a
   * call in its period finds it by a subtraction and a comparison, without the division that turns
   * a reading into a period. Racy by design: a call that sets an older bucket here only sends later
   * calls down the slow path, which sets it right.
   */
  private volatile @Nullable Bucket newest;

  /**
   * The counts of the buckets that have left the ring, added by the thread whose compare-and-set
   * replaced each one (see {@link #slowBucket}); with the buckets still in the ring, every count
   * since creation. Written once per bucket period, never on the fast path.
   */
  private final LongAdder retiredSuccesses = new LongAdder();

  private final LongAdder retiredFailures = new LongAdder();
  private final LongAdder retiredTimeouts = new LongAdder();
  private final LongAdder retiredShortCircuits = new LongAdder();
  private final LongAdder retiredRejections = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> retiredByType = new ConcurrentHashMap<>();

  /**
   * The largest totals reported so far, one per count and per failure type, so that a reading that
   * races a bucket's retirement (the bucket already out of the ring, its counts not yet added to
   * the retired ones) reports the previous reading again rather than a drop, which a Prometheus
   * scraper would take for a counter reset.
   */
  private final AtomicLong reportedSuccesses = new AtomicLong();

  private final AtomicLong reportedFailures = new AtomicLong();
  private final AtomicLong reportedTimeouts = new AtomicLong();
  private final AtomicLong reportedShortCircuits = new AtomicLong();
  private final AtomicLong reportedRejections = new AtomicLong();
  private final ConcurrentHashMap<String, AtomicLong> reportedByType = new ConcurrentHashMap<>();

  /**
   * Creates an empty window.
   *
   * @param windowNanos the window length, a positive multiple of {@code buckets}
   * @param buckets the number of buckets, at least 1
   * @param origin the first ticker reading
   */
  public RollingCounts(long windowNanos, int buckets, long origin) {
    this.buckets = buckets;
    this.bucketNanos = windowNanos / buckets;
    this.origin = origin;
    this.ring = new AtomicReferenceArray<>(buckets);
  }

  /** Counts a call starting at {@code now}: one more in flight, and the bucket's peak raised. */
  public void enter(long now) {
    long level = inFlight.incrementAndGet();
    bucket(now).raisePeak(level);
  }

  /** Counts a success at {@code now}, the end of a call that {@link #enter entered}. */
  public void success(long now) {
    exit();
    bucket(now).successes.increment();
  }

  /** Counts a failure of {@code type} at {@code now}, the end of a call that entered. */
  public void failure(long now, Class<?> type) {
    exit();
    bucket(now).failed(type);
  }

  /** Counts a timeout at {@code now}, the end of a call that entered. */
  public void timeout(long now) {
    exit();
    bucket(now).timeouts.increment();
  }

  /**
   * Counts the end of a call that entered and was abandoned, with no outcome: one fewer in flight,
   * nothing added to any bucket.
   */
  public void cancel() {
    exit();
  }

  /** Returns the calls in flight now, never below zero. */
  public long inFlight() {
    return Math.max(0, inFlight.get());
  }

  /** Returns the ends counted that found no call in flight. */
  public long unbalancedEnds() {
    return unbalancedEnds.sum();
  }

  /**
   * One call fewer in flight. An end with none in flight is misuse (a start ended twice, or never
   * started); it is undone and counted rather than letting the count go negative for good. The
   * decrement comes first so that the common case is one atomic instruction; a reader racing the
   * undo may see -1 for an instant, which {@link #sum} clamps.
   */
  private void exit() {
    if (inFlight.decrementAndGet() < 0) {
      inFlight.incrementAndGet();
      unbalancedEnds.increment();
    }
  }

  /** Counts a short-circuit at {@code now}. */
  public void shortCircuit(long now) {
    bucket(now).shortCircuits.increment();
  }

  /** Counts a rejection at {@code now}. */
  public void rejection(long now) {
    bucket(now).rejections.increment();
  }

  /**
   * Sums the buckets of the window that ends at {@code now}. Each counter is read once, so the
   * totals are consistent with each other (a request count is their sum), though a call counted
   * while the sums are read may show in one bucket's reading and not yet in another's.
   */
  public Counts sum(long now) {
    long period = period(now);
    long successes = 0;
    long failures = 0;
    long timeouts = 0;
    long shortCircuits = 0;
    long rejections = 0;
    long current = inFlight();
    long peak = current;
    Map<String, Long> byType = new TreeMap<>();
    for (int i = 0; i < buckets; i++) {
      Bucket b = ring.get(i);
      if (b == null || !live(b.period, period)) {
        continue;
      }
      successes += b.successes.sum();
      failures += b.failures.sum();
      timeouts += b.timeouts.sum();
      shortCircuits += b.shortCircuits.sum();
      rejections += b.rejections.sum();
      peak = Math.max(peak, b.peak.get());
      b.byType.forEach((type, count) -> byType.merge(type, count.sum(), Long::sum));
    }
    return new Counts(
        successes, failures, timeouts, shortCircuits, rejections, current, peak, byType);
  }

  /**
   * Whether a bucket of period {@code bucketPeriod} lies in the window ending in {@code period}.
   */
  private boolean live(long bucketPeriod, long period) {
    long age = period - bucketPeriod;
    // A bucket slightly newer than the reading (a racing thread read the ticker later) counts too.
    return age < buckets && age > -buckets;
  }

  private long period(long now) {
    return Math.floorDiv(now - origin, bucketNanos);
  }

  /** The bucket counting {@code now}, renewing its slot when the slot holds an older period. */
  private Bucket bucket(long now) {
    Bucket n = newest;
    if (n != null) {
      long offset = now - n.start;
      if (offset >= 0 && offset < bucketNanos) {
        return n;
      }
    }
    Bucket b = slowBucket(now);
    newest = b;
    return b;
  }

  private Bucket slowBucket(long now) {
    long period = period(now);
    int slot = (int) Math.floorMod(period, (long) buckets);
    Bucket b = ring.get(slot);
    while (b == null || period - b.period > 0) {
      // The first call of a new period in this slot. Calls still in flight are part of the new
      // period too, so its peak starts at the current count.
      Bucket fresh = new Bucket(period, origin + period * bucketNanos, inFlight.get());
      if (ring.compareAndSet(slot, b, fresh) && b != null) {
        // Only the thread whose compare-and-set replaced b retires it, so it is retired once.
        retire(b);
      }
      // This thread's bucket, or the one a racing thread set first.
      b = ring.get(slot);
    }
    // Either the slot counts this period, or a newer one (this thread read the ticker just before
    // a boundary and lost the race): count there, a bucket's width late, rather than lose the call.
    return b;
  }

  /** Adds the counts of {@code old}, just replaced in its slot, to the retired counts. */
  private void retire(Bucket old) {
    retiredSuccesses.add(old.successes.sum());
    retiredFailures.add(old.failures.sum());
    retiredTimeouts.add(old.timeouts.sum());
    retiredShortCircuits.add(old.shortCircuits.sum());
    retiredRejections.add(old.rejections.sum());
    old.byType.forEach(
        (type, count) ->
            retiredByType.computeIfAbsent(type, k -> new LongAdder()).add(count.sum()));
  }

  /**
   * Returns the counts since creation: the retired buckets' and those of every bucket in the ring,
   * in the window or not (a bucket out of the window stays in its slot, unretired, until its slot
   * is reused). Each count, and each failure type's, never decreases from one reading to the next.
   *
   * <p>One imperfection remains: a thread that took a bucket and then stalled for longer than the
   * whole window, so that its increment lands after the bucket was retired, is lost from the
   * totals, as a call counted in a bucket that has left the window is lost from a snapshot.
   */
  public Totals totals() {
    return reported(unreported());
  }

  /**
   * The counts since creation as they are now, which may miss a bucket's counts for the instant
   * between its replacement and its retirement. The retired counts are read before the ring, so
   * that a bucket retired while this reads is missed for an instant rather than counted twice: its
   * counts in the retired ones mean its replacement is visible in the ring.
   */
  Totals unreported() {
    long successes = retiredSuccesses.sum();
    long failures = retiredFailures.sum();
    long timeouts = retiredTimeouts.sum();
    long shortCircuits = retiredShortCircuits.sum();
    long rejections = retiredRejections.sum();
    Map<String, Long> byType = new TreeMap<>();
    retiredByType.forEach((type, count) -> byType.put(type, count.sum()));
    for (int i = 0; i < buckets; i++) {
      Bucket b = ring.get(i);
      if (b == null) {
        continue;
      }
      successes += b.successes.sum();
      failures += b.failures.sum();
      timeouts += b.timeouts.sum();
      shortCircuits += b.shortCircuits.sum();
      rejections += b.rejections.sum();
      b.byType.forEach((type, count) -> byType.merge(type, count.sum(), Long::sum));
    }
    return new Totals(successes, failures, timeouts, shortCircuits, rejections, byType);
  }

  /**
   * Returns {@code read}, each count raised to the largest reported before, and records it as
   * reported: a failure type once reported stays, at least at its last count.
   */
  Totals reported(Totals read) {
    read.failuresByType()
        .forEach(
            (type, count) ->
                reportedByType
                    .computeIfAbsent(type, k -> new AtomicLong())
                    .accumulateAndGet(count, Math::max));
    Map<String, Long> byType = new TreeMap<>();
    reportedByType.forEach((type, count) -> byType.put(type, count.get()));
    return new Totals(
        reportedSuccesses.accumulateAndGet(read.successes(), Math::max),
        reportedFailures.accumulateAndGet(read.failures(), Math::max),
        reportedTimeouts.accumulateAndGet(read.timeouts(), Math::max),
        reportedShortCircuits.accumulateAndGet(read.shortCircuits(), Math::max),
        reportedRejections.accumulateAndGet(read.rejections(), Math::max),
        byType);
  }

  /** One bucket period's counters. */
  static final class Bucket {
    final long period;

    /** The ticker reading the period starts at (wrapping, like the ticker). */
    final long start;

    final LongAdder successes = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder shortCircuits = new LongAdder();
    final LongAdder rejections = new LongAdder();
    final AtomicLong peak;
    final ConcurrentHashMap<String, LongAdder> byType = new ConcurrentHashMap<>();

    Bucket(long period, long start, long peak) {
      this.period = period;
      this.start = start;
      this.peak = new AtomicLong(peak);
    }

    void failed(Class<?> type) {
      failures.increment();
      byType.computeIfAbsent(type.getName(), k -> new LongAdder()).increment();
    }

    void raisePeak(long value) {
      // Read before writing: the peak changes rarely, so most calls only share the cache line.
      long p = peak.get();
      while (value > p && !peak.compareAndSet(p, value)) {
        p = peak.get();
      }
    }
  }

  /**
   * The sums of one window.
   *
   * @param successes successful calls
   * @param failures failed calls
   * @param timeouts timed-out calls
   * @param shortCircuits calls refused by an open breaker
   * @param rejections calls refused for lack of capacity
   * @param inFlight calls in flight when read
   * @param maxInFlight the most calls in flight at once during the window
   * @param failuresByType failures by exception class name, sorted by name
   */
  public record Counts(
      long successes,
      long failures,
      long timeouts,
      long shortCircuits,
      long rejections,
      long inFlight,
      long maxInFlight,
      Map<String, Long> failuresByType) {}

  /**
   * The counts since creation.
   *
   * @param successes successful calls
   * @param failures failed calls
   * @param timeouts timed-out calls
   * @param shortCircuits calls refused by an open breaker
   * @param rejections calls refused for lack of capacity
   * @param failuresByType failures by exception class name, sorted by name
   */
  public record Totals(
      long successes,
      long failures,
      long timeouts,
      long shortCircuits,
      long rejections,
      Map<String, Long> failuresByType) {}
}
