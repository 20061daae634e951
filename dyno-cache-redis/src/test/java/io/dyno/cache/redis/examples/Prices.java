package io.dyno.cache.redis.examples;

import io.dyno.cache.redis.RedisCache;
import io.dyno.cache.redis.ValueCodec;
import java.time.Duration;

public class Prices implements AutoCloseable {
  private final RedisCache<String, String> cache =
      RedisCache.builder("prices")
          .redis(System.getProperty("redis.uri", "redis://localhost:6379"))
          .values(ValueCodec.string())
          .ttl(Duration.ofMinutes(5))
          .build();

  public String price(String sku) {
    return cache.get(sku, this::loadPrice); // computed once for the whole fleet
  }

  public void priceChanged(String sku, String price) {
    cache.put(sku, price); // every instance's memory tier drops its old copy
  }

  @Override
  public void close() {
    cache.close();
  }

  private String loadPrice(String sku) {
    return "19.99"; // from the database, in your code
  }
}
