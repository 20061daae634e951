package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a miss waits for: another instance's lease, woken by its announcement rather than the end of
 * the lease, and another thread's load on the same instance.
 */
class RedisCacheWaitTest {

  @RegisterExtension static final RedisServer REDIS = RedisServer.perClass();

  /** Longer than any test may take: a miss that waited it out would fail its read's timeout. */
  private static final Duration LONG_LEASE = Duration.ofSeconds(60);

  private final List<RedisCache<String, String>> caches = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void closeAll() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    caches.forEach(RedisCache::close);
  }

  private RedisCache<String, String> instance(String name) {
    RedisCache<String, String> cache =
        RedisCache.builder(name)
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .values(ValueCodec.string())
            .ttl(Duration.ofMinutes(5))
            .lease(LONG_LEASE)
            .random(FixedRandom.neverEarly())
            .build();
    caches.add(cache);
    return cache;
  }

  @Test
  void aMissWaitingForAnotherInstance_isWokenByItsAnnouncement_andGetsItsValue() throws Exception {
    RedisCache<String, String> a = instance("wake");
    RedisCache<String, String> b = instance("wake");
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger loads = new AtomicInteger();
    Future<String> fromA =
        threads.submit(
            () ->
                a.get(
                    "k",
                    k -> {
                      loads.incrementAndGet();
                      loading.countDown();
                      await(release);
                      return "from a";
                    }));
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    Future<String> fromB =
        threads.submit(() -> b.get("k", k -> "from b " + loads.incrementAndGet()));
    awaitTrue(() -> b.stats().leaseWaits() == 1);

    release.countDown();

    assertThat(fromA.get(10, TimeUnit.SECONDS)).isEqualTo("from a");
    assertThat(fromB.get(10, TimeUnit.SECONDS)).isEqualTo("from a");
    assertThat(loads).hasValue(1);
    assertThat(b.stats().redisHits()).isEqualTo(1);
  }

  @Test
  void aMissWaitingForAnotherInstance_whoseLoadFails_isWokenAndLoadsItself() throws Exception {
    RedisCache<String, String> a = instance("wake-fail");
    RedisCache<String, String> b = instance("wake-fail");
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<String> fromA =
        threads.submit(
            () ->
                a.get(
                    "k",
                    k -> {
                      loading.countDown();
                      await(release);
                      throw new IllegalStateException("a's source is down");
                    }));
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    Future<String> fromB = threads.submit(() -> b.get("k", k -> "from b"));
    awaitTrue(() -> b.stats().leaseWaits() == 1);

    release.countDown();

    assertThatThrownBy(() -> fromA.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("a's source is down");
    assertThat(fromB.get(10, TimeUnit.SECONDS)).isEqualTo("from b");
    assertThat(b.stats().loads()).isEqualTo(1);
  }

  @Test
  void threadsOfOneInstance_shareOneLoad_andItsFailure() throws Exception {
    RedisCache<String, String> cache = instance("local");
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    IllegalStateException failure = new IllegalStateException("source down");
    AtomicInteger loads = new AtomicInteger();
    Future<String> first =
        threads.submit(
            () ->
                cache.get(
                    "k",
                    k -> {
                      loads.incrementAndGet();
                      loading.countDown();
                      await(release);
                      throw failure;
                    }));
    assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
    List<Thread> joined = new ArrayList<>();
    Future<String> second =
        threads.submit(
            () -> {
              synchronized (joined) {
                joined.add(Thread.currentThread());
              }
              return cache.get("k", k -> "second " + loads.incrementAndGet());
            });
    awaitTrue(
        () -> {
          synchronized (joined) {
            return !joined.isEmpty() && joined.get(0).getState() == Thread.State.WAITING;
          }
        });

    release.countDown();

    assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCause(failure);
    assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).hasCause(failure);
    assertThat(loads).hasValue(1);
  }

  @Test
  void anInterruptedWaiter_keepsWaitingForTheLoad_andKeepsItsInterrupt() throws Exception {
    RedisCache<String, String> cache = instance("interrupt");
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
    List<Thread> joined = new ArrayList<>();
    Future<Boolean> second =
        threads.submit(
            () -> {
              synchronized (joined) {
                joined.add(Thread.currentThread());
              }
              String v = cache.get("k", k -> "not loaded");
              return v.equals("v") && Thread.currentThread().isInterrupted();
            });
    awaitTrue(
        () -> {
          synchronized (joined) {
            return !joined.isEmpty() && joined.get(0).getState() == Thread.State.WAITING;
          }
        });
    joined.get(0).interrupt();
    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("v");
    assertThat(second.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void entriesThatCannotBeRead_areIgnored_counted_andReplaced() {
    RedisCache<String, String> cache = instance("corrupt");
    REDIS.commands().set("dyno:corrupt:short", "no header");
    assertThat(cache.get("short", k -> "reloaded")).isEqualTo("reloaded");
    // Read twice: before the lease, and again once holding it.
    assertThat(cache.stats().redisErrors()).isEqualTo(2);

    try (RedisCache<String, SerializableValue> typed =
        RedisCache.builder("corrupt-typed")
            .redis(REDIS.uri())
            .commandTimeout(RedisServer.PATIENT)
            .values(ValueCodec.serializable(SerializableValue.class))
            .ttl(Duration.ofMinutes(5))
            .build()) {
      byte[] header =
          io.dyno.cache.redis.internal.Envelope.encode(
              Long.MAX_VALUE / 2, 0, "not serialized".getBytes(StandardCharsets.UTF_8));
      RedisClient raw = RedisClient.create(REDIS.uri());
      try {
        raw.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)
            .sync()
            .set("dyno:corrupt-typed:k".getBytes(StandardCharsets.UTF_8), header);
      } finally {
        raw.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
      assertThat(typed.getIfPresent("k")).isNull();
      assertThat(typed.get("k", k -> new SerializableValue("reloaded")).text())
          .isEqualTo("reloaded");
      assertThat(typed.stats().redisErrors()).isEqualTo(3);
    }
  }

  @Test
  void aDatabaseNumber_selectsThatDatabase() {
    try (RedisCache<String, String> one =
            RedisCache.builder("db")
                .redis(REDIS.uri() + "/1")
                .commandTimeout(RedisServer.PATIENT)
                .values(ValueCodec.string())
                .ttl(Duration.ofMinutes(5))
                .build();
        RedisCache<String, String> zero = instance("db")) {
      one.put("k", "in db 1");
      assertThat(zero.getIfPresent("k")).isNull();
      assertThat(REDIS.commands().exists("dyno:db:k")).isZero();
    }
  }

  @Test
  void aCallersClientThatCannotConnect_givesADegradedCache_andStaysTheCallersAfterClose()
      throws Exception {
    RedisClient client = RedisClient.create("redis://127.0.0.1:" + RedisServer.freePort());
    try {
      RedisCache<String, String> cache =
          RedisCache.builder("nowhere")
              .client(client)
              .values(ValueCodec.string())
              .ttl(Duration.ofMinutes(1))
              .build();
      assertThat(cache.get("k", k -> "loaded")).isEqualTo("loaded");
      assertThat(cache.stats().degradedLoads()).isEqualTo(1);
      cache.close();
      try (StatefulRedisConnection<String, String> c =
          client.connect(RedisURI.create(REDIS.uri()))) {
        assertThat(c.sync().ping()).as("the client still works").isEqualTo("PONG");
      }
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** A value that Java serialization writes. */
  record SerializableValue(String text) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
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
