package io.dyno.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.dyno.cache.Cache;
import io.dyno.cache.EarlyRecompute;
import io.dyno.utils.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The stampede test: many threads read one hot key whose loader is slow, across many expiries, and
 * the harness counts how many computations each cache starts per expiry and how long readers wait.
 *
 * <p>Defaults: 32 reader threads, one key, a loader that sleeps 10 ms, a time to live of 200 ms, 10
 * s per cache. Each reader reads, records the read's latency, pauses {@code --pause-us}
 * microseconds (so that the harness measures the caches, not a saturated CPU), and reads again.
 *
 * <p>The caches, one after another in the same run:
 *
 * <ul>
 *   <li>{@code dyno xfetch}: dyno-cache with its defaults (XFetch, β = 1), the early recomputation
 *       on the reading thread that triggered it;
 *   <li>{@code dyno xfetch+executor}: the same with an {@code executor}, so that no reader waits
 *       for an early recomputation;
 *   <li>{@code dyno xfetch(0.5)+executor}: β = 0.5, which starts recomputing later: at many reads
 *       per second XFetch starts about {@code δ·β·ln(R·δ·β)} before expiry;
 *   <li>{@code caffeine expireAfterWrite}: Caffeine {@code expireAfterWrite(ttl)};
 *   <li>{@code caffeine refreshAfterWrite}: Caffeine {@code refreshAfterWrite(0.8 ttl)} with {@code
 *       expireAfterWrite(ttl)}, so that no value is older than the time to live either;
 *   <li>{@code plain TTL map}: a {@link ConcurrentHashMap} of values with expiry times, loaded by
 *       every reader that finds the value expired.
 * </ul>
 *
 * <p>Per cache it prints: expiries (run time / ttl), computations started and their number per
 * expiry, reads, reads that took longer than half the loader's time ("waits"), and the reader
 * latency p50, p99, p99.9 and max.
 *
 * <p>Run: {@code java -cp dyno-benchmarks/target/benchmarks.jar io.dyno.benchmarks.StampedeHarness
 * --seconds 10} (options: {@code --threads}, {@code --ttl-ms}, {@code --load-ms}, {@code
 * --pause-us}, {@code --only NAME-SUBSTRING}).
 *
 * <p>Not thread-safe as a whole: {@link #main} runs the caches one at a time.
 */
public final class StampedeHarness {

  /** The one key every reader reads. */
  static final String KEY = "hot";

  private final int threads;
  private final long ttlMillis;
  private final long loadMillis;
  private final long pauseMicros;
  private final double seconds;

  private StampedeHarness(
      int threads, long ttlMillis, long loadMillis, long pauseMicros, double seconds) {
    this.threads = threads;
    this.ttlMillis = ttlMillis;
    this.loadMillis = loadMillis;
    this.pauseMicros = pauseMicros;
    this.seconds = seconds;
  }

  /**
   * Runs the harness.
   *
   * @param args {@code --seconds S} (default 10), {@code --threads N} (32), {@code --ttl-ms T}
   *     (200), {@code --load-ms L} (10), {@code --pause-us P} (100), {@code --only TEXT} to run
   *     only the caches whose name contains it
   * @throws InterruptedException if interrupted while waiting for the readers
   */
  public static void main(String[] args) throws InterruptedException {
    double seconds = 10;
    int threads = 32;
    long ttlMillis = 200;
    long loadMillis = 10;
    long pauseMicros = 100;
    String only = "";
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(value);
        case "--threads" -> threads = Integer.parseInt(value);
        case "--ttl-ms" -> ttlMillis = Long.parseLong(value);
        case "--load-ms" -> loadMillis = Long.parseLong(value);
        case "--pause-us" -> pauseMicros = Long.parseLong(value);
        case "--only" -> only = value;
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; expected --seconds, --threads, --ttl-ms, --load-ms, --pause-us or --only");
      }
    }
    StampedeHarness harness =
        new StampedeHarness(threads, ttlMillis, loadMillis, pauseMicros, seconds);
    System.out.printf(
        Locale.ROOT,
        "Stampede: %d readers, one key, loader %d ms, ttl %d ms, %.1f s per cache, pause %d µs%n%n",
        threads,
        loadMillis,
        ttlMillis,
        seconds,
        pauseMicros);
    System.out.println(
        "| cache | expiries | computations | per expiry | reads | waits | p50 | p99 | p99.9 | max |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (String name :
        List.of(
            "dyno xfetch",
            "dyno xfetch+executor",
            "dyno xfetch(0.5)+executor",
            "caffeine expireAfterWrite",
            "caffeine refreshAfterWrite",
            "plain TTL map")) {
      if (name.contains(only)) {
        System.out.println(harness.run(name));
      }
    }
  }

  /** Runs one cache for the configured time and returns its table row. */
  private String run(String name) throws InterruptedException {
    AtomicLong computations = new AtomicLong();
    Function<String, String> loader = loader(computations, loadMillis);
    Duration ttl = Duration.ofMillis(ttlMillis);
    ExecutorService background = Executors.newCachedThreadPool();
    Function<String, String> read = reader(name, ttl, loader, background);
    String unused = read.apply(KEY); // the first computation is not part of the stampede
    computations.set(0);

    Readings readings = readAll(t -> read, threads, seconds, pauseMicros);
    background.shutdownNow();
    return row(name, ttlMillis, loadMillis, computations.get(), readings);
  }

  /**
   * A loader that counts its calls in {@code computations}, sleeps {@code loadMillis} and returns a
   * new value.
   */
  static Function<String, String> loader(AtomicLong computations, long loadMillis) {
    return key -> {
      computations.incrementAndGet();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(loadMillis));
      return key + System.nanoTime();
    };
  }

  /** The latency of every read of a run, in nanoseconds, and how long the run took. */
  static final class Readings {
    private final long[] latencies;
    private final double elapsedSeconds;

    Readings(long[] latencies, double elapsedSeconds) {
      this.latencies = latencies;
      this.elapsedSeconds = elapsedSeconds;
    }

    /** Every read's latency in nanoseconds, not copied. */
    long[] latencies() {
      return latencies;
    }

    /** How long the readers ran. */
    double elapsedSeconds() {
      return elapsedSeconds;
    }
  }

  /**
   * Starts {@code threads} readers together, reader {@code t} reading {@link #KEY} with {@code
   * readOf.apply(t)}, each pausing {@code pauseMicros} between reads, for {@code seconds}; returns
   * once all have stopped.
   */
  static Readings readAll(
      IntFunction<Function<String, String>> readOf, int threads, double seconds, long pauseMicros)
      throws InterruptedException {
    long[][] latencies = new long[threads][];
    int[] counts = new int[threads];
    long endAt = System.nanoTime() + (long) (seconds * 1e9);
    int capacity = (int) Math.min(Integer.MAX_VALUE - 8, (long) (seconds * 1e6 / pauseMicros) + 16);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      Function<String, String> read = readOf.apply(t);
      Thread thread =
          new Thread(
              () -> {
                long[] mine = new long[Math.min(capacity, 1 << 20)];
                int n = 0;
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                long now;
                while ((now = System.nanoTime()) - endAt < 0) {
                  String unusedValue = read.apply(KEY);
                  long latency = System.nanoTime() - now;
                  if (n == mine.length) {
                    mine = Arrays.copyOf(mine, n * 2);
                  }
                  mine[n++] = latency;
                  LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(pauseMicros));
                }
                latencies[index] = mine;
                counts[index] = n;
              },
              "reader-" + t);
      readers.add(thread);
      thread.start();
    }
    long started = System.nanoTime();
    go.countDown();
    for (Thread thread : readers) {
      thread.join();
    }
    double elapsedSeconds = (System.nanoTime() - started) / 1e9;

    long total = 0;
    for (int c : counts) {
      total += c;
    }
    long[] all = new long[(int) total];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(latencies[t], 0, all, at, counts[t]);
      at += counts[t];
    }
    return new Readings(all, elapsedSeconds);
  }

  /**
   * The table row of a run: expiries (run time / ttl), computations and their number per expiry,
   * reads, reads that took longer than half the loader's time ("waits"), and the latency p50, p99,
   * p99.9 and max.
   */
  static String row(
      String name, long ttlMillis, long loadMillis, long computations, Readings readings) {
    long[] all = readings.latencies();
    long waitThreshold = TimeUnit.MILLISECONDS.toNanos(loadMillis) / 2;
    long waits = Arrays.stream(all).filter(l -> l > waitThreshold).count();
    double expiries = readings.elapsedSeconds() * 1000 / ttlMillis;
    return String.format(
        Locale.ROOT,
        "| %s | %.0f | %d | %.2f | %d | %d | %s | %s | %s | %s |",
        name,
        expiries,
        computations,
        computations / expiries,
        all.length,
        waits,
        millis(Stats.percentile(all, 50)),
        millis(Stats.percentile(all, 99)),
        millis(Stats.percentile(all, 99.9)),
        millis((double) Stats.max(all)));
  }

  private static String millis(double nanos) {
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }

  /** The read of one cache under test, as a function of the key. */
  private static Function<String, String> reader(
      String name, Duration ttl, Function<String, String> loader, ExecutorService background) {
    switch (name) {
      case "dyno xfetch" -> {
        Cache<String, String> cache = Cache.builder("stampede").ttl(ttl).build();
        return key -> cache.get(key, loader);
      }
      case "dyno xfetch+executor" -> {
        Cache<String, String> cache =
            Cache.builder("stampede").ttl(ttl).executor(background).build();
        return key -> cache.get(key, loader);
      }
      case "dyno xfetch(0.5)+executor" -> {
        Cache<String, String> cache =
            Cache.builder("stampede")
                .ttl(ttl)
                .earlyRecompute(EarlyRecompute.xfetch(0.5))
                .executor(background)
                .build();
        return key -> cache.get(key, loader);
      }
      case "caffeine expireAfterWrite" -> {
        com.github.benmanes.caffeine.cache.Cache<String, String> cache =
            Caffeine.newBuilder().expireAfterWrite(ttl).build();
        return key -> cache.get(key, loader);
      }
      case "caffeine refreshAfterWrite" -> {
        LoadingCache<String, String> cache =
            Caffeine.newBuilder()
                .refreshAfterWrite(ttl.multipliedBy(4).dividedBy(5))
                .expireAfterWrite(ttl)
                .executor(background)
                .build(loader::apply);
        return cache::get;
      }
      case "plain TTL map" -> {
        ConcurrentHashMap<String, Timed> map = new ConcurrentHashMap<>();
        long ttlNanos = ttl.toNanos();
        return key -> {
          Timed t = map.get(key);
          long now = System.nanoTime();
          if (t == null || now - t.expiresAt() >= 0) {
            String value = loader.apply(key);
            map.put(key, new Timed(value, System.nanoTime() + ttlNanos));
            return value;
          }
          return t.value();
        };
      }
      default -> throw new IllegalArgumentException("unknown cache " + name);
    }
  }

  /** A value with its expiry, for the plain TTL map. */
  private record Timed(String value, long expiresAt) {}
}
