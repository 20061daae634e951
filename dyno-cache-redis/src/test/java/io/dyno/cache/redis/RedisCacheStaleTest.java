package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stale-while-revalidate and stale-if-error windows (RFC 5861), on an injected clock. */
class RedisCacheStaleTest {

  @RegisterExtension static final RedisServer REDIS = RedisServer.perClass();

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final Queue<Runnable> background = new ArrayDeque<>();
  private final AtomicInteger version = new AtomicInteger();
  private RedisCache<String, String> cache;

  @AfterEach
  void close() {
    if (cache != null) {
      cache.close();
    }
  }

  private RedisCache.Builder<Object, Object> builder(String name) {
    return RedisCache.builder(name)
        .redis(REDIS.uri())
        .commandTimeout(RedisServer.PATIENT)
        .ttl(Duration.ofSeconds(10))
        .clock(clock)
        .random(FixedRandom.neverEarly())
        .executor(background::add);
  }

  private String next(String key) {
    return "v" + version.incrementAndGet();
  }

  private static String failing(String key) {
    throw new IllegalStateException("source down");
  }

  @Test
  void withinStaleWhileRevalidate_theStaleValueIsServedAtOnce_andOneRecomputeRunsBehind() {
    cache =
        builder("swr")
            .staleWhileRevalidate(Duration.ofSeconds(5))
            .values(ValueCodec.string())
            .build();
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    clock.advance(Duration.ofSeconds(11));

    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    assertThat(background).hasSize(1);
    assertThat(version).hasValue(1);

    background.remove().run();
    assertThat(version).hasValue(2);
    assertThat(cache.get("k", this::next)).isEqualTo("v2");
    RedisCacheStats stats = cache.stats();
    assertThat(stats.staleServed()).isEqualTo(2);
    assertThat(stats.recomputes()).isEqualTo(1);
    assertThat(stats.memoryHits()).isEqualTo(1);
  }

  @Test
  void pastStaleWhileRevalidate_aReadWaitsForTheLoad() {
    cache =
        builder("swr-past")
            .staleWhileRevalidate(Duration.ofSeconds(5))
            .values(ValueCodec.string())
            .build();
    cache.get("k", this::next);
    clock.advance(Duration.ofSeconds(15));

    assertThat(cache.get("k", this::next)).isEqualTo("v2");
    assertThat(background).isEmpty();
    assertThat(cache.stats().staleServed()).isZero();
  }

  @Test
  void aFailedRecomputeWithinStaleWhileRevalidate_keepsTheStaleValue() {
    cache =
        builder("swr-fail")
            .staleWhileRevalidate(Duration.ofSeconds(5))
            .values(ValueCodec.string())
            .build();
    cache.get("k", this::next);
    clock.advance(Duration.ofSeconds(11));

    assertThat(cache.get("k", RedisCacheStaleTest::failing)).isEqualTo("v1");
    background.remove().run();
    assertThat(cache.stats().loadFailures()).isEqualTo(1);
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    background.remove().run();
    assertThat(cache.get("k", this::next)).isEqualTo("v2");
  }

