package io.dyno.cache.redis;

import io.dyno.cache.Cache;
import io.dyno.cache.EarlyRecompute;
import io.dyno.cache.redis.internal.Durations;
import io.dyno.cache.redis.internal.Envelope;
import io.dyno.cache.redis.internal.Names;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache shared by every instance of a service: a dyno-cache {@link Cache} in memory in front of
 * Redis, with one recomputation per key across the whole fleet.
 *
 * <pre>{@code
 * RedisCache<String, String> profiles =
 *     RedisCache.builder("profiles")
 *         .redis("redis://localhost:6379")
 *         .values(ValueCodec.string())
 *         .ttl(Duration.ofMinutes(5))
 *         .build();
 * String p = profiles.get("42", this::loadProfile); // one load per key, across the fleet
 * }</pre>
 *
 * <p><b>Entries.</b> Redis holds each entry in one key, {@code dyno:<name>:<key>}: the value's
 * bytes behind a small versioned header with the entry's expiry (epoch milliseconds, from the
 * {@code clock}: instances share it, so it cannot be a ticker reading) and how long the value took
 * to compute (δ). The key lives {@code ttl + max(staleWhileRevalidate, staleIfError)} in Redis, so
 * that stale copies exist for those windows. The memory tier keeps what this instance read or
 * wrote, and other instances' writes and invalidations reach it through Redis pub/sub on the
 * channel {@code dyno:<name>:changes}.
 *
 * <p><b>One recompute per key per fleet.</b> A read of a live value asks the {@link EarlyRecompute}
 * strategy (XFetch by default, from the stored expiry and δ, the same rule as dyno-cache's) whether
 * to recompute early. The instance that decides to takes the key's lease, {@code SET
 * dyno:<name>:<key>:lease <token> NX PX <lease>}, recomputes on the {@code executor} while every
 * instance keeps serving the current value, writes the new entry, releases the lease if it still
 * holds it (a compare-and-delete script) and announces the update. A lease whose holder dies
 * expires by itself. A read that finds no value anywhere takes the lease and loads, or, if another
 * instance holds it, waits for that instance's announcement, at most the lease's length, then reads
 * Redis again and, if still nothing, tries for the lease itself. Within an instance, one thread per
 * key does all this; the others wait for it.
 *
 * <p><b>Stale windows (RFC 5861).</b> Past expiry, within {@code staleWhileRevalidate}, a read
 * returns the stale value at once and one fleet-wide recompute starts in the background. Within
 * {@code staleIfError}, a read whose load fails, or whose Redis fails and whose own load then
 * fails, returns the stale value; the failure is counted and logged.
 *
 * <p><b>Redis down</b> is a degraded mode: reads of live values in memory answer as usual, misses
 * load directly on the reading thread (counted in {@link RedisCacheStats#degradedLoads()}), and no
 * Redis command waits longer than {@code commandTimeout}. The first failed command after an answer
 * is logged at WARN, the others at DEBUG; all are counted in {@link RedisCacheStats#redisErrors()}.
 * A cache can be built while Redis is down: it connects on the {@code executor} once Redis answers
 * (trying at most once a second, when a command is needed). Once connected, Lettuce reconnects by
 * itself. The memory tier is emptied whenever a connection is made again, since announcements may
 * have been missed meanwhile.
 *
 * <p>Thread-safe. {@link #close()} closes the connections (and the client, if the cache made it).
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class RedisCache<K, V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("io.dyno.cache.redis");

  /** Releases a lease only if it still holds the token that took it. */
  private static final String RELEASE =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
          + "else return 0 end";

  private static final Pattern URI_SHAPE = Pattern.compile("^redis://[^/:?#@]+:\\d+(/\\d+)?$");

  /** The longest duration of any option: keeps epoch milliseconds plus windows in range. */
  private static final Duration LONGEST = Duration.ofDays(36_500);

  /** How many times a miss waits for another instance's lease before it loads on its own. */
  private static final int MAX_LEASE_ROUNDS = 3;

  private static final long NANOS_PER_MILLI = 1_000_000L;

  /** How long the client the cache makes waits for a TCP connection to Redis. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  /** How long after a failed connection attempt the next may start. */
  private static final long CONNECT_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String name;
  private final String prefix;
  private final String channel;
  private final String instance = UUID.randomUUID().toString();
  private final Function<? super K, String> keys;
  private final ValueCodec<V> codec;
  private final int maxValueBytes;
  private final Duration ttl;
  private final long ttlMillis;
  private final long swrMillis;
  private final long sieMillis;
  private final long leaseMillis;
  private final EarlyRecompute earlyRecompute;
  private final Clock clock;
  private final LongSupplier ticker;
  private final @Nullable RandomGenerator random;
  private final Executor executor;

  private final RedisClient client;
  private final boolean ownsClient;
  private final Duration commandTimeout;

  /** The connections while connected; null until a connection succeeds. */
  private volatile @Nullable Link link;

  /** Whether a connection attempt is running. */
  private final AtomicBoolean connecting = new AtomicBoolean();

  /** The ticker time from which the next connection attempt may start. */
  private volatile long nextConnect;

  /** False from a failed Redis command to the next one that succeeds: one warning per outage. */
  private volatile boolean redisAnswering = true;

  /** The last wall-clock reading, in ms: the memory tier's ticker, so that a hit reads it once. */
  private volatile long lastMillis;

  private final Cache<String, Stored<V>> memory;
  private final ConcurrentHashMap<String, Flight<V>> flights = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<Void>> waiters =
      new ConcurrentHashMap<>();

  /**
   * Keys whose lease another instance held when this one tried to recompute them, with the ticker
   * time at which that lease ends at the latest: until then, or until the holder's announcement,
   * reads here do not ask for the lease again.
   */
  private final ConcurrentHashMap<String, Long> leasedElsewhere = new ConcurrentHashMap<>();

  /** Invalidations announced by other instances so far: a refresh that overlaps one is undone. */
  private final AtomicLong invalidations = new AtomicLong();

  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Lookups of the memory tier that found an entry but were no memory hit (an expired value, or a
   * look before a write): the tier counts every entry found as a hit, so memory hits are its hits
   * less these, and a memory hit updates one counter, not two.
   */
  private final LongAdder peeks = new LongAdder();

  private final LongAdder redisHits = new LongAdder();
  private final LongAdder loads = new LongAdder();
  private final LongAdder recomputes = new LongAdder();
  private final LongAdder leaseWaits = new LongAdder();
  private final LongAdder staleServed = new LongAdder();
  private final LongAdder degradedLoads = new LongAdder();
  private final LongAdder redisErrors = new LongAdder();
  private final LongAdder loadFailures = new LongAdder();

  /** A computation of a key running on this instance, and the thread running it. */
  private static final class Flight<V> {
    final CompletableFuture<V> result = new CompletableFuture<>();
    volatile @Nullable Thread owner;
  }

  /**
   * A value with its expiry (epoch ms) and computation time, as both tiers hold it, and the epoch
   * nanosecond before which no read recomputes it early.
   */
  private record Stored<V>(V value, long expiresAt, long deltaNanos, long earliestNanos) {}

  /** The two connections to Redis: commands, and the change channel. */
  private record Link(
      StatefulRedisConnection<String, byte[]> data,
      RedisCommands<String, byte[]> redis,
      StatefulRedisPubSubConnection<String, String> changes) {
    void close() {
      try {
        changes.close();
      } finally {
        data.close();
      }
    }
  }

  private RedisCache(
      Builder<K, V> b, ValueCodec<V> codec, Duration ttl, RedisClient client, boolean owned) {
    this.name = b.name;
    this.prefix = "dyno:" + b.name + ":";
    this.channel = prefix + "changes";
    this.keys = b.keys;
    this.codec = codec;
    this.maxValueBytes = b.maxValueBytes;
    this.ttl = ttl;
    this.ttlMillis = ttl.toMillis();
    this.swrMillis = b.staleWhileRevalidate.toMillis();
    this.sieMillis = b.staleIfError.toMillis();
    this.leaseMillis = b.lease.toMillis();
    this.earlyRecompute = b.earlyRecompute;
    this.clock = b.clock;
    this.ticker = b.ticker;
    this.random = b.random;
    this.executor = b.executor;
    this.client = client;
    this.ownsClient = owned;
    this.commandTimeout = b.commandTimeout;
    this.lastMillis = clock.millis();
    Cache.Builder<Object, Object> mb =
        Cache.builder(b.name)
            .ttl(Duration.ofMillis(ttlMillis + Math.max(swrMillis, sieMillis)))
            .earlyRecompute(EarlyRecompute.none())
            .ticker(() -> lastMillis * NANOS_PER_MILLI);
    if (b.maximumSize > 0) {
      mb.maximumSize(b.maximumSize);
    }
    this.memory = mb.build();
    this.nextConnect = ticker.getAsLong();
    if (!connect()) {
      LOG.warn(
          "RedisCache '{}': Redis cannot be reached; serving from memory and loading directly"
              + " until it can (tried again at most once a second, on use)",
          name);
    }
  }

  /**
   * Returns a builder for a cache with the given name. The Redis server ({@code redis} or {@code
   * client}), a time to live and, for values other than strings and byte arrays, a {@link
   * ValueCodec} must be set; everything else has a default.
   *
   * @param name the cache's name, part of every Redis key it uses; not blank
   * @return the builder
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder<Object, Object> builder(String name) {
    return new Builder<>(Names.require(name, "name"));
  }

  // ---------------------------------------------------------------- reads and writes

  /**
   * Returns the value for {@code key}: from memory, else from Redis, else computed once for the
   * fleet with {@code loader}, as the class documentation describes.
   *
   * @param key the key
   * @param loader computes the value for a key; must not return null
   * @return the value
   * @throws NullPointerException if {@code key} or {@code loader} is null, or the loader returned
   *     null
   * @throws IllegalArgumentException if the loaded value's encoding is larger than {@code
   *     maxValueBytes}
   * @throws RuntimeException the loader's failure, unchanged, when no stale value may be served
   */
  public V get(K key, Function<? super K, ? extends V> loader) {
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(loader, "loader must not be null");
    requireOpen();
    String k = keyOf(key);
    long now = now();
    Stored<V> mem = memory.getIfPresent(k);
    if (mem != null) {
      if (now < mem.expiresAt()) {
        maybeRecomputeEarly(key, k, mem, now, loader);
        return mem.value();
      }
      peeks.increment();
    }
    Stored<V> stored;
    boolean redisUp = true;
    try {
      stored = fetch(k);
    } catch (RedisException e) {
      redisFailed("GET", k, e);
      stored = null;
      redisUp = false;
    }
    if (stored != null && (mem == null || stored.expiresAt() >= mem.expiresAt())) {
      memory.put(k, stored);
    } else {
      stored = mem;
    }
    if (stored != null && now < stored.expiresAt()) {
      redisHits.increment();
      maybeRecomputeEarly(key, k, stored, now, loader);
      return stored.value();
    }
    if (stored != null && now < stored.expiresAt() + swrMillis) {
      staleServed.increment();
      startRecompute(key, k, stored, loader);
      return stored.value();
    }
    Stored<V> stale = stored;
    boolean fleet = redisUp;
    try {
      return fly(k, () -> fleet ? fleetLoad(key, k, loader) : degradedLoad(key, k, loader));
    } catch (RuntimeException e) {
      if (stale != null && now() < stale.expiresAt() + sieMillis) {
        staleServed.increment();
        LOG.warn(
            "RedisCache '{}': serving the stale value of key '{}' within staleIfError", name, k, e);
        return stale.value();
      }
      throw e;
    }
  }

  /**
   * Returns the live value for {@code key} in memory or in Redis, or null; never computes one.
   *
   * @param key the key
   * @return the value, or null if neither tier holds a live one (or Redis failed)
   * @throws NullPointerException if {@code key} is null
   */
  public @Nullable V getIfPresent(K key) {
    Objects.requireNonNull(key, "key must not be null");
    requireOpen();
    String k = keyOf(key);
    long now = now();
    Stored<V> mem = memory.getIfPresent(k);
    if (mem != null) {
      if (now < mem.expiresAt()) {
        return mem.value();
      }
      peeks.increment();
    }
    try {
      Stored<V> stored = fetch(k);
      if (stored != null && now < stored.expiresAt()) {
        memory.put(k, stored);
        redisHits.increment();
        return stored.value();
      }
    } catch (RedisException e) {
      redisFailed("GET", k, e);
    }
    return null;
  }

  /**
   * Stores {@code value} for {@code key} for {@code ttl} in both tiers, and announces it to the
   * other instances. It keeps the computation time (δ) of the value it replaces in this instance's
   * memory, or 0, with which XFetch never recomputes early. A failing Redis is counted and logged;
   * the memory tier still takes the value.
   *
   * @param key the key
   * @param value the value
   * @throws NullPointerException if {@code key} or {@code value} is null
   * @throws IllegalArgumentException if the value's encoding is larger than {@code maxValueBytes};
   *     then nothing is written
   */
  public void put(K key, V value) {
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(value, "value must not be null");
    requireOpen();
    String k = keyOf(key);
    Stored<V> old = peek(k);
    Stored<V> s = stored(value, now() + ttlMillis, old != null ? old.deltaNanos() : 0);
    byte[] bytes = encode(k, s);
    memory.put(k, s);
    try {
      write(k, bytes);
      publish("P", k);
    } catch (RedisException e) {
      redisFailed("SET", k, e);
    }
  }

  /**
   * Removes {@code key} from both tiers and from the other instances' memory tiers.
   *
   * @param key the key
   * @throws NullPointerException if {@code key} is null
   */
  public void invalidate(K key) {
    Objects.requireNonNull(key, "key must not be null");
    requireOpen();
    String k = keyOf(key);
    memory.invalidate(k);
    try {
      redis().del(prefix + k);
      publish("I", k);
    } catch (RedisException e) {
      redisFailed("DEL", k, e);
    }
  }

  /**
   * Removes every key of this cache (and of no other) from Redis and from every instance's memory
   * tier. Redis is walked with {@code SCAN}, so keys written meanwhile may survive.
   */
  public void invalidateAll() {
    requireOpen();
    memory.invalidateAll();
    try {
      RedisCommands<String, byte[]> redis = redis();
      ScanArgs match = ScanArgs.Builder.matches(globEscape(prefix) + "*").limit(500);
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = redis.scan(cursor, match);
        List<String> found = page.getKeys();
        if (!found.isEmpty()) {
          redis.del(found.toArray(String[]::new));
        }
        cursor = page;
      } while (!cursor.isFinished());
      publish("A", "");
    } catch (RedisException e) {
      redisFailed("SCAN/DEL", "*", e);
    }
  }

  /**
   * Returns a snapshot of this instance's counters.
   *
   * @return the counters
   */
  public RedisCacheStats stats() {
    return new RedisCacheStats(
        memory.stats().hits() - peeks.sum(),
        redisHits.sum(),
        loads.sum(),
        recomputes.sum(),
        leaseWaits.sum(),
        staleServed.sum(),
        degradedLoads.sum(),
        redisErrors.sum(),
        loadFailures.sum());
  }

  /**
   * Returns whether the cache is connected to Redis now: false before its first connection (a cache
   * built while Redis was down), while Lettuce reconnects, and after {@link #close()}. For health
   * checks; reads and writes never need it, they carry on without Redis.
   *
   * @return true while the command connection is open
   */
  public boolean connected() {
    Link l = link;
    return l != null && l.data().isOpen();
  }

  /**
   * Returns the cache's name.
   *
   * @return the name given to the builder
   */
  public String name() {
    return name;
  }

  /**
   * Returns the time to live.
   *
   * @return the time to live
   */
  public Duration ttl() {
    return ttl;
  }

  /**
   * Returns the Redis key that holds the entry of {@code key}.
   *
   * @param key the key
   * @return {@code "dyno:" + name + ":" + keys.apply(key)}
   * @throws NullPointerException if {@code key} is null
   */
  public String redisKey(K key) {
    Objects.requireNonNull(key, "key must not be null");
    return prefix + keyOf(key);
  }

  /**
   * Closes the connections to Redis, and the client if the cache made it from a URI. Idempotent;
   * afterwards every operation but {@code stats}, {@code connected}, {@code name}, {@code ttl} and
   * {@code redisKey} throws {@link IllegalStateException}.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Link l = link;
    link = null;
    try {
      if (l != null) {
        l.close();
      }
    } finally {
      if (ownsClient) {
        client.shutdown();
      }
    }
  }

  @Override
  public String toString() {
    return "RedisCache{name="
        + name
        + ", ttl="
        + Durations.format(ttl)
        + ", earlyRecompute="
        + earlyRecompute
        + ", codec="
        + codec
        + "}";
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("RedisCache '" + name + "' is closed");
    }
  }

  /** Runs {@code listener} after each announcement from another instance has been applied. */
  void onChange(Runnable listener) {
    changeListeners.add(listener);
  }

  // ---------------------------------------------------------------- the fleet's single flight

  /** A value computed for a key, with the work it took. */
  private interface Work<V> {
    V run();
  }

  /**
   * Runs {@code work} for {@code k} unless a flight of {@code k} is running here: then joins it.
   */
  private V fly(String k, Work<V> work) {
    Flight<V> mine = new Flight<>();
    mine.owner = Thread.currentThread();
    Flight<V> running = flights.putIfAbsent(k, mine);
    if (running != null) {
      if (running.owner == Thread.currentThread()) {
        throw new IllegalStateException(
            "the loader of key '" + k + "' in RedisCache '" + name + "' read its own key");
      }
      return join(running.result);
    }
    try {
      V v = work.run();
      mine.result.complete(v);
      return v;
    } catch (RuntimeException | Error e) {
      mine.result.completeExceptionally(e);
      throw e;
    } finally {
      flights.remove(k, mine);
    }
  }

  /** A miss with Redis up: takes the lease and loads, or waits for the instance that holds it. */
  private V fleetLoad(K key, String k, Function<? super K, ? extends V> loader) {
    for (int round = 0; round < MAX_LEASE_ROUNDS; round++) {
      String token;
      try {
        token = tryLease(k);
      } catch (RedisException e) {
        redisFailed("SET NX", k + ":lease", e);
        return degradedLoad(key, k, loader);
      }
      if (token != null) {
        Stored<V> written = null;
        try {
          Stored<V> now = fetchQuietly(k);
          if (now != null && now() < now.expiresAt()) {
            memory.put(k, now);
            redisHits.increment();
            return now.value();
          }
          written = loadAndWrite(key, k, loader);
          return written.value();
        } finally {
          release(k, token);
          publishQuietly(written != null ? "P" : "F", k);
        }
      }
      leaseWaits.increment();
      Stored<V> result;
      try {
        result = awaitLeaseholder(k);
      } catch (RedisException e) {
        redisFailed("GET", k, e);
        return degradedLoad(key, k, loader);
      }
      if (result != null && now() < result.expiresAt()) {
        memory.put(k, result);
        redisHits.increment();
        return result.value();
      }
    }
    LOG.warn(
        "RedisCache '{}': key '{}' stayed leased by other instances for {} leases; loading here",
        name,
        k,
        MAX_LEASE_ROUNDS);
    Stored<V> s = loadAndWrite(key, k, loader);
    publishQuietly("P", k);
    return s.value();
  }

  /**
   * Waits for the announcement of {@code k} by the instance holding its lease, at most the lease's
   * length, and returns what Redis then holds.
   */
  private @Nullable Stored<V> awaitLeaseholder(String k) {
    CompletableFuture<Void> signal = waiters.computeIfAbsent(k, x -> new CompletableFuture<>());
    try {
      Stored<V> now = fetch(k);
      if (now != null && now() < now.expiresAt()) {
        return now;
      }
      signal.get(leaseMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.debug("RedisCache '{}': no announcement of key '{}' within the lease", name, k);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("a signal never fails", e);
    } finally {
      waiters.remove(k, signal);
    }
    return fetch(k);
  }

  /** Starts one recompute of a key whose current value is {@code seen}, on the executor. */
  private void startRecompute(
      K key, String k, Stored<V> seen, Function<? super K, ? extends V> loader) {
    Long until = leasedElsewhere.get(k);
    if (until != null) {
      if (ticker.getAsLong() - until < 0) {
        return; // another instance recomputes it
      }
      leasedElsewhere.remove(k, until);
    }
    Flight<V> mine = new Flight<>();
    if (flights.putIfAbsent(k, mine) != null) {
      return;
    }
    try {
      executor.execute(
          () -> {
            try {
              mine.owner = Thread.currentThread();
              mine.result.complete(recompute(key, k, seen, loader));
            } catch (RuntimeException | Error e) {
              mine.result.completeExceptionally(e);
              LOG.warn("RedisCache '{}': recomputing key '{}' failed", name, k, e);
            } finally {
              flights.remove(k, mine);
            }
          });
    } catch (RejectedExecutionException e) {
      flights.remove(k, mine);
      mine.result.completeExceptionally(e);
      LOG.warn("RedisCache '{}': the executor refused to recompute key '{}'", name, k, e);
    }
  }

  /** A fleet-wide recompute: only with the lease, and only if no instance has already redone it. */
  private V recompute(K key, String k, Stored<V> seen, Function<? super K, ? extends V> loader) {
    String token;
    try {
      token = tryLease(k);
    } catch (RedisException e) {
      redisFailed("SET NX", k + ":lease", e);
      return degradedLoad(key, k, loader);
    }
    if (token == null) {
      // Another instance recomputes it; its announcement will reach us.
      leasedElsewhere.put(k, ticker.getAsLong() + TimeUnit.MILLISECONDS.toNanos(leaseMillis));
      return seen.value();
    }
    Stored<V> written = null;
    try {
      Stored<V> now = fetchQuietly(k);
      if (now != null && now.expiresAt() > seen.expiresAt()) {
        memory.put(k, now);
        return now.value();
      }
      recomputes.increment();
      written = loadAndWrite(key, k, loader);
      return written.value();
    } finally {
      release(k, token);
      publishQuietly(written != null ? "P" : "F", k);
    }
  }

  /** XFetch (or the chosen strategy) across the fleet, from the entry's expiry and δ. */
  private void maybeRecomputeEarly(
      K key, String k, Stored<V> s, long now, Function<? super K, ? extends V> loader) {
    long nowNanos = now * NANOS_PER_MILLI;
    if (nowNanos - s.earliestNanos() < 0) {
      return; // no draw can fire yet
    }
    RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
    long expiresAt = s.expiresAt() * NANOS_PER_MILLI;
    long loadedAt = expiresAt - ttlMillis * NANOS_PER_MILLI;
    if (earlyRecompute.fires(nowNanos, loadedAt, expiresAt, s.deltaNanos(), r.nextDouble())) {
      startRecompute(key, k, s, loader);
    }
  }

  // ---------------------------------------------------------------- loading

  /** Loads with Redis unavailable: on this thread, into memory only. */
  private V degradedLoad(K key, String k, Function<? super K, ? extends V> loader) {
    degradedLoads.increment();
    Stored<V> s = load(key, k, loader);
    memory.put(k, s);
    return s.value();
  }

  /** Loads, then writes the entry to Redis (a failure there is counted) and to memory. */
  private Stored<V> loadAndWrite(K key, String k, Function<? super K, ? extends V> loader) {
    Stored<V> s = load(key, k, loader);
    byte[] bytes;
    try {
      bytes = encode(k, s);
    } catch (IllegalArgumentException e) {
      loadFailures.increment();
      throw e;
    }
    try {
      write(k, bytes);
    } catch (RedisException e) {
      redisFailed("SET", k, e);
    }
    memory.put(k, s);
    return s;
  }

  private Stored<V> load(K key, String k, Function<? super K, ? extends V> loader) {
    loads.increment();
    long start = ticker.getAsLong();
    V value;
    try {
      value = loader.apply(key);
    } catch (RuntimeException | Error e) {
      loadFailures.increment();
      throw e;
    }
    if (value == null) {
      loadFailures.increment();
      throw new NullPointerException(
          "loader of RedisCache '" + name + "' returned null for key '" + k + "'");
    }
    long delta = Math.max(0, ticker.getAsLong() - start);
    return stored(value, now() + ttlMillis, delta);
  }

  /** An entry expiring at {@code expiresAt} (epoch ms), computed in {@code deltaNanos}. */
  private Stored<V> stored(V value, long expiresAt, long deltaNanos) {
    long expiresAtNanos = expiresAt * NANOS_PER_MILLI;
    long loadedAtNanos = expiresAtNanos - ttlMillis * NANOS_PER_MILLI;
    return new Stored<>(
        value,
        expiresAt,
        deltaNanos,
        earlyRecompute.earliest(loadedAtNanos, expiresAtNanos, deltaNanos));
  }

  /** Looks a key up in memory for another purpose than a read: not counted as a memory hit. */
  private @Nullable Stored<V> peek(String k) {
    Stored<V> s = memory.getIfPresent(k);
    if (s != null) {
      peeks.increment();
    }
    return s;
  }

  /** Reads the wall clock, and keeps the reading for the memory tier's ticker. */
  private long now() {
    long now = clock.millis();
    if (now != lastMillis) {
      lastMillis = now;
    }
    return now;
  }

  // ---------------------------------------------------------------- Redis

  private String keyOf(K key) {
    String k = keys.apply(key);
    if (k == null) {
      throw new NullPointerException(
          "keys function of RedisCache '" + name + "' returned null for " + key);
    }
    return k;
  }

  private byte[] encode(String k, Stored<V> s) {
    byte[] value = codec.encode(s.value());
    if (value.length > maxValueBytes) {
      throw new IllegalArgumentException(
          "value of key '"
              + k
              + "' in RedisCache '"
              + name
              + "' is "
              + value.length
              + " bytes encoded, more than maxValueBytes "
              + maxValueBytes
              + "; nothing was written");
    }
    return Envelope.encode(s.expiresAt(), s.deltaNanos(), value);
  }

  private @Nullable Stored<V> fetch(String k) {
    byte[] bytes = redis().get(prefix + k);
    if (!redisAnswering) {
      redisAnswering = true;
      LOG.info("RedisCache '{}': Redis answers again", name);
    }
    if (bytes == null) {
      return null;
    }
    Envelope e = Envelope.decode(bytes);
    if (e == null) {
      redisErrors.increment();
      LOG.warn("RedisCache '{}': the entry of key '{}' has no readable header; ignored", name, k);
      return null;
    }
    try {
      return stored(codec.decode(e.value()), e.expiresAt(), e.deltaNanos());
    } catch (RuntimeException ex) {
      redisErrors.increment();
      LOG.warn("RedisCache '{}': cannot decode the value of key '{}'; ignored", name, k, ex);
      return null;
    }
  }

  private @Nullable Stored<V> fetchQuietly(String k) {
    try {
      return fetch(k);
    } catch (RedisException e) {
      redisFailed("GET", k, e);
      return null;
    }
  }

  private void write(String k, byte[] bytes) {
    redis().set(prefix + k, bytes, SetArgs.Builder.px(ttlMillis + Math.max(swrMillis, sieMillis)));
  }

  private @Nullable String tryLease(String k) {
    String token = UUID.randomUUID().toString();
    String ok =
        redis()
            .set(
                prefix + k + ":lease",
                token.getBytes(StandardCharsets.UTF_8),
                SetArgs.Builder.nx().px(leaseMillis));
    return "OK".equals(ok) ? token : null;
  }

  private void release(String k, String token) {
    try {
      redis()
          .eval(
              RELEASE,
              ScriptOutputType.INTEGER,
              new String[] {prefix + k + ":lease"},
              token.getBytes(StandardCharsets.UTF_8));
    } catch (RedisException e) {
      redisFailed("EVAL release", k + ":lease", e);
    }
  }

  private void publish(String op, String k) {
    redis().publish(channel, (instance + " " + op + " " + k).getBytes(StandardCharsets.UTF_8));
  }

  private void publishQuietly(String op, String k) {
    try {
      publish(op, k);
    } catch (RedisException e) {
      redisFailed("PUBLISH", k, e);
    }
  }

  /**
   * Counts a failed Redis command and logs it: the first failure after an answer at WARN, the next
   * ones at DEBUG, so that an outage does not flood the log.
   */
  private void redisFailed(String command, String k, RuntimeException e) {
    redisErrors.increment();
    if (redisAnswering) {
      redisAnswering = false;
      LOG.warn(
          "RedisCache '{}': Redis {} of key '{}' failed; until Redis answers again, reads are"
              + " served from memory and loaded directly, and further failures are logged at"
              + " DEBUG (counted in stats().redisErrors())",
          name,
          command,
          k,
          e);
    } else {
      LOG.debug("RedisCache '{}': Redis {} of key '{}' failed", name, command, k, e);
    }
  }

  // ---------------------------------------------------------------- connection

  /**
   * The commands of the current connection. While there is none, starts a connection attempt on the
   * executor (at most one at a time, at most one a second) and fails as a disconnected client does,
   * with a {@link RedisConnectionException}.
   */
  private RedisCommands<String, byte[]> redis() {
    Link l = link;
    if (l != null) {
      return l.redis();
    }
    connectLater();
    l = link; // an executor that runs tasks on the calling thread has connected already
    if (l != null) {
      return l.redis();
    }
    throw new RedisConnectionException("RedisCache '" + name + "' is not connected to Redis");
  }

  private void connectLater() {
    if (ticker.getAsLong() - nextConnect < 0 || !connecting.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(
          () -> {
            try {
              if (connect()) {
                LOG.info("RedisCache '{}': connected to Redis", name);
              }
            } finally {
              connecting.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      nextConnect = ticker.getAsLong() + CONNECT_RETRY_NANOS;
      connecting.set(false);
      LOG.warn("RedisCache '{}': the executor refused to connect to Redis", name, e);
    }
  }

  /**
   * Opens the command connection and the change channel, and subscribes; on failure closes what it
   * opened, counts the error and allows the next attempt a second later.
   *
   * @return whether the cache is now connected
   */
  private boolean connect() {
    StatefulRedisConnection<String, byte[]> c = null;
    StatefulRedisPubSubConnection<String, String> p = null;
    try {
      c = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      c.setTimeout(commandTimeout);
      p = client.connectPubSub(StringCodec.UTF8);
      p.setTimeout(commandTimeout);
      p.addListener(
          new RedisPubSubAdapter<String, String>() {
            @Override
            public void message(String from, String message) {
              onMessage(message);
            }
          });
      p.addListener(new Reconnected());
      p.sync().subscribe(channel);
    } catch (RuntimeException e) {
      if (p != null) {
        p.close();
      }
      if (c != null) {
        c.close();
      }
      nextConnect = ticker.getAsLong() + CONNECT_RETRY_NANOS;
      redisFailed("CONNECT", "*", e);
      return false;
    }
    Link l = new Link(c, c.sync(), p);
    // Values loaded while disconnected may be stale: other instances' announcements were missed.
    memory.invalidateAll();
    link = l;
    if (closed.get()) {
      link = null;
      l.close();
      return false;
    }
    redisAnswering = true;
    return true;
  }

  /** Applies an announcement: another instance's write or invalidation, or a finished lease. */
  private void onMessage(String message) {
    String[] parts = message.split(" ", 3);
    if (parts.length < 3) {
      LOG.warn("RedisCache '{}': unreadable announcement '{}' ignored", name, message);
      return;
    }
    String op = parts[1];
    String k = parts[2];
    boolean mine = parts[0].equals(instance);
    if (op.equals("A")) {
      if (!mine) {
        invalidations.incrementAndGet();
        memory.invalidateAll();
      }
      leasedElsewhere.clear();
      waiters.forEach((key, w) -> w.complete(null));
    } else {
      leasedElsewhere.remove(k);
      CompletableFuture<Void> w = waiters.get(k);
      if (w != null) {
        w.complete(null);
      }
      if (!mine && op.equals("P")) {
        refreshLater(k); // tells the listeners once it is done
        return;
      }
      if (!mine && op.equals("I")) {
        invalidations.incrementAndGet();
        memory.invalidate(k);
      }
    }
    if (!mine) {
      tellListeners();
    }
  }

  /**
   * Another instance wrote {@code k}: a live copy in memory keeps being served while one task on
   * the executor reads the new entry from Redis, so that the readers of a hot key do not all miss
   * memory and read Redis at once. Without a live copy, the next read goes to Redis anyway.
   */
  private void refreshLater(String k) {
    Stored<V> old = peek(k);
    if (old == null || now() >= old.expiresAt()) {
      memory.invalidate(k);
      tellListeners();
      return;
    }
    long seen = invalidations.get();
    try {
      executor.execute(() -> refresh(k, seen));
    } catch (RejectedExecutionException e) {
      memory.invalidate(k);
      LOG.warn("RedisCache '{}': the executor refused to read key '{}' again", name, k, e);
      tellListeners();
    }
  }

  private void refresh(String k, long seen) {
    try {
      Stored<V> fresh = fetch(k);
      Stored<V> current = peek(k);
      if (fresh == null) {
        memory.invalidate(k);
      } else if (current != null && fresh.expiresAt() >= current.expiresAt()) {
        memory.put(k, fresh);
      }
      if (invalidations.get() != seen) {
        memory.invalidate(k); // an invalidation arrived meanwhile: the read may predate it
      }
    } catch (RuntimeException e) {
      memory.invalidate(k);
      if (e instanceof RedisException r) {
        redisFailed("GET", k, r);
      } else {
        LOG.warn("RedisCache '{}': reading key '{}' again failed", name, k, e);
      }
    } finally {
      tellListeners();
    }
  }

  private void tellListeners() {
    for (Runnable listener : changeListeners) {
      listener.run();
    }
  }

  /** Empties the memory tier when the change channel comes back: announcements may be lost. */
  private final class Reconnected implements RedisConnectionStateListener {
    private final AtomicBoolean lost = new AtomicBoolean();

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
      lost.set(true);
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
      if (lost.compareAndSet(true, false)) {
        memory.invalidateAll();
        LOG.info("RedisCache '{}': reconnected to Redis at {}", name, address);
      }
    }
  }

  private static <T> T join(CompletableFuture<T> running) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return running.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException r) {
            throw r;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(cause);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String globEscape(String s) {
    return s.replaceAll("([\\\\*?\\[\\]^])", "\\\\$1");
  }

  // ---------------------------------------------------------------- builder

  /**
   * Builds a {@link RedisCache}. Not thread-safe; build once, share the cache.
   *
   * @param <K> the key type
   * @param <V> the value type
   */
  public static final class Builder<K, V> {

    private final String name;
    private @Nullable RedisURI uri;
    private @Nullable RedisClient client;
    private Function<? super K, String> keys = String::valueOf;
    private @Nullable ValueCodec<?> codec;
    private int maxValueBytes = 512 * 1024;
    private @Nullable Duration ttl;
    private EarlyRecompute earlyRecompute = EarlyRecompute.xfetch(1.0);
    private Duration lease = Duration.ofSeconds(5);
    private Duration staleWhileRevalidate = Duration.ZERO;
    private Duration staleIfError = Duration.ZERO;
    private long maximumSize;
    private Duration commandTimeout = Duration.ofMillis(100);
    private Clock clock = Clock.systemUTC();
    private LongSupplier ticker = System::nanoTime;
    private @Nullable RandomGenerator random;
    private Executor executor = ForkJoinPool.commonPool();

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Sets the Redis server, as {@code redis://host:port} or {@code redis://host:port/db}. The
     * cache makes its own client, which reconnects by itself and rejects commands at once while
     * disconnected; {@link #close()} shuts it down.
     *
     * @param uri the server's URI
     * @return this builder
     * @throws IllegalArgumentException if {@code uri} is not of that form, or its port is not
     *     between 1 and 65535
     */
    public Builder<K, V> redis(String uri) {
      Objects.requireNonNull(uri, "uri must not be null");
      if (!URI_SHAPE.matcher(uri).matches()) {
        throw new IllegalArgumentException("uri must be redis://host:port[/db], was '" + uri + "'");
      }
      URI parsed;
      try {
        parsed = new URI(uri);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "uri must be redis://host:port[/db], was '" + uri + "'", e);
      }
      int port = parsed.getPort();
      String host = parsed.getHost();
      if (host == null || port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "uri must be redis://host:port[/db] with a port between 1 and 65535, was '"
                + uri
                + "'");
      }
      String path = parsed.getPath();
      int db = path == null || path.isEmpty() ? 0 : parseDb(path.substring(1), uri);
      this.uri = RedisURI.builder().withHost(host).withPort(port).withDatabase(db).build();
      this.client = null;
      return this;
    }

    private static int parseDb(String db, String uri) {
      try {
        return Integer.parseInt(db);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "uri must be redis://host:port[/db] with a database number, was '" + uri + "'", e);
      }
    }

    /**
     * Sets the Lettuce client to connect with, instead of {@link #redis(String)}: its options
     * (reconnection, what a command does while disconnected) are the caller's, and the caller shuts
     * it down after closing the cache. The cache's commands still time out after {@code
     * commandTimeout}.
     *
     * @param client the client
     * @return this builder
     */
    public Builder<K, V> client(RedisClient client) {
      this.client = Objects.requireNonNull(client, "client must not be null");
      this.uri = null;
      return this;
    }

    /**
     * Sets how a key becomes part of its Redis key, {@code "dyno:" + name + ":" + keys(key)}; the
     * default is {@link String#valueOf(Object)}. Equal keys must give equal strings, on every
     * instance.
     *
     * @param keys the function; must not return null
     * @param <K1> the key type
     * @return this builder
     */
    @SuppressWarnings("unchecked")
    public <K1 extends K> Builder<K1, V> keys(Function<? super K1, String> keys) {
      Objects.requireNonNull(keys, "keys must not be null");
      Builder<K1, V> self = (Builder<K1, V>) this;
      self.keys = keys;
      return self;
    }

    /**
     * Sets how values are stored in Redis; required, even for strings ({@link ValueCodec#string()})
     * and byte arrays ({@link ValueCodec#bytes()}): no codec is guessed.
     *
     * @param codec the codec
     * @param <V1> the value type
     * @return this builder
     */
    @SuppressWarnings("unchecked")
    public <V1 extends V> Builder<K, V1> values(ValueCodec<V1> codec) {
      this.codec = Objects.requireNonNull(codec, "codec must not be null");
      return (Builder<K, V1>) this;
    }

    /**
     * Sets the largest encoded value the cache writes to Redis; the default is 512 KiB. A larger
     * one fails with {@link IllegalArgumentException} and nothing is written.
     *
     * @param maxValueBytes at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxValueBytes} is less than 1
     */
    public Builder<K, V> maxValueBytes(int maxValueBytes) {
      if (maxValueBytes < 1) {
        throw new IllegalArgumentException("maxValueBytes must be >= 1, was " + maxValueBytes);
      }
      this.maxValueBytes = maxValueBytes;
      return this;
    }

    /**
     * Sets the time to live of an entry, from its computation; required.
     *
     * @param ttl positive, at least a millisecond
     * @return this builder
     * @throws IllegalArgumentException if {@code ttl} is shorter than a millisecond
     */
    public Builder<K, V> ttl(Duration ttl) {
      this.ttl = atLeastAMillisecond(ttl, "ttl");
      return this;
    }

    /**
     * Sets when a read recomputes a live value early, for the whole fleet; the default is XFetch
     * with β = 1, as in dyno-cache.
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
     * Sets how long an instance may hold a key's lease to recompute it, and how long a miss waits
     * for the holder's result; the default is 5 seconds. Longer than the slowest load.
     *
     * @param lease positive, at least a millisecond
     * @return this builder
     * @throws IllegalArgumentException if {@code lease} is shorter than a millisecond
     */
    public Builder<K, V> lease(Duration lease) {
      this.lease = atLeastAMillisecond(lease, "lease");
      return this;
    }

    /**
     * Sets how long past expiry a stale value is served at once while one instance recomputes it in
     * the background; the default is 0, none.
     *
     * @param window not negative
     * @return this builder
     * @throws IllegalArgumentException if {@code window} is negative
     */
    public Builder<K, V> staleWhileRevalidate(Duration window) {
      this.staleWhileRevalidate = notNegative(window, "staleWhileRevalidate");
      return this;
    }

    /**
     * Sets how long past expiry a stale value is served when its recomputation fails (the loader,
     * or Redis and then the loader); the default is 0, none.
     *
     * @param window not negative
     * @return this builder
     * @throws IllegalArgumentException if {@code window} is negative
     */
    public Builder<K, V> staleIfError(Duration window) {
      this.staleIfError = notNegative(window, "staleIfError");
      return this;
    }

    /**
     * Bounds the number of entries of the memory tier (TinyLFU, as dyno-cache); the default is no
     * bound. Redis's own memory policy bounds the second tier.
     *
     * @param maximumSize at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maximumSize} is less than 1
     */
    public Builder<K, V> maximumSize(long maximumSize) {
      if (maximumSize < 1) {
        throw new IllegalArgumentException("maximumSize must be >= 1, was " + maximumSize);
      }
      this.maximumSize = maximumSize;
      return this;
    }

    /**
     * Sets how long a Redis command may take before the cache gives up on it and carries on without
     * Redis; the default is 100 ms.
     *
     * @param commandTimeout positive, at least a millisecond
     * @return this builder
     * @throws IllegalArgumentException if {@code commandTimeout} is shorter than a millisecond
     */
    public Builder<K, V> commandTimeout(Duration commandTimeout) {
      this.commandTimeout = atLeastAMillisecond(commandTimeout, "commandTimeout");
      return this;
    }

    /**
     * Sets the wall clock of expiries; the default is {@link Clock#systemUTC()}. Expiries are
     * shared by every instance, so they are epoch times, and the instances' clocks must agree.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder<K, V> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * Sets the monotonic clock, in nanoseconds, that measures how long a load takes; the default is
     * {@code System::nanoTime}.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder<K, V> ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Sets the source of the early-recompute draws; the default is {@link ThreadLocalRandom}.
     *
     * @param random the generator, used from any thread
     * @return this builder
     */
    public Builder<K, V> random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random must not be null");
      return this;
    }

    /**
     * Sets where recomputations run in the background (early ones and within
     * stale-while-revalidate); the default is {@link ForkJoinPool#commonPool()}.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder<K, V> executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor must not be null");
      return this;
    }

    /**
     * Connects to Redis, subscribes to the change channel and returns the cache. If Redis cannot be
     * reached the cache is returned all the same, degraded, and connects later (see the class
     * documentation); the client the cache makes waits at most 1 second for a TCP connection.
     *
     * @param <K1> the key type
     * @param <V1> the value type
     * @return the cache
     * @throws IllegalStateException naming the cache if no Redis server, no time to live or no
     *     value codec was set
     */
    @SuppressWarnings("unchecked")
    public <K1 extends K, V1 extends V> RedisCache<K1, V1> build() {
      RedisURI u = uri;
      if (u == null && client == null) {
        throw new IllegalStateException(
            "RedisCache '" + name + "': set the Redis server with redis(uri) or client(client)");
      }
      Duration t = ttl;
      if (t == null) {
        throw new IllegalStateException("RedisCache '" + name + "': ttl must be set");
      }
      ValueCodec<?> c = codec;
      if (c == null) {
        throw new IllegalStateException(
            "RedisCache '"
                + name
                + "': values(codec) must be set: ValueCodec.string(), ValueCodec.bytes(),"
                + " ValueCodec.serializable(type) or a codec of your own");
      }
      RedisClient redisClient = client;
      boolean owned = redisClient == null;
      if (redisClient == null && u != null) {
        redisClient = RedisClient.create(u);
        redisClient.setOptions(
            ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
      }
      if (redisClient == null) {
        throw new IllegalStateException("RedisCache '" + name + "': no Redis client");
      }
      return new RedisCache<>((Builder<K1, V1>) this, (ValueCodec<V1>) c, t, redisClient, owned);
    }

    private static Duration atLeastAMillisecond(Duration d, String parameter) {
      Objects.requireNonNull(d, parameter + " must not be null");
      if (d.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException(
            parameter + " must be at least 1 ms, was " + Durations.format(d));
      }
      return atMostLongest(d, parameter);
    }

    private static Duration notNegative(Duration d, String parameter) {
      Objects.requireNonNull(d, parameter + " must not be null");
      if (d.isNegative()) {
        throw new IllegalArgumentException(
            parameter + " must not be negative, was " + Durations.format(d));
      }
      return atMostLongest(d, parameter);
    }

    private static Duration atMostLongest(Duration d, String parameter) {
      if (d.compareTo(LONGEST) > 0) {
        throw new IllegalArgumentException(
            parameter + " must be at most 36500 days, was " + Durations.format(d));
      }
      return d;
    }
  }
}
