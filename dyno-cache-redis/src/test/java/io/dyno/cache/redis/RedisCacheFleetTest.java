package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeClock;
import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One computation per key for a whole fleet of instances sharing one Redis. */
class RedisCacheFleetTest {

  @RegisterExtension static final RedisServer REDIS = RedisServer.perClass();

  private final List<RedisCache<String, String>> caches = new ArrayList<>();
  private final List<ExecutorService> pools = new ArrayList<>();

  @AfterEach
  void closeAll() throws InterruptedException {
    caches.forEach(RedisCache::close);
    for (ExecutorService pool : pools) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private RedisCache<String, String> instance(RedisCache.Builder<Object, Object> builder) {
    RedisCache<String, String> cache =
        builder
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .values(ValueCodec.string())
            .build();
    caches.add(cache);
    return cache;
  }

  private ExecutorService pool(int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    pools.add(pool);
    return pool;
  }

  @Test
  void aColdHotKey_readBy16ThreadsOnEachOf3Instances_isLoadedOnceForTheFleet() throws Exception {
    List<RedisCache<String, String>> fleet = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fleet.add(instance(RedisCache.builder("hot").ttl(Duration.ofMinutes(10))));
    }
    AtomicInteger loaderCalls = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService readers = pool(48);
    List<Future<String>> reads = new ArrayList<>();
    for (RedisCache<String, String> cache : fleet) {
      for (int t = 0; t < 16; t++) {
        reads.add(
            readers.submit(
                () -> {
                  start.await();
                  return cache.get(
                      "k",
                      k -> {
                        loaderCalls.incrementAndGet();
                        return "value of " + k;
                      });
                }));
      }
    }
    start.countDown();
    for (Future<String> read : reads) {
      assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo("value of k");
    }
    assertThat(loaderCalls).hasValue(1);
    assertThat(fleet.stream().mapToLong(c -> c.stats().loads()).sum()).isEqualTo(1);
    assertThat(REDIS.commands().exists("dyno:hot:k", "dyno:hot:k:lease"))
        .as("the entry is in Redis and the lease is released")
        .isEqualTo(1);
  }

  @Test
  void anEarlyRecompute_runsOnOneInstance_whileEveryInstanceServesTheCurrentValue()
      throws Exception {
    FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    ExecutorService background = pool(3);
    List<RedisCache<String, String>> fleet = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      fleet.add(
          instance(
              RedisCache.builder("early")
                  .ttl(Duration.ofSeconds(60))
                  .clock(clock)
                  .ticker(slowTicker())
                  .random(FixedRandom.alwaysEarly())
                  .executor(background)));
    }
    fleet.get(0).get("k", k -> "v1");
    clock.advance(Duration.ofSeconds(59));

