package io.dyno.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.testing.FakeClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The harness at its edges: the interrupt flag on every path, self-reference, exact limits. */
class HarnessEdgeTest {

  private final FakeClock time = FakeClock.at(Instant.EPOCH);
  private final RecordingLogger log = new RecordingLogger();

  private Harness.Builder harness() {
    return Harness.builder("payments").logger(log).clock(time).ticker(time.ticker());
  }

  @AfterEach
  void leaveTheTestThreadUninterrupted() {
    Thread.interrupted();
  }

  // ---- The interrupt flag when the failure is not captured ----

  @Test
  void interruptFlag_staysSetWhenAPredicateClearsItAndRejectsTheFailure() {
    Harness h =
        harness()
            .captureIf(
                t -> {
                  Thread.interrupted();
                  return false;
                })
            .build();
    Thread.currentThread().interrupt();
    Sneaky.failThrough(h, new IllegalStateException("rejected"));
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(h.failures()).isZero();
  }

  @Test
  void interruptFlag_isNotSetWhenAPredicateRejectsTheFailure() {
    Harness h = harness().captureIf(t -> false).build();
    Sneaky.failThrough(h, new IllegalStateException("rejected"));
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void interruptFlag_staysSetWhenAPredicateClearsItAndThrows() {
    IllegalStateException broken = new IllegalStateException("predicate broken");
    Harness h =
        harness()
            .captureIf(
                t -> {
                  Thread.interrupted();
                  return Sneaky.raise(broken);
                })
            .build();
    Thread.currentThread().interrupt();
    IOException failure = new IOException("reset");
    Sneaky.failThrough(h, failure);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(failure.getSuppressed()).containsExactly(broken);
  }

  @Test
  void interruptFlag_isNotSetWhenAPredicateThrows() {
    Harness h = harness().captureIf(t -> Sneaky.raise(new IllegalStateException("broken"))).build();
    Sneaky.failThrough(h, new IOException("reset"));
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  // ---- The failure itself thrown back by the harness's collaborators ----

  @Test
  void predicateRethrowingTheFailureItself_changesNothing() {
    Harness h = harness().captureIf(t -> Sneaky.raise(t)).build();
    IOException failure = new IOException("reset");
    assertThat(catchThrowable(() -> h.call(() -> Sneaky.raise(failure)))).isSameAs(failure);
    assertThat(failure.getSuppressed()).isEmpty();
    assertThat(h.failures()).isZero();
  }

  @Test
  void loggerThrowingTheFailureItself_changesNothing() {
    IOException failure = new IOException("reset");
    RecordingLogger rethrowing = new RecordingLogger().onLog(() -> Sneaky.raise(failure));
    Harness h = Harness.builder("payments").logger(rethrowing).build();
    assertThat(catchThrowable(() -> h.call(() -> Sneaky.raise(failure)))).isSameAs(failure);
    assertThat(failure.getSuppressed()).isEmpty();
    assertThat(h.failures()).isEqualTo(1);
  }

  // ---- Asynchronous failures ----

  @Test
  void failedStage_withACauseOfItsOwn_isCapturedAsItIs() {
    IOException failure = new IOException("reset", new IllegalStateException("socket closed"));
    CompletableFuture<String> result =
        harness().build().callAsync(() -> CompletableFuture.failedFuture(failure));
    assertThat(result).isCompletedExceptionally();
    assertThat(log.lines())
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.cause()).isSameAs(failure);
              assertThat(line.message())
                  .isEqualTo("Harness 'payments': call failed: java.io.IOException: reset");
            });
  }

  @Test
  void failedStage_withACause_isCountedByItsOwnClass() {
    Harness h = harness().build();
    IOException failure = new IOException("reset", new IllegalStateException("socket closed"));
    var unused = h.callAsync(() -> CompletableFuture.failedFuture(failure));
    assertThat(h.failuresByType()).containsExactly(Map.entry(IOException.class, 1L));
    assertThat(h.recent()).extracting(Failure::throwable).containsExactly(failure);
  }

  // ---- Exact limits ----

  @Test
  void summaryInterval_ofExactlyTheLongestCountableSpan_isAccepted() {
    Harness h = harness().summaryInterval(Duration.ofNanos(Long.MAX_VALUE)).build();
    Sneaky.failThrough(h, new IOException("reset"));
    time.advance(Duration.ofDays(365));
    Sneaky.failThrough(h, new IOException("reset"));
    assertThat(log.messages())
        .containsExactly("Harness 'payments': call failed: java.io.IOException: reset");
    assertThat(h.failures()).isEqualTo(2);
  }

  // ---- State handed between threads ----

  @Test
  void aHarnessReadAndSummarizedOnOneThread_capturesFailuresOnAnother() throws Exception {
    Harness h = harness().build();
    Sneaky.failThrough(h, new IOException("reset"));
    Sneaky.failThrough(h, new IOException("reset"));
    h.logSummaries();
    assertThat(h.recent()).hasSize(2);

    AtomicReference<Throwable> thrown = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    IOException another = new IOException("reset");
    Thread thread =
        new Thread(
            () -> {
              thrown.set(catchThrowable(() -> h.call(() -> Sneaky.raise(another))));
              done.countDown();
            });
    // A thread stuck on a lock left held must not keep the test JVM alive.
    thread.setDaemon(true);
    thread.start();
    assertThat(done.await(10, TimeUnit.SECONDS)).as("finished within 10 s").isTrue();

    assertThat(thrown.get()).isSameAs(another);
    assertThat(h.failures()).isEqualTo(3);
    assertThat(h.recent()).extracting(Failure::throwable).endsWith(another);
    assertThat(log.messages())
        .containsExactly(
            "Harness 'payments': call failed: java.io.IOException: reset",
            "Harness 'payments': 1 more java.io.IOException: reset in the last 0 ns");
  }
}
