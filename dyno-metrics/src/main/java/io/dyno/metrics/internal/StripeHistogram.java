package io.dyno.metrics.internal;

import io.dyno.metrics.internal.hdr.Histogram;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A lock-free histogram of latencies from 0 to {@link RollingLatency#MAX_NANOS}, recorded into by
 * any number of threads and drained into an HdrHistogram, with its counters in pages created as
 * values reach them.
 *
 * <p><b>Buckets.</b> The counters follow HdrHistogram's layout at 3 significant digits with a
 * lowest discernible value of 1: every value below 2048 has its own counter, and each later power
 * of two is split into 1024 counters. A counter stands for the lowest value of its HdrHistogram
 * bucket, so a drain into a {@link Histogram} of 3 digits files every count in the bucket of the
 * value recorded.
 *
 * <p><b>Memory.</b> Counters live in pages of 256 (2 KB), each created the first time a value falls
 * in its range, so memory follows the ranges of latencies seen rather than the whole 0 – 1 h range.
 * An empty histogram holds only the page table, about half a kilobyte.
 *
 * <p><b>Thread safety.</b> Recording is one atomic increment of a counter, plus a compare-and-set
 * the first time a page is needed: no lock, no wait, no allocation once the page exists. A drain
 * may run while threads record: each counter is taken with an atomic get-and-set, so every value
 * recorded is moved exactly once, by the drain it races or by the next one. Drains must not run
 * concurrently with each other.
 */
final class StripeHistogram {

  /** log2 of the counters per power of two past the first 2048 values. */
  private static final int SUB_BUCKET_HALF_MAGNITUDE = 10;

  /** Clears the low bits so that values below 2048 all fall in bucket 0. */
  private static final long SUB_BUCKET_MASK = (1L << (SUB_BUCKET_HALF_MAGNITUDE + 1)) - 1;

  /** 64 minus the bits of a value below 2048, as HdrHistogram's {@code leadingZeroCountBase}. */
  private static final int LEADING_ZERO_BASE = 64 - (SUB_BUCKET_HALF_MAGNITUDE + 1);

  private static final int PAGE_SHIFT = 8;
  private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
  private static final int PAGE_MASK = PAGE_SIZE - 1;

  /** The page slot past the counters that marks a page recorded into since its last drain. */
  private static final int PAGE_DIRTY = PAGE_SIZE;

  /** Pages needed to reach the counter of {@link RollingLatency#MAX_NANOS}. */
  static final int PAGES = (indexOf(RollingLatency.MAX_NANOS) >>> PAGE_SHIFT) + 1;

  private final AtomicReferenceArray<@Nullable AtomicLongArray> pages =
      new AtomicReferenceArray<>(PAGES);

  /** Non-zero when some page was marked since the last drain; lets a drain skip an idle stripe. */
  private volatile int dirty;

  /**
   * Records one value; values below 0 count as 0 and values above {@link RollingLatency#MAX_NANOS}
   * as that.
   */
  void record(long value) {
    int index = indexOf(Math.max(0L, Math.min(value, RollingLatency.MAX_NANOS)));
    int p = index >>> PAGE_SHIFT;
    AtomicLongArray page = pages.get(p);
    if (page == null) {
      page = newPage(p);
    }
    page.getAndIncrement(index & PAGE_MASK);
    // The mark comes after the increment, and a drain clears the mark before reading the counters:
    // volatile accesses are totally ordered, so either this read of the mark precedes the drain's
    // clearing, and the drain sees the increment, or it sees the mark cleared and sets it again for
    // the next drain. Writing only when clear keeps the cache line shared in the steady state.
    if (page.get(PAGE_DIRTY) == 0) {
      page.set(PAGE_DIRTY, 1);
      // Same order one level up: the page mark is set before the stripe mark is read.
      if (dirty == 0) {
        dirty = 1;
      }
    }
  }

  /**
   * Moves every count into the histogram that {@code target} supplies, asked for only when there is
   * a count to move, and returns the number of values moved.
   */
  long drainTo(Supplier<Histogram> target) {
    Histogram[] histogram = new Histogram[1];
    return drainTo(
        (value, count) -> {
          if (histogram[0] == null) {
            histogram[0] = target.get();
          }
          histogram[0].recordValueWithCount(value, count);
        });
  }

  /**
   * Moves every count to {@code sink}, in ascending order of value, one call per distinct value,
   * and returns the number of values moved.
   */
  long drainTo(Sink sink) {
    if (dirty == 0) {
      return 0;
    }
    dirty = 0;
    long moved = 0;
    for (int p = 0; p < PAGES; p++) {
      AtomicLongArray page = pages.get(p);
      if (page == null || page.get(PAGE_DIRTY) == 0) {
        continue;
      }
      page.set(PAGE_DIRTY, 0);
      for (int i = 0; i < PAGE_SIZE; i++) {
        // Reading first skips empty counters without taking their cache lines for writing.
        if (page.get(i) != 0) {
          long count = page.getAndSet(i, 0);
          sink.accept(valueAt((p << PAGE_SHIFT) + i), count);
          moved += count;
        }
      }
    }
    return moved;
  }

  /** Takes the counts a drain moves. */
  @FunctionalInterface
  interface Sink {
    /**
     * Takes {@code count} values filed under {@code value}, the lowest value of their bucket.
     *
     * @param value the value
     * @param count how many, positive
     */
    void accept(long value, long count);
  }

  /** The number of pages created so far. */
  int pagesAllocated() {
    int n = 0;
    for (int p = 0; p < PAGES; p++) {
      if (pages.get(p) != null) {
        n++;
      }
    }
    return n;
  }

  private AtomicLongArray newPage(int p) {
    AtomicLongArray fresh = new AtomicLongArray(PAGE_SIZE + 1);
    AtomicLongArray winner = pages.compareAndExchange(p, null, fresh);
    return winner == null ? fresh : winner;
  }

  /**
   * The counter of {@code value}, in [0, {@link RollingLatency#MAX_NANOS}]: HdrHistogram's counts
   * index with a lowest discernible value of 1, whose bucket is {@code 53 - nlz(value | 2047)} and
   * whose sub-bucket, {@code value >>> bucket}, lies in [1024, 2048) past bucket 0.
   */
  static int indexOf(long value) {
    int bucket = LEADING_ZERO_BASE - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK);
    return (bucket << SUB_BUCKET_HALF_MAGNITUDE) + (int) (value >>> bucket);
  }

  /** The lowest value whose counter is {@code index}: HdrHistogram's {@code valueFromIndex}. */
  static long valueAt(int index) {
    int bucket = Math.max(0, (index >>> SUB_BUCKET_HALF_MAGNITUDE) - 1);
    return (long) (index - (bucket << SUB_BUCKET_HALF_MAGNITUDE)) << bucket;
  }
}
