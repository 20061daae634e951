package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The edges of reads and writes: the instant of expiry, copies of equal age in both tiers, an
 * invalidation of nothing or of many pages, a bounded memory tier, and what the threads that join a
 * load get from it.
 */
class RedisCacheEdgesTest {

  @RegisterExtension static final RedisServer REDIS = RedisServer.perClass();

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<RedisCache<String, String>> caches = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger version = new AtomicInteger();

  @AfterEach
  void closeAll() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    caches.forEach(RedisCache::close);
  }

  private RedisCache<String, String> instance(RedisCache.Builder<Object, Object> builder) {
    RedisCache<String, String> cache =
        builder
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .values(ValueCodec.string())
            .clock(clock)
            .random(FixedRandom.neverEarly())
            .build();
    caches.add(cache);
    return cache;
  }

  private String next(String key) {
    return "v" + version.incrementAndGet();
  }

  @Test
  void aValueReadAtTheInstantItExpires_isExpired() {
    RedisCache<String, String> cache =
        instance(
            RedisCache.builder("instant")
                .ttl(Duration.ofSeconds(10))
                .staleIfError(Duration.ofSeconds(10))); // memory keeps the expired copy
    cache.put("k", "v0");
    clock.advance(Duration.ofMillis(9_999));
    assertThat(cache.getIfPresent("k")).isEqualTo("v0");

    clock.advance(Duration.ofMillis(1));

    assertThat(cache.getIfPresent("k")).as("in memory and in Redis, expired").isNull();
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    assertThat(cache.stats().redisHits()).isZero();
    assertThat(cache.stats().memoryHits()).as("only the read before expiry").isEqualTo(1);
  }

  @Test
  void copiesOfEqualAge_inMemoryAndInRedis_areServedFromRedis() {
    RedisCache<String, String> cache =
        instance(
            RedisCache.builder("equal")
                .ttl(Duration.ofSeconds(10))
                .staleWhileRevalidate(Duration.ofSeconds(10))
                .executor(task -> {}));
    cache.put("k", "written here");
    try (RawEntries raw = new RawEntries(REDIS.uri())) {
      raw.write(cache.redisKey("k"), clock.millis() + 10_000, "rewritten elsewhere");
    }
    clock.advance(Duration.ofSeconds(11));

    assertThat(cache.get("k", this::next)).isEqualTo("rewritten elsewhere");
    assertThat(cache.stats().staleServed()).isEqualTo(1);
  }

  @Test
  void invalidateAll_ofACacheWithNoKeys_isNoRedisError_andIsAnnounced()
      throws InterruptedException {
    RedisCache<String, String> a = instance(RedisCache.builder("empty").ttl(Duration.ofMinutes(1)));
    RedisCache<String, String> b = instance(RedisCache.builder("empty").ttl(Duration.ofMinutes(1)));
    CountDownLatch told = new CountDownLatch(1);
    b.onChange(told::countDown);

    a.invalidateAll();

    assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(a.stats().redisErrors()).isZero();
  }

  @Test
  void invalidateAll_removesMoreKeysThanOneScanPage() {
    RedisCache<String, String> cache =
        instance(RedisCache.builder("many").ttl(Duration.ofMinutes(1)));
    Map<String, String> keys = new HashMap<>();
    for (int i = 0; i < 2_000; i++) {
      keys.put("dyno:many:k" + i, "v");
    }
    REDIS.commands().mset(keys);
    cache.put("k", "v");

    cache.invalidateAll();

    assertThat(REDIS.commands().keys("dyno:many:*")).isEmpty();
    assertThat(cache.stats().redisErrors()).isZero();
  }

  @Test
  void aBoundedMemoryTier_holdsAtMostItsMaximumSize_andTheRestIsReadFromRedis() {
    RedisCache<String, String> cache =
        instance(RedisCache.builder("bounded").ttl(Duration.ofMinutes(1)).maximumSize(10));
    for (int i = 0; i < 100; i++) {
      cache.put("k" + i, "v" + i);
    }
    for (int i = 0; i < 100; i++) {
      assertThat(cache.getIfPresent("k" + i)).isEqualTo("v" + i);
    }
    RedisCacheStats stats = cache.stats();
    assertThat(stats.memoryHits()).isLessThanOrEqualTo(10);
    assertThat(stats.memoryHits() + stats.redisHits()).isEqualTo(100);
  }

  @Test
  void aLoaderReturningNull_isALoadFailure() {
    RedisCache<String, String> cache =
        instance(RedisCache.builder("null").ttl(Duration.ofMinutes(1)));
    assertThatThrownBy(() -> cache.get("k", k -> null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("loader of RedisCache 'null' returned null for key 'k'");
    assertThat(cache.stats().loadFailures()).isEqualTo(1);
    assertThat(cache.stats().loads()).isEqualTo(1);
  }

  /** An error a loader throws, as a failed assertion or a linkage error would be. */
  static final class LoaderError extends Error {
    private static final long serialVersionUID = 1L;

    LoaderError(String message) {
      super(message);
    }
  }

  @Test
  void aLoadersError_reachesEveryThreadThatJoinedTheLoad() throws Exception {
    RedisCache<String, String> cache =
        instance(RedisCache.builder("error").ttl(Duration.ofMinutes(1)));
    LoaderError error = new LoaderError("the loader broke");
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<String> first =
        threads.submit(
            () ->
                cache.get(
                    "k",
                    k -> {
                      loading.countDown();
                      await(release);
                      throw error;
                    }));
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    AtomicReference<Thread> joiner = new AtomicReference<>();
    Future<String> second =
        threads.submit(
            () -> {
              joiner.set(Thread.currentThread());
              return cache.get("k", k -> "not loaded");
            });
    awaitTrue(() -> joiner.get() != null && joiner.get().getState() == Thread.State.WAITING);

    release.countDown();

    assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(error);
    assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(error);
    assertThat(cache.stats().loads()).isEqualTo(1);
  }

  @Test
  void aThreadThatJoinsALoadUninterrupted_isNotInterruptedAfter() throws Exception {
    RedisCache<String, String> cache =
        instance(RedisCache.builder("calm").ttl(Duration.ofMinutes(1)));
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<String> first =
        threads.submit(
            () ->
                cache.get(
                    "k",
                    k -> {
                      loading.countDown();
                      await(release);
                      return "v";
                    }));
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    AtomicReference<Thread> joiner = new AtomicReference<>();
    Future<String> second =
        threads.submit(
            () -> {
              joiner.set(Thread.currentThread());
              String v = cache.get("k", k -> "not loaded");
              return v + (Thread.currentThread().isInterrupted() ? ", interrupted" : "");
            });
    awaitTrue(() -> joiner.get() != null && joiner.get().getState() == Thread.State.WAITING);

    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("v");
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("v");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls a condition that another thread makes true, for at most 10 seconds. */
  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}
