package io.dyno.cache.redis.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One entry as Redis holds it, in one key: a small versioned header, then the value's bytes.
 *
 * <pre>
 * byte    version (1)
 * long    expiry, epoch milliseconds, big-endian
 * long    how long the value took to compute, nanoseconds, big-endian
 * byte[]  the value, encoded by the cache's ValueCodec
 * </pre>
 *
 * <p>Immutable; the value array is never handed out.
 */
public final class Envelope {

  /** The header's version; an entry with another version is read as absent. */
  public static final byte VERSION = 1;

  /** The header's length in bytes. */
  public static final int HEADER_BYTES = 1 + Long.BYTES + Long.BYTES;

  private final long expiresAt;
  private final long deltaNanos;
  private final byte[] value;

  private Envelope(long expiresAt, long deltaNanos, byte[] value) {
    this.expiresAt = expiresAt;
    this.deltaNanos = deltaNanos;
    this.value = value;
  }

  /**
   * Returns the bytes of an entry.
   *
   * @param expiresAt the expiry, epoch milliseconds
   * @param deltaNanos how long the value took to compute, not negative
   * @param value the encoded value
   * @return the header followed by the value
   */
  public static byte[] encode(long expiresAt, long deltaNanos, byte[] value) {
    return ByteBuffer.allocate(HEADER_BYTES + value.length)
        .put(VERSION)
        .putLong(expiresAt)
        .putLong(Math.max(0, deltaNanos))
        .put(value)
        .array();
  }

  /**
   * Reads the bytes of an entry.
   *
   * @param bytes what Redis returned
   * @return the entry, or null if the bytes are too short or of another version
   */
  public static @Nullable Envelope decode(byte[] bytes) {
    if (bytes.length < HEADER_BYTES || bytes[0] != VERSION) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    b.get();
    long expiresAt = b.getLong();
    long delta = b.getLong();
    if (delta < 0) {
      return null;
    }
    return new Envelope(expiresAt, delta, Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length));
  }

  /**
   * Returns the expiry.
   *
   * @return epoch milliseconds
   */
  public long expiresAt() {
    return expiresAt;
  }

  /**
   * Returns how long the value took to compute.
   *
   * @return nanoseconds, not negative
   */
  public long deltaNanos() {
    return deltaNanos;
  }

  /**
   * Returns a copy of the value's bytes.
   *
   * @return the encoded value
   */
  public byte[] value() {
    return value.clone();
  }
}
