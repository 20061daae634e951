package io.dyno.cache.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * One key's slot in the map: its current value, its computation in flight, and the eviction
 * policy's bookkeeping.
 *
 * <p>A node stays in the map while its value is replaced, so that a key's single flight survives
 * recomputation. The {@link #flight} field is the whole protocol: null while the key is free, a
 * {@link Flight} while one computation owns it, and a final retired mark once the node is on its
 * way out of the map. Every removal from the map retires the node first, by compare-and-set from
 * free ({@link #tryRetire}) or by the owner of the flight ({@link #retire}); a claim succeeds only
 * on a free node. So a claimed node is the map's node for its key until its owner lets go, and no
 * second node of the key can be claimed meanwhile: one computation per key at a time, whatever
 * failure, expiry, eviction or invalidation happens to the key.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Node<K, V> {

  private static final VarHandle FLIGHT;
  private static final VarHandle VALUE;
  private static final Flight<?> RETIRED = Flight.retiredMark();

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      FLIGHT = lookup.findVarHandle(Node.class, "flight", Flight.class);
      VALUE = lookup.findVarHandle(Node.class, "value", Stamped.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final K key;
  private final int hash;

  /** The current value, or null until the first computation succeeds or after invalidation. */
  private volatile @Nullable Stamped<V> value;

  /** Null while free, the computation that owns the key, or {@link #RETIRED}. */
  private volatile @Nullable Flight<V> flight;

  // The policy's fields. index is written under the policy's lock; readers outside it only use it
  // as a hint and re-check under the lock.
  int index = -1;
  boolean expiredWhenRemoved;

  // The policy's logical time of the last access; written by readers without a lock, only when it
  // changed, so a hot key's node is not written on every hit. A lost write only makes the node look
  // a little older to the eviction sampler.
  long accessEpoch;

  /**
   * The sketch generation in which this key's frequency counters were last seen all saturated, or
   * -1; a plain field, since a stale read only costs one more counter update.
   */
  int saturatedGeneration = -1;

  /**
   * Creates an empty node.
   *
   * @param key the key
   */
  public Node(K key) {
    this.key = key;
    this.hash = key.hashCode();
  }

  /**
   * Returns the key.
   *
   * @return the key
   */
  public K key() {
    return key;
  }

  /**
   * Returns the key's hash code, computed once.
   *
   * @return the hash
   */
  public int hash() {
    return hash;
  }

  /**
   * Returns the current value, live or expired, or null if there is none.
   *
   * @return the value
   */
  public @Nullable Stamped<V> value() {
    return value;
  }

  /**
   * Sets the current value.
   *
   * @param stamped the new value
   */
  public void setValue(Stamped<V> stamped) {
    this.value = stamped;
  }

  /** Drops the current value, so that no read returns it. */
  public void clearValue() {
    this.value = null;
  }

  /**
   * Drops the current value if it is still {@code expected}.
   *
   * @param expected the value to drop
   */
  public void clearValue(Stamped<V> expected) {
    VALUE.compareAndSet(this, expected, (Stamped<?>) null);
  }

  /**
   * Returns the computation that owns the key, the retired mark, or null if the key is free.
   *
   * @return the flight, or null
   */
  public @Nullable Flight<V> flight() {
    return flight;
  }

  /**
   * Returns whether {@code f}, read from {@link #flight}, is the retired mark.
   *
   * @param f a flight read from this node
   * @return true if the node is leaving the map
   */
  public static boolean isRetiredMark(Flight<?> f) {
    return f == RETIRED;
  }

  /**
   * Returns whether the node is retired: leaving or gone from the map, never to be claimed again.
   *
   * @return true once retired
   */
  public boolean isRetired() {
    return flight == RETIRED;
  }

  /**
   * Claims the key's single flight: succeeds only if the key is free and the node not retired.
   *
   * @param mine the flight that the claimant will complete
   * @return true if the caller now owns the computation
   */
  public boolean claim(Flight<V> mine) {
    return FLIGHT.compareAndSet(this, (Flight<?>) null, mine);
  }

  /**
   * Frees the key that {@code mine} held, so that the next computation can start.
   *
   * @param mine the owner's flight
   */
  public void release(Flight<V> mine) {
    FLIGHT.compareAndSet(this, mine, (Flight<?>) null);
  }

  /**
   * Retires the node from the flight that owns it, before the owner removes it from the map.
   *
   * @param mine the owner's flight
   */
  public void retire(Flight<V> mine) {
    FLIGHT.compareAndSet(this, mine, RETIRED);
  }

  /**
   * Retires the node if no computation owns it, before the caller removes it from the map.
   *
   * @return true if the caller retired it (and must remove it); false if it is claimed or was
   *     already retired
   */
  public boolean tryRetire() {
    return FLIGHT.compareAndSet(this, (Flight<?>) null, RETIRED);
  }

  /**
   * Retires the node if its flight is an early recomputation that no thread has started (an
   * executor that dropped the task, or has not run it yet), taking that flight over so that neither
   * the task nor a reader can start it any more. The caller removes the node from the map, then
   * completes the returned flight with {@link Abandoned}.
   *
   * @return the flight taken over, or null if the node is free, retired or being computed
   */
  public @Nullable Flight<V> tryRetireUnstarted() {
    Flight<V> f = flight;
    // The retired mark counts as started, so start() refuses it.
    if (f == null || !f.start()) {
      return null;
    }
    // This thread owns f now, so the node's flight stays f until it is retired here.
    retire(f);
    return f;
  }

  /**
   * Returns whether no computation runs on this node: it is free, or its flight has not started.
   *
   * @return true if clean-up and eviction may remove it
   */
  public boolean isRemovable() {
    Flight<V> f = flight;
    return f == null || f.isPending(); // the retired mark counts as started, never pending
  }

  /**
   * Returns whether the eviction policy holds this node; a racy hint, exact under its lock.
   *
   * @return true once admitted and until removed
   */
  public boolean isAdmitted() {
    return index >= 0;
  }

  /**
   * Returns whether the node left the cache because its value had expired (rather than for size).
   *
   * @return true for an expiry
   */
  public boolean expiredWhenRemoved() {
    return expiredWhenRemoved;
  }

  @Override
  public String toString() {
    return "Node[" + key + "]";
  }
}
