package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** {@link EventStream}: one write at a time, a close that happens once, and stuck writes ended. */
class EventStreamTest {

  private static final byte[] FRAME = ": ping\n\n".getBytes(StandardCharsets.UTF_8);

  private final FakeTicker now = FakeTicker.startingAt(100);
  private final AtomicInteger onClose = new AtomicInteger();

  private EventStream stream(FakeExchange exchange) {
    return new EventStream(exchange, now, onClose::incrementAndGet);
  }

  @Test
  void aNewStream_isClaimedForItsFirstFrame_andEachWriteReleasesTheClaim() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EventStream stream = stream(new FakeExchange(out));

    assertThat(stream.tryClaim()).as("claimed from the start").isFalse();
    assertThat(stream.write(FRAME)).isTrue();
    assertThat(stream.tryClaim()).isTrue();
    assertThat(stream.tryClaim()).as("one writer at a time").isFalse();
    assertThat(stream.write(FRAME)).isTrue();
    assertThat(out.toByteArray()).hasSize(2 * FRAME.length);
    assertThat(stream.isClosed()).isFalse();
  }

  @Test
  void close_happensOnce_andAClosedStreamCannotBeClaimed() {
    FakeExchange exchange = new FakeExchange(new ByteArrayOutputStream());
    EventStream stream = stream(exchange);
    stream.write(FRAME);

    stream.close();
    stream.close();

    assertThat(stream.isClosed()).isTrue();
    assertThat(exchange.closes.get()).isEqualTo(1);
    assertThat(onClose.get()).isEqualTo(1);
    assertThat(stream.tryClaim()).isFalse();
  }

  @Test
  void aWriteToAClientThatHasGone_closesTheStream_andReturnsFalse() {
    FakeExchange exchange =
        new FakeExchange(
            new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                throw new IOException("connection reset");
              }
            });
    EventStream stream = stream(exchange);

    assertThat(stream.write(FRAME)).isFalse();

    assertThat(stream.isClosed()).isTrue();
    assertThat(exchange.closes.get()).isEqualTo(1);
    assertThat(onClose.get()).isEqualTo(1);
  }

  @Test
  void aWriteAfterClose_returnsFalse() {
    EventStream stream = stream(new FakeExchange(new ByteArrayOutputStream()));
    stream.close();

    assertThat(stream.write(FRAME)).isFalse();
  }

  @Test
  void expireStuckWrite_withNoWriteUnderWay_endsNothing() {
    EventStream stream = stream(new FakeExchange(new ByteArrayOutputStream()));

    assertThat(stream.expireStuckWrite(Long.MAX_VALUE, 1)).isFalse();
    stream.write(FRAME);
    assertThat(stream.expireStuckWrite(Long.MAX_VALUE, 1)).isFalse();
    assertThat(stream.isClosed()).isFalse();
  }

  @Test
  void aWriteBlockedForTheTimeout_isEnded_andItsThreadIsNotLeftInterrupted() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    // A client that stopped reading: the write blocks until its thread is interrupted, then
    // returns as a channel write would not, so that only the stream can tell it was ended.
    OutputStream stuck =
        new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            entered.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Thread.currentThread().isInterrupted() && System.nanoTime() < deadline) {
              LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
          }
        };
    FakeExchange exchange = new FakeExchange(stuck);
    EventStream stream = stream(exchange);
    AtomicBoolean written = new AtomicBoolean(true);
    AtomicBoolean leftInterrupted = new AtomicBoolean(true);
    Thread writer =
        new Thread(
            () -> {
              written.set(stream.write(FRAME));
              leftInterrupted.set(Thread.currentThread().isInterrupted());
            });
    writer.start();
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(stream.expireStuckWrite(100 + 999, 1_000)).as("a nanosecond early").isFalse();
    assertThat(stream.expireStuckWrite(100 + 1_000, 1_000)).as("exactly at the timeout").isTrue();
    writer.join(10_000);

    assertThat(writer.isAlive()).isFalse();
    assertThat(written.get()).isFalse();
    assertThat(leftInterrupted.get()).isFalse();
    assertThat(stream.isClosed()).isTrue();
    assertThat(exchange.closes.get()).isEqualTo(1);
    assertThat(onClose.get()).isEqualTo(1);
  }
}
