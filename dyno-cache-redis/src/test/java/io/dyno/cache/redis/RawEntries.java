package io.dyno.cache.redis;

import io.dyno.cache.redis.internal.Envelope;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Writes entries into Redis as another instance would, but without announcing them: what a cache
 * finds there when it reads the key again.
 */
final class RawEntries implements AutoCloseable {

  private final RedisClient client;
  private final RedisCommands<byte[], byte[]> redis;

  RawEntries(String uri) {
    this.client = RedisClient.create(uri);
    this.redis = client.connect(ByteArrayCodec.INSTANCE).sync();
  }

  /** Writes {@code value} under the Redis key {@code key}, expiring at {@code expiresAt} (ms). */
  void write(String key, long expiresAt, String value) {
    redis.set(
        key.getBytes(StandardCharsets.UTF_8),
        Envelope.encode(expiresAt, 0, value.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
