package io.dyno.metrics.internal;

import io.dyno.metrics.internal.hdr.Histogram;
import io.dyno.metrics.internal.hdr.PackedHistogram;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Latencies over a rolling window, in HdrHistograms at 3 significant digits, from 0 to 1 hour.
 *
 * <p><b>Recording.</b> Values go into one of a few striped {@link StripeHistogram}s, picked by the
 * recording thread's id, so that threads rarely write the same memory: atomic increments contended
 * by several threads are slow. Recording is one atomic increment of a counter in the stripe, with
 * no lock and no wait. Stripes are created on first use.
 *
 * <p><b>Rolling.</b> The stripes hold the values of one bucket period, {@link #livePeriod}. The
 * first recording or reading that sees a later period harvests the stripes into that period's
 * bucket and moves the live period on. Harvesting takes {@link #lock}; a recording thread only
 * {@linkplain ReentrantLock#tryLock tries} it and, when another thread holds it, records without
 * waiting, so recording never blocks. Values recorded while a harvest runs may be filed one bucket
 * early or late.
 *
 * <p><b>Memory.</b> A stripe's counters live in 2 KB pages created as latencies reach their range,
 * so a stripe's memory follows the ranges of latencies seen. Buckets hold their distinct values as
 * sorted runs, whose memory grows with the number of distinct values rather than with the range.
 * The retired runs, which {@link #totals} reads, hold one run per distinct value the window has
 * dropped: bounded by the distinct values seen, never by the number of calls.
 *
 * <p><b>Reference histograms.</b> Built with {@code keepReference}, each bucket also files its
 * values into an HdrHistogram, which {@link #merge} merges: an independent reckoning of the window
 * that the summaries are tested against. Metrics do not keep them.
 */
public final class RollingLatency {

  /** The largest latency recorded; longer ones count as this. */
  public static final long MAX_NANOS = TimeUnit.HOURS.toNanos(1);

  private static final int DIGITS = 3;

  private final int buckets;
  private final long bucketNanos;
  private final long origin;
  private final int stripeMask;
  private final AtomicReferenceArray<@Nullable StripeHistogram> stripes;

  private final ReentrantLock lock = new ReentrantLock();

  /** The period the stripes' values belong to; written under {@link #lock}. */
  private volatile long livePeriod;

  /**
   * The ticker reading at which {@link #livePeriod} ends, so that recording checks for a roll with
   * a subtraction instead of a division; written under {@link #lock} with it.
   */
  private volatile long liveEnd;

  // Guarded by lock: each slot's histogram and the period it holds.

  /** One reference histogram per slot, or null when not kept; see {@link #merge}. */
  private final @Nullable Histogram @Nullable [] histograms;

  /** Whether each slot holds a bucket, of the period in {@link #periods}. */
  private final boolean[] used;

  private final long[] periods;

  /**
   * Guarded by {@link #lock}: each slot's values as ascending runs of (lowest value of an
   * HdrHistogram bucket, count), the same values as the slot's histogram. A harvest adds its values
   * to the runs as it files them, so that a summary never walks a histogram: walking one visits
   * every counter up to its largest value, thousands of them for a single latency of a second.
   *
   * <p>Past the slots, at index {@link #buckets}, the closed slots' runs merged: every slot of the
   * window but the live period's, for the reading period {@link #closedPeriod} and the live period
   * {@link #closedLivePeriod}. Values are only ever filed under the live period, so a slot that is
   * not the live period's never changes until the window rolls past it, and a summary merges just
   * two sets of runs, the closed ones and the live one.
   *
   * <p>At index {@link #retired}, the runs of every period whose slot was reused: the values the
   * window has dropped, kept for {@link #totals}. A slot's runs are merged in when the slot is
   * emptied for a newer period, so that with the slots' runs they hold every latency since
   * creation, once.
   */
  private final long[][] runValues;

  private final long[][] runCounts;
  private final int[] runSizes;

  /** The index of the retired runs in {@link #runValues}. */
  private final int retired;

  /** Guarded by {@link #lock}: one stripe's drained values, ascending, before they are filed. */
  private long[] drainedValues = new long[16];

  private long[] drainedCounts = new long[16];
  private int drainedSize;
  private final StripeHistogram.Sink drainSink = this::drained;

  /** Guarded by {@link #lock}: room for a summary's live slots and its place in each. */
  private final int[] liveSlots;

  private final int[] cursors;

  /**
   * Guarded by {@link #lock}: the periods the merged closed runs were made for. They start empty,
   * which is the merge for reading period 0 and live period 0: the live period only moves on, so
   * while it is 0 no slot but its own has been filed into.
   */
  private long closedPeriod;

  private long closedLivePeriod;

  /** Guarded by {@link #lock}: the last summary, for the period it was made in. */
  private @Nullable LatencySummary summary;

  private long summaryPeriod;

  /** Guarded by {@link #lock}: whether any slot changed since {@link #summary} was made. */
  private boolean changedSinceSummary;

  /** Asked only for HdrHistogram's value equivalences at 3 digits; never written. */
  private final Histogram shape = new PackedHistogram(DIGITS);

  /**
   * Creates an empty window.
   *
   * @param windowNanos the window length, a positive multiple of {@code buckets}
   * @param buckets the number of buckets, at least 1
   * @param origin the first ticker reading
   * @param stripes the number of stripes, a power of two
   */
  public RollingLatency(long windowNanos, int buckets, long origin, int stripes) {
    this(windowNanos, buckets, origin, stripes, false);
  }

  /**
   * Creates an empty window that may keep reference histograms.
   *
   * @param windowNanos the window length, a positive multiple of {@code buckets}
   * @param buckets the number of buckets, at least 1
   * @param origin the first ticker reading
   * @param stripes the number of stripes, a power of two
   * @param keepReference whether each bucket also keeps an HdrHistogram, for {@link #merge}
   */
  public RollingLatency(
      long windowNanos, int buckets, long origin, int stripes, boolean keepReference) {
    this.buckets = buckets;
    this.bucketNanos = windowNanos / buckets;
    this.origin = origin;
    this.stripeMask = stripes - 1;
    this.stripes = new AtomicReferenceArray<>(stripes);
    this.histograms = keepReference ? new Histogram[buckets] : null;
    this.used = new boolean[buckets];
    this.periods = new long[buckets];
    this.retired = buckets + 1;
    this.runValues = new long[buckets + 2][];
    this.runCounts = new long[buckets + 2][];
    this.runSizes = new int[buckets + 2];
    this.liveSlots = new int[buckets + 1];
    this.cursors = new int[buckets + 1];
    for (int i = 0; i < runValues.length; i++) {
      runValues[i] = new long[0];
      runCounts[i] = new long[0];
    }
    this.livePeriod = 0;
    this.liveEnd = origin + bucketNanos;
  }

  /**
   * The stripe count for this machine: a power of two, about twice the processors, at least 2 and
   * at most 16. Threads are spread by id, so with about two stripes per processor two threads that
   * run at once rarely share one (threads recording similar latencies into one stripe would write
   * the same counters); the cap bounds the memory, since each stripe holds pages of its own.
   */
  public static int defaultStripes() {
    int target = Math.min(16, 2 * Runtime.getRuntime().availableProcessors());
    return Integer.highestOneBit(Math.max(1, target - 1)) << 1;
  }

  /** Records a latency of {@code nanos} that ended at {@code now}. */
  public void record(long now, long nanos) {
    if (now - liveEnd >= 0 && lock.tryLock()) {
      try {
        rollLocked(period(now));
      } finally {
        lock.unlock();
      }
    }
    stripe().record(nanos);
  }

  /**
   * Returns a new histogram holding the latencies of the window that ends at {@code now}, in
   * nanoseconds, merged from the reference histograms into a plain (not packed) one, quick to read.
   *
   * @throws IllegalStateException if the window was built without them
   */
  public Histogram merge(long now) {
    @Nullable Histogram[] reference = histograms;
    if (reference == null) {
      throw new IllegalStateException("this window keeps no reference histograms");
    }
    long period = period(now);
    Histogram merged = new Histogram(DIGITS);
    lock.lock();
    try {
      rollLocked(period);
      harvestLocked();
      for (int i = 0; i < buckets; i++) {
        Histogram h = reference[i];
        long age = period - periods[i];
        // A bucket slightly newer than the reading (a ticker read late by a racing thread) counts.
        if (h != null && age > -buckets && age < buckets) {
          merged.add(h);
        }
      }
    } finally {
      lock.unlock();
    }
    return merged;
  }

  /**
   * Summarizes the latencies of the window that ends at {@code now}: the same count, mean and
   * percentiles as {@link #merge} would give, at a fraction of the cost. A window that has not
   * changed since the last summary (an idle metric read every second) costs a check; one that has
   * merges the buckets' runs, and works over their distinct values, not their histograms' whole
   * ranges.
   *
   * @param now the ticker reading
   * @param percentiles each in [0, 100]; 0 gives the minimum and 100 the maximum; the same list on
   *     every call
   * @return the summary
   */
  public LatencySummary summarize(long now, List<Double> percentiles) {
    long period = period(now);
    lock.lock();
    try {
      rollLocked(period);
      harvestLocked();
      LatencySummary cached = summary;
      if (cached != null && !changedSinceSummary && summaryPeriod == period) {
        return cached;
      }
      LatencySummary fresh = summarizeLocked(period, percentiles);
      summary = fresh;
      summaryPeriod = period;
      changedSinceSummary = false;
      return fresh;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Summarizes the latencies of the window that ends at {@code now} as {@link #summarize(long,
   * List)} does, for any list of percentiles: computed afresh on every call, it neither reads nor
   * replaces the summary that {@link #summarize(long, List)} keeps for its own list.
   *
   * @param now the ticker reading
   * @param percentiles each in [0, 100]; 0 gives the minimum and 100 the maximum
   * @return the summary
   */
  public LatencySummary summarizeAt(long now, List<Double> percentiles) {
    long period = period(now);
    lock.lock();
    try {
      rollLocked(period);
      harvestLocked();
      return summarizeLocked(period, percentiles);
    } finally {
      lock.unlock();
    }
  }

  /** Summarizes the window for reading period {@code period}, rolled and harvested. */
  private LatencySummary summarizeLocked(long period, List<Double> percentiles) {
    if (closedPeriod != period || closedLivePeriod != livePeriod) {
      mergeClosedLocked(period);
    }
    int live = 0;
    liveSlots[live++] = buckets;
    int liveIndex = (int) Math.floorMod(livePeriod, (long) buckets);
    if (liveSlot(liveIndex, period)) {
      liveSlots[live++] = liveIndex;
    }
    return LatencySummary.ofMerged(
        runValues, runCounts, runSizes, liveSlots, live, cursors, percentiles, shape);
  }

  /**
   * Returns a new histogram holding the latencies of the window that ends at {@code now}, in
   * nanoseconds at 3 significant digits: exactly the counts {@link #summarize} works from, at the
   * same bucket values, so that HdrHistogram's own count, mean and percentiles of it are those of
   * the summary. Unlike {@link #merge} it needs no reference histograms; it is made from the
   * buckets' runs, a recording per distinct value.
   *
   * @param now the ticker reading
   * @return a new, auto-resizing histogram the caller owns
   */
  public Histogram histogram(long now) {
    Histogram into = new Histogram(DIGITS);
    long period = period(now);
    lock.lock();
    try {
      rollLocked(period);
      harvestLocked();
      addWindowLocked(period, into);
    } finally {
      lock.unlock();
    }
    return into;
  }

  /**
   * Summarizes the window as {@link #summarize(long, List)} does and, in the same reading, adds its
   * latencies to {@code into}, as {@link #histogram} would give them: the summary and the histogram
   * hold the same values even while other threads record.
   *
   * @param now the ticker reading
   * @param percentiles as for {@link #summarize(long, List)}
   * @param into a histogram at 3 significant digits, auto-resizing or wide enough, to add to
   * @return the summary
   */
  public LatencySummary summarize(long now, List<Double> percentiles, Histogram into) {
    lock.lock();
    try {
      LatencySummary summary = summarize(now, percentiles);
      addWindowLocked(period(now), into);
      return summary;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns every latency recorded since creation that a reading at {@code now} finds (the stripes
   * are harvested first, as {@link #summarize} does): the retired runs and every slot's, in the
   * window or not (a slot out of the window keeps its values, unretired, until it is reused),
   * merged. Taken under the lock, so a reading never counts a value twice nor misses one filed
   * before it; it never changes what a summary returns. Each count only grows from one reading to
   * the next.
   *
   * @param now the ticker reading
   * @return two new arrays of one length: the distinct values, each the lowest value of its
   *     HdrHistogram bucket, ascending, and how many latencies each stands for
   */
  public long[][] totals(long now) {
    long period = period(now);
    lock.lock();
    try {
      rollLocked(period);
      harvestLocked();
      // Merged a slot at a time between two buffers large enough for every run, so that a reading
      // allocates four arrays, not a pair per slot.
      // Room for every set of runs: the slots', the retired ones, and the closed ones (not merged
      // here, and at most the slots' own).
      int capacity = 0;
      for (int size : runSizes) {
        capacity += size;
      }
      long[] values = Arrays.copyOf(runValues[retired], capacity);
      long[] counts = Arrays.copyOf(runCounts[retired], capacity);
      long[] nextValues = new long[capacity];
      long[] nextCounts = new long[capacity];
      int n = runSizes[retired];
      for (int slot = 0; slot < buckets; slot++) {
        n = merge(values, counts, n, slot, nextValues, nextCounts);
        long[] swap = values;
        values = nextValues;
        nextValues = swap;
        swap = counts;
        counts = nextCounts;
        nextCounts = swap;
      }
      return new long[][] {Arrays.copyOf(values, n), Arrays.copyOf(counts, n)};
    } finally {
      lock.unlock();
    }
  }

  /**
   * Merges the first {@code size} runs of {@code values} and {@code counts} with the runs of {@code
   * slot} into {@code outValues} and {@code outCounts}, adding the counts of equal values, and
   * returns the number of runs out.
   */
  private int merge(
      long[] values, long[] counts, int size, int slot, long[] outValues, long[] outCounts) {
    long[] more = runValues[slot];
    long[] moreCounts = runCounts[slot];
    int moreSize = runSizes[slot];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < size || j < moreSize) {
      if (j == moreSize || (i < size && values[i] < more[j])) {
        outValues[n] = values[i];
        outCounts[n++] = counts[i++];
      } else if (i == size || more[j] < values[i]) {
        outValues[n] = more[j];
        outCounts[n++] = moreCounts[j++];
      } else {
        outValues[n] = values[i];
        outCounts[n++] = counts[i++] + moreCounts[j++];
      }
    }
    return n;
  }

  /** Adds the window's runs, the closed slots' and the live one's, to {@code into}. */
  private void addWindowLocked(long period, Histogram into) {
    if (closedPeriod != period || closedLivePeriod != livePeriod) {
      mergeClosedLocked(period);
    }
    addRuns(buckets, into);
    int liveIndex = (int) Math.floorMod(livePeriod, (long) buckets);
    if (liveSlot(liveIndex, period)) {
      addRuns(liveIndex, into);
    }
  }

  private void addRuns(int set, Histogram into) {
    long[] values = runValues[set];
    long[] counts = runCounts[set];
    for (int i = 0; i < runSizes[set]; i++) {
      into.recordValueWithCount(values[i], counts[i]);
    }
  }

  /**
   * Merges the runs of the window's slots other than the live period's into the runs at index
   * {@link #buckets}, adding the counts of equal values.
   */
  private void mergeClosedLocked(long period) {
    int liveIndex = (int) Math.floorMod(livePeriod, (long) buckets);
    int k = 0;
    int total = 0;
    for (int i = 0; i < buckets; i++) {
      if (i != liveIndex && liveSlot(i, period)) {
        liveSlots[k++] = i;
        total += runSizes[i];
      }
    }
    long[] values = runValues[buckets];
    long[] counts = runCounts[buckets];
    if (values.length < total) {
      values = new long[total];
      counts = new long[total];
      runValues[buckets] = values;
      runCounts[buckets] = counts;
    }
    Arrays.fill(cursors, 0, k, 0);
    int n = 0;
    while (true) {
      long v = Long.MAX_VALUE;
      for (int j = 0; j < k; j++) {
        int s = liveSlots[j];
        if (cursors[j] < runSizes[s]) {
          v = Math.min(v, runValues[s][cursors[j]]);
        }
      }
      if (v == Long.MAX_VALUE) {
        break;
      }
      long c = 0;
      for (int j = 0; j < k; j++) {
        int s = liveSlots[j];
        if (cursors[j] < runSizes[s] && runValues[s][cursors[j]] == v) {
          c += runCounts[s][cursors[j]++];
        }
      }
      values[n] = v;
      counts[n++] = c;
    }
    runSizes[buckets] = n;
    closedPeriod = period;
    closedLivePeriod = livePeriod;
  }

  /** Whether slot {@code i} is in the window of {@code period}; a slot never used holds no runs. */
  private boolean liveSlot(int i, long period) {
    long age = period - periods[i];
    return age > -buckets && age < buckets;
  }

  private long period(long now) {
    return Math.floorDiv(now - origin, bucketNanos);
  }

  /** The calling thread's stripe; threads with nearby ids, as in a pool, get distinct ones. */
  private StripeHistogram stripe() {
    int index = (int) Thread.currentThread().getId() & stripeMask;
    StripeHistogram r = stripes.get(index);
    if (r == null) {
      StripeHistogram fresh = new StripeHistogram();
      r = stripes.compareAndExchange(index, null, fresh);
      if (r == null) {
        r = fresh;
      }
    }
    return r;
  }

  /** Files the stripes' values under the live period if {@code period} is later, and moves on. */
  private void rollLocked(long period) {
    if (period - livePeriod > 0) {
      harvestLocked();
      livePeriod = period;
      liveEnd = origin + (period + 1) * bucketNanos;
    }
  }

  /** Moves every stripe's values into the live period's bucket. */
  private void harvestLocked() {
    for (int i = 0; i <= stripeMask; i++) {
      StripeHistogram s = stripes.get(i);
      if (s == null) {
        continue;
      }
      drainedSize = 0;
      if (s.drainTo(drainSink) > 0) {
        fileDrainedLocked();
      }
    }
  }

  /** Takes one drained run; a stripe drains in ascending order of value. */
  private void drained(long value, long count) {
    if (drainedSize == drainedValues.length) {
      drainedValues = Arrays.copyOf(drainedValues, drainedSize * 2);
      drainedCounts = Arrays.copyOf(drainedCounts, drainedSize * 2);
    }
    drainedValues[drainedSize] = value;
    drainedCounts[drainedSize++] = count;
  }

  /**
   * Files one stripe's drained runs under the live period: into its histogram, and into its runs,
   * where a value already held gets the count added and the others are merged in from the back, so
   * that a bucket that had one new value costs a search and a shift, not a re-read.
   */
  private void fileDrainedLocked() {
    int slot = liveSlotLocked();
    @Nullable Histogram h = histograms == null ? null : histograms[slot];
    if (h != null) {
      for (int j = 0; j < drainedSize; j++) {
        h.recordValueWithCount(drainedValues[j], drainedCounts[j]);
      }
    }
    addRunsLocked(slot, drainedValues, drainedCounts, drainedSize);
    changedSinceSummary = true;
  }

  /**
   * Adds the first {@code added} ascending runs of {@code addValues} and {@code addCounts} to the
   * runs at index {@code set}: a value already held gets the count added and the others are merged
   * in from the back, so that one new value costs a search and a shift, not a re-read. Uses the
   * added arrays as scratch: they hold nothing useful afterwards.
   */
  private void addRunsLocked(int set, long[] addValues, long[] addCounts, int added) {
    long[] values = runValues[set];
    long[] counts = runCounts[set];
    int size = runSizes[set];
    int fresh = 0;
    for (int j = 0; j < added; j++) {
      long v = addValues[j];
      long c = addCounts[j];
      int at = Arrays.binarySearch(values, 0, size, v);
      if (at >= 0) {
        counts[at] += c;
      } else {
        // Kept ascending in place: fresh <= j.
        addValues[fresh] = v;
        addCounts[fresh++] = c;
      }
    }
    if (size + fresh > values.length) {
      int capacity = Math.max(16, Math.max(size + fresh, values.length * 2));
      values = Arrays.copyOf(values, capacity);
      counts = Arrays.copyOf(counts, capacity);
      runValues[set] = values;
      runCounts[set] = counts;
    }
    int i = size - 1;
    int j = fresh - 1;
    for (int out = size + fresh - 1; j >= 0; out--) {
      if (i >= 0 && values[i] > addValues[j]) {
        values[out] = values[i];
        counts[out] = counts[i--];
      } else {
        values[out] = addValues[j];
        counts[out] = addCounts[j--];
      }
    }
    runSizes[set] = size + fresh;
  }

  /**
   * The live period's slot, emptied first (its runs, and its reference histogram if kept) when it
   * is unused or holds an older period's bucket; called when a stripe has values to file. The runs
   * of an older period are added to the retired runs first, for {@link #totals}: once a period, a
   * merge in place that allocates only when the retired runs meet values they lack room for.
   */
  private int liveSlotLocked() {
    long period = livePeriod;
    int slot = (int) Math.floorMod(period, (long) buckets);
    if (!used[slot] || periods[slot] != period) {
      @Nullable Histogram[] reference = histograms;
      if (reference != null) {
        reference[slot] = new PackedHistogram(DIGITS);
      }
      addRunsLocked(retired, runValues[slot], runCounts[slot], runSizes[slot]);
      used[slot] = true;
      periods[slot] = period;
      runSizes[slot] = 0;
      changedSinceSummary = true;
    }
    return slot;
  }
}
