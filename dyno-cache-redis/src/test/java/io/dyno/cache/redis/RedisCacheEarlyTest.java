package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.cache.EarlyRecompute;
import io.dyno.testing.FakeClock;
import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Recomputing before expiry and within stale-while-revalidate: when a read draws, when the draw
 * fires, and what the recompute finds in Redis once it holds the lease, and tells the others.
 */
class RedisCacheEarlyTest {

  @RegisterExtension static final RedisServer REDIS = RedisServer.perClass();

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeTicker ticker = FakeTicker.create();
  private final Queue<Runnable> background = new ArrayDeque<>();
  private final List<RedisCache<String, String>> caches = new ArrayList<>();
  private final AtomicInteger version = new AtomicInteger();

  @AfterEach
  void closeAll() {
    caches.forEach(RedisCache::close);
  }

  private RedisCache.Builder<Object, Object> builder(String name) {
    return RedisCache.builder(name)
        .redis(REDIS.uri())
        .commandTimeout(RedisServer.PATIENT)
        .clock(clock)
        .ticker(ticker)
        .executor(background::add);
  }

  private RedisCache<String, String> build(RedisCache.Builder<Object, Object> builder) {
    RedisCache<String, String> cache = builder.values(ValueCodec.string()).build();
    caches.add(cache);
    return cache;
  }

  /** Another instance, which never recomputes early and reads Redis again on its own thread. */
  private RedisCache<String, String> other(String name, AtomicInteger tasks) {
    return build(
        RedisCache.builder(name)
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .ttl(Duration.ofSeconds(10))
            .clock(clock)
            .earlyRecompute(EarlyRecompute.none())
            .executor(
                task -> {
                  tasks.incrementAndGet();
                  task.run();
                }));
  }

  private String next(String key) {
    return "v" + version.incrementAndGet();
  }

  /** A load that takes a second of the ticker: δ = 1 s. */
  private String slow(String key) {
    ticker.advance(Duration.ofSeconds(1));
    return next(key);
  }

  @Test
  void linear_firesWhenTheDrawIsBelowAgeOverTtl() {
    Draws draws = new Draws(0.51);
    RedisCache<String, String> cache =
        build(
            builder("linear")
                .ttl(Duration.ofSeconds(10))
                .earlyRecompute(EarlyRecompute.linear())
                .random(draws));
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    clock.advance(Duration.ofSeconds(5)); // age / ttl = 0.5

    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    assertThat(background).as("0.51 ≥ 0.5").isEmpty();

    draws.set(0.49);
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    assertThat(background).as("0.49 < 0.5").hasSize(1);
    background.remove().run();
    assertThat(cache.get("k", this::next)).isEqualTo("v2");
    assertThat(cache.stats().recomputes()).isEqualTo(1);
  }

  @Test
  void xfetch_drawsOnlyWithinReachOfExpiry_andFiresAtChanceExpOfMinusRemainingOverDelta() {
    Draws draws = new Draws(0.0);
    RedisCache<String, String> cache =
        build(builder("xfetch").ttl(Duration.ofSeconds(60)).random(draws));
    assertThat(cache.get("k", this::slow)).isEqualTo("v1"); // δ = 1 s

    clock.advance(Duration.ofSeconds(10)); // 50 s left: beyond 36.8 δ, no draw can fire
    assertThat(cache.get("k", this::slow)).isEqualTo("v1");
    assertThat(draws.count()).isZero();

    clock.advance(Duration.ofSeconds(20)); // 30 s left: fires iff 1 − draw ≤ exp(−30)
    assertThat(cache.get("k", this::slow)).isEqualTo("v1");
    assertThat(draws.count()).isEqualTo(1);
    draws.set(1 - 1.5 * Math.exp(-30));
    assertThat(cache.get("k", this::slow)).isEqualTo("v1");
    assertThat(background).isEmpty();
    draws.set(1 - 0.5 * Math.exp(-30));
    assertThat(cache.get("k", this::slow)).isEqualTo("v1");
    assertThat(background).hasSize(1);
    assertThat(draws.count()).isEqualTo(3);
  }

