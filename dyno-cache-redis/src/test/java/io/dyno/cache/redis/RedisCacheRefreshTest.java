package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Another instance's write, read again from Redis by an instance that holds a live copy: what that
 * read finds, and what it must not undo.
 */
class RedisCacheRefreshTest {

  @RegisterExtension static final RedisServer REDIS = RedisServer.perClass();

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<RedisCache<String, String>> caches = new ArrayList<>();
  private final Queue<Runnable> background = new ConcurrentLinkedQueue<>();

  @AfterEach
  void closeAll() {
    caches.forEach(RedisCache::close);
  }

  private RedisCache<String, String> instance(
      String name, ValueCodec<String> codec, Executor executor) {
    RedisCache<String, String> cache =
        RedisCache.builder(name)
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .values(codec)
            .ttl(Duration.ofMinutes(1))
            .clock(clock)
            .random(FixedRandom.neverEarly())
            .executor(executor)
            .build();
    caches.add(cache);
    return cache;
  }

  /** Waits for the read again that {@code background} received, and returns it. */
  private Runnable readAgain() {
    awaitTrue(() -> !background.isEmpty());
    Runnable task = background.remove();
    assertThat(background).isEmpty();
    return task;
  }

  @Test
  void aReadAgainTheExecutorRefuses_dropsTheCopy_andTheNextReadGoesToRedis()
      throws InterruptedException {
    RedisCache<String, String> writer = instance("refused", ValueCodec.string(), Runnable::run);
    RedisCache<String, String> reader =
        instance(
            "refused",
            ValueCodec.string(),
            task -> {
              throw new RejectedExecutionException("no thread for it");
            });
    reader.put("k", "old");
    CountDownLatch told = new CountDownLatch(1);
    reader.onChange(told::countDown);

    writer.put("k", "new");

    assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(reader.get("k", k -> "loaded")).isEqualTo("new");
    assertThat(reader.stats().redisHits()).isEqualTo(1);
  }

  @Test
  void aReadAgainThatFindsNoEntry_dropsTheCopy() {
    RedisCache<String, String> writer = instance("vanished", ValueCodec.string(), Runnable::run);
    RedisCache<String, String> reader = instance("vanished", ValueCodec.string(), background::add);
    reader.put("k", "old");
    writer.put("k", "new");
    Runnable task = readAgain();
    REDIS.commands().del("dyno:vanished:k"); // evicted by Redis meanwhile

    task.run();

    assertThat(reader.getIfPresent("k")).isNull();
  }

  @Test
  void aReadAgainThatFindsAnOlderEntry_keepsTheNewerCopy() {
    RedisCache<String, String> writer = instance("older", ValueCodec.string(), Runnable::run);
    RedisCache<String, String> reader = instance("older", ValueCodec.string(), background::add);
    reader.put("k", "first");
    writer.put("k", "from the writer");
    Runnable task = readAgain();
    clock.advance(Duration.ofSeconds(1));
    reader.put("k", "newer, from the reader");
    try (RawEntries raw = new RawEntries(REDIS.uri())) {
      // the writer's SET, slower, lands after the reader's
      raw.write("dyno:older:k", clock.millis() - 1_000 + 60_000, "from the writer");
    }

    task.run();

    assertThat(reader.getIfPresent("k")).isEqualTo("newer, from the reader");
  }

  @Test
  void anInvalidationThatArrivesWhileAWriteIsReadAgain_isNotUndoneByThatRead()
      throws InterruptedException {
    HookedCodec codec = new HookedCodec();
    RedisCache<String, String> writer = instance("undone", ValueCodec.string(), Runnable::run);
    RedisCache<String, String> reader = instance("undone", codec, background::add);
    reader.put("k", "old");
    writer.put("k", "written");
    Runnable task = readAgain();
    CountDownLatch invalidated = new CountDownLatch(1);
    reader.onChange(invalidated::countDown);
    codec.atDecode(
        1,
        () -> {
          // between the read of "written" and its use: the writer invalidates the key, and a
          // reader here loads it again
          writer.invalidate("k");
          try {
            assertThat(invalidated.await(10, TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          assertThat(reader.get("k", k -> "reloaded")).isEqualTo("reloaded");
        });

    task.run();

    assertThat(reader.get("k", k -> "loaded again")).isEqualTo("reloaded");
  }

  @Test
  void anInstancesOwnInvalidations_arrivingAfterItsNextWrites_doNotRemoveThem()
      throws InterruptedException {
    HookedCodec codec = new HookedCodec();
    RedisCache<String, String> cache = instance("own", codec, Runnable::run);
    RedisCache<String, String> another = instance("own", ValueCodec.string(), Runnable::run);
    cache.put("x", "x1");
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch told = new CountDownLatch(2);
    cache.onChange(told::countDown);
    // The cache reads another's write of x again on its change channel's thread: holding that
    // read holds back the announcements that follow it.
    codec.atDecode(
        1,
        () -> {
          blocked.countDown();
          try {
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
    another.put("x", "x2");
    assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();

    cache.invalidateAll();
    cache.invalidate("j");
    cache.put("k", "written after the invalidations");
    cache.put("j", "written after the invalidations");
    release.countDown();
    another.put("y", "y1"); // announced after the cache's own: once it is seen, so are they

    assertThat(told.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(cache.get("k", k -> "loaded")).isEqualTo("written after the invalidations");
    assertThat(cache.get("j", k -> "loaded")).isEqualTo("written after the invalidations");
    assertThat(cache.stats().memoryHits()).isEqualTo(2);
    assertThat(cache.stats().redisHits()).isZero();
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
