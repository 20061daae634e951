package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeClock;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis failing in the middle of a miss or a recompute, at each command: the read still gets a
 * value, loaded here, and each failed command is counted once.
 */
class RedisCacheRedisFailsTest {

  @RegisterExtension final RedisServer redis = RedisServer.perTest();

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final HookedCodec codec = new HookedCodec();
  private final AtomicInteger loads = new AtomicInteger();

  private RedisCache.Builder<Object, String> builder(String name) {
    return RedisCache.builder(name)
        .redis(redis.uri())
        .commandTimeout(Duration.ofSeconds(1))
        .values(codec)
        .ttl(Duration.ofSeconds(10))
        .clock(clock)
        .random(FixedRandom.neverEarly());
  }

  private String load(String key) {
    loads.incrementAndGet();
    return "loaded " + key;
  }

  /** An entry that expired a second ago, as another instance left it. */
  private void expiredEntry(String redisKey) {
    try (RawEntries raw = new RawEntries(redis.uri())) {
      raw.write(redisKey, clock.millis() - 1_000, "expired");
    }
  }

  private void stopRedis() {
    try {
      redis.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void redisDyingBeforeTheLease_makesTheMissLoadHere() {
    try (RedisCache<String, String> cache = builder("at-lease").build()) {
      expiredEntry("dyno:at-lease:k");
      codec.atDecode(1, this::stopRedis);

      assertThat(cache.get("k", this::load)).isEqualTo("loaded k");

      RedisCacheStats stats = cache.stats();
      assertThat(stats.degradedLoads()).isEqualTo(1);
      assertThat(stats.loads()).isEqualTo(1);
      assertThat(stats.redisErrors()).as("the lease").isEqualTo(1);
      assertThat(cache.get("k", this::load)).as("kept in memory").isEqualTo("loaded k");
      assertThat(loads).hasValue(1);
    }
  }

  @Test
  void redisDyingWhileAMissWaitsForTheLeaseholder_makesTheMissLoadHere() {
    try (RedisCache<String, String> cache =
        builder("while-waiting").lease(Duration.ofMillis(300)).build()) {
      expiredEntry("dyno:while-waiting:k");
      redis.commands().set("dyno:while-waiting:k:lease", "holder", SetArgs.Builder.px(60_000));
      codec.atDecode(2, this::stopRedis); // as the miss starts waiting for the holder

      assertThat(cache.get("k", this::load)).isEqualTo("loaded k");

      RedisCacheStats stats = cache.stats();
      assertThat(stats.leaseWaits()).isEqualTo(1);
      assertThat(stats.degradedLoads()).isEqualTo(1);
      assertThat(stats.redisErrors()).as("the read after the wait").isEqualTo(1);
    }
  }

  @Test
  void redisDyingDuringTheLoad_failsTheWriteTheReleaseAndTheAnnouncement_notTheRead() {
    try (RedisCache<String, String> cache = builder("during-load").build()) {
      assertThat(
              cache.get(
                  "k",
                  k -> {
                    stopRedis();
                    return load(k);
                  }))
          .isEqualTo("loaded k");

      RedisCacheStats stats = cache.stats();
      assertThat(stats.redisErrors()).as("SET, the release and PUBLISH").isEqualTo(3);
      assertThat(stats.degradedLoads()).isZero();
      assertThat(cache.getIfPresent("k")).as("kept in memory").isEqualTo("loaded k");
    }
  }

  @Test
  void aReadRedisRefusesOnceTheLeaseIsHeld_isCounted_andTheMissLoads() {
    RedisCommands<String, String> admin = redis.commands();
    try (RedisCache<String, String> cache = builder("refused-read").build()) {
      expiredEntry("dyno:refused-read:k");
      codec.atDecode(
          1,
          () -> admin.aclSetuser("default", AclSetuserArgs.Builder.removeCommand(CommandType.GET)));

      assertThat(cache.get("k", this::load)).isEqualTo("loaded k");

      RedisCacheStats stats = cache.stats();
      assertThat(stats.redisErrors()).as("the GET, and the release's GET").isEqualTo(2);
      assertThat(stats.degradedLoads()).isZero();
      assertThat(loads).hasValue(1);
    }
  }

  @Test
  void redisDyingBeforeAnotherInstancesWriteIsReadAgain_dropsTheCopy_andIsCounted() {
    Queue<Runnable> background = new java.util.concurrent.ConcurrentLinkedQueue<>();
    try (RedisCache<String, String> reader =
            builder("read-again").executor(background::add).build();
        RedisCache<String, String> writer =
            builder("read-again").values(ValueCodec.string()).build()) {
      reader.put("k", "old");
      writer.put("k", "new");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (background.isEmpty()) {
        assertThat(System.nanoTime()).as("the read again within 10 s").isLessThan(deadline);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      stopRedis();

      background.remove().run();

      assertThat(reader.stats().redisErrors()).isEqualTo(1);
      assertThat(reader.getIfPresent("k")).as("a copy that may be stale is dropped").isNull();
    }
  }

  @Test
  void redisDyingBeforeARecomputeTakesTheLease_makesItLoadHere_intoMemory() {
    Queue<Runnable> background = new ArrayDeque<>();
    try (RedisCache<String, String> cache =
        builder("recompute")
            .staleWhileRevalidate(Duration.ofSeconds(10))
            .executor(background::add)
            .build()) {
      assertThat(cache.get("k", k -> "v1")).isEqualTo("v1");
      clock.advance(Duration.ofSeconds(11));
      assertThat(cache.get("k", this::load)).isEqualTo("v1");
      stopRedis();

      background.remove().run();

      RedisCacheStats stats = cache.stats();
      assertThat(stats.degradedLoads()).isEqualTo(1);
      assertThat(stats.redisErrors()).as("the lease").isEqualTo(1);
      assertThat(cache.get("k", this::load)).isEqualTo("loaded k");
      assertThat(cache.stats().memoryHits()).isEqualTo(1);
      assertThat(loads).hasValue(1);
    }
  }
}
