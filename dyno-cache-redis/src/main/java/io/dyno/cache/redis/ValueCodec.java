package io.dyno.cache.redis;

import java.io.Serializable;
import java.util.Objects;

/**
 * How a {@link RedisCache} turns its values into bytes for Redis and back. There is no default for
 * types other than {@link String} and {@code byte[]}: a cache of any other type names its codec,
 * {@link #serializable(Class)} or one of its own (JSON, protobuf, ...).
 *
 * <p>An implementation must be thread-safe, and {@code decode(encode(v))} must equal {@code v}.
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

  /**
   * Returns the bytes of a value.
   *
   * @param value the value, not null
   * @return its bytes
   */
  byte[] encode(V value);

  /**
   * Returns the value of some bytes that {@link #encode} returned, here or on another instance.
   *
   * @param bytes the bytes
   * @return the value, not null
   * @throws RuntimeException if the bytes are not a value of this codec; the cache then counts a
   *     Redis error and reads the entry as absent
   */
  V decode(byte[] bytes);

  /**
   * Returns the codec of strings, as UTF-8.
   *
   * @return the codec
   */
  static ValueCodec<String> string() {
    return Codecs.STRING;
  }

  /**
   * Returns the codec of byte arrays, as they are; arrays are copied both ways.
   *
   * @return the codec
   */
  static ValueCodec<byte[]> bytes() {
    return Codecs.BYTES;
  }

  /**
   * Returns the codec of Java serialization, for values of {@code type}. Reading accepts only
   * {@code type} itself and the JDK's own {@code java.*} classes (and arrays of them): the bytes
   * come from Redis, which anyone who can reach it can write to, and deserializing an arbitrary
   * class is a well-known way to run code. A value whose fields hold other classes cannot be read
   * back; use a codec of your own for such values.
   *
   * @param type the class of the values
   * @param <V> the value type
   * @return the codec
   */
  static <V extends Serializable> ValueCodec<V> serializable(Class<V> type) {
    Objects.requireNonNull(type, "type must not be null");
    return new Codecs.Serialized<>(type);
  }
}
