package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link EventStream} across threads: a stuck write ended once, and writes from any thread. */
class EventStreamEdgeTest {

  private static final byte[] FRAME = ": ping\n\n".getBytes(StandardCharsets.UTF_8);

  private final FakeTicker now = FakeTicker.startingAt(100);
  private final AtomicInteger onClose = new AtomicInteger();

  @Test
  void aStuckWrite_isEndedOnce_howeverOftenItIsFoundStuck() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger interrupts = new AtomicInteger();
    // A client that stopped reading, on a channel that notices an interrupt only when it unblocks.
    OutputStream stuck =
        new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            entered.countDown();
            while (true) {
              try {
                if (release.await(10, TimeUnit.SECONDS)) {
                  return;
                }
              } catch (InterruptedException e) {
                interrupts.incrementAndGet();
              }
            }
          }
        };
    EventStream stream = new EventStream(new FakeExchange(stuck), now, onClose::incrementAndGet);
    AtomicBoolean written = new AtomicBoolean(true);
    Thread writer = new Thread(() -> written.set(stream.write(FRAME)));
    writer.start();
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(stream.expireStuckWrite(100 + 1_000, 1_000)).isTrue();
    assertThat(stream.expireStuckWrite(100 + 5_000, 1_000)).as("already ended").isFalse();
    release.countDown();
    writer.join(10_000);

    assertThat(writer.isAlive()).isFalse();
    assertThat(interrupts.get()).isEqualTo(1);
    assertThat(written.get()).isFalse();
    assertThat(stream.isClosed()).isTrue();
    assertThat(onClose.get()).isEqualTo(1);
  }

  @Test
  void aWriteFinishedOnOneThread_leavesTheStreamFreeForEveryOtherThread() throws Exception {
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    EventStream stream = new EventStream(new FakeExchange(client), now, onClose::incrementAndGet);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      assertThat(pool.submit(() -> stream.write(FRAME)).get(10, TimeUnit.SECONDS)).isTrue();

      // Asked from other threads, with a limit, so that a stream left locked fails rather than
      // hangs.
      CompletableFuture<Boolean> expired =
          CompletableFuture.supplyAsync(() -> stream.expireStuckWrite(Long.MAX_VALUE, 1));
      assertThat(expired.get(10, TimeUnit.SECONDS)).isFalse();
      assertThat(stream.tryClaim()).isTrue();
      CompletableFuture<Boolean> again = CompletableFuture.supplyAsync(() -> stream.write(FRAME));
      assertThat(again.get(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }

    assertThat(client.toString(StandardCharsets.UTF_8)).isEqualTo(": ping\n\n: ping\n\n");
    assertThat(stream.isClosed()).isFalse();
    assertThat(onClose.get()).isZero();
  }
}
