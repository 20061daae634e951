package io.dyno.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.RedisProcess;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a cache holds open and lets go: its two connections, the client it made, and connection
 * attempts that start, or end, around a close.
 */
class RedisCacheLifecycleTest {

  @RegisterExtension final RedisServer redis = RedisServer.perTest();

  private static RedisCache.Builder<Object, String> builder(String name) {
    return RedisCache.builder(name)
        .commandTimeout(RedisServer.PATIENT)
        .values(ValueCodec.string())
        .ttl(Duration.ofMinutes(1));
  }

  @Test
  void close_closesBothConnectionsOfTheCallersClient_andLeavesTheClientUsable() {
    RedisCommands<String, String> own = redis.commands();
    RedisClient client = RedisClient.create(redis.uri());
    try {
      RedisCache<String, String> cache = builder("closing").client(client).build();
      assertThat(cache.connected()).isTrue();
      assertThat(otherClients(own)).as("commands and the change channel").isEqualTo(2);
      assertThat(own.pubsubNumsub("dyno:closing:changes"))
          .containsEntry("dyno:closing:changes", 1L);

      cache.close();

      assertThat(cache.connected()).isFalse();
      awaitTrue(() -> otherClients(own) == 0);
      assertThat(own.pubsubNumsub("dyno:closing:changes"))
          .containsEntry("dyno:closing:changes", 0L);
      try (StatefulRedisConnection<String, String> c = client.connect()) {
        assertThat(c.sync().ping()).as("the client still works").isEqualTo("PONG");
      }
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void close_ofACacheThatMadeItsClient_shutsTheClientDown_andTwiceIsHarmless()
      throws InterruptedException {
    RedisCommands<String, String> own = redis.commands();
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    RedisCache<String, String> cache = builder("owned").redis(redis.uri()).build();
    cache.put("k", "v");
    List<Thread> clientThreads =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> !before.contains(t) && t.getName().startsWith("lettuce-"))
            .toList();
    assertThat(clientThreads).as("the threads of the cache's client").isNotEmpty();

    cache.close();
    cache.close();

    for (Thread t : clientThreads) {
      t.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(t.isAlive()).as("%s ended", t.getName()).isFalse();
    }
    awaitTrue(() -> otherClients(own) == 0);
    assertThat(cache.connected()).isFalse();
  }

  @Test
  void aConnectionAttemptThatEndsAfterClose_leavesNoConnectionOpen() throws Exception {
    int port = RedisServer.freePort();
    RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
    Queue<Runnable> tasks = new ArrayDeque<>();
    FakeTicker ticker = FakeTicker.create();
    try {
      RedisCache<String, String> cache =
          builder("late-close").client(client).ticker(ticker).executor(tasks::add).build();
      assertThat(cache.connected()).isFalse();
      try (RedisProcess late = RedisProcess.startOn(port)) {
        ticker.advance(Duration.ofSeconds(1));
        assertThat(cache.getIfPresent("k")).isNull();
        assertThat(cache.getIfPresent("k")).isNull();
        assertThat(tasks).as("one connection attempt at a time").hasSize(1);

        cache.close();
        tasks.remove().run();

        assertThat(cache.connected()).isFalse();
        RedisClient probe = RedisClient.create(late.uri());
        try (StatefulRedisConnection<String, String> c = probe.connect()) {
          awaitTrue(() -> otherClients(c.sync()) == 0);
        } finally {
          probe.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
      }
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void aSubscriptionRedisRefuses_leavesNoConnectionOpen_andTheCacheRunsDegraded() {
    RedisCommands<String, String> own = redis.commands();
    own.aclSetuser("default", AclSetuserArgs.Builder.resetChannels());
    RedisClient client = RedisClient.create(redis.uri());
    try (RedisCache<String, String> cache = builder("refused").client(client).build()) {
      assertThat(cache.connected()).isFalse();
      assertThat(cache.stats().redisErrors()).isEqualTo(1);
      awaitTrue(() -> otherClients(own) == 0);
      assertThat(cache.get("k", k -> "loaded here")).isEqualTo("loaded here");
      assertThat(cache.stats().degradedLoads()).isEqualTo(1);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void anExecutorThatRefusesAConnectionAttempt_isAskedAgainASecondLater() throws Exception {
    int port = RedisServer.freePort();
    FakeTicker ticker = FakeTicker.create();
    AtomicBoolean refuse = new AtomicBoolean(true);
    AtomicInteger offered = new AtomicInteger();
    Queue<Runnable> tasks = new ArrayDeque<>();
    try (RedisCache<String, String> cache =
        builder("refusing")
            .redis("redis://127.0.0.1:" + port)
            .ticker(ticker)
            .executor(
                task -> {
                  offered.incrementAndGet();
                  if (refuse.get()) {
                    throw new RejectedExecutionException("no thread for it");
                  }
                  tasks.add(task);
                })
            .build()) {
      ticker.advance(Duration.ofSeconds(1));
      assertThat(cache.getIfPresent("k")).isNull();
      assertThat(offered).hasValue(1);
      refuse.set(false);

      ticker.advance(Duration.ofMillis(999));
      assertThat(cache.getIfPresent("k")).isNull();
      assertThat(offered).as("not within a second of the refusal").hasValue(1);

      ticker.advance(Duration.ofMillis(1));
      assertThat(cache.getIfPresent("k")).isNull();
      assertThat(offered).hasValue(2);
      assertThat(tasks).hasSize(1);
    }
  }

  @Test
  void connected_isTrueWhileRedisAnswers() throws Exception {
    try (RedisCache<String, String> cache = builder("health").redis(redis.uri()).build()) {
      assertThat(cache.connected()).isTrue();
      redis.stop();
      awaitTrue(() -> !cache.connected());
      redis.restart();
      awaitTrue(cache::connected);
    }
  }

  /** The clients connected to Redis other than the one asking. */
  private static long otherClients(RedisCommands<String, String> own) {
    return own.clientList().lines().filter(l -> !l.isBlank()).count() - 1;
  }

  /** Polls a condition that Redis or a client's threads make true, for at most 10 seconds. */
  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}
