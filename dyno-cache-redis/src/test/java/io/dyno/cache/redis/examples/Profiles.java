package io.dyno.cache.redis.examples;

import io.dyno.cache.EarlyRecompute;
import io.dyno.cache.redis.RedisCache;
import io.dyno.cache.redis.RedisCacheStats;
import io.dyno.cache.redis.ValueCodec;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

public class Profiles implements AutoCloseable {
  public record Profile(long id, String name) implements Serializable {}

  private final Executor background = ForkJoinPool.commonPool();

  private final RedisCache<Long, Profile> cache =
      RedisCache.builder("profiles")
          .redis(System.getProperty("redis.uri", "redis://localhost:6379/0"))
          .keys((Long id) -> Long.toString(id)) // Redis key "dyno:profiles:<id>"
          .values(ValueCodec.serializable(Profile.class)) // reads Profile and java.* only
          .maxValueBytes(64 * 1024) // larger values are refused, never written
          .ttl(Duration.ofMinutes(5))
          .earlyRecompute(EarlyRecompute.xfetch(1.0)) // the default
          .lease(Duration.ofSeconds(5)) // the default; longer than the slowest load
          .staleWhileRevalidate(Duration.ofSeconds(30)) // expired: serve, recompute behind
          .staleIfError(Duration.ofMinutes(10)) // loader or Redis failing: serve
          .maximumSize(10_000) // the memory tier
          .commandTimeout(Duration.ofMillis(500)) // the default is 100 ms
          .clock(Clock.systemUTC()) // expiries are epoch times, shared by the fleet
          .executor(background) // background recomputes
          .build();

  public Profile profile(long id) {
    return cache.get(id, this::loadProfile);
  }

  public RedisCacheStats stats() {
    return cache.stats(); // memoryHits, redisHits, loads, recomputes, leaseWaits, ...
  }

  @Override
  public void close() {
    cache.close();
  }

  private Profile loadProfile(long id) {
    return new Profile(id, "user" + id); // from the database, in your code
  }
}
