package io.dyno.cache.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One key's slot in the map: its current value, its computation in flight, and the eviction
 * policy's bookkeeping.
 *
 * <p>A node stays in the map while its value is replaced, so that a key's single flight (the {@link
 * #inFlight} future, claimed by compare-and-set) survives recomputation.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Node<K, V> {

  private static final VarHandle IN_FLIGHT;

  static {
    try {
      IN_FLIGHT =
          MethodHandles.lookup().findVarHandle(Node.class, "inFlight", CompletableFuture.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final K key;
  private final int hash;

  /** The current value, or null until the first computation succeeds. */
  private volatile @Nullable Stamped<V> value;

  /** The computation in flight, completed with a {@link Stamped} or a {@link Failure}. */
  private volatile @Nullable CompletableFuture<Object> inFlight;

  // The policy's fields. index and removed are written under the policy's lock; readers outside
  // it only use them as a hint and re-check under the lock.
  int index = -1;
  boolean removed;
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
   * Returns the current value, live or expired, or null if none was ever computed.
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

  /**
   * Returns the computation in flight, if any.
   *
   * @return the future, or null
   */
  public @Nullable CompletableFuture<Object> inFlight() {
    return inFlight;
  }

  /**
   * Claims the key's single flight: succeeds only if no computation is in flight.
   *
   * @param mine the future that the claimant will complete
   * @return true if the caller now owns the computation
   */
  public boolean claim(CompletableFuture<Object> mine) {
    return IN_FLIGHT.compareAndSet(this, (CompletableFuture<?>) null, mine);
  }

  /**
   * Releases the single flight that {@code mine} held, so that the next computation can start.
   *
   * @param mine the owner's future
   */
  public void release(CompletableFuture<Object> mine) {
    IN_FLIGHT.compareAndSet(this, mine, (CompletableFuture<?>) null);
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
