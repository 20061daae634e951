package io.dyno.cache;

import static io.dyno.cache.Latches.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One computation per key at a time, whatever else happens to the key meanwhile: a failed load, an
 * invalidation, an eviction, an executor that throws or drops the task, a loader that reads its own
 * key.
 */
class CacheSingleFlightTest {

  private static final long MS = 1_000_000L;

  private final FakeTicker now = FakeTicker.create();
  private final AtomicInteger loads = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostRunning = new AtomicInteger();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private Cache.Builder<Object, Object> builder() {
    return Cache.builder("flights")
        .ttl(Duration.ofSeconds(1))
        .ticker(now)
        .random(new FixedRandom(0.0)); // u = 1: XFetch never fires
  }

  /** Counts the computations running at once around {@code body}. */
  private String counted(String key, Runnable body) {
    int n = running.incrementAndGet();
    mostRunning.accumulateAndGet(n, Math::max);
    try {
      body.run();
      return key + "-" + loads.incrementAndGet();
    } finally {
      running.decrementAndGet();
    }
  }

  private Function<String, String> blocking(CountDownLatch started, CountDownLatch release) {
    return key ->
        counted(
            key,
            () -> {
              started.countDown();
              await(release);
            });
  }

  @Test
  void get_whileFourReadersRaceALoaderThatAlwaysFails_neverOverlapsTwoLoads() throws Exception {
    Cache<String, String> cache = builder().build();
    Function<String, String> failing =
        key ->
            counted(
                key,
                () -> {
                  Thread.onSpinWait(); // a moment in which a second load could start
                  throw new IllegalStateException("down");
                });
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> readers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      readers.add(
          pool.submit(
              () -> {
                await(go);
                for (int i = 0; i < 20_000; i++) {
                  try {
                    cache.get("k", failing);
                  } catch (IllegalStateException expected) {
                    // every load fails; only the overlap matters
                  }
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : readers) {
      f.get(30, TimeUnit.SECONDS);
    }
    assertThat(mostRunning).hasValue(1);
  }

  @Test
  void invalidate_whileTheKeyIsComputed_doesNotLetASecondComputationStart() throws Exception {
    Cache<String, String> cache = builder().build();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<String> first = pool.submit(() -> cache.get("k", blocking(started, release)));
    await(started);
    cache.invalidate("k");
    CountDownLatch secondStarted = new CountDownLatch(1);
    Future<String> second =
        pool.submit(() -> cache.get("k", key -> counted(key, secondStarted::countDown)));
    // The second reader either waits for the first computation or starts its own; give it the
    // chance to do the latter before the first one ends.
    boolean overlapped = secondStarted.await(200, TimeUnit.MILLISECONDS);
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("k-1");
    second.get(10, TimeUnit.SECONDS);
    assertThat(overlapped).isFalse();
    assertThat(mostRunning).hasValue(1);
  }

  @Test
  void sizeEviction_whileTheKeyIsRecomputed_doesNotLetASecondComputationStart() throws Exception {
    Cache<String, String> cache = builder().maximumSize(1).random(FixedRandom.withU(0.5)).build();
    now.set(0);
    cache.get("k", key -> counted(key, () -> now.advance(10 * MS)));
    now.set(1010 * MS - MS); // within reach of XFetch: the next read recomputes early
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<String> recompute = pool.submit(() -> cache.get("k", blocking(started, release)));
    await(started);
    for (int i = 0; i < 20; i++) {
      cache.getIfPresent("j"); // makes j the more frequent key, so that k is the victim
    }
    cache.put("j", "j");
    CountDownLatch secondStarted = new CountDownLatch(1);
    Future<String> second =
        pool.submit(() -> cache.get("k", key -> counted(key, secondStarted::countDown)));
    boolean overlapped = secondStarted.await(200, TimeUnit.MILLISECONDS);
    release.countDown();
    recompute.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
    assertThat(overlapped).isFalse();
    assertThat(mostRunning).hasValue(1);
  }

  @Test
  void earlyRecompute_onAnExecutorThatThrows_servesTheLiveValue_andFreesTheKey() {
    Cache<String, String> cache =
        builder()
            .random(FixedRandom.withU(0.5))
            .executor(
                task -> {
                  throw new IllegalStateException("executor shut down");
                })
            .build();
    cache.get("a", key -> counted(key, () -> now.advance(10 * MS)));
    now.set(1010 * MS - MS);
    assertThat(cache.get("a", key -> counted(key, () -> {}))).isEqualTo("a-1");
    assertThat(cache.stats().loadFailures()).isEqualTo(1);
    now.set(1010 * MS);
    assertThat(cache.get("a", key -> counted(key, () -> {}))).isEqualTo("a-2");
  }

  @Test
  void earlyRecompute_droppedByTheExecutor_letsAReaderRecomputeAfterTheHardExpiry()
      throws Exception {
    List<Runnable> dropped = new ArrayList<>();
    Cache<String, String> cache =
        builder().random(FixedRandom.withU(0.5)).executor(dropped::add).build();
    cache.get("a", key -> counted(key, () -> now.advance(10 * MS)));
    now.set(1010 * MS - MS);
    assertThat(cache.get("a", key -> counted(key, () -> {}))).isEqualTo("a-1");
    assertThat(dropped).hasSize(1); // accepted, never run
    now.set(1010 * MS);
    Future<String> reader = pool.submit(() -> cache.get("a", key -> counted(key, () -> {})));
    assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("a-2");
    dropped.get(0).run(); // runs late: the key has moved on, so it does nothing
    assertThat(loads).hasValue(2);
    assertThat(cache.get("a", key -> counted(key, () -> {}))).isEqualTo("a-2");
  }

  /**
   * A cache whose executor accepts early recomputations and drops them, with "a" past its early
   * time.
   */
  private Cache<String, String> withDroppedRecompute(
      List<Runnable> dropped, List<EvictionEvent<?, ?>> evicted, long maximumSize) {
    Cache<String, String> cache =
        builder()
            .random(FixedRandom.withU(0.5))
            .executor(dropped::add)
            .maximumSize(maximumSize)
            .onEviction(evicted::add)
            .build();
    cache.get("a", key -> counted(key, () -> now.advance(10 * MS)));
    now.set(1010 * MS - MS);
    assertThat(cache.get("a", key -> counted(key, () -> {}))).isEqualTo("a-1");
    assertThat(dropped).hasSize(1); // accepted, never run
    return cache;
  }

  @Test
  void earlyRecompute_droppedByTheExecutor_isCleanedUpAfterTheHardExpiry_withNoReader() {
    List<Runnable> dropped = new ArrayList<>();
    List<EvictionEvent<?, ?>> evicted = new ArrayList<>();
    Cache<String, String> cache = withDroppedRecompute(dropped, evicted, 100);
    now.set(1010 * MS);

    cache.cleanUp();

    assertThat(cache.size()).isZero();
    assertThat(evicted)
        .extracting(EvictionEvent::key, EvictionEvent::cause)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a", EvictionEvent.Cause.EXPIRED));
    dropped.get(0).run(); // runs late: its entry is gone, so it does nothing
    assertThat(loads).hasValue(1);
    assertThat(cache.size()).isZero();
    assertThat(cache.get("a", key -> counted(key, () -> {}))).isEqualTo("a-2");
  }

  @Test
  void earlyRecompute_droppedByTheExecutor_canBeEvictedForSize() {
    List<Runnable> dropped = new ArrayList<>();
    List<EvictionEvent<?, ?>> evicted = new ArrayList<>();
    Cache<String, String> cache = withDroppedRecompute(dropped, evicted, 1);

    // Read "b" until it is read more often than "a": then "a", whose recomputation was dropped and
    // which is therefore not being computed, is the victim.
    for (int i = 0; i < 20; i++) {
      cache.get("b", key -> counted(key, () -> {}));
      cache.invalidate("b");
    }
    cache.get("b", key -> counted(key, () -> {}));

    assertThat(cache.size()).isEqualTo(1);
    assertThat(evicted).extracting(e -> (Object) e.key()).endsWith("a").containsOnlyOnce("a");
    dropped.get(0).run();
    assertThat(cache.get("b", key -> "unused")).startsWith("b-");
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void earlyRecompute_droppedByTheExecutor_isTakenOutByInvalidate() {
    List<Runnable> dropped = new ArrayList<>();
    Cache<String, String> cache = withDroppedRecompute(dropped, new ArrayList<>(), 100);

    cache.invalidate("a");

    assertThat(cache.size()).isZero();
    dropped.get(0).run();
    assertThat(loads).hasValue(1);
    assertThat(cache.get("a", key -> counted(key, () -> {}))).isEqualTo("a-2");
  }

  @Test
  void get_ofItsOwnKeyFromTheLoader_failsNamingTheCacheAndKey() throws Exception {
    Cache<String, String> cache = builder().build();
    Future<String> reader =
        pool.submit(() -> cache.get("k", key -> "outer " + cache.get(key, inner -> "inner")));
    assertThatThrownBy(() -> reader.get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'flights'")
        .hasMessageContaining("key k");
    assertThat(cache.get("k", key -> "fresh")).isEqualTo("fresh");
  }
}
