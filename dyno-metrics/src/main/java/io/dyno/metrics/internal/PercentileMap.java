package io.dyno.metrics.internal;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An immutable sorted map from a fixed, ascending list of percentiles to latencies, held in two
 * arrays: what a snapshot's {@code latencyPercentiles} is when a metric builds it. It is read every
 * stream interval for every metric that changed, so it costs an array, not a tree, and the stream
 * reads its latencies by position ({@link #valueAt}). Equal to, and hashing like, any map with the
 * same entries; the views of a range ({@link #subMap} and the like) are unmodifiable copies.
 */
// SortedMap, not NavigableMap: it is the type of MetricsSnapshot.latencyPercentiles.
@SuppressWarnings("JdkObsolete")
public final class PercentileMap extends AbstractMap<Double, Duration>
    implements SortedMap<Double, Duration> {

  private final List<Double> keys;
  private final Duration[] values;
  private @Nullable Set<Map.Entry<Double, Duration>> entries;

  private PercentileMap(List<Double> keys, Duration[] values) {
    this.keys = keys;
    this.values = values;
  }

  /**
   * Returns the map from {@code keys} to the latencies in {@code nanos}, position by position.
   *
   * @param keys the percentiles, ascending, without repeats; an immutable list
   * @param nanos the latency at each, in nanoseconds
   * @return the map
   */
  public static PercentileMap of(List<Double> keys, long[] nanos) {
    if (keys.size() != nanos.length) {
      throw new IllegalArgumentException(
          "one latency per percentile: " + keys.size() + " percentiles, " + nanos.length);
    }
    Duration[] values = new Duration[nanos.length];
    for (int i = 0; i < nanos.length; i++) {
      values[i] = Duration.ofNanos(nanos[i]);
    }
    return new PercentileMap(keys, values);
  }

  /**
   * Returns whether this map's percentiles are exactly {@code keys}.
   *
   * @param keys the percentiles
   * @return true if they are the same list
   */
  public boolean hasKeys(List<Double> keys) {
    return this.keys.equals(keys);
  }

  /**
   * Returns the latency at the {@code i}-th percentile, in nanoseconds.
   *
   * @param i the position, from 0
   * @return the latency
   */
  public Duration valueAt(int i) {
    return values[i];
  }

  @Override
  public int size() {
    return values.length;
  }

  @Override
  public @Nullable Duration get(@Nullable Object key) {
    int i = keys.indexOf(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return keys.contains(key);
  }

  @Override
  public Set<Map.Entry<Double, Duration>> entrySet() {
    Set<Map.Entry<Double, Duration>> e = entries;
    if (e == null) {
      e = new Entries();
      entries = e;
    }
    return e;
  }

  @Override
  public @Nullable Comparator<? super Double> comparator() {
    return null;
  }

  @Override
  public Double firstKey() {
    if (keys.isEmpty()) {
      throw new NoSuchElementException();
    }
    return keys.get(0);
  }

  @Override
  public Double lastKey() {
    if (keys.isEmpty()) {
      throw new NoSuchElementException();
    }
    return keys.get(keys.size() - 1);
  }

  @Override
  public SortedMap<Double, Duration> subMap(Double fromKey, Double toKey) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(this).subMap(fromKey, toKey));
  }

  @Override
  public SortedMap<Double, Duration> headMap(Double toKey) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(this).headMap(toKey));
  }

  @Override
  public SortedMap<Double, Duration> tailMap(Double fromKey) {
    return Collections.unmodifiableSortedMap(new TreeMap<>(this).tailMap(fromKey));
  }

  /** The entries in ascending order of percentile; unmodifiable. */
  private final class Entries extends AbstractSet<Map.Entry<Double, Duration>> {

    @Override
    public int size() {
      return values.length;
    }

    @Override
    public Iterator<Map.Entry<Double, Duration>> iterator() {
      return new Iterator<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return next < values.length;
        }

        @Override
        public Map.Entry<Double, Duration> next() {
          if (next >= values.length) {
            throw new NoSuchElementException();
          }
          int i = next++;
          return new AbstractMap.SimpleImmutableEntry<>(keys.get(i), values[i]);
        }
      };
    }
  }
}
