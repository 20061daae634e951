package io.dyno.harness.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Decides which failures to log in full and which only to count, so that a storm of identical
 * failures logs its first failure and then one summary line per interval.
 *
 * <p>Failures are identical when they have the same {@link Kind}: exact class and message. For each
 * kind the table keeps when its current window started (the time of the last line logged about it),
 * when it last failed, and how many failures it has counted since that line. A failure is
 *
 * <ul>
 *   <li>logged in full if its kind is new, or has been quiet (no failure) for a whole interval; any
 *       count still pending for a quiet kind is summarized first;
 *   <li>only counted if its kind's window is younger than the interval;
 *   <li>otherwise the end of a window in a storm that is still going: it is counted, and one
 *       summary line reports every failure since the last line, this one included.
 * </ul>
 *
 * <p>No thread of its own: summaries are emitted by the next failure of their kind, or by {@link
 * #drain}. The table tracks at most {@code capacity} kinds. When it is full, kinds quiet for an
 * interval are retired (their pending counts summarized), at most once per interval; if it is still
 * full, a new kind is logged in full every time, untracked.
 *
 * <p>Times are ticker readings in nanoseconds, compared by difference so that they may wrap around
 * {@code Long.MAX_VALUE}.
 *
 * <p>Thread-safe: each kind's state sits behind its own short lock, held for a few arithmetic
 * operations; nothing is logged and no foreign code runs under it.
 */
public final class StormTable {

  private static final Decision SILENT = new Decision(List.of(), false, true);
  private static final Decision FIRST = new Decision(List.of(), true, true);
  private static final Decision UNTRACKED = new Decision(List.of(), true, false);

  private final int capacity;
  private final long intervalNanos;
  private final ConcurrentHashMap<Kind, Entry> entries = new ConcurrentHashMap<>();

  /** Slots reserved in {@link #entries}, kept apart from its size so the bound is exact. */
  private final AtomicInteger slots = new AtomicInteger();

  /** When the table was last swept for quiet kinds because it was full. */
  private final AtomicLong lastSweep;

  /**
   * Creates an empty table.
   *
   * @param capacity the most kinds tracked at once, at least 1
   * @param intervalNanos how long a window lasts, in nanoseconds, positive
   * @param now the ticker's reading at creation
   * @throws IllegalArgumentException if {@code capacity} or {@code intervalNanos} is not positive
   */
  public StormTable(int capacity, long intervalNanos, long now) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    if (intervalNanos <= 0) {
      throw new IllegalArgumentException("intervalNanos must be positive, was " + intervalNanos);
    }
    this.capacity = capacity;
    this.intervalNanos = intervalNanos;
    this.lastSweep = new AtomicLong(now);
  }

  /**
   * Records one failure of {@code kind} at {@code now} and says what to log for it.
   *
   * @param kind the failure's class and message
   * @param now the ticker's reading
   * @return what to log: summaries first, then the failure itself if {@link Decision#logInFull()}
   */
  public Decision record(Kind kind, long now) {
    List<Summary> swept = List.of();
    boolean sweptAlready = false;
    while (true) {
      Entry entry = entries.get(kind);
      if (entry == null) {
        if (slots.incrementAndGet() > capacity) {
          slots.decrementAndGet();
          if (sweptAlready || !claimSweep(now)) {
            return swept.isEmpty() ? UNTRACKED : new Decision(swept, true, false);
          }
          sweptAlready = true;
          swept = retireQuiet(now);
          continue;
        }
        Entry fresh = new Entry(now);
        Entry prior = entries.putIfAbsent(kind, fresh);
        if (prior == null) {
          return swept.isEmpty() ? FIRST : new Decision(swept, true, true);
        }
        slots.decrementAndGet();
        entry = prior;
      }
      Decision decision = entry.record(kind, now);
      if (decision != null) {
        return swept.isEmpty() ? decision : decision.after(swept);
      }
      // The entry was retired between get() and record(): look the kind up again.
    }
  }

  /**
   * Returns a summary of every kind with failures counted but not yet logged, and starts a new
   * window for each; kinds quiet for an interval are retired.
   *
   * @param now the ticker's reading
   * @return the summaries, possibly empty
   */
  public List<Summary> drain(long now) {
    List<Summary> summaries = new ArrayList<>();
    for (Map.Entry<Kind, Entry> e : entries.entrySet()) {
      Summary summary = e.getValue().drain(e.getKey(), now, true);
      if (summary != null) {
        summaries.add(summary);
      }
    }
    return summaries;
  }

  /**
   * Returns how many kinds are tracked.
   *
   * @return the number of kinds, at most the capacity
   */
  public int size() {
    return slots.get();
  }

  private boolean claimSweep(long now) {
    long last = lastSweep.get();
    return now - last >= intervalNanos && lastSweep.compareAndSet(last, now);
  }

  /** Retires the kinds quiet for an interval and returns the summaries of their pending counts. */
  private List<Summary> retireQuiet(long now) {
    List<Summary> summaries = new ArrayList<>();
    for (Map.Entry<Kind, Entry> e : entries.entrySet()) {
      Summary summary = e.getValue().drain(e.getKey(), now, false);
      if (summary != null) {
        summaries.add(summary);
      }
    }
    return summaries;
  }

  /** The state of one kind. */
  private final class Entry {
    private final ReentrantLock lock = new ReentrantLock();

    /** When the last line about this kind was logged. */
    private long windowStart;

    /** When this kind last failed. */
    private long lastSeen;

    /** Failures counted since the last line. */
    private long pending;

    /** Removed from the table: a thread that finds it must look the kind up again. */
    private boolean retired;

    Entry(long now) {
      windowStart = now;
      lastSeen = now;
    }

    /** Returns what to log for a failure at {@code now}, or null if the entry was retired. */
    @Nullable Decision record(Kind kind, long now) {
      lock.lock();
      try {
        if (retired) {
          return null;
        }
        // Differences, not comparisons, so that readings may wrap. A reading taken before another
        // thread moved the window (so the difference is negative) counts in the current window.
        if (now - windowStart < intervalNanos) {
          pending++;
          if (now - lastSeen > 0) {
            lastSeen = now;
          }
          return SILENT;
        }
        Decision decision;
        if (now - lastSeen < intervalNanos) {
          decision =
              new Decision(List.of(new Summary(kind, pending + 1, now - windowStart)), false, true);
        } else if (pending > 0) {
          decision =
              new Decision(List.of(new Summary(kind, pending, now - windowStart)), true, true);
        } else {
          decision = FIRST;
        }
        windowStart = now;
        lastSeen = now;
        pending = 0;
        return decision;
      } finally {
        lock.unlock();
      }
    }

    /**
     * Summarizes the pending count, if any, and retires the entry if its kind has been quiet for an
     * interval; with {@code all} false, only a quiet entry is summarized.
     */
    @Nullable Summary drain(Kind kind, long now, boolean all) {
      lock.lock();
      try {
        boolean quiet = now - lastSeen >= intervalNanos;
        if (retired || !(all || quiet)) {
          return null;
        }
        Summary summary = pending > 0 ? new Summary(kind, pending, now - windowStart) : null;
        if (quiet) {
          retired = true;
          // Removed under the entry's lock, so no thread can count into it after it is gone.
          entries.remove(kind, this);
          slots.decrementAndGet();
        } else {
          windowStart = now;
          pending = 0;
        }
        return summary;
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * What makes failures identical: their exact class and their message.
   *
   * @param type the failure's class
   * @param message the failure's message, or null if it has none
   */
  public record Kind(Class<?> type, @Nullable String message) {

    /**
     * Returns the class name and, if there is one, the message, as {@link Throwable#toString()}
     * shows them.
     *
     * @return for example {@code "java.io.IOException: connection reset"}
     */
    public String describe() {
      return message == null ? type.getName() : type.getName() + ": " + message;
    }
  }

  /**
   * Failures of one kind counted but not logged one by one.
   *
   * @param kind their class and message
   * @param count how many
   * @param spanNanos the time since the last line about this kind, in nanoseconds
   */
  public record Summary(Kind kind, long count, long spanNanos) {}

  /**
   * What to log for one failure.
   *
   * @param summaries summary lines to log first, possibly of other kinds
   * @param logInFull whether to log the failure itself, with its stack trace
   * @param tracked false if the table was full and the failure's kind is not tracked
   */
  public record Decision(List<Summary> summaries, boolean logInFull, boolean tracked) {

    /**
     * Copies the summaries.
     *
     * @param summaries summary lines to log first
     * @param logInFull whether to log the failure itself
     * @param tracked whether the failure's kind is tracked
     */
    public Decision {
      summaries = List.copyOf(summaries);
    }

    private Decision after(List<Summary> earlier) {
      List<Summary> all = new ArrayList<>(earlier);
      all.addAll(summaries);
      return new Decision(all, logInFull, tracked);
    }
  }
}