  @Test
  void withoutAGeneratorOfItsOwn_aCacheDrawsFromTheThreadsRandom() {
    RedisCache<String, String> cache =
        build(
            builder("own-random")
                .ttl(Duration.ofSeconds(10))
                .earlyRecompute(EarlyRecompute.linear()));
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    clock.advance(Duration.ofSeconds(9));
    for (int i = 0; i < 20; i++) {
      assertThat(cache.get("k", this::next)).isEqualTo("v1");
    }
    assertThat(background).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void aRecomputeThatFindsANewerEntryOnceItHoldsTheLease_keepsItInMemory_withoutLoading() {
    RedisCache<String, String> cache =
        build(
            builder("newer")
                .ttl(Duration.ofSeconds(10))
                .staleWhileRevalidate(Duration.ofSeconds(10))
                .random(FixedRandom.neverEarly()));
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    clock.advance(Duration.ofSeconds(11));
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    try (RawEntries raw = new RawEntries(REDIS.uri())) {
      raw.write("dyno:newer:k", clock.millis() + 10_000, "written elsewhere");
    }

    background.remove().run();

    assertThat(version).hasValue(1);
    assertThat(cache.get("k", this::next)).isEqualTo("written elsewhere");
    RedisCacheStats stats = cache.stats();
    assertThat(stats.recomputes()).isZero();
    assertThat(stats.memoryHits()).isEqualTo(1);
    assertThat(stats.redisHits()).isZero();
  }

  @Test
  void aRecomputeThatFindsNoEntryOnceItHoldsTheLease_loads() {
    RedisCache<String, String> cache =
        build(
            builder("gone")
                .ttl(Duration.ofSeconds(10))
                .staleWhileRevalidate(Duration.ofSeconds(10))
                .random(FixedRandom.neverEarly()));
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    clock.advance(Duration.ofSeconds(11));
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    REDIS.commands().del("dyno:gone:k"); // evicted by Redis

    background.remove().run();

    assertThat(version).hasValue(2);
    assertThat(cache.stats().recomputes()).isEqualTo(1);
    assertThat(cache.get("k", this::next)).isEqualTo("v2");
    assertThat(REDIS.commands().exists("dyno:gone:k")).isEqualTo(1);
  }

  @Test
  void anEarlyRecompute_replacesTheCopyAnotherInstanceHolds() throws InterruptedException {
    RedisCache<String, String> cache =
        build(
            builder("announced")
                .ttl(Duration.ofSeconds(10))
                .earlyRecompute(EarlyRecompute.linear())
                .random(FixedRandom.neverEarly())); // linear fires at any age above 0
    AtomicInteger tasks = new AtomicInteger();
    RedisCache<String, String> holder = other("announced", tasks);
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    assertThat(holder.get("k", this::next)).isEqualTo("v1");
    CountDownLatch told = new CountDownLatch(1);
    holder.onChange(told::countDown);
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get("k", this::next)).isEqualTo("v1");

    background.remove().run();

    assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(holder.get("k", this::next)).isEqualTo("v2");
    assertThat(tasks).as("one read of Redis again").hasValue(1);
  }

  @Test
  void anEarlyRecomputeThatWritesNothing_costsTheOtherInstancesNoRead()
      throws InterruptedException {
    RedisCache<String, String> cache =
        build(
            builder("nothing")
                .ttl(Duration.ofSeconds(10))
                .earlyRecompute(EarlyRecompute.linear())
                .random(FixedRandom.neverEarly()));
    AtomicInteger tasks = new AtomicInteger();
    RedisCache<String, String> holder = other("nothing", tasks);
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    assertThat(holder.get("k", this::next)).isEqualTo("v1");
    CountDownLatch told = new CountDownLatch(2);
    holder.onChange(told::countDown);
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    try (RawEntries raw = new RawEntries(REDIS.uri())) {
      raw.write("dyno:nothing:k", clock.millis() + 10_000, "written elsewhere");
    }
    background.remove().run(); // takes the newer entry, writes nothing

    clock.advance(Duration.ofSeconds(1));
    assertThat(
            cache.get(
                "k",
                k -> {
                  throw new IllegalStateException("source down");
                }))
        .isEqualTo("written elsewhere");
    background.remove().run(); // fails, writes nothing

    assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(tasks).hasValue(0);
    assertThat(holder.get("k", this::next)).isEqualTo("v1");
    assertThat(cache.stats().loadFailures()).isEqualTo(1);
  }

  @Test
  void aRecomputeTheExecutorRefuses_leavesTheKeyToTheNextRead() {
    RedisCache<String, String> cache =
        build(
            RedisCache.builder("refused")
                .redis(REDIS.uri())
                .commandTimeout(RedisServer.PATIENT)
                .clock(clock)
                .ttl(Duration.ofSeconds(10))
                .staleWhileRevalidate(Duration.ofSeconds(10))
                .random(FixedRandom.neverEarly())
                .executor(
                    task -> {
                      throw new RejectedExecutionException("no thread for it");
                    }));
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    clock.advance(Duration.ofSeconds(11));
    assertThat(cache.get("k", this::next)).as("the stale value").isEqualTo("v1");

    clock.advance(Duration.ofSeconds(10));

    assertThat(cache.get("k", this::next)).isEqualTo("v2");
  }
}
