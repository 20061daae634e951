package io.dyno.cache.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Which entries a cache keeps: TinyLFU admission in front of a sampled least-recently-used
 * eviction, plus the removal of expired entries.
 *
 * <p><b>Reads</b> take no lock: a read bumps the key's counter in a {@link FrequencySketch} (only
 * when the cache is bounded) and stamps the node with the current logical time, an epoch that
 * advances once per admitted entry, written only when it changed.
 *
 * <p><b>Admission</b> happens when a key gets its first value. Under the lock, the node joins an
 * array of all admitted nodes. If that makes more than {@code maximumSize}, up to {@value #SAMPLES}
 * other nodes are drawn at random and the victim among them is an expired one if any, or else the
 * least frequently read, the least recently read breaking ties. The newcomer is kept, and the
 * victim evicted, only if the sketch says the newcomer is read more often than the victim;
 * otherwise the newcomer itself is evicted. A key read once therefore cannot push out a key read
 * often, which is what plain LRU gets wrong on skewed traffic.
 *
 * <p>Each admission also looks at two random nodes and removes them if their values have expired,
 * so that expired entries of keys nobody reads again do not pile up forever.
 *
 * <p>Nodes with a computation in flight are never removed, for expiry or for size: a node is
 * retired ({@link Node#tryRetire}) before it leaves the map, and only a free node can be, so that a
 * key's single flight is never split in two. While every node drawn is being computed, the cache
 * may hold a few more than {@code maximumSize} entries until a later admission.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class EvictionPolicy<K, V> {

  /** How many nodes are drawn to pick a victim. */
  static final int SAMPLES = 8;

  private final ConcurrentMap<K, Node<K, V>> map;
  private final long maximumSize;
  private final @Nullable FrequencySketch sketch;
  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.
  @SuppressWarnings("unchecked")
  private Node<K, V>[] nodes = (Node<K, V>[]) new Node<?, ?>[16];

  private long seed = 0x9E3779B97F4A7C15L;

  private volatile int count;

  /** Logical time for recency; advances under the lock, read by readers without it. */
  private volatile long epoch;

  /**
   * Creates the policy of one cache.
   *
   * @param map the cache's map, from which evicted nodes are removed
   * @param maximumSize the bound, or {@link Long#MAX_VALUE} for none
   */
  public EvictionPolicy(ConcurrentMap<K, Node<K, V>> map, long maximumSize) {
    this.map = map;
    this.maximumSize = maximumSize;
    this.sketch = maximumSize == Long.MAX_VALUE ? null : new FrequencySketch(maximumSize);
  }

  /**
   * Records a read of a present node; takes no lock and, in the steady state of a hot key, writes
   * nothing.
   *
   * @param node the node read
   */
  public void recordHit(Node<K, V> node) {
    FrequencySketch s = sketch;
    if (s != null) {
      // A hot key's counters saturate; until the sketch next halves them, counting its reads
      // changes nothing, so skip the hashing and the four counter reads.
      int generation = s.generation();
      if (node.saturatedGeneration != generation && !s.increment(node.hash())) {
        node.saturatedGeneration = generation;
      }
      long now = epoch;
      if (node.accessEpoch != now) {
        node.accessEpoch = now;
      }
    }
  }

  /**
   * Records a read of a key that had no live value.
   *
   * @param hash the key's hash code
   */
  public void recordMiss(int hash) {
    FrequencySketch s = sketch;
    if (s != null) {
      s.increment(hash);
    }
  }

  /**
   * Admits a node that just got its first value, evicting as the class documentation says.
   *
   * @param node the node
   * @param now the ticker time, to recognize expired values
   * @return the nodes removed from the map, possibly {@code node} itself; empty if none
   */
  public List<Node<K, V>> admit(Node<K, V> node, long now) {
    if (node.isAdmitted()) {
      return List.of();
    }
    List<Node<K, V>> removed = List.of();
    lock.lock();
    try {
      // A node is retired before it is ever detached, so a retired node is one on its way out (or
      // gone) and must not come back.
      if (node.index >= 0 || node.isRetired()) {
        return List.of();
      }
      int c = count;
      if (c == nodes.length) {
        nodes = Arrays.copyOf(nodes, c * 2);
      }
      node.index = c;
      nodes[c] = node;
      count = c + 1;
      long e = epoch + 1;
      epoch = e;
      node.accessEpoch = e;
      for (int i = 0; i < 2 && count > 1; i++) {
        Node<K, V> other = nodes[randomIndex(count)];
        if (other != node && isExpired(other, now) && evict(other, true)) {
          removed = add(removed, other);
        }
      }
      // Bounded, since a node being computed cannot be evicted: the loop gives up rather than spin
      // while the sampled nodes are all busy.
      for (int attempt = 0; count > maximumSize && attempt < SAMPLES; attempt++) {
        Node<K, V> victim = sampleVictim(node, now);
        if (victim == null) {
          break;
        }
        boolean expired = isExpired(victim, now);
        Node<K, V> loser = expired || frequency(node) > frequency(victim) ? victim : node;
        // expired implies loser == victim. A newcomer that already lost is retired, so evicting it
        // again fails and changes nothing.
        if (evict(loser, expired)) {
          removed = add(removed, loser);
        }
      }
    } finally {
      lock.unlock();
    }
    return removed;
  }

  /**
   * Forgets a node that the cache itself retired and removed from the map (an invalidation, or a
   * key whose computation failed before it ever had a value).
   *
   * @param node the node
   */
  public void remove(Node<K, V> node) {
    lock.lock();
    try {
      detach(node);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes every node whose value expired before {@code now} and that has no computation running
   * (an early recomputation not yet started is abandoned).
   *
   * @param now the ticker time
   * @return the nodes removed from the map
   */
  public List<Node<K, V>> removeExpired(long now) {
    List<Node<K, V>> removed = new ArrayList<>();
    lock.lock();
    try {
      for (int i = count - 1; i >= 0; i--) {
        Node<K, V> node = nodes[i];
        if (isExpired(node, now) && evict(node, true)) {
          removed.add(node);
        }
      }
    } finally {
      lock.unlock();
    }
    return removed;
  }

  /**
   * Returns the number of admitted entries.
   *
   * @return the count
   */
  public int size() {
    return count;
  }

  /**
   * Returns the sketch's estimate of how often the key with this hash was read recently, or 0 when
   * the cache is unbounded.
   *
   * @param hash the key's hash code
   * @return 0 to 15
   */
  public int frequency(int hash) {
    FrequencySketch s = sketch;
    return s == null ? 0 : s.frequency(hash);
  }

  private int frequency(Node<K, V> node) {
    return frequency(node.hash());
  }

  /** Returns the best victim among the sampled free nodes, or null if all of them are busy. */
  private @Nullable Node<K, V> sampleVictim(Node<K, V> candidate, long now) {
    Node<K, V> best = null;
    int others = count - 1;
    // Few enough to look at all of them; else a random sample, as Redis does.
    int samples = Math.min(SAMPLES, others);
    for (int i = 0; i < samples; i++) {
      Node<K, V> n;
      if (others <= SAMPLES) {
        n = nodes[i] == candidate ? nodes[others] : nodes[i];
      } else {
        do {
          n = nodes[randomIndex(count)];
        } while (n == candidate);
      }
      if (!n.isRemovable()) {
        continue; // being computed: cannot be evicted
      }
      if (isExpired(n, now)) {
        return n;
      }
      if (best == null || worse(n, best)) {
        best = n;
      }
    }
    return best;
  }

  /** Whether {@code a} is a better victim than {@code b}: read less often, or less recently. */
  private boolean worse(Node<K, V> a, Node<K, V> b) {
    int fa = frequency(a);
    int fb = frequency(b);
    return fa < fb || (fa == fb && a.accessEpoch - b.accessEpoch < 0);
  }

  /**
   * Whether the node's value has expired; evict() then refuses the node if it is being computed.
   */
  private static boolean isExpired(Node<?, ?> node, long now) {
    Stamped<?> v = node.value();
    return v != null && !v.isLive(now);
  }

  /**
   * Removes a node that no computation runs on; returns false, changing nothing, if one does. A
   * node whose early recomputation was handed to an executor and has not started is removed too,
   * its recomputation abandoned: an executor that dropped the task must not keep the entry forever.
   */
  private boolean evict(Node<K, V> node, boolean expired) {
    Flight<V> abandoned = null;
    if (!node.tryRetire()) {
      abandoned = node.tryRetireUnstarted();
      if (abandoned == null) {
        return false;
      }
    }
    detach(node);
    node.expiredWhenRemoved = expired;
    map.remove(node.key(), node);
    if (abandoned != null) {
      abandoned.complete(Abandoned.instance());
    }
    return true;
  }

  @SuppressWarnings("NullAway") // slots at and past count are empty; only they hold null
  private void detach(Node<K, V> node) {
    int i = node.index;
    if (i < 0) {
      return;
    }
    int last = count - 1;
    Node<K, V> moved = nodes[last];
    nodes[i] = moved;
    moved.index = i;
    nodes[last] = null;
    node.index = -1;
    count = last;
  }

  private int randomIndex(int bound) {
    // xorshift64: deterministic, so that evictions are reproducible, and cheap under the lock.
    long x = seed;
    x ^= x << 13;
    x ^= x >>> 7;
    x ^= x << 17;
    seed = x;
    return (int) Math.floorMod(x, (long) bound);
  }

  private static <T> List<T> add(List<T> list, T item) {
    List<T> result = list.isEmpty() ? new ArrayList<>(2) : list;
    result.add(item);
    return result;
  }
}
