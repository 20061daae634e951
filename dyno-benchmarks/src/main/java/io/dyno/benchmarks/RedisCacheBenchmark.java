package io.dyno.benchmarks;

import io.dyno.cache.Cache;
import io.dyno.cache.redis.RedisCache;
import io.dyno.cache.redis.RedisCacheStats;
import io.dyno.cache.redis.ValueCodec;
import io.dyno.testing.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The cost of a read of dyno-cache-redis's {@link RedisCache}, from memory and from Redis, side by
 * side with what it is built from: a dyno-cache {@link Cache} hit and a bare Lettuce {@code GET}.
 * Each trial starts its own redis-server on a free loopback port ({@link RedisProcess}) and stops
 * it at the end.
 *
 * <ul>
 *   <li>{@code dynoCacheHit}: {@code Cache<String, String>.get} of a present key, ttl 5 min,
 *       maximumSize 10 000, 1 000 entries, as {@link CacheBenchmark}'s {@code dynoHit};
 *   <li>{@code redisCacheMemoryHit}: {@code RedisCache.get} of a key its memory tier holds, ttl 5
 *       min, maximumSize 10 000, 1 000 entries;
 *   <li>{@code lettuceGet}: Lettuce's synchronous {@code GET} on one connection (String keys,
 *       byte[] values) of a key that holds the very bytes the RedisCache stores for that value
 *       (header and value, read with a plain {@code GET} of {@link RedisCache#redisKey} in setup);
 *   <li>{@code redisCacheRedisHit}: {@code RedisCache.get} that misses memory and finds a live
 *       entry in Redis: the cache's memory tier holds one entry ({@code maximumSize(1)}) and each
 *       call reads the next of 1 024 keys, all written to Redis in setup, so the key read is almost
 *       never the one in memory. A Redis hit also decodes the entry and puts it into memory,
 *       evicting another, as every Redis hit does.
 * </ul>
 *
 * <p>Checked, not assumed: after each trial the benchmark prints both RedisCaches' counters summed
 * over the measurement iterations (from {@link RedisCache#stats()} before and after each one). For
 * {@code redisCacheRedisHit} the memory hits are about 0 and the loads 0, every call a Redis hit;
 * for {@code redisCacheMemoryHit} every call is a memory hit.
 *
 * <p>Run: {@code java -jar dyno-benchmarks/target/benchmarks.jar RedisCacheBenchmark -prof gc}.
 *
 * <p>Thread safety: the state is shared by the benchmark threads; the key rotation of {@code
 * redisCacheRedisHit} is a plain field, exact with one thread (the default).
 */
@State(Scope.Benchmark)
public class RedisCacheBenchmark extends Comparison {

  private static final String KEY = "k42";
  private static final int PRESENT = 1000;
  private static final int ROTATED = 1024;

  private final String[] rotated = new String[ROTATED];
  private int next;

  @SuppressWarnings("NullAway.Init") // JMH calls setUp() before any benchmark method.
  private RedisProcess redis;

  @SuppressWarnings("NullAway.Init") // JMH calls setUp() before any benchmark method.
  private Cache<String, String> dyno;

  @SuppressWarnings("NullAway.Init") // JMH calls setUp() before any benchmark method.
  private RedisCache<String, String> memoryTier;

  @SuppressWarnings("NullAway.Init") // JMH calls setUp() before any benchmark method.
  private RedisCache<String, String> redisTier;

  @SuppressWarnings("NullAway.Init") // JMH calls setUp() before any benchmark method.
  private RedisClient client;

  @SuppressWarnings("NullAway.Init") // JMH calls setUp() before any benchmark method.
  private StatefulRedisConnection<String, byte[]> connection;

  @SuppressWarnings("NullAway.Init") // JMH calls setUp() before any benchmark method.
  private RedisCommands<String, byte[]> lettuce;

  private final String lettuceKey = "lettuce:" + KEY;

  @SuppressWarnings("NullAway.Init") // JMH calls startIteration() before each iteration.
  private RedisCacheStats memoryTierBefore;

  @SuppressWarnings("NullAway.Init") // JMH calls startIteration() before each iteration.
  private RedisCacheStats redisTierBefore;

  private RedisCacheStats memoryTierMeasured = FleetStampedeHarness.ZERO;
  private RedisCacheStats redisTierMeasured = FleetStampedeHarness.ZERO;

  /** Creates a benchmark state; JMH calls {@link #setUp()} before measuring it. */
  public RedisCacheBenchmark() {
    for (int i = 0; i < ROTATED; i++) {
      rotated[i] = "r" + i;
    }
  }

  /**
   * Starts redis-server, builds the caches, fills them and copies one RedisCache entry's bytes to
   * the key Lettuce reads.
   *
   * @throws IOException if redis-server cannot be started
   * @throws InterruptedException if interrupted while it starts
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException {
    redis = RedisProcess.start();
    Duration ttl = Duration.ofMinutes(5);
    dyno = Cache.builder("benchmark").ttl(ttl).maximumSize(10_000).build();
    memoryTier =
        RedisCache.builder("memory")
            .redis(redis.uri())
            .values(ValueCodec.string())
            .ttl(ttl)
            .maximumSize(10_000)
            .build();
    redisTier =
        RedisCache.builder("redis")
            .redis(redis.uri())
            .values(ValueCodec.string())
            .ttl(ttl)
            .maximumSize(1)
            .build();
    for (int i = 0; i < PRESENT; i++) {
      dyno.get("k" + i, RedisCacheBenchmark::price);
      memoryTier.get("k" + i, RedisCacheBenchmark::price);
    }
    for (String key : rotated) {
      redisTier.get(key, RedisCacheBenchmark::price);
    }
    client = RedisClient.create(redis.uri());
    connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    lettuce = connection.sync();
    byte[] stored = lettuce.get(memoryTier.redisKey(KEY));
    if (stored == null) {
      throw new IllegalStateException(
          "no entry at " + memoryTier.redisKey(KEY) + " after the RedisCache loaded " + KEY);
    }
    lettuce.set(lettuceKey, stored);
  }

  /** Takes the counters before an iteration. */
  @Setup(Level.Iteration)
  public void startIteration() {
    memoryTierBefore = memoryTier.stats();
    redisTierBefore = redisTier.stats();
  }

  /**
   * Adds the counters of a measurement iteration to the trial's.
   *
   * @param iteration the iteration's parameters
   */
  @TearDown(Level.Iteration)
  public void endIteration(IterationParams iteration) {
    if (iteration.getType() == IterationType.MEASUREMENT) {
      memoryTierMeasured = measured(memoryTierMeasured, memoryTier.stats(), memoryTierBefore);
      redisTierMeasured = measured(redisTierMeasured, redisTier.stats(), redisTierBefore);
    }
  }

  /** Prints the counters of the measurement iterations, closes the caches and stops Redis. */
  @TearDown(Level.Trial)
  public void tearDown() {
    System.out.printf(
        Locale.ROOT,
        "%nRedisCache counters over the measurement iterations:%n"
            + "  the cache of redisCacheMemoryHit: %s%n"
            + "  the cache of redisCacheRedisHit: %s%n",
        memoryTierMeasured,
        redisTierMeasured);
    try {
      connection.close();
      client.shutdown();
      memoryTier.close();
      redisTier.close();
    } finally {
      redis.close();
    }
  }

  /** A dyno-cache hit. */
  @Benchmark
  public String dynoCacheHit() {
    return dyno.get(KEY, RedisCacheBenchmark::price);
  }

  /** A RedisCache hit in its memory tier. */
  @Benchmark
  public String redisCacheMemoryHit() {
    return memoryTier.get(KEY, RedisCacheBenchmark::price);
  }

  /** Lettuce's synchronous GET of the bytes of a RedisCache entry. */
  @Benchmark
  public byte[] lettuceGet() {
    byte[] value = lettuce.get(lettuceKey);
    if (value == null) {
      throw new IllegalStateException("no value at " + lettuceKey);
    }
    return value;
  }

  /** A RedisCache read that misses memory and hits Redis. */
  @Benchmark
  public String redisCacheRedisHit() {
    int i = next;
    next = (i + 1) & (ROTATED - 1);
    return redisTier.get(rotated[i], RedisCacheBenchmark::price);
  }

  /** The loader: a non-capturing method reference, so passing it allocates nothing. */
  private static String price(String key) {
    return "price of " + key;
  }

  /** {@code sum + (after - before)}, counter by counter. */
  private static RedisCacheStats measured(
      RedisCacheStats sum, RedisCacheStats after, RedisCacheStats before) {
    return FleetStampedeHarness.add(sum, FleetStampedeHarness.add(after, before, -1), 1);
  }
}
