package io.dyno.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.ThreadKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real threads, released together by latches: the claims about single flight and waiting, on
 * platform threads and on virtual ones where the JVM has them.
 */
class CacheConcurrencyTest {

  private static final int THREADS = 16;
  private static final long MS = 1_000_000L;

  private final FakeTicker now = FakeTicker.create();
  private final AtomicInteger loads = new AtomicInteger();
  private @Nullable ExecutorService pool;

  /** Starts the test's threads on threads of {@code kind}. */
  private ExecutorService pool(ThreadKind kind) {
    pool = kind.newExecutor("cache-reader");
    return pool;
  }

  @AfterEach
  void stopPool() throws InterruptedException {
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** A loader that counts itself, signals that it started, and blocks until released. */
  private Function<String, String> blockingLoader(CountDownLatch started, CountDownLatch release) {
    return key -> {
      int n = loads.incrementAndGet();
      started.countDown();
      try {
        if (!release.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return key + "-" + n;
    };
  }

  private Cache<String, String> cache(double r) {
    return Cache.builder("race")
        .ttl(Duration.ofSeconds(1))
        .ticker(now)
        .random(new FixedRandom(r))
        .build();
  }

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void sixteenReadersOfAMissingKey_shareOneComputation(ThreadKind kind) throws Exception {
    ExecutorService pool = pool(kind);
    Cache<String, String> cache = cache(0.0);
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Function<String, String> loader = blockingLoader(started, release);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                return cache.get("k", loader);
              }));
    }
    go.countDown();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    for (Future<String> f : results) {
      assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("k-1");
    }
    assertThat(loads).hasValue(1);
    assertThat(cache.stats().loads()).isEqualTo(1);
  }

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void readersOfAKeyWithAValue_getItAtOnce_whileItIsRecomputed(ThreadKind kind) throws Exception {
    ExecutorService pool = pool(kind);
    // linear() with a draw of 0 fires on every read of a value older than 0: every reader tries.
    Cache<String, String> linear =
        Cache.builder("race")
            .ttl(Duration.ofSeconds(1))
            .earlyRecompute(EarlyRecompute.linear())
            .ticker(now)
            .random(new FixedRandom(0.0))
            .build();
    linear.put("k", "k-0");
    now.set(500 * MS);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Function<String, String> loader = blockingLoader(started, release);
    Future<String> recomputing = pool.submit(() -> linear.get("k", loader));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    // The computation is held open; every other reader gets the old value without waiting.
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> readers = new ArrayList<>();
    for (int i = 0; i < THREADS - 1; i++) {
      readers.add(
          pool.submit(
              () -> {
                go.await();
                return linear.get("k", loader);
              }));
    }
    go.countDown();
    for (Future<String> f : readers) {
      assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("k-0");
    }
    release.countDown();
    assertThat(recomputing.get(10, TimeUnit.SECONDS)).isEqualTo("k-1");
    assertThat(linear.get("k", loader)).isEqualTo("k-1");
    assertThat(loads).hasValue(1);
    assertThat(linear.stats().earlyRecomputes()).isEqualTo(1);
  }

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void readersThatWaited_getTheSameFailureInstance(ThreadKind kind) throws Exception {
    ExecutorService pool = pool(kind);
    Cache<String, String> cache = cache(0.0);
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    IllegalStateException boom = new IllegalStateException("boom");
    Function<String, String> failing =
        key -> {
          String unused = blockingLoader(started, release).apply(key);
          throw boom;
        };
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Future<?>> results = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  cache.get("k", failing);
                } catch (RuntimeException e) {
                  failures.add(e);
                }
                return null;
              }));
    }
    go.countDown();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    for (Future<?> f : results) {
      f.get(10, TimeUnit.SECONDS);
    }
    // Readers that arrived after the failure start a computation of their own; each of those
    // fails with the same instance too. Nothing was cached.
    assertThat(failures).hasSize(THREADS).allMatch(t -> t == boom);
    assertThat(cache.stats().loadFailures()).isEqualTo(loads.get());
    assertThat(cache.size()).isZero();
  }

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void anInterruptedWaitingReader_keepsItsInterruptFlag(ThreadKind kind) throws Exception {
    ExecutorService pool = pool(kind);
    Cache<String, String> cache = cache(0.0);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Function<String, String> loader = blockingLoader(started, release);
    Future<String> owner = pool.submit(() -> cache.get("k", loader));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    CountDownLatch waiting = new CountDownLatch(1);
    AtomicInteger flag = new AtomicInteger(-1);
    Thread waiter =
        kind.factory("waiter")
            .newThread(
                () -> {
                  Thread.currentThread().interrupt(); // interrupted before and while it waits
                  waiting.countDown();
                  String v = cache.get("k", loader);
                  flag.set(Thread.currentThread().isInterrupted() && v.equals("k-1") ? 1 : 0);
                });
    waiter.start();
    assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    waiter.join(10_000);
    assertThat(owner.get(10, TimeUnit.SECONDS)).isEqualTo("k-1");
    assertThat(flag).hasValue(1);
  }

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void manyReadersOfManyKeys_eachKeyComputedOnce(ThreadKind kind) throws Exception {
    ExecutorService pool = pool(kind);
    Cache<Integer, Integer> cache =
        Cache.builder("many").ttl(Duration.ofMinutes(1)).ticker(now).build();
    AtomicInteger[] perKey = new AtomicInteger[64];
    for (int i = 0; i < perKey.length; i++) {
      perKey[i] = new AtomicInteger();
    }
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> results = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < 10_000; i++) {
                  int key = i % perKey.length;
                  int v =
                      cache.get(
                          key,
                          k -> {
                            perKey[k].incrementAndGet();
                            return k * 2;
                          });
                  if (v != key * 2) {
                    throw new AssertionError(key + " -> " + v);
                  }
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : results) {
      f.get(30, TimeUnit.SECONDS);
    }
    for (AtomicInteger count : perKey) {
      assertThat(count).hasValue(1);
    }
    assertThat(cache.size()).isEqualTo(64);
  }
}
