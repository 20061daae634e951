package io.dyno.metrics.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's open Server-Sent Events response: at most one write at a time, and a close that
 * happens once.
 *
 * <p>Thread-safe. A writer claims the stream with {@link #tryClaim()}; a claim that fails means the
 * previous frame is still being written to a slow client, and the caller skips this one rather than
 * queue frames behind it.
 */
public final class EventStream {

  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

  private final LongSupplier ticker;

  private final HttpExchange exchange;
  private final OutputStream body;
  private final Runnable onClose;
  private final AtomicBoolean busy = new AtomicBoolean(true);
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Guards {@link #writer}, {@link #writeStart} and {@link #expired}. */
  private final ReentrantLock writeLock = new ReentrantLock();

  /** The thread writing now, or null between writes. */
  private @Nullable Thread writer;

  private long writeStart;

  /** Set when a write took too long and its thread was interrupted to end it. */
  private boolean expired;

  /**
   * Wraps an exchange whose response headers are sent. The stream starts claimed, so that its first
   * frame is written before any scheduled one.
   *
   * @param exchange the exchange
   * @param ticker the server's monotonic clock, which times a write
   * @param onClose runs once, when the stream closes
   */
  public EventStream(HttpExchange exchange, LongSupplier ticker, Runnable onClose) {
    this.exchange = exchange;
    this.ticker = ticker;
    this.body = exchange.getResponseBody();
    this.onClose = onClose;
  }

  /**
   * Claims the stream for one write.
   *
   * @return true if the caller now owns the stream until it calls {@link #write}
   */
  public boolean tryClaim() {
    return !closed.get() && busy.compareAndSet(false, true);
  }

  /**
   * Writes and flushes {@code frame}, then releases the claim; on an I/O failure (the client has
   * gone) closes the stream instead. Call only while holding the claim.
   *
   * @param frame the bytes of one or more whole frames
   * @return true if written, false if the stream is closed
   */
  public boolean write(byte[] frame) {
    writeLock.lock();
    try {
      writer = Thread.currentThread();
      writeStart = ticker.getAsLong();
    } finally {
      writeLock.unlock();
    }
    boolean written = false;
    try {
      body.write(frame);
      body.flush();
      written = true;
    } catch (IOException | RuntimeException gone) {
      // The JDK server reports a closed connection as IOException, and a stream closed under it
      // by close() as an IOException or IllegalStateException; either way this client is done.
    } finally {
      writeLock.lock();
      try {
        writer = null;
        if (expired) {
          // The interrupt was for this write only: the pool thread must not carry it on to the
          // next task. Cleared under the lock, so no interrupt can arrive after this.
          Thread.interrupted();
          written = false;
        }
      } finally {
        writeLock.unlock();
      }
    }
    if (!written) {
      close();
      return false;
    }
    busy.set(false);
    return !closed.get();
  }

  /**
   * Ends a write that has been blocked for {@code timeoutNanos} or more by a client that stopped
   * reading: the JDK server writes on a blocking channel, and interrupting the thread blocked in it
   * closes the channel, so the write fails and the stream closes, freeing its place.
   *
   * @param now a reading of the server's ticker
   * @param timeoutNanos how long a write may block
   * @return true if a stuck write was ended
   */
  public boolean expireStuckWrite(long now, long timeoutNanos) {
    boolean expire = false;
    writeLock.lock();
    try {
      Thread w = writer;
      if (w != null && !expired && now - writeStart >= timeoutNanos) {
        expired = true;
        w.interrupt();
        expire = true;
        LOG.debug(
            "MetricsServer: a stream client stopped reading for {}; dropped",
            Duration.ofNanos(timeoutNanos));
      }
    } finally {
      writeLock.unlock();
    }
    return expire;
  }

  /** Closes the response and the connection, once; later calls do nothing. */
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      // Closing the exchange, not only the body, releases the connection on every path.
      exchange.close();
    } catch (RuntimeException alreadyGone) {
      // The server stopped first and closed the connection; nothing is left to release.
    } finally {
      onClose.run();
    }
  }

  /**
   * Returns whether the stream is closed.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return closed.get();
  }
}
