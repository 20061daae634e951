package io.dyno.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.dyno.cache.Cache;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of a cache hit in dyno-cache side by side with Caffeine and a bare {@link
 * ConcurrentHashMap}, and, from {@link #main}, the hit rate of dyno-cache's bounded policy against
 * plain LRU and Caffeine on Zipf-distributed keys.
 *
 * <p><b>Hit throughput</b> (JMH): {@code get} of a present key with a non-capturing loader, one
 * shared instance per benchmark, so that {@code -t 2} measures two threads hitting the same cache:
 *
 * <ul>
 *   <li>{@code dynoHit}: ttl 5 min, maximumSize 10 000, XFetch (the default);
 *   <li>{@code dynoHitUnbounded}: the same without a size bound;
 *   <li>{@code caffeineHit}: {@code expireAfterWrite(5 min)} and {@code maximumSize(10 000)}, the
 *       same features;
 *   <li>{@code caffeineHitSizeOnly}: {@code maximumSize(10 000)} only;
 *   <li>{@code concurrentHashMapHit}: the lookup alone.
 * </ul>
 *
 * <p>Run: {@code dyno-benchmarks/bench CacheBenchmark -prof gc}, and again with {@code -t 2}.
 *
 * <p><b>Hit rate</b>: {@code java -cp dyno-benchmarks/target/benchmarks.jar
 * io.dyno.benchmarks.CacheBenchmark [--keys N] [--reads N] [--seed N]} replays one Zipf trace per
 * exponent (0.8, 1.0, 1.2) through each policy at three sizes and prints the share of reads that
 * found their key. It counts; it does not time, so it gives the same numbers on any machine.
 *
 * <p>Thread safety: the JMH state is shared by the benchmark threads, as the caches under test are;
 * {@link #main} is single-threaded.
 */
@State(Scope.Benchmark)
public class CacheBenchmark extends Comparison {

  private static final Function<Integer, Integer> LOADER = Function.identity();
  private static final Integer KEY = 42;

  private final Cache<Integer, Integer> dyno =
      Cache.builder("benchmark").ttl(Duration.ofMinutes(5)).maximumSize(10_000).build();
  private final Cache<Integer, Integer> dynoUnbounded =
      Cache.builder("benchmark").ttl(Duration.ofMinutes(5)).build();
  private final com.github.benmanes.caffeine.cache.Cache<Integer, Integer> caffeine =
      Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(5)).maximumSize(10_000).build();
  private final com.github.benmanes.caffeine.cache.Cache<Integer, Integer> caffeineWithStats =
      Caffeine.newBuilder()
          .expireAfterWrite(Duration.ofMinutes(5))
          .maximumSize(10_000)
          .recordStats()
          .build();
  private final com.github.benmanes.caffeine.cache.Cache<Integer, Integer> caffeineSizeOnly =
      Caffeine.newBuilder().maximumSize(10_000).build();
  private final ConcurrentHashMap<Integer, Integer> map = new ConcurrentHashMap<>();

  /** Creates the state with the key present in every cache. */
  public CacheBenchmark() {
    for (int i = 0; i < 1000; i++) {
      dyno.get(i, LOADER);
      dynoUnbounded.get(i, LOADER);
      caffeine.put(i, i);
      caffeineWithStats.put(i, i);
      caffeineSizeOnly.put(i, i);
      map.put(i, i);
    }
  }

  /** Dyno, bounded, XFetch. */
  @Benchmark
  public Integer dynoHit() {
    return dyno.get(KEY, LOADER);
  }

  /** Dyno, unbounded, XFetch. */
  @Benchmark
  public Integer dynoHitUnbounded() {
    return dynoUnbounded.get(KEY, LOADER);
  }

  /** Caffeine with expireAfterWrite and maximumSize. */
  @Benchmark
  public Integer caffeineHit() {
    return caffeine.get(KEY, LOADER);
  }

  /**
   * Caffeine as {@link #caffeineHit}, counting hits and misses as dyno always does.
   *
   * @return the value
   */
  @Benchmark
  public Integer caffeineHitWithStats() {
    return caffeineWithStats.get(KEY, LOADER);
  }

  /** Caffeine with maximumSize only. */
  @Benchmark
  public Integer caffeineHitSizeOnly() {
    return caffeineSizeOnly.get(KEY, LOADER);
  }

  /** The map lookup alone. */
  @Benchmark
  public @Nullable Integer concurrentHashMapHit() {
    return map.get(KEY);
  }

  // ---------------------------------------------------------------- hit rate on Zipf traffic

  /** A cache policy replayed against a trace: returns true on a hit, and loads on a miss. */
  private interface Policy {
    boolean read(int key);
  }

  /**
   * Replays Zipf traces through dyno-cache, plain LRU and Caffeine and prints their hit rates.
   *
   * @param args {@code --keys N} distinct keys (default 100 000), {@code --reads N} reads per trace
   *     (default 2 000 000), {@code --seed N} (default 1)
   */
  public static void main(String[] args) {
    int keys = 100_000;
    int reads = 2_000_000;
    long seed = 1;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--keys" -> keys = Integer.parseInt(value);
        case "--reads" -> reads = Integer.parseInt(value);
        case "--seed" -> seed = Long.parseLong(value);
        default ->
            throw new IllegalArgumentException(
                "unknown option " + args[i] + "; expected --keys, --reads or --seed");
      }
    }
    System.out.printf(
        Locale.ROOT, "Zipf hit rate: %d keys, %d reads per trace, seed %d%n%n", keys, reads, seed);
    System.out.println("| exponent | maximumSize | LRU | dyno-cache | Caffeine |");
    System.out.println("|---|---|---|---|---|");
    for (double exponent : new double[] {0.8, 1.0, 1.2}) {
      int[] trace = zipfTrace(keys, exponent, reads, seed);
      for (int size : new int[] {100, 1_000, 10_000}) {
        double lru = hitRate(trace, lru(size));
        double dyno = hitRate(trace, dyno(size));
        double caffeine = hitRate(trace, caffeine(size));
        System.out.printf(
            Locale.ROOT,
            "| %.1f | %,d | %.2f %% | %.2f %% | %.2f %% |%n",
            exponent,
            size,
            100 * lru,
            100 * dyno,
            100 * caffeine);
      }
    }
  }

  private static double hitRate(int[] trace, Policy policy) {
    long hits = 0;
    for (int key : trace) {
      if (policy.read(key)) {
        hits++;
      }
    }
    return (double) hits / trace.length;
  }

  private static Policy lru(int size) {
    Map<Integer, Integer> lru =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, Integer> eldest) {
            return size() > size;
          }
        };
    return key -> {
      if (lru.get(key) != null) {
        return true;
      }
      lru.put(key, key);
      return false;
    };
  }

  private static Policy dyno(int size) {
    // A fixed ticker: nothing expires, so the hit rate is the size policy's alone.
    Cache<Integer, Integer> cache =
        Cache.builder("zipf").ttl(Duration.ofDays(1)).maximumSize(size).ticker(() -> 0L).build();
    boolean[] loaded = new boolean[1];
    Function<Integer, Integer> loader =
        k -> {
          loaded[0] = true;
          return k;
        };
    return key -> {
      loaded[0] = false;
      Integer unused = cache.get(key, loader);
      return !loaded[0];
    };
  }

  private static Policy caffeine(int size) {
    // Eviction on the calling thread, so that the replay is deterministic.
    com.github.benmanes.caffeine.cache.Cache<Integer, Integer> cache =
        Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
    boolean[] loaded = new boolean[1];
    Function<Integer, Integer> loader =
        k -> {
          loaded[0] = true;
          return k;
        };
    return key -> {
      loaded[0] = false;
      Integer unused = cache.get(key, loader);
      return !loaded[0];
    };
  }

  /**
   * Returns {@code reads} keys drawn from a Zipf distribution over {@code keys} keys: key k (from
   * 0) with probability proportional to 1 / (k + 1)^exponent. Keys are scattered by a fixed
   * permutation, so that popularity does not follow the key's hash order.
   */
  static int[] zipfTrace(int keys, double exponent, int reads, long seed) {
    double[] cumulative = new double[keys];
    double sum = 0;
    for (int k = 0; k < keys; k++) {
      sum += 1 / Math.pow(k + 1, exponent);
      cumulative[k] = sum;
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[] permutation = new int[keys];
    for (int k = 0; k < keys; k++) {
      permutation[k] = k;
    }
    for (int k = keys - 1; k > 0; k--) {
      int j = random.nextInt(k + 1);
      int t = permutation[k];
      permutation[k] = permutation[j];
      permutation[j] = t;
    }
    int[] trace = new int[reads];
    for (int i = 0; i < reads; i++) {
      double u = random.nextDouble() * sum;
      int lo = 0;
      int hi = keys - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      trace[i] = permutation[lo];
    }
    return trace;
  }
}