  @Test
  void withinStaleIfError_aFailedLoadServesTheStaleValue_andPastItTheFailureIsThrown() {
    cache = builder("sie").staleIfError(Duration.ofSeconds(30)).values(ValueCodec.string()).build();
    cache.get("k", this::next);
    clock.advance(Duration.ofSeconds(15));

    assertThat(cache.get("k", RedisCacheStaleTest::failing)).isEqualTo("v1");
    assertThat(cache.stats().staleServed()).isEqualTo(1);
    assertThat(cache.stats().loadFailures()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(30));
    assertThatThrownBy(() -> cache.get("k", RedisCacheStaleTest::failing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("source down");
    assertThat(cache.get("k", this::next)).isEqualTo("v2");
  }

  @Test
  void theStaleCopyStaysInRedisForTheLongerWindow() {
    cache =
        builder("px")
            .staleWhileRevalidate(Duration.ofSeconds(5))
            .staleIfError(Duration.ofSeconds(30))
            .values(ValueCodec.string())
            .build();
    cache.get("k", this::next);
    assertThat(REDIS.commands().pttl("dyno:px:k")).isBetween(30_000L, 40_000L);
  }

  @Test
  void anotherInstancesStaleCopyInRedis_isServedWithinStaleWhileRevalidate() {
    cache =
        builder("swr-shared")
            .staleWhileRevalidate(Duration.ofSeconds(5))
            .values(ValueCodec.string())
            .build();
    try (RedisCache<String, String> other =
        builder("swr-shared")
            .staleWhileRevalidate(Duration.ofSeconds(5))
            .values(ValueCodec.string())
            .build()) {
      other.put("k", "from other");
      clock.advance(Duration.ofSeconds(12));
      assertThat(cache.get("k", this::next)).isEqualTo("from other");
      assertThat(cache.stats().staleServed()).isEqualTo(1);
    }
  }

  @Test
  void aRecomputeThatFindsANewerEntryInRedis_takesIt_andDoesNotLoad() {
    cache =
        builder("newer")
            .staleWhileRevalidate(Duration.ofSeconds(5))
            .values(ValueCodec.string())
            .build();
    try (RedisCache<String, String> other = builder("newer").values(ValueCodec.string()).build()) {
      cache.get("k", this::next);
      clock.advance(Duration.ofSeconds(11));
      assertThat(cache.get("k", this::next)).isEqualTo("v1");
      other.put("k", "written meanwhile");

      background.remove().run();

      assertThat(version).hasValue(1);
      assertThat(cache.stats().recomputes()).isZero();
      assertThat(cache.get("k", this::next)).isEqualTo("written meanwhile");
    }
  }

  @Test
  void anExecutorThatRefuses_leavesTheStaleValueServed_andTheNextReadTriesAgain() {
    AtomicInteger refusals = new AtomicInteger();
    cache =
        builder("refused")
            .staleWhileRevalidate(Duration.ofSeconds(5))
            .executor(
                task -> {
                  refusals.incrementAndGet();
                  throw new java.util.concurrent.RejectedExecutionException("full");
                })
            .values(ValueCodec.string())
            .build();
    cache.get("k", this::next);
    clock.advance(Duration.ofSeconds(11));

    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    assertThat(refusals).hasValue(2);
  }

  @Test
  void anEarlyRecompute_isDecidedByXFetchFromTheStoredComputeTime() {
    AtomicInteger ticks = new AtomicInteger();
    cache =
        RedisCache.builder("xfetch")
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .ttl(Duration.ofSeconds(10))
            .clock(clock)
            .ticker(() -> ticks.getAndIncrement() * 1_000_000_000L) // each load takes 1 s
            .random(FixedRandom.alwaysEarly())
            .executor(background::add)
            .values(ValueCodec.string())
            .build();
    cache.get("k", this::next);
    assertThat(cache.get("k", this::next)).isEqualTo("v1");
    assertThat(background).as("10 s before expiry: u would have to be below e^-10").hasSize(1);
    background.clear();

    try (RedisCache<String, String> never =
        RedisCache.builder("xfetch-never")
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .ttl(Duration.ofSeconds(10))
            .clock(clock)
            .earlyRecompute(io.dyno.cache.EarlyRecompute.none())
            .random(FixedRandom.alwaysEarly())
            .executor(background::add)
            .values(ValueCodec.string())
            .build()) {
      never.get("k", this::next);
      clock.advance(Duration.ofSeconds(9));
      assertThat(never.get("k", this::next)).isEqualTo("v2");
      assertThat(background).isEmpty();
    }
  }

  @Test
  void aPut_keepsTheComputeTimeOfTheValueItReplaces_soXFetchStillRecomputesIt() {
    AtomicInteger ticks = new AtomicInteger();
    cache =
        RedisCache.builder("put-delta")
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .ttl(Duration.ofSeconds(10))
            .clock(clock)
            .ticker(() -> ticks.getAndIncrement() * 1_000_000_000L) // each load takes 1 s
            .random(FixedRandom.alwaysEarly())
            .executor(background::add)
            .values(ValueCodec.string())
            .build();
    cache.put("only-put", "v0");
    cache.get("k", this::next);
    cache.put("k", "replaced");
    clock.advance(Duration.ofSeconds(9));

    assertThat(cache.get("only-put", this::next)).isEqualTo("v0");
    assertThat(background).as("δ = 0: never early").isEmpty();
    assertThat(cache.get("k", this::next)).isEqualTo("replaced");
    assertThat(background).as("δ = 1 s, 1 s before expiry").hasSize(1);
  }

  @Test
  void atItsExpiry_aValueIsExpired_inMemoryAndInRedis() {
    cache = builder("boundary").values(ValueCodec.string()).build();
    try (RedisCache<String, String> other =
        builder("boundary").values(ValueCodec.string()).build()) {
      cache.get("k", this::next);
      clock.advance(Duration.ofSeconds(10));
      assertThat(cache.getIfPresent("k")).isNull();
      assertThat(other.getIfPresent("k")).isNull();
      assertThat(other.get("k", this::next)).isEqualTo("v2");
      clock.advance(Duration.ofMillis(9_999));
      assertThat(other.getIfPresent("k")).isEqualTo("v2");
      assertThat(cache.getIfPresent("k")).isEqualTo("v2");
      assertThat(cache.getIfPresent("k")).isEqualTo("v2");
      assertThat(cache.stats().redisHits()).isEqualTo(1);
      assertThat(cache.stats().memoryHits()).isEqualTo(1);
      clock.advance(Duration.ofMillis(1));
      assertThat(cache.get("k", this::next)).isEqualTo("v3");
    }
  }

  @Test
  void atTheEndOfStaleIfError_theFailureIsThrown() {
    cache =
        builder("sie-end").staleIfError(Duration.ofSeconds(30)).values(ValueCodec.string()).build();
    cache.get("k", this::next);
    clock.advance(Duration.ofSeconds(39));
    assertThat(cache.get("k", RedisCacheStaleTest::failing)).isEqualTo("v1");
    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> cache.get("k", RedisCacheStaleTest::failing))
        .hasMessage("source down");
  }

  @Test
  void anExpiredValueInMemory_givesWayToANewerOneInRedis_andNotToAnOlderOne() {
    cache =
        builder("newest")
            .staleWhileRevalidate(Duration.ofSeconds(5))
            .values(ValueCodec.string())
            .build();
    cache.get("k", this::next); // v1, expires at 10 s
    cache.get("j", this::next); // v2, expires at 10 s
    long start = clock.millis();
    writeByHand("dyno:newest:k", start + 20_000, "newer in Redis");
    writeByHand("dyno:newest:j", start + 5_000, "older in Redis");
    clock.advance(Duration.ofSeconds(12));

    assertThat(cache.get("k", this::next)).isEqualTo("newer in Redis");
    assertThat(cache.get("k", this::next)).isEqualTo("newer in Redis");
    assertThat(cache.stats().redisHits()).isEqualTo(1);
    assertThat(cache.stats().memoryHits()).isEqualTo(1);
    assertThat(cache.get("j", this::next)).as("memory's, within its window").isEqualTo("v2");
    assertThat(cache.stats().staleServed()).isEqualTo(1);
  }

  @Test
  void aRedisHitNearExpiry_mayRecomputeEarly_andAHighDrawDoesNot() {
    AtomicInteger ticks = new AtomicInteger();
    cache =
        RedisCache.builder("early-redis")
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .ttl(Duration.ofSeconds(10))
            .clock(clock)
            .ticker(() -> ticks.getAndIncrement() * 1_000_000_000L)
            .random(FixedRandom.alwaysEarly())
            .executor(background::add)
            .values(ValueCodec.string())
            .build();
    try (RedisCache<String, String> high =
        RedisCache.builder("early-redis")
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .ttl(Duration.ofSeconds(10))
            .clock(clock)
            .random(FixedRandom.neverEarly())
            .executor(background::add)
            .values(ValueCodec.string())
            .build()) {
      high.put("seed", "x");
      cache.get("k", this::next); // δ = 1 s
      clock.advance(Duration.ofMillis(9_500));
      assertThat(high.get("k", this::next)).isEqualTo("v1");
      assertThat(background).as("u = 1 is never below the chance").isEmpty();
      high.invalidate("seed");
      try (RedisCache<String, String> fresh =
          RedisCache.builder("early-redis")
              .redis(REDIS.uri())
              .commandTimeout(RedisServer.PATIENT)
              .ttl(Duration.ofSeconds(10))
              .clock(clock)
              .random(FixedRandom.alwaysEarly())
              .executor(background::add)
              .values(ValueCodec.string())
              .build()) {
        assertThat(fresh.get("k", this::next)).isEqualTo("v1");
        assertThat(fresh.stats().redisHits()).isEqualTo(1);
        assertThat(background).hasSize(1);
      }
    }
  }

  @Test
  void aRecompute_isAnnouncedToTheOtherInstances() throws InterruptedException {
    cache =
        builder("announced")
            .staleWhileRevalidate(Duration.ofSeconds(5))
            .values(ValueCodec.string())
            .build();
    try (RedisCache<String, String> other =
        builder("announced")
            .staleWhileRevalidate(Duration.ofSeconds(5))
            .values(ValueCodec.string())
            .build()) {
      cache.get("k", this::next);
      assertThat(other.get("k", this::next)).isEqualTo("v1");
      clock.advance(Duration.ofSeconds(11));
      assertThat(cache.get("k", this::next)).isEqualTo("v1");
      java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);
      other.onChange(seen::countDown);
      background.remove().run();
      assertThat(seen.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(other.get("k", this::next)).isEqualTo("v2");
    }
  }

  @Test
  void theSmallestAllowedSettings_areAccepted() {
    cache =
        builder("smallest")
            .maxValueBytes(2)
            .maximumSize(1)
            .lease(Duration.ofMillis(1))
            .values(ValueCodec.string())
            .build();
    cache.put("k", "ab");
    assertThat(cache.getIfPresent("k")).isEqualTo("ab");
  }

  @Test
  void aClosedCache_refusesEveryOperation_namingTheCache() {
    cache = builder("closed").values(ValueCodec.string()).build();
    cache.close();
    String closed = "RedisCache 'closed' is closed";
    assertThatThrownBy(() -> cache.get("k", this::next)).hasMessage(closed);
    assertThatThrownBy(() -> cache.getIfPresent("k")).hasMessage(closed);
    assertThatThrownBy(() -> cache.put("k", "v")).hasMessage(closed);
    assertThatThrownBy(() -> cache.invalidate("k")).hasMessage(closed);
    assertThatThrownBy(() -> cache.invalidateAll()).hasMessage(closed);
    assertThat(version).hasValue(0);
  }

  private static void writeByHand(String key, long expiresAt, String value) {
    io.lettuce.core.RedisClient raw = io.lettuce.core.RedisClient.create(REDIS.uri());
    try {
      raw.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)
          .sync()
          .set(
              key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
              io.dyno.cache.redis.internal.Envelope.encode(
                  expiresAt, 0, value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } finally {
      raw.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
