package io.dyno.harness.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of failures, in total and by exact class, updated from many threads without a lock.
 *
 * <p>Thread-safe. Each count is exact once the updates that raised it have returned; a reader
 * racing with updates may see the total and the per-class counts a few updates apart.
 */
public final class Counts {

  private final LongAdder total = new LongAdder();
  private final ConcurrentHashMap<Class<? extends Throwable>, LongAdder> byType =
      new ConcurrentHashMap<>();

  /** Creates counts that are all zero. */
  public Counts() {}

  /**
   * Counts one failure of the given class.
   *
   * @param type the exact class of the failure
   */
  public void add(Class<? extends Throwable> type) {
    total.increment();
    byType.computeIfAbsent(type, unused -> new LongAdder()).increment();
  }

  /**
   * Returns how many failures have been counted.
   *
   * @return the total
   */
  public long total() {
    return total.sum();
  }

  /**
   * Returns the count of each class seen, as of about one moment.
   *
   * @return an immutable map from exact class to count
   */
  public Map<Class<? extends Throwable>, Long> byType() {
    Map<Class<? extends Throwable>, Long> copy = new HashMap<>();
    byType.forEach((type, count) -> copy.put(type, count.sum()));
    return Map.copyOf(copy);
  }
}
