package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.Metrics;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A copy that answers inside the executor's {@code execute}, while another copy wins the call on
 * another thread: nobody takes its result, and a result that holds a resource is closed.
 */
class HedgeLateCopyTest {

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);
  private final ManualScheduler manual = ManualScheduler.on(now);
  private final ExecutorService thread = Executors.newSingleThreadExecutor();

  @AfterEach
  void tearDown() throws Exception {
    thread.shutdownNow();
    assertThat(thread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** A result holding a resource. */
  static final class Conn implements AutoCloseable {
    final String name;
    final CountDownLatch closed = new CountDownLatch(1);

    Conn(String name) {
      this.name = name;
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  @Test
  void aCopyThatAnswersWhileItIsBeingSent_afterTheCallWasWon_hasItsResultClosed() throws Exception {
    AtomicInteger handed = new AtomicInteger();
    AtomicInteger invoked = new AtomicInteger();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch firstMayAnswer = new CountDownLatch(1);
    CompletableFuture<Conn> secondResult = new CompletableFuture<>();
    CompletableFuture<CompletableFuture<Conn>> call = new CompletableFuture<>();
    Service<Conn> service =
        Service.builder(
                "inventory",
                () -> {
                  if (invoked.getAndIncrement() == 0) {
                    firstStarted.countDown();
                    assertThat(firstMayAnswer.await(10, TimeUnit.SECONDS)).isTrue();
                    return new Conn("first");
                  }
                  // The second copy, inside execute: the first answers and wins meanwhile.
                  firstMayAnswer.countDown();
                  call.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
                  Conn second = new Conn("second");
                  secondResult.complete(second);
                  return second;
                })
            .executor(
                task -> {
                  if (handed.getAndIncrement() == 0) {
                    thread.execute(task);
                  } else {
                    task.run();
                  }
                })
            .scheduler(manual)
            .metrics(Metrics.builder("inventory").ticker(now).build())
            .hedge(Hedge.after(Duration.ofMillis(10)))
            .build();

    CompletableFuture<Conn> answer = service.callAsync();
    call.complete(answer);
    assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
    manual.advance(Duration.ofMillis(10));

    assertThat(answer.get(10, TimeUnit.SECONDS).name).isEqualTo("first");
    Conn second = secondResult.get(10, TimeUnit.SECONDS);
    assertThat(second.closed.await(10, TimeUnit.SECONDS)).as("nobody took it: closed").isTrue();
    service.close();
  }
}
