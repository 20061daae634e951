package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeClock;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Misses that race other instances, made deterministic: the test's code runs between a cache's
 * reads of Redis (in its codec), holds leases as another instance would, and writes entries.
 */
class RedisCacheRaceTest {

  @RegisterExtension static final RedisServer REDIS = RedisServer.perClass();

  /** Longer than any test may take: a miss that waited it out would fail its read's timeout. */
  private static final Duration LONG_LEASE = Duration.ofSeconds(60);

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<RedisCache<String, String>> caches = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final HookedCodec codec = new HookedCodec();
  private final AtomicInteger loads = new AtomicInteger();

  @AfterEach
  void closeAll() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    caches.forEach(RedisCache::close);
  }

  /** An instance whose codec runs the test's hooks. */
  private RedisCache<String, String> hooked(String name, Duration lease) {
    return add(
        RedisCache.builder(name)
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .values(codec)
            .ttl(Duration.ofMinutes(1))
            .lease(lease)
            .clock(clock)
            .random(FixedRandom.neverEarly())
            .build());
  }

  /** Another instance of the same cache. */
  private RedisCache<String, String> other(String name, Executor executor) {
    return add(
        RedisCache.builder(name)
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .values(ValueCodec.string())
            .ttl(Duration.ofMinutes(1))
            .clock(clock)
            .random(FixedRandom.neverEarly())
            .executor(executor)
            .build());
  }

  private RedisCache<String, String> add(RedisCache<String, String> cache) {
    caches.add(cache);
    return cache;
  }

  private String load(String key) {
    loads.incrementAndGet();
    return "loaded " + key;
  }

  /** An entry that expired a second ago, as another instance left it. */
  private void expiredEntry(String redisKey) {
    try (RawEntries raw = new RawEntries(REDIS.uri())) {
      raw.write(redisKey, clock.millis() - 1_000, "expired");
    }
  }

  private void freshEntry(String redisKey, String value) {
    try (RawEntries raw = new RawEntries(REDIS.uri())) {
      raw.write(redisKey, clock.millis() + 60_000, value);
    }
  }

  /** Takes the lease of {@code redisKey} as another instance would, for a minute. */
  private static void leaseHeldElsewhere(String redisKey) {
    REDIS
        .commands()
        .set(redisKey + ":lease", "another instance's token", SetArgs.Builder.px(60_000));
  }

  @Test
  void aMissThatFindsAnotherInstancesEntry_onceItHoldsTheLease_takesIt_withoutLoading() {
    RedisCache<String, String> cache = hooked("won", LONG_LEASE);
    expiredEntry("dyno:won:k");
    codec.atDecode(1, () -> freshEntry("dyno:won:k", "written elsewhere"));

    assertThat(cache.get("k", this::load)).isEqualTo("written elsewhere");

    assertThat(loads).hasValue(0);
    assertThat(cache.stats().redisHits()).isEqualTo(1);
    assertThat(REDIS.commands().exists("dyno:won:k:lease")).as("released").isZero();
    assertThat(cache.get("k", this::load)).isEqualTo("written elsewhere");
    assertThat(cache.stats().memoryHits()).as("kept in memory").isEqualTo(1);
    assertThat(cache.stats().redisHits()).isEqualTo(1);
  }

  @Test
  void aMissWhoseLeaseholderHasWrittenAlready_takesTheValueWithoutWaiting() throws Exception {
    RedisCache<String, String> cache = hooked("written", LONG_LEASE);
    expiredEntry("dyno:written:k");
    leaseHeldElsewhere("dyno:written:k");
    codec.atDecode(1, () -> freshEntry("dyno:written:k", "the holder's value"));

    Future<String> read = threads.submit(() -> cache.get("k", this::load));

    assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("the holder's value");
    assertThat(loads).hasValue(0);
    RedisCacheStats stats = cache.stats();
    assertThat(stats.leaseWaits()).isEqualTo(1);
    assertThat(stats.redisHits()).isEqualTo(1);
    assertThat(cache.get("k", this::load)).isEqualTo("the holder's value");
    assertThat(cache.stats().memoryHits()).as("kept in memory").isEqualTo(1);
  }

  @Test
  void aMissWaitingForALeaseholder_isWokenByItsWrite_andTakesItInOneWait() throws Exception {
    RedisCache<String, String> cache = hooked("woken", LONG_LEASE);
    RedisCache<String, String> holder = other("woken", Runnable::run);
    expiredEntry("dyno:woken:k");
    leaseHeldElsewhere("dyno:woken:k");
    CountDownLatch waiting = new CountDownLatch(1);
    codec.atDecode(2, waiting::countDown); // the read of Redis once it waits for the holder

    Future<String> read = threads.submit(() -> cache.get("k", this::load));
    assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
    holder.put("k", "the holder's value");

    assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("the holder's value");
    assertThat(loads).hasValue(0);
    assertThat(cache.stats().leaseWaits()).isEqualTo(1);
  }

  @Test
  void anEntryExpiringAtTheInstantOfTheRead_isNoValue_soAMissWaitsForTheLeaseholder()
      throws Exception {
    RedisCache<String, String> cache = hooked("instant", LONG_LEASE);
    RedisCache<String, String> holder = other("instant", Runnable::run);
    try (RawEntries raw = new RawEntries(REDIS.uri())) {
      raw.write("dyno:instant:k", clock.millis(), "expiring now");
    }
    leaseHeldElsewhere("dyno:instant:k");
    CountDownLatch waiting = new CountDownLatch(1);
    codec.atDecode(2, waiting::countDown);

    Future<String> read = threads.submit(() -> cache.get("k", this::load));
    assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
    holder.put("k", "the holder's value");

    assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("the holder's value");
    assertThat(loads).hasValue(0);
    assertThat(cache.stats().leaseWaits()).isEqualTo(1);
  }

  @Test
  void aLeaseThatStaysHeldForThreeLeases_isLoadedHere_andAnnounced() throws Exception {
    RedisCache<String, String> cache = hooked("stuck", Duration.ofMillis(300));
    RedisCache<String, String> watcher = other("stuck", Runnable::run);
    CountDownLatch told = new CountDownLatch(1);
    watcher.onChange(told::countDown);
    leaseHeldElsewhere("dyno:stuck:k");

    assertThat(cache.get("k", this::load)).isEqualTo("loaded k");

    assertThat(loads).hasValue(1);
    assertThat(cache.stats().leaseWaits()).isEqualTo(3);
    assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(watcher.getIfPresent("k")).isEqualTo("loaded k");
  }

  @Test
  void anotherInstancesInvalidateAll_wakesAMissWaitingForALease_whichThenLoads() throws Exception {
    RedisCache<String, String> cache = hooked("cleared", LONG_LEASE);
    RedisCache<String, String> clearer = other("cleared", Runnable::run);
    expiredEntry("dyno:cleared:k");
    leaseHeldElsewhere("dyno:cleared:k");
    CountDownLatch waiting = new CountDownLatch(1);
    codec.atDecode(2, waiting::countDown);

    Future<String> read = threads.submit(() -> cache.get("k", this::load));
    assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
    clearer.invalidateAll(); // removes the lease too: every key of the cache

    assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("loaded k");
    assertThat(loads).hasValue(1);
    assertThat(cache.stats().leaseWaits()).isEqualTo(1);
  }

  @Test
  void aMissInterruptedWhileWaitingForALeaseholder_getsAValue_andKeepsItsInterrupt()
      throws Exception {
    RedisCache<String, String> cache = hooked("interrupted", LONG_LEASE);
    expiredEntry("dyno:interrupted:k");
    leaseHeldElsewhere("dyno:interrupted:k");
    codec.atDecode(2, () -> Thread.currentThread().interrupt());

    Future<String> read =
        threads.submit(
            () -> {
              String v = cache.get("k", this::load);
              return v + (Thread.currentThread().isInterrupted() ? ", interrupted" : "");
            });

    assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("loaded k, interrupted");
  }

  @Test
  void aLoadHere_replacesTheCopyAnotherInstanceHolds() throws InterruptedException {
    RedisCache<String, String> cache = hooked("replaced", LONG_LEASE);
    RedisCache<String, String> holder = other("replaced", Runnable::run);
    holder.put("k", "old");
    REDIS.commands().del("dyno:replaced:k"); // evicted from Redis; the holder keeps its copy
    CountDownLatch told = new CountDownLatch(1);
    holder.onChange(told::countDown);

    assertThat(cache.get("k", this::load)).isEqualTo("loaded k");

    assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(holder.getIfPresent("k")).isEqualTo("loaded k");
  }

  @Test
  void aFailedLoadHere_leavesTheCopyAnotherInstanceHolds_andCostsItNoRead()
      throws InterruptedException {
    RedisCache<String, String> cache = hooked("failed", LONG_LEASE);
    AtomicInteger tasks = new AtomicInteger();
    RedisCache<String, String> holder =
        other(
            "failed",
            task -> {
              tasks.incrementAndGet();
              task.run();
            });
    holder.put("k", "old");
    REDIS.commands().del("dyno:failed:k");
    CountDownLatch told = new CountDownLatch(1);
    holder.onChange(told::countDown);

    assertThatThrownBy(
            () ->
                cache.get(
                    "k",
                    k -> {
                      throw new IllegalStateException("source down");
                    }))
        .hasMessage("source down");

    assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(tasks).as("no read of Redis again").hasValue(0);
    assertThat(holder.getIfPresent("k")).isEqualTo("old");
    assertThat(REDIS.commands().exists("dyno:failed:k:lease")).as("released").isZero();
  }

  @Test
  void anotherInstancesWriteOfOneKey_leavesTheOtherKeysInMemory() throws InterruptedException {
    RedisCache<String, String> writer = other("one-key", Runnable::run);
    RedisCache<String, String> reader = other("one-key", Runnable::run);
    reader.put("k1", "v1");
    reader.put("k2", "v2");
    CountDownLatch told = new CountDownLatch(1);
    reader.onChange(told::countDown);

    writer.put("k1", "new");

    assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(reader.get("k2", this::load)).isEqualTo("v2");
    assertThat(reader.get("k1", this::load)).isEqualTo("new");
    assertThat(reader.stats().memoryHits()).isEqualTo(2);
    assertThat(reader.stats().redisHits()).isZero();
  }

  @Test
  void anInstancesOwnInvalidateAll_doesNotEmptyWhatItWritesAfterIt() throws InterruptedException {
    RedisCache<String, String> cache = other("own-all", Runnable::run);
    RedisCache<String, String> another = other("own-all", Runnable::run);
    CountDownLatch told = new CountDownLatch(1);
    cache.onChange(told::countDown);

    cache.invalidateAll();
    cache.put("k", "written after");
    another.put("x", "y"); // announced after the invalidation: once it is seen, so is that

    assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cache.get("k", this::load)).isEqualTo("written after");
    assertThat(cache.stats().memoryHits()).isEqualTo(1);
    assertThat(cache.stats().redisHits()).isZero();
  }
}
