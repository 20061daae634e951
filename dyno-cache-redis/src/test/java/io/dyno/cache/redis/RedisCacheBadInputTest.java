package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input and misuse fail at the call, with messages that name the parameter and the value. */
class RedisCacheBadInputTest {

  @RegisterExtension static final RedisServer REDIS = RedisServer.perClass();

  private static RedisCache.Builder<Object, Object> builder() {
    return RedisCache.builder("prices");
  }

  private RedisCache<String, String> cache(int maxValueBytes) {
    return RedisCache.builder("prices")
        .redis(REDIS.uri())
        .commandTimeout(RedisServer.PATIENT)
        .values(ValueCodec.string())
        .ttl(Duration.ofMinutes(5))
        .maxValueBytes(maxValueBytes)
        .build();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost:6379",
        "http://localhost:6379",
        "redis://localhost",
        "redis://:6379",
        "redis://localhost:6379/x",
        "redis://localhost:6379/0/1",
        "redis://user@localhost:6379",
        "redis://localhost:6379?db=1",
        ""
      })
  void aBadRedisUri_isRefusedNamingTheParameterAndTheValue(String uri) {
    assertThatThrownBy(() -> builder().redis(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("uri must be redis://host:port[/db], was '" + uri + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis://h:0", "redis://h:70000"})
  void aPortOutOfRange_isRefused(String uri) {
    assertThatThrownBy(() -> builder().redis(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "uri must be redis://host:port[/db] with a port between 1 and 65535, was '"
                + uri
                + "'");
  }

  @Test
  void aDatabaseNumberOutOfRange_isRefused() {
    assertThatThrownBy(() -> builder().redis("redis://h:6379/99999999999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "uri must be redis://host:port[/db] with a database number, was"
                + " 'redis://h:6379/99999999999'");
  }

  @Test
  void durations_outOfRange_areRefusedNamingTheParameter() {
    assertThatThrownBy(() -> builder().ttl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must be at least 1 ms, was 0 ns");
    assertThatThrownBy(() -> builder().ttl(Duration.ofNanos(999_999)))
        .hasMessageStartingWith("ttl must be at least 1 ms, was ");
    assertThatThrownBy(() -> builder().lease(Duration.ofSeconds(-1)))
        .hasMessage("lease must be at least 1 ms, was -1.00 s");
    assertThatThrownBy(() -> builder().commandTimeout(Duration.ZERO))
        .hasMessage("commandTimeout must be at least 1 ms, was 0 ns");
    assertThatThrownBy(() -> builder().staleWhileRevalidate(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("staleWhileRevalidate must not be negative, was -1.00 s");
    assertThatThrownBy(() -> builder().staleIfError(Duration.ofMillis(-5)))
        .hasMessage("staleIfError must not be negative, was -5.00 ms");
    assertThatThrownBy(() -> builder().staleIfError(Duration.ofDays(36_501)))
        .hasMessageStartingWith("staleIfError must be at most 36500 days, was ");
    assertThatThrownBy(() -> builder().ttl(Duration.ofDays(36_501)))
        .hasMessageStartingWith("ttl must be at most 36500 days, was ");
  }

  @Test
  void theEdgesOfEachRange_areAccepted() {
    RedisCache.Builder<Object, Object> b = builder();
    assertThat(b.redis("redis://h:1")).isSameAs(b);
    assertThat(b.redis("redis://h:65535/15")).isSameAs(b);
    assertThat(b.ttl(Duration.ofMillis(1))).isSameAs(b);
    assertThat(b.lease(Duration.ofDays(36_500))).isSameAs(b);
    assertThat(b.staleWhileRevalidate(Duration.ZERO)).isSameAs(b);
    assertThat(b.staleIfError(Duration.ZERO)).isSameAs(b);
    assertThat(b.commandTimeout(Duration.ofMillis(1))).isSameAs(b);
    assertThat(b.maxValueBytes(1)).isSameAs(b);
    assertThat(b.maximumSize(1)).isSameAs(b);
  }

  @Test
  void counts_belowOne_areRefused() {
    assertThatThrownBy(() -> builder().maxValueBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxValueBytes must be >= 1, was 0");
    assertThatThrownBy(() -> builder().maximumSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumSize must be >= 1, was 0");
  }

  @Test
  void aBlankName_isRefused() {
    assertThatThrownBy(() -> RedisCache.builder(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
  }

  @Test
  void nullSettings_areRefusedNamingTheParameter() {
    RedisCache.Builder<Object, Object> b = builder();
    assertThatThrownBy(() -> b.redis(null)).hasMessage("uri must not be null");
    assertThatThrownBy(() -> b.client(null)).hasMessage("client must not be null");
    assertThatThrownBy(() -> b.keys(null)).hasMessage("keys must not be null");
    assertThatThrownBy(() -> b.values(null)).hasMessage("codec must not be null");
    assertThatThrownBy(() -> b.ttl(null)).hasMessage("ttl must not be null");
    assertThatThrownBy(() -> b.earlyRecompute(null)).hasMessage("earlyRecompute must not be null");
    assertThatThrownBy(() -> b.lease(null)).hasMessage("lease must not be null");
    assertThatThrownBy(() -> b.staleWhileRevalidate(null))
        .hasMessage("staleWhileRevalidate must not be null");
    assertThatThrownBy(() -> b.staleIfError(null)).hasMessage("staleIfError must not be null");
    assertThatThrownBy(() -> b.commandTimeout(null)).hasMessage("commandTimeout must not be null");
    assertThatThrownBy(() -> b.clock(null)).hasMessage("clock must not be null");
    assertThatThrownBy(() -> b.ticker(null)).hasMessage("ticker must not be null");
    assertThatThrownBy(() -> b.random(null)).hasMessage("random must not be null");
    assertThatThrownBy(() -> b.executor(null)).hasMessage("executor must not be null");
    assertThatThrownBy(() -> ValueCodec.serializable(null)).hasMessage("type must not be null");
  }

  @Test
  void build_withoutServer_ttl_orCodec_namesTheCacheAndWhatIsMissing() {
    assertThatThrownBy(() -> builder().ttl(Duration.ofMinutes(1)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("RedisCache 'prices': set the Redis server with redis(uri) or client(client)");
    assertThatThrownBy(() -> builder().redis(REDIS.uri()).values(ValueCodec.string()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("RedisCache 'prices': ttl must be set");
    assertThatThrownBy(() -> builder().redis(REDIS.uri()).ttl(Duration.ofMinutes(1)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "RedisCache 'prices': values(codec) must be set: ValueCodec.string(),"
                + " ValueCodec.bytes(), ValueCodec.serializable(type) or a codec of your own");
  }

  @Test
  void aValueOverTheLimit_isRefusedNamingKeySizeAndLimit_andNothingIsWritten() {
    try (RedisCache<String, String> cache = cache(4)) {
      assertThatThrownBy(() -> cache.put("sku-1", "19.999"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "value of key 'sku-1' in RedisCache 'prices' is 6 bytes encoded, more than"
                  + " maxValueBytes 4; nothing was written");
      assertThat(cache.getIfPresent("sku-1")).isNull();

      assertThatThrownBy(() -> cache.get("sku-2", k -> "too long"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("key 'sku-2'");
      assertThat(REDIS.commands().exists("dyno:prices:sku-1", "dyno:prices:sku-2")).isZero();
      assertThat(REDIS.commands().exists("dyno:prices:sku-2:lease"))
          .as("the lease is released")
          .isZero();
      assertThat(cache.stats().loadFailures()).isEqualTo(1);
    }
  }

  @Test
  void nullKeysLoadersAndValues_areRefused_andALoaderReturningNull_failsTheRead() {
    try (RedisCache<String, String> cache = cache(100)) {
      assertThatThrownBy(() -> cache.get(null, k -> "v")).hasMessage("key must not be null");
      assertThatThrownBy(() -> cache.get("k", null)).hasMessage("loader must not be null");
      assertThatThrownBy(() -> cache.getIfPresent(null)).hasMessage("key must not be null");
      assertThatThrownBy(() -> cache.put(null, "v")).hasMessage("key must not be null");
      assertThatThrownBy(() -> cache.put("k", null)).hasMessage("value must not be null");
      assertThatThrownBy(() -> cache.invalidate(null)).hasMessage("key must not be null");
      assertThatThrownBy(() -> cache.redisKey(null)).hasMessage("key must not be null");
      assertThatThrownBy(() -> cache.get("sku-1", k -> null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("loader of RedisCache 'prices' returned null for key 'sku-1'");
      assertThat(cache.getIfPresent("sku-1")).isNull();
    }
  }

  @Test
  void aLoaderThatReadsItsOwnKey_failsRatherThanWaitForItself() {
    try (RedisCache<String, String> cache = cache(100)) {
      assertThatThrownBy(() -> cache.get("k", k -> cache.get("k", inner -> "v")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the loader of key 'k' in RedisCache 'prices' read its own key");
      assertThat(cache.get("k", k -> "v")).isEqualTo("v");
    }
  }

  @Test
  void aKeysFunctionReturningNull_failsTheCallNamingTheCache() {
    try (RedisCache<Integer, String> cache =
        RedisCache.builder("prices")
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .keys((Integer i) -> null)
            .values(ValueCodec.string())
            .ttl(Duration.ofMinutes(5))
            .build()) {
      assertThatThrownBy(() -> cache.get(1, k -> "v"))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("keys function of RedisCache 'prices' returned null for 1");
    }
  }

  @Test
  void aLoadersFailure_reachesTheReaderUnchanged_andIsNotCached() {
    try (RedisCache<String, String> cache = cache(100)) {
      IllegalStateException failure = new IllegalStateException("database down");
      assertThatThrownBy(
              () ->
                  cache.get(
                      "k",
                      k -> {
                        throw failure;
                      }))
          .isSameAs(failure);
      AtomicInteger loads = new AtomicInteger();
      assertThat(cache.get("k", k -> "v" + loads.incrementAndGet())).isEqualTo("v1");
      assertThat(cache.stats().loadFailures()).isEqualTo(1);
    }
  }

  @Test
  void theAccessors_andToString_describeTheCache() {
    RedisCache<String, String> cache = cache(100);
    try {
      assertThat(cache.name()).isEqualTo("prices");
      assertThat(cache.ttl()).isEqualTo(Duration.ofMinutes(5));
      assertThat(cache.redisKey("sku-1")).isEqualTo("dyno:prices:sku-1");
      assertThat(cache)
          .hasToString(
              "RedisCache{name=prices, ttl=5.00 min, earlyRecompute=xfetch(1.0),"
                  + " codec=ValueCodec.string()}");
    } finally {
      cache.close();
      cache.close(); // idempotent
    }
  }
}
