package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeClock;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.RedisProcess;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis down is a degraded mode: memory answers, misses load here, and Redis comes back. */
class RedisCacheOutageTest {

  @RegisterExtension final RedisServer redis = RedisServer.perTest();

  private final AtomicInteger loads = new AtomicInteger();
  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));

  private String load(String key) {
    loads.incrementAndGet();
    return "loaded " + key;
  }

  private static String failing(String key) {
    throw new IllegalStateException("the source is down too");
  }

  @Test
  void whileRedisIsDown_memoryAnswers_missesLoadHere_andRedisIsUsedAgainAfterItsRestart()
      throws Exception {
    try (RedisCache<String, String> cache =
        RedisCache.builder("down")
            .redis(redis.uri())
            .commandTimeout(RedisServer.PATIENT)
            .values(ValueCodec.string())
            .ttl(Duration.ofMinutes(10))
            .clock(clock)
            .build()) {
      assertThat(cache.get("cached", this::load)).isEqualTo("loaded cached");

      redis.stop();

      for (int i = 0; i < 20; i++) {
        assertThat(cache.get("cached", RedisCacheOutageTest::failing)).isEqualTo("loaded cached");
      }
      assertThat(cache.getIfPresent("cached")).isEqualTo("loaded cached");
      assertThat(cache.stats().redisErrors()).as("memory answered alone").isZero();
      assertThat(cache.get("missed", this::load)).isEqualTo("loaded missed");
      assertThat(cache.stats().redisErrors()).isEqualTo(1);
      assertThat(cache.get("missed", RedisCacheOutageTest::failing))
          .as("a degraded load is kept in memory")
          .isEqualTo("loaded missed");
      assertThat(cache.getIfPresent("never")).isNull();
      assertThat(cache.stats().redisErrors()).isEqualTo(2);
      cache.put("written", "while down");
      assertThat(cache.stats().redisErrors()).isEqualTo(3);
      assertThat(cache.getIfPresent("written")).isEqualTo("while down");
      cache.invalidate("cached");
      assertThat(cache.stats().redisErrors()).isEqualTo(4);
      assertThat(cache.getIfPresent("cached")).as("gone from memory too").isNull();
      cache.invalidateAll();
      RedisCacheStats down = cache.stats();
      assertThat(down.memoryHits()).isEqualTo(23);
      assertThat(down.degradedLoads()).isEqualTo(1);
      assertThat(down.loads()).isEqualTo(2);
      assertThat(down.redisErrors()).isEqualTo(6);
      cache.put("held in memory", "while down");

      redis.restart();
      awaitTrue(
          () -> {
            cache.put("probe", "p");
            return redis.commands().exists("dyno:down:probe") == 1;
          });
      // Announcements sent while the channel was down are lost: its reconnection empties memory.
      awaitTrue(() -> cache.getIfPresent("held in memory") == null);

      assertThat(cache.get("after", this::load)).isEqualTo("loaded after");
      assertThat(cache.stats().degradedLoads()).isEqualTo(1);
      assertThat(redis.commands().exists("dyno:down:after")).isEqualTo(1);
    }
  }

  @Test
  void withTheCallersClient_commandsTimeOut_andMissesStillLoadHere() throws Exception {
    RedisClient client = RedisClient.create(redis.uri());
    client.setOptions(ClientOptions.builder().autoReconnect(true).build());
    try (RedisCache<String, String> cache =
        RedisCache.builder("theirs")
            .client(client)
            .values(ValueCodec.string())
            .ttl(Duration.ofMinutes(10))
            .commandTimeout(Duration.ofMillis(50))
            .build()) {
      assertThat(cache.get("cached", this::load)).isEqualTo("loaded cached");
      // On a busy machine even a live Redis can miss 50 ms: count from here.
      long degradedBefore = cache.stats().degradedLoads();
      redis.stop();

      assertThat(cache.get("cached", RedisCacheOutageTest::failing)).isEqualTo("loaded cached");
      assertThat(cache.get("missed", this::load)).isEqualTo("loaded missed");
      assertThat(cache.stats().degradedLoads()).isEqualTo(degradedBefore + 1);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void whileRedisAndTheLoaderFail_aValueWithinStaleIfError_isServed_andLaterNot() throws Exception {
    try (RedisCache<String, String> cache =
        RedisCache.builder("sie-down")
            .redis(redis.uri())
            .commandTimeout(RedisServer.PATIENT)
            .values(ValueCodec.string())
            .ttl(Duration.ofSeconds(10))
            .staleIfError(Duration.ofSeconds(30))
            .clock(clock)
            .build()) {
      assertThat(cache.get("k", this::load)).isEqualTo("loaded k");
      redis.stop();
      clock.advance(Duration.ofSeconds(15));

      assertThat(cache.get("k", RedisCacheOutageTest::failing)).isEqualTo("loaded k");
      assertThat(cache.stats().staleServed()).isEqualTo(1);
      assertThat(cache.stats().loadFailures()).isEqualTo(1);

      clock.advance(Duration.ofSeconds(30));
      assertThatThrownBy(() -> cache.get("k", RedisCacheOutageTest::failing))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the source is down too");
    }
  }

  @Test
  void aCacheBuiltWhileRedisIsDown_runsDegraded_andConnectsOnceRedisAnswers() throws Exception {
    int port = RedisServer.freePort();
    FakeTicker ticker = FakeTicker.create();
    try (RedisCache<String, String> cache =
        RedisCache.builder("late")
            .redis("redis://127.0.0.1:" + port)
            .commandTimeout(RedisServer.PATIENT)
            .values(ValueCodec.string())
            .ttl(Duration.ofMinutes(10))
            .clock(clock)
            .ticker(ticker)
            .executor(Runnable::run) // the connection attempt runs on the reading thread
            .build()) {
      assertThat(cache.stats().redisErrors()).as("the failed connection").isEqualTo(1);

      assertThat(cache.get("early", this::load)).isEqualTo("loaded early");
      assertThat(cache.get("early", RedisCacheOutageTest::failing)).isEqualTo("loaded early");
      assertThat(cache.stats().degradedLoads()).isEqualTo(1);
      assertThat(cache.stats().redisErrors()).as("no attempt within a second").isEqualTo(2);

      try (RedisProcess late = RedisProcess.startOn(port)) {
        assertThat(cache.get("middle", this::load)).isEqualTo("loaded middle");
        assertThat(cache.stats().degradedLoads()).as("still within the second").isEqualTo(2);

        ticker.advance(Duration.ofSeconds(1));
        assertThat(cache.get("late", this::load)).isEqualTo("loaded late");
        assertThat(cache.stats().degradedLoads()).as("connected: a fleet load").isEqualTo(2);
        assertThat(cache.stats().redisErrors()).isEqualTo(3);
        assertThat(cache.get("early", this::load))
            .as("what was loaded while disconnected is loaded again")
            .isEqualTo("loaded early");
        assertThat(loads).hasValue(4);

        try (RedisCache<String, String> other =
            RedisCache.builder("late")
                .redis(late.uri())
                .commandTimeout(RedisServer.PATIENT)
                .values(ValueCodec.string())
                .ttl(Duration.ofMinutes(10))
                .clock(clock)
                .build()) {
          assertThat(other.getIfPresent("late")).isEqualTo("loaded late");
          assertThat(other.getIfPresent("early")).isEqualTo("loaded early");
          assertThat(other.getIfPresent("middle"))
              .as("loaded while degraded: memory only")
              .isNull();
        }
      }
    }
  }

  @Test
  void aCacheThatCannotConnect_triesAgainAtMostOnceASecond_onlyWhenACommandIsNeeded()
      throws Exception {
    int port = RedisServer.freePort();
    FakeTicker ticker = FakeTicker.create();
    AtomicInteger attempts = new AtomicInteger();
    try (RedisCache<String, String> cache =
        RedisCache.builder("retrying")
            .redis("redis://127.0.0.1:" + port)
            .values(ValueCodec.string())
            .ttl(Duration.ofMinutes(10))
            .clock(clock)
            .ticker(ticker)
            .executor(
                task -> {
                  attempts.incrementAndGet();
                  task.run();
                })
            .build()) {
      for (int second = 0; second < 3; second++) {
        for (int i = 0; i < 5; i++) {
          cache.getIfPresent("k" + i);
        }
        ticker.advance(Duration.ofMillis(999));
        cache.getIfPresent("again");
        assertThat(attempts).as("attempts after %d s", second).hasValue(second);
        ticker.advance(Duration.ofMillis(1));
      }
      assertThat(cache.stats().redisErrors())
          .as("1 + 3 × 6 refused commands + 2 attempts")
          .isEqualTo(1 + 18 + 2);
    }
  }

  /** Polls {@code condition} until it holds, for at most 30 seconds (Redis's reconnection). */
  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("Redis in use again within 30 s").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }
}