    AtomicInteger recomputes = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch recomputing = new CountDownLatch(1);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService readers = pool(48);
    List<Future<String>> reads = new ArrayList<>();
    for (RedisCache<String, String> cache : fleet) {
      for (int t = 0; t < 16; t++) {
        reads.add(
            readers.submit(
                () -> {
                  start.await();
                  return cache.get(
                      "k",
                      k -> {
                        recomputes.incrementAndGet();
                        recomputing.countDown();
                        awaitUninterruptibly(release);
                        return "v2";
                      });
                }));
      }
    }
    start.countDown();
    for (Future<String> read : reads) {
      assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo("v1");
    }
    assertThat(recomputing.await(30, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    for (ExecutorService pool : pools) {
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(recomputes).hasValue(1);
    assertThat(fleet.stream().mapToLong(c -> c.stats().recomputes()).sum()).isEqualTo(1);
    RedisCache<String, String> later =
        instance(RedisCache.builder("early").ttl(Duration.ofSeconds(60)).clock(clock));
    assertThat(later.getIfPresent("k")).isEqualTo("v2");
  }

  @Test
  void aLeaseWhoseHolderDied_makesAMissWaitTheLease_thenTakeItOver() {
    RedisCache<String, String> cache =
        instance(RedisCache.builder("orphan").ttl(Duration.ofMinutes(1)).lease(millis(1000)));
    REDIS.commands().set("dyno:orphan:k:lease", "a dead instance's token", pxMillis(1000));
    AtomicInteger loaderCalls = new AtomicInteger();

    String v =
        cache.get(
            "k",
            k -> {
              loaderCalls.incrementAndGet();
              return "loaded after the lease expired";
            });

    assertThat(v).isEqualTo("loaded after the lease expired");
    assertThat(loaderCalls).hasValue(1);
    assertThat(cache.stats().leaseWaits()).isGreaterThanOrEqualTo(1);
    assertThat(REDIS.commands().exists("dyno:orphan:k:lease")).isZero();
  }

  @Test
  void whileADeadInstanceHoldsTheLease_theOthersServeTheCurrentValue_andRecomputeAfterIt() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    RedisCache<String, String> cache =
        instance(
            RedisCache.builder("held")
                .ttl(Duration.ofSeconds(60))
                .lease(millis(300))
                .clock(clock)
                .ticker(slowTicker())
                .random(FixedRandom.alwaysEarly())
                .executor(Runnable::run));
    cache.get("k", k -> "v1");
    clock.advance(Duration.ofSeconds(59));
    REDIS.commands().set("dyno:held:k:lease", "a dead instance's token", pxMillis(300));
    AtomicInteger loaderCalls = new AtomicInteger();

    assertThat(cache.get("k", k -> "v" + (1 + loaderCalls.incrementAndGet()))).isEqualTo("v1");
    assertThat(loaderCalls).as("no recompute while the lease is held").hasValue(0);

    clock.advance(Duration.ofSeconds(1)); // expired: the miss waits the lease out, then loads
    assertThat(cache.get("k", k -> "v" + (1 + loaderCalls.incrementAndGet()))).isEqualTo("v2");
    assertThat(loaderCalls).hasValue(1);
  }

  @Test
  void aLeaseHeldElsewhere_isNotAskedForAgainOnEveryRead_butAfterTheLeaseOrTheHoldersAnnouncement()
      throws Exception {
    FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    FakeTicker ticker = FakeTicker.create();
    AtomicInteger attempts = new AtomicInteger();
    RedisCache<String, String> cache =
        instance(
            RedisCache.builder("elsewhere")
                .ttl(Duration.ofSeconds(60))
                .lease(Duration.ofSeconds(10))
                .clock(clock)
                .ticker(ticker)
                .random(FixedRandom.alwaysEarly())
                .executor(
                    task -> {
                      attempts.incrementAndGet();
                      task.run();
                    }));
    RedisCache<String, String> holder =
        instance(RedisCache.builder("elsewhere").ttl(Duration.ofSeconds(60)).clock(clock));
    cache.get(
        "k",
        k -> {
          ticker.advance(Duration.ofSeconds(1)); // δ = 1 s
          return "v1";
        });
    assertThat(holder.get("k", k -> "not loaded")).isEqualTo("v1"); // holder keeps δ too
    clock.advance(Duration.ofSeconds(59));
    REDIS.commands().set("dyno:elsewhere:k:lease", "the holder's token", pxMillis(60_000));

    for (int i = 0; i < 5; i++) {
      assertThat(cache.get("k", k -> "recomputed")).isEqualTo("v1");
    }
    assertThat(attempts).as("one try for the lease, then none while it is held").hasValue(1);

    ticker.advance(Duration.ofSeconds(10));
    assertThat(cache.get("k", k -> "recomputed")).isEqualTo("v1");
    assertThat(attempts).as("the lease's length later, one more try").hasValue(2);

    CountDownLatch told = new CountDownLatch(1);
    cache.onChange(told::countDown);
    holder.put("k", "v2");
    awaitUninterruptibly(told); // the new entry read on the executor: one task
    assertThat(attempts).hasValue(3);
    clock.advance(Duration.ofSeconds(59));
    assertThat(cache.get("k", k -> "recomputed")).isEqualTo("v2");
    assertThat(attempts).as("after the holder's announcement, a try at once").hasValue(4);
  }

  @Test
  void aValueAnotherInstanceLoaded_isReadFromRedis_notLoadedAgain() {
    RedisCache<String, String> a = instance(RedisCache.builder("race").ttl(Duration.ofMinutes(1)));
    RedisCache<String, String> b = instance(RedisCache.builder("race").ttl(Duration.ofMinutes(1)));
    AtomicInteger loaderCalls = new AtomicInteger();
    String fromA =
        a.get(
            "k",
            k -> {
              loaderCalls.incrementAndGet();
              return "v";
            });
    assertThat(fromA).isEqualTo("v");
    assertThat(b.get("k", k -> "not loaded: " + loaderCalls.incrementAndGet())).isEqualTo("v");
    assertThat(loaderCalls).hasValue(1);
    assertThat(b.stats().redisHits()).isEqualTo(1);
  }

  /** Each load seems to take a second, so XFetch's δ is large. */
  private static java.util.function.LongSupplier slowTicker() {
    AtomicInteger calls = new AtomicInteger();
    return () -> calls.getAndIncrement() * 1_000_000_000L;
  }

  private static Duration millis(long ms) {
    return Duration.ofMillis(ms);
  }

  private static io.lettuce.core.SetArgs pxMillis(long ms) {
    return io.lettuce.core.SetArgs.Builder.px(ms);
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
