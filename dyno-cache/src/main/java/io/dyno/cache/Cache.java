package io.dyno.cache;

import io.dyno.cache.internal.Abandoned;
import io.dyno.cache.internal.Durations;
import io.dyno.cache.internal.EvictionPolicy;
import io.dyno.cache.internal.Failure;
import io.dyno.cache.internal.Flight;
import io.dyno.cache.internal.Names;
import io.dyno.cache.internal.Node;
import io.dyno.cache.internal.Outcome;
import io.dyno.cache.internal.Stamped;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache that recomputes a value shortly before it expires, with a chance that grows as expiry
 * nears, one computation per key at a time, so that an expiry never sends every reader to the
 * loader at once.
 *
 * <pre>{@code
 * Cache<UserId, Profile> profiles =
 *     Cache.builder("profiles").ttl(Duration.ofMinutes(5)).maximumSize(10_000).build();
 * Profile p = profiles.get(id, this::loadProfile); // one load per key, redone before expiry
 * }</pre>
 *
 * <p><b>Reads.</b> {@link #get} returns a live value at once. Before returning it, the read asks
 * the {@link EarlyRecompute} strategy (XFetch by default) whether to recompute early; if so, and no
 * computation of the key is running, it starts one: on the {@code executor} if one is set, while
 * the reader returns the current value; otherwise on the reading thread, which then returns the new
 * value. Every other reader of the key keeps getting the current value meanwhile
 * (stale-while-recompute). A read that finds no live value computes it on its own thread, or, if a
 * computation of the key is already running, waits for that one: one computation per key at a time
 * (single flight), whatever failures, expiries, evictions and invalidations happen to the key
 * meanwhile. A loader must not read its own key: such a read throws {@link IllegalStateException}
 * rather than wait for itself forever.
 *
 * <p><b>Failures</b> are never cached. A failed first computation (or one after expiry) is thrown
 * to the reader that ran it and to every reader that waited for it, all the same instance; the next
 * read tries again. A failed early recomputation is counted and logged, and the old value is served
 * until its hard expiry. {@link Error}s are rethrown, never swallowed. A loader that returns null
 * fails with a {@link NullPointerException}; nothing is stored.
 *
 * <p><b>Size.</b> With {@code maximumSize}, an entry that would make the cache too big is admitted
 * only if it is read more often than the entry it would push out (TinyLFU), which keeps the hot
 * keys of skewed traffic where plain LRU would let a scan of cold keys flush them.
 *
 * <p><b>Cost.</b> A hit takes no lock and allocates nothing: a {@link ConcurrentHashMap} lookup,
 * one volatile read, one ticker read, and counter updates. XFetch draws a random number only in the
 * last {@code 36.8·δ·β} before expiry, where it could fire at all.
 *
 * <p><b>Interrupts.</b> Unlike the rest of dyno, which stops at an interrupt, a reader that waits
 * for another reader's computation of its key waits until that computation ends and then returns
 * its outcome, with its interrupt flag set again: the computation is shared, so one reader's
 * interrupt does not cut it short, and a value its readers asked for is not thrown away. A loader
 * that is interrupted stops as it chooses, and its failure reaches its readers unchanged.
 *
 * <p>Thread-safe: one instance serves any number of concurrent readers and writers.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class Cache<K, V> {

  private static final Logger LOG = LoggerFactory.getLogger("io.dyno.cache");

  /** Longest time to live; keeps {@code now + ttl} and differences of ticker times in range. */
  private static final long MAX_TTL_NANOS = Long.MAX_VALUE / 4;

  private final String name;
  private final Duration ttl;
  private final long ttlNanos;
  private final EarlyRecompute earlyRecompute;
  private final long maximumSize;
  private final @Nullable Executor executor;
  private final LongSupplier ticker;
  private final @Nullable RandomGenerator random;
  private final List<Consumer<? super EvictionEvent<K, V>>> onEviction;

  private final ConcurrentHashMap<K, Node<K, V>> map = new ConcurrentHashMap<>();
  private final EvictionPolicy<K, V> policy;

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder earlyRecomputes = new LongAdder();
  private final LongAdder loads = new LongAdder();
  private final LongAdder loadFailures = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  private Cache(Builder<K, V> b, Duration ttl) {
    this.name = b.name;
    this.ttl = ttl;
    this.ttlNanos = Math.min(Durations.toNanosSaturated(ttl), MAX_TTL_NANOS);
    this.earlyRecompute = b.earlyRecompute;
    this.maximumSize = b.maximumSize;
    this.executor = b.executor;
    this.ticker = b.ticker;
    this.random = b.random;
    this.onEviction = List.copyOf(b.onEviction);
    this.policy = new EvictionPolicy<>(map, maximumSize);
  }

  /**
   * Returns a builder for a cache with the given name. A time to live must be set; everything else
   * has a default.
   *
   * @param name the name shown in messages and logs, not blank
   * @return the builder
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder<Object, Object> builder(String name) {
    return new Builder<>(name);
  }

  /**
   * Returns {@code function} with its results cached per argument for {@code ttl}, recomputed early
   * by XFetch.
   *
   * @param name the cache's name
   * @param function computes a value from a key; must not return null
   * @param ttl the time to live, positive
   * @param <K> the argument type
   * @param <V> the result type
   * @return the cached function
   */
  public static <K, V> Function<K, V> memoize(
      String name, Function<? super K, ? extends V> function, Duration ttl) {
    Objects.requireNonNull(function, "function must not be null");
    Cache<K, V> cache = builder(name).ttl(ttl).build();
    return key -> cache.get(key, function);
  }

  /**
   * Returns {@code supplier} with its result cached for {@code ttl}, recomputed early by XFetch.
   *
   * @param name the cache's name
   * @param supplier computes the value; must not return null
   * @param ttl the time to live, positive
   * @param <V> the result type
   * @return the cached supplier
   */
  public static <V> Supplier<V> memoize(String name, Supplier<? extends V> supplier, Duration ttl) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    Cache<Boolean, V> cache = builder(name).ttl(ttl).build();
    Function<Boolean, V> loader =
        key -> {
          V value = supplier.get();
          if (value == null) {
            throw new NullPointerException("supplier of cache '" + name + "' returned null");
          }
          return value;
        };
    return () -> cache.get(Boolean.TRUE, loader);
  }

  // ---------------------------------------------------------------- reads and writes

  /**
   * Returns the value for {@code key}, computing it with {@code loader} if there is no live one, as
   * the class documentation describes.
   *
   * <p>The loader is a {@link Function}, so it throws only unchecked exceptions; they reach the
   * reader unchanged. A checked exception thrown past the compiler reaches it wrapped in an {@link
   * UndeclaredThrowableException}. Pass a non-capturing loader (a method reference or a lambda that
   * uses only its argument) so that a hit allocates nothing.
   *
   * <p>A reader that waits for another reader's computation waits until it ends; an interrupt
   * during the wait does not cut it short but stays set on the thread.
   *
   * @param key the key
   * @param loader computes the value for a key; must not return null
   * @return the value
   * @throws NullPointerException if {@code key} or {@code loader} is null, or the loader returned
   *     null
   * @throws RuntimeException the loader's failure, unchanged
   */
  public V get(K key, Function<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(loader, "loader must not be null");
    Node<K, V> node = map.get(key);
    if (node != null) {
      Stamped<V> v = node.value();
      if (v != null) {
        long now = ticker.getAsLong();
        if (v.isLive(now)) {
          hits.increment();
          policy.recordHit(node);
          if (now - v.earliestRecompute() >= 0
              && earlyRecompute.fires(now, v.loadedAt(), v.expiresAt(), v.delta(), nextDouble())) {
            return recomputeEarly(node, loader, v);
          }
          return v.value();
        }
      }
    }
    return miss(key, loader);
  }

  /**
   * Returns the live value for {@code key}, or null if there is none; never computes or waits.
   *
   * @param key the key
   * @return the value, or null
   * @throws NullPointerException if {@code key} is null
   */
  public @Nullable V getIfPresent(K key) {
    Objects.requireNonNull(key, "key must not be null");
    Node<K, V> node = map.get(key);
    if (node != null) {
      Stamped<V> v = node.value();
      if (v != null && v.isLive(ticker.getAsLong())) {
        hits.increment();
        policy.recordHit(node);
        return v.value();
      }
    }
    misses.increment();
    policy.recordMiss(key.hashCode());
    return null;
  }

  /**
   * Stores {@code value} for {@code key} for the time to live, replacing any value. A computation
   * of the key already running replaces it in turn when it ends. The stored value keeps the δ of
   * the value it replaces (0 if none), so XFetch cannot recompute a value that was only ever put.
   *
   * @param key the key
   * @param value the value
   * @throws NullPointerException if {@code key} or {@code value} is null
   */
  public void put(K key, V value) {
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(value, "value must not be null");
    while (true) {
      Node<K, V> node = nodeFor(key);
      long now = ticker.getAsLong();
      Stamped<V> old = node.value();
      node.setValue(stamp(value, now, old == null ? 0 : old.delta()));
      if (!node.isRetired()) {
        admit(node, now);
        return;
      }
      // Retired meanwhile (a first computation that failed, an eviction): the value left with it.
    }
  }

  /**
   * Removes the entry for {@code key}, if any. A computation of the key already running still
   * returns its value to its readers, but does not store it.
   *
   * @param key the key
   * @throws NullPointerException if {@code key} is null
   */
  public void invalidate(K key) {
    Objects.requireNonNull(key, "key must not be null");
    Node<K, V> node = map.get(key);
    if (node != null) {
      remove(node);
    }
  }

  /** Removes every entry, as {@link #invalidate} does for each. */
  public void invalidateAll() {
    map.forEach((key, node) -> remove(node));
  }

  /**
   * Removes the entries whose values have expired (and that are not being recomputed), telling the
   * eviction listeners. Expired entries are otherwise removed a few at a time as new entries
   * arrive, or replaced when their key is read.
   */
  public void cleanUp() {
    notifyEvicted(policy.removeExpired(ticker.getAsLong()));
  }

  /**
   * Returns the number of entries holding a value, live or expired but not yet removed; keys whose
   * first computation is still running are not counted.
   *
   * @return the number of entries
   */
  public long size() {
    return policy.size();
  }

  /**
   * Returns a snapshot of the counters.
   *
   * @return the statistics
   */
  public CacheStats stats() {
    return new CacheStats(
        hits.sum(),
        misses.sum(),
        earlyRecomputes.sum(),
        loads.sum(),
        loadFailures.sum(),
        evictions.sum());
  }

  // ---------------------------------------------------------------- configuration

  /**
   * Returns the name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the time to live: how long after its computation a value expires.
   *
   * @return the time to live
   */
  public Duration ttl() {
    return ttl;
  }

  /**
   * Returns the early recomputation strategy.
   *
   * @return the strategy
   */
  public EarlyRecompute earlyRecompute() {
    return earlyRecompute;
  }

  /**
   * Returns the most entries the cache holds, if bounded.
   *
   * @return the bound
   */
  public Optional<Long> maximumSize() {
    return maximumSize == Long.MAX_VALUE ? Optional.empty() : Optional.of(maximumSize);
  }

  @Override
  public String toString() {
    return "Cache[name="
        + name
        + ", ttl="
        + Durations.format(ttl)
        + ", earlyRecompute="
        + earlyRecompute
        + (maximumSize == Long.MAX_VALUE ? "" : ", maximumSize=" + maximumSize)
        + ", size="
        + size()
        + "]";
  }

  // ---------------------------------------------------------------- the slow paths

  /** A read that found no live value: compute it, or wait for the computation already running. */
  private V miss(K key, Function<? super K, ? extends V> loader) {
    misses.increment();
    policy.recordMiss(key.hashCode());
    while (true) {
      Node<K, V> node = nodeFor(key);
      Stamped<V> v = node.value();
      if (v != null && v.isLive(ticker.getAsLong())) {
        return v.value(); // computed by another reader since this one looked
      }
      Flight<V> running = node.flight();
      if (running == null) {
        Flight<V> mine = Flight.started();
        if (!node.claim(mine)) {
          continue; // another reader claimed it first: wait for that one
        }
        return computeOwned(node, loader, v, mine);
      }
      if (Node.isRetiredMark(running)) {
        continue; // on its way out of the map: nodeFor() finds the key's next node
      }
      if (running.isPending()) {
        // An early recomputation handed to the executor that has not started: this reader needs a
        // value now, and the task may be dropped or run late, so it takes the flight over. The
        // task, if it ever runs, finds the flight started and does nothing.
        if (running.start()) {
          return computeOwned(node, loader, v, running);
        }
        continue;
      }
      if (running.isComputedByCurrentThread()) {
        throw new IllegalStateException(
            "Cache '"
                + name
                + "': the loader of key "
                + key
                + " read the same key; a loader must not read its own key");
      }
      Outcome<V> outcome = running.await();
      if (outcome instanceof Abandoned<V>) {
        continue; // an unstarted recomputation whose entry was removed: look at the key again
      }
      return valueOrThrow(outcome);
    }
  }

  /** Computes as the owner of {@code mine}, unless a value appeared since the reader looked. */
  private V computeOwned(
      Node<K, V> node,
      Function<? super K, ? extends V> loader,
      @Nullable Stamped<V> seen,
      Flight<V> mine) {
    Stamped<V> stored = newerValue(node, seen, mine);
    if (stored != null) {
      return stored.value();
    }
    return valueOrThrow(compute(node, loader, mine));
  }

  /** A hit on which the strategy fired: start the recomputation unless one is running. */
  private V recomputeEarly(Node<K, V> node, Function<? super K, ? extends V> loader, Stamped<V> v) {
    if (node.flight() != null) {
      return v.value();
    }
    Executor e = executor;
    Flight<V> mine = e == null ? Flight.started() : Flight.pending();
    if (!node.claim(mine)) {
      return v.value();
    }
    Stamped<V> stored = newerValue(node, v, mine);
    if (stored != null) {
      return stored.value();
    }
    earlyRecomputes.increment();
    if (e == null) {
      Outcome<V> outcome = compute(node, loader, mine);
      if (outcome instanceof Stamped<V> s) {
        return s.value();
      }
      return keepOldValue(node, (Failure<V>) outcome, v);
    }
    try {
      e.execute(
          () -> {
            if (mine.start() && compute(node, loader, mine) instanceof Failure<V> f) {
              keepOldValue(node, f, v);
            }
          });
    } catch (RuntimeException | Error thrown) {
      // The task will not run: free the key, unless a reader already took the flight over. This
      // reader holds a live value, so it returns that rather than the executor's failure.
      if (mine.start()) {
        finish(node, mine, new Failure<>(thrown));
      }
      if (thrown instanceof Error error) {
        throw error;
      }
      LOG.warn(
          "Cache '{}': executor {} refused the early recomputation of {}; serving the current value",
          name,
          e,
          node.key(),
          thrown);
    }
    return v.value();
  }

  /**
   * Just after a claim: returns the value another reader's computation stored after this reader
   * last looked, giving the claim back, or null if there is none and this reader should compute.
   *
   * <p>A computation stores its value before it releases the key, so a reader that saw no value (or
   * {@code seen}) and then found the key free may be looking at a computation that just ended; its
   * claim, made after that release, is ordered after the store, so this read sees the value.
   */
  @SuppressWarnings("ReferenceEquality") // identity: the very value this reader saw, or a newer one
  private @Nullable Stamped<V> newerValue(
      Node<K, V> node, @Nullable Stamped<V> seen, Flight<V> mine) {
    Stamped<V> current = node.value();
    if (current == null || current == seen || !current.isLive(ticker.getAsLong())) {
      return null;
    }
    node.release(mine);
    mine.complete(current);
    return current;
  }

  /** A failed early recomputation: log it and serve the old value, unless it is an Error. */
  private V keepOldValue(Node<K, V> node, Failure<V> f, Stamped<V> old) {
    if (f.thrown() instanceof Error) {
      throw f.rethrow();
    }
    LOG.warn(
        "Cache '{}': early recomputation of {} failed; serving the old value until it expires",
        name,
        node.key(),
        f.thrown());
    return old.value();
  }

  /**
   * Runs the loader as the owner of the key's single flight, stores a success, lets go of the key
   * and completes {@code mine} with the outcome. Does not throw.
   */
  private Outcome<V> compute(
      Node<K, V> node, Function<? super K, ? extends V> loader, Flight<V> mine) {
    Outcome<V> outcome;
    try {
      loads.increment();
      K key = node.key();
      long start = ticker.getAsLong();
      V value = loader.apply(key);
      if (value == null) {
        throw new NullPointerException(
            "loader of cache '" + name + "' returned null for key " + key);
      }
      long end = ticker.getAsLong();
      Stamped<V> stamped = stamp(value, end, Math.max(0, end - start));
      if (!mine.isDiscarded()) {
        node.setValue(stamped);
        if (mine.isDiscarded()) {
          node.clearValue(stamped); // invalidated while storing; invalidate() cleared it first
        }
      }
      outcome = stamped;
    } catch (RuntimeException | Error e) {
      outcome = new Failure<>(e);
    } catch (Throwable t) {
      // A checked exception thrown past the compiler: it cannot leave get() as it is.
      outcome = new Failure<>(new UndeclaredThrowableException(t));
    }
    finish(node, mine, outcome);
    return outcome;
  }

  /**
   * Lets go of the key that {@code mine} owns, then hands the outcome to its waiters, so that a
   * reader woken by the outcome finds the key free or the node gone.
   */
  private void finish(Node<K, V> node, Flight<V> mine, Outcome<V> outcome) {
    if (mine.isDiscarded() || node.value() == null) {
      // A key without a value (never computed, or invalidated) leaves no empty node behind, so
      // that failing keys cannot fill the map. The node is retired while this flight still owns
      // it: were it released first, a reader could claim it on its way out and compute beside a
      // reader that claims the key's next node.
      node.retire(mine);
      map.remove(node.key(), node);
      policy.remove(node);
    } else {
      node.release(mine);
      if (mine.isDiscarded()) {
        remove(node); // invalidated after the look above
      } else if (outcome instanceof Stamped<V> s) {
        admit(node, s.loadedAt());
      }
    }
    mine.complete(outcome);
    if (outcome instanceof Failure<V>) {
      loadFailures.increment();
    }
  }

  /**
   * Takes {@code node} out of the map, unless a computation runs on it: that one must not be split
   * in two, so the node stays, its value is dropped, and the computation takes the node out when it
   * ends, after handing its value to its waiters only. An early recomputation that has not started
   * is abandoned and the node taken out at once.
   */
  private void remove(Node<K, V> node) {
    while (true) {
      if (node.tryRetire()) {
        map.remove(node.key(), node);
        policy.remove(node);
        return;
      }
      Flight<V> running = node.flight();
      if (running == null) {
        continue; // freed since the try: try again
      }
      if (Node.isRetiredMark(running)) {
        map.remove(node.key(), node); // retired by another: make sure it is gone before returning
        return;
      }
      Flight<V> unstarted = node.tryRetireUnstarted();
      if (unstarted != null) {
        // An early recomputation the executor has not started (or dropped): abandon it.
        map.remove(node.key(), node);
        policy.remove(node);
        unstarted.complete(Abandoned.instance());
        return;
      }
      // Mark first, then clear: a computation that stores after the clear sees the mark.
      running.discard();
      node.clearValue();
      if (node.flight() == running) {
        return; // its owner sees the mark when it lets go (finish() looks after releasing too)
      }
    }
  }

  private static <V> V valueOrThrow(Outcome<V> outcome) {
    if (outcome instanceof Stamped<V> s) {
      return s.value();
    }
    throw ((Failure<V>) outcome).rethrow();
  }

  /** Returns the key's node, creating it; never a retired one. */
  private Node<K, V> nodeFor(K key) {
    while (true) {
      Node<K, V> node = map.get(key);
      if (node == null) {
        Node<K, V> created = new Node<>(key);
        Node<K, V> previous = map.putIfAbsent(key, created);
        if (previous == null) {
          return created;
        }
        node = previous;
      }
      if (!node.isRetired()) {
        return node;
      }
      // On its way out: help take it out, so that the next look finds the key's next node.
      map.remove(key, node);
    }
  }

  private Stamped<V> stamp(V value, long now, long delta) {
    long expiresAt = now + ttlNanos;
    return new Stamped<>(
        value, now, expiresAt, earlyRecompute.earliest(now, expiresAt, delta), delta);
  }

  private void admit(Node<K, V> node, long now) {
    if (!node.isAdmitted()) {
      notifyEvicted(policy.admit(node, now));
    }
  }

  private void notifyEvicted(List<Node<K, V>> removed) {
    for (Node<K, V> node : removed) {
      evictions.increment();
      Stamped<V> v = node.value();
      if (v == null || onEviction.isEmpty()) {
        continue;
      }
      EvictionEvent<K, V> event =
          new EvictionEvent<>(
              name,
              node.key(),
              v.value(),
              node.expiredWhenRemoved() ? EvictionEvent.Cause.EXPIRED : EvictionEvent.Cause.SIZE);
      for (Consumer<? super EvictionEvent<K, V>> listener : onEviction) {
        try {
          listener.accept(event);
        } catch (RuntimeException e) {
          LOG.warn("Cache '{}': eviction listener {} failed", name, listener, e);
        }
      }
    }
  }

  /** A draw uniform in [0, 1): from the injected generator, or the thread's own without a lock. */
  private double nextDouble() {
    RandomGenerator r = random;
    return r == null ? ThreadLocalRandom.current().nextDouble() : r.nextDouble();
  }

  // ---------------------------------------------------------------- builder

  /**
   * Builds a {@link Cache}; validates each setting as it is given. Not thread-safe.
   *
   * @param <K> the key type the cache will have, or a supertype of it
   * @param <V> the value type the cache will have, or a supertype of it
   */
  public static final class Builder<K, V> {
    private final String name;
    private @Nullable Duration ttl;
    private EarlyRecompute earlyRecompute = EarlyRecompute.xfetch(1.0);
    private long maximumSize = Long.MAX_VALUE;
    private @Nullable Executor executor;
    private LongSupplier ticker = System::nanoTime;
    private @Nullable RandomGenerator random;
    private final List<Consumer<? super EvictionEvent<K, V>>> onEviction = new ArrayList<>();

    private Builder(String name) {
      this.name = Names.require(name, "name");
    }

    /**
     * Sets how long after its computation a value expires: the hard expiry, after which no read
     * returns it. Required.
     *
     * @param ttl positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder<K, V> ttl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl must not be null");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl must be positive, was " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * Sets when a read recomputes a value before it expires; the default is {@link
     * EarlyRecompute#xfetch(double) xfetch(1.0)}.
     *
     * @param earlyRecompute the strategy
     * @return this builder
     */
    public Builder<K, V> earlyRecompute(EarlyRecompute earlyRecompute) {
      this.earlyRecompute =
          Objects.requireNonNull(earlyRecompute, "earlyRecompute must not be null");
      return this;
    }

    /**
     * Bounds the number of entries; beyond it, entries are evicted by TinyLFU admission and sampled
     * LRU. The default is no bound.
     *
     * @param maximumSize at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder<K, V> maximumSize(long maximumSize) {
      if (maximumSize < 1) {
        throw new IllegalArgumentException("maximumSize must be >= 1, was " + maximumSize);
      }
      this.maximumSize = maximumSize;
      return this;
    }

    /**
     * Sets where early recomputations run, so that the reader that triggers one returns the current
     * value at once. The default is the reading thread, which then waits for the new value. First
     * computations always run on the reading thread.
     *
     * <p>The executor must run every task it accepts. One that throws instead (a refusal, a shut
     * down pool) only costs that recomputation: the key is freed and the current value served. One
     * that drops a task silently leaves the key without early recomputation until the value's hard
     * expiry; then a reader computes it itself rather than wait for a task that has not started.
     *
     * @param executor the executor, for example a virtual-thread-per-task executor
     * @return this builder
     */
    public Builder<K, V> executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor must not be null");
      return this;
    }

    /**
     * Sets the monotonic clock, in nanoseconds; the default is {@code System::nanoTime}.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder<K, V> ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Sets the source of the early recomputation draws; the default is the reading thread's {@link
     * ThreadLocalRandom}. Many threads draw from it at once, so it must be thread-safe unless only
     * one thread uses the cache.
     *
     * @param random the generator
     * @return this builder
     */
    public Builder<K, V> random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random must not be null");
      return this;
    }

    /**
     * Adds a listener told when an entry is evicted for size or removed after expiry, on the thread
     * that evicted it, after the cache's lock is released. An exception from it is logged and
     * otherwise ignored.
     *
     * @param listener the listener
     * @param <K1> the key type of the cache to build
     * @param <V1> the value type of the cache to build
     * @return this builder
     */
    public <K1 extends K, V1 extends V> Builder<K1, V1> onEviction(
        Consumer<? super EvictionEvent<K1, V1>> listener) {
      Objects.requireNonNull(listener, "listener must not be null");
      @SuppressWarnings("unchecked")
      Builder<K1, V1> self = (Builder<K1, V1>) this;
      self.onEviction.add(listener);
      return self;
    }

    /**
     * Returns the cache.
     *
     * @param <K1> the key type
     * @param <V1> the value type
     * @return a new, empty cache
     * @throws IllegalStateException if no time to live was set
     */
    public <K1 extends K, V1 extends V> Cache<K1, V1> build() {
      Duration t = ttl;
      if (t == null) {
        throw new IllegalStateException("Cache '" + name + "': ttl must be set");
      }
      @SuppressWarnings("unchecked")
      Builder<K1, V1> self = (Builder<K1, V1>) this;
      return new Cache<>(self, t);
    }
  }
}
