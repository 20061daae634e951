package io.dyno.cache;

/**
 * An entry that left a cache by itself: pushed out by the size bound, or removed after expiry.
 *
 * @param cacheName the cache's name
 * @param key the key
 * @param value the value it held
 * @param cause why it left
 * @param <K> the key type
 * @param <V> the value type
 */
public record EvictionEvent<K, V>(String cacheName, K key, V value, Cause cause) {

  /** Why an entry left the cache. */
  public enum Cause {
    /** The cache was over its {@code maximumSize}. */
    SIZE,
    /** The value had passed its time to live. */
    EXPIRED
  }
}
