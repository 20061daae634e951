package io.dyno.metrics.internal;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The latest stream frames, computed at most once per interval however many clients ask: a client
 * that connects gets the frames the last tick computed, if they are younger than the interval, and
 * otherwise waits for one computation that every client arriving meanwhile shares.
 *
 * <p>Thread-safe. The lock is held while the frames are computed, so that a burst of new clients
 * costs one reading of the registry, not one each.
 */
public final class FrameCache {

  private final Supplier<byte[]> compute;
  private final long maxAgeNanos;
  private final LongSupplier ticker;
  private final ReentrantLock lock = new ReentrantLock();

  /** Guarded by {@link #lock}. */
  private byte @Nullable [] frames;

  /** Guarded by {@link #lock}: when {@link #frames} were computed. */
  private long computedAt;

  /**
   * Creates an empty cache.
   *
   * @param compute reads the registry into frames
   * @param maxAgeNanos how old frames may be and still be handed to a new client
   * @param ticker monotonic nanoseconds
   */
  public FrameCache(Supplier<byte[]> compute, long maxAgeNanos, LongSupplier ticker) {
    this.compute = compute;
    this.maxAgeNanos = maxAgeNanos;
    this.ticker = ticker;
  }

  /** Returns frames no older than the interval, computing them only when the last are older. */
  public byte[] current() {
    lock.lock();
    try {
      byte[] f = frames;
      if (f != null && ticker.getAsLong() - computedAt < maxAgeNanos) {
        return f;
      }
      return refreshLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Computes fresh frames, for a tick, and keeps them for the clients that connect next. */
  public byte[] refresh() {
    lock.lock();
    try {
      return refreshLocked();
    } finally {
      lock.unlock();
    }
  }

  private byte[] refreshLocked() {
    byte[] f = compute.get();
    frames = f;
    computedAt = ticker.getAsLong();
    return f;
  }
}
