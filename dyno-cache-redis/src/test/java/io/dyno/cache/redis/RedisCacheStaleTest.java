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
}
