package io.dyno.benchmarks;

import io.dyno.benchmarks.StampedeHarness.Readings;
import io.dyno.cache.Cache;
import io.dyno.cache.EarlyRecompute;
import io.dyno.cache.redis.RedisCache;
import io.dyno.cache.redis.RedisCacheStats;
import io.dyno.cache.redis.ValueCodec;
import io.dyno.testing.RedisProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The stampede test across a fleet: several instances of a service, each with its own cache and its
 * own readers of one hot key whose loader is slow, and one loader (the database) that they share.
 * It counts the computations the whole fleet starts per expiry and how long readers wait.
 *
 * <p>Defaults: 3 instances of 16 readers each, one key, a loader that sleeps 50 ms, a time to live
 * of 1 s, 10 s per row. Readers read, record the read's latency, pause {@code --pause-us}
 * microseconds and read again, as in {@link StampedeHarness}, whose readers, loader and table this
 * harness uses.
 *
 * <p>The rows, one after another in the same run:
 *
 * <ul>
 *   <li>{@code dyno-cache-redis xN}: N {@link RedisCache}s of the same name on one Redis server
 *       (started by the harness on a free loopback port, stopped at the end), each with its own
 *       client ({@code redis(uri)}) and its own executor, XFetch with β = 1 by default;
 *   <li>{@code dyno-cache xN (no sharing)}: N dyno-cache {@link Cache}s with the same time to live,
 *       the same XFetch and an executor each: every instance computes the key itself.
 * </ul>
 *
 * <p>Per row: expiries (run time / ttl), computations (loader calls across the fleet) and their
 * number per expiry, reads, waits, and the reader latency p50, p99, p99.9 and max. A wait is a read
 * slower than half the loader's time, as in {@link StampedeHarness}: a read served from memory
 * takes microseconds, and one from Redis on the loopback interface well under a millisecond on an
 * idle machine, while a read that runs a load, joins one or waits for another instance's lease
 * lasts until that load ends. On a busy machine a Redis round trip can pass the threshold too, so
 * for the Redis row the harness also prints the instances' {@link RedisCacheStats} summed over the
 * run: {@code loads - recomputes} are the loads that a reader ran itself and {@code leaseWaits} the
 * reads that waited for another instance's load.
 *
 * <p>Run: {@code java -cp dyno-benchmarks/target/benchmarks.jar
 * io.dyno.benchmarks.FleetStampedeHarness --seconds 10} (options: {@code --instances}, {@code
 * --readers} per instance, {@code --ttl-ms}, {@code --load-ms}, {@code --pause-us}, {@code --beta}
 * of both rows' XFetch, {@code --only NAME-SUBSTRING}).
 *
 * <p>Not thread-safe as a whole: {@link #main} runs the rows one at a time.
 */
public final class FleetStampedeHarness {

  /** Every counter 0. */
  static final RedisCacheStats ZERO = new RedisCacheStats(0, 0, 0, 0, 0, 0, 0, 0, 0);

  private final int instances;
  private final int readers;
  private final long ttlMillis;
  private final long loadMillis;
  private final long pauseMicros;
  private final double seconds;
  private final EarlyRecompute earlyRecompute;

  private FleetStampedeHarness(
      int instances,
      int readers,
      long ttlMillis,
      long loadMillis,
      long pauseMicros,
      double seconds,
      EarlyRecompute earlyRecompute) {
    this.instances = instances;
    this.readers = readers;
    this.ttlMillis = ttlMillis;
    this.loadMillis = loadMillis;
    this.pauseMicros = pauseMicros;
    this.seconds = seconds;
    this.earlyRecompute = earlyRecompute;
  }

  /**
   * Runs the harness.
   *
   * @param args {@code --seconds S} (default 10), {@code --instances N} (3), {@code --readers N}
   *     per instance (16), {@code --ttl-ms T} (1000), {@code --load-ms L} (50), {@code --pause-us
   *     P} (100), {@code --beta B} (1, XFetch's default), {@code --only TEXT} to run only the rows
   *     whose name contains it
   * @throws IOException if redis-server cannot be started
   * @throws InterruptedException if interrupted while waiting for the readers or the server
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    double seconds = 10;
    int instances = 3;
    int readers = 16;
    long ttlMillis = 1000;
    long loadMillis = 50;
    long pauseMicros = 100;
    double beta = 1;
    String only = "";
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(value);
        case "--instances" -> instances = Integer.parseInt(value);
        case "--readers" -> readers = Integer.parseInt(value);
        case "--ttl-ms" -> ttlMillis = Long.parseLong(value);
        case "--load-ms" -> loadMillis = Long.parseLong(value);
        case "--pause-us" -> pauseMicros = Long.parseLong(value);
        case "--beta" -> beta = Double.parseDouble(value);
        case "--only" -> only = value;
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; expected --seconds, --instances, --readers, --ttl-ms, --load-ms,"
                    + " --pause-us, --beta or --only");
      }
    }
    if (instances < 1) {
      throw new IllegalArgumentException("--instances must be >= 1, was " + instances);
    }
    if (readers < 1) {
      throw new IllegalArgumentException("--readers must be >= 1, was " + readers);
    }
    FleetStampedeHarness harness =
        new FleetStampedeHarness(
            instances,
            readers,
            ttlMillis,
            loadMillis,
            pauseMicros,
            seconds,
            EarlyRecompute.xfetch(beta));
    System.out.printf(
        Locale.ROOT,
        "Fleet stampede: %d instances x %d readers, one key, loader %d ms, ttl %d ms,"
            + " %.1f s per row, pause %d µs, XFetch β %s%n%n",
        instances,
        readers,
        loadMillis,
        ttlMillis,
        seconds,
        pauseMicros,
        beta);
    System.out.println(
        "| cache | expiries | computations | per expiry | reads | waits | p50 | p99 | p99.9 | max |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    String redisRow = "dyno-cache-redis x" + instances;
    String plainRow = "dyno-cache x" + instances + " (no sharing)";
    String stats = null;
    if (redisRow.contains(only)) {
      try (RedisProcess redis = RedisProcess.start()) {
        RedisRun run = harness.runRedis(redisRow, redis.uri());
        System.out.println(run.row());
        stats = run.stats();
      }
    }
    if (plainRow.contains(only)) {
      System.out.println(harness.runPlain(plainRow));
    }
    if (stats != null) {
      System.out.println();
      System.out.println(stats);
    }
  }

  /** The table row of the Redis fleet, and its counters summed over the instances. */
  private record RedisRun(String row, String stats) {}

  /** Runs the fleet of RedisCaches and returns its row and counters. */
  private RedisRun runRedis(String name, String uri) throws InterruptedException {
    AtomicLong computations = new AtomicLong();
    Function<String, String> loader = StampedeHarness.loader(computations, loadMillis);
    Duration ttl = Duration.ofMillis(ttlMillis);
    List<ExecutorService> executors = new ArrayList<>();
    List<RedisCache<String, String>> fleet = new ArrayList<>();
    try {
      for (int i = 0; i < instances; i++) {
        ExecutorService executor = Executors.newCachedThreadPool();
        executors.add(executor);
        RedisCache<String, String> cache =
            RedisCache.builder("stampede")
                .redis(uri)
                .values(ValueCodec.string())
                .ttl(ttl)
                .earlyRecompute(earlyRecompute)
                .executor(executor)
                .build();
        fleet.add(cache);
      }
      // The first computation, and each instance's first read, are not part of the stampede.
      for (RedisCache<String, String> cache : fleet) {
        String unused = cache.get(StampedeHarness.KEY, loader);
      }
      computations.set(0);
      RedisCacheStats before = sum(fleet);

      Readings readings =
          StampedeHarness.readAll(
              t -> {
                RedisCache<String, String> cache = fleet.get(t / readers);
                return key -> cache.get(key, loader);
              },
              instances * readers,
              seconds,
              pauseMicros);
      RedisCacheStats during = add(sum(fleet), before, -1);
      String stats =
          String.format(
              Locale.ROOT,
              "%s, RedisCacheStats summed over the instances during the run: %s;"
                  + " loads run by a reader (loads - recomputes): %d",
              name,
              during,
              during.loads() - during.recomputes());
      return new RedisRun(
          StampedeHarness.row(name, ttlMillis, loadMillis, computations.get(), readings), stats);
    } finally {
      for (RedisCache<String, String> cache : fleet) {
        cache.close();
      }
      for (ExecutorService executor : executors) {
        executor.shutdownNow();
      }
    }
  }

  /** Runs the fleet of unshared dyno-cache Caches and returns its row. */
  private String runPlain(String name) throws InterruptedException {
    AtomicLong computations = new AtomicLong();
    Function<String, String> loader = StampedeHarness.loader(computations, loadMillis);
    Duration ttl = Duration.ofMillis(ttlMillis);
    List<ExecutorService> executors = new ArrayList<>();
    List<Cache<String, String>> fleet = new ArrayList<>();
    try {
      for (int i = 0; i < instances; i++) {
        ExecutorService executor = Executors.newCachedThreadPool();
        executors.add(executor);
        Cache<String, String> cache =
            Cache.builder("stampede")
                .ttl(ttl)
                .earlyRecompute(earlyRecompute)
                .executor(executor)
                .build();
        fleet.add(cache);
      }
      // Each instance's first computation is not part of the stampede.
      for (Cache<String, String> cache : fleet) {
        String unused = cache.get(StampedeHarness.KEY, loader);
      }
      computations.set(0);
      Readings readings =
          StampedeHarness.readAll(
              t -> {
                Cache<String, String> cache = fleet.get(t / readers);
                return key -> cache.get(key, loader);
              },
              instances * readers,
              seconds,
              pauseMicros);
      return StampedeHarness.row(name, ttlMillis, loadMillis, computations.get(), readings);
    } finally {
      for (ExecutorService executor : executors) {
        executor.shutdownNow();
      }
    }
  }

  private static RedisCacheStats sum(List<RedisCache<String, String>> fleet) {
    RedisCacheStats total = ZERO;
    for (RedisCache<String, String> cache : fleet) {
      total = add(total, cache.stats(), 1);
    }
    return total;
  }

  /** {@code a + sign * b}, counter by counter. */
  static RedisCacheStats add(RedisCacheStats a, RedisCacheStats b, int sign) {
    return new RedisCacheStats(
        a.memoryHits() + sign * b.memoryHits(),
        a.redisHits() + sign * b.redisHits(),
        a.loads() + sign * b.loads(),
        a.recomputes() + sign * b.recomputes(),
        a.leaseWaits() + sign * b.leaseWaits(),
        a.staleServed() + sign * b.staleServed(),
        a.degradedLoads() + sign * b.degradedLoads(),
        a.redisErrors() + sign * b.redisErrors(),
        a.loadFailures() + sign * b.loadFailures());
  }
}
