package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An interrupt stops a retry between attempts, whether or not there is a wait to interrupt: a
 * zero-delay retry behaves exactly as a retry whose wait was interrupted.
 */
class RetryInterruptTest {

  private final AtomicInteger attempts = new AtomicInteger();
  private final List<ExhaustedEvent> exhausted = new ArrayList<>();

  @AfterEach
  void clearInterrupt() {
    // A test that leaves the flag set must not leak it into the next one.
    Thread.interrupted();
  }

  /** Work that counts its attempts and always fails with a new IOException. */
  private String failing() throws IOException {
    throw new IOException("attempt " + attempts.incrementAndGet());
  }

  /** Work that interrupts its own thread on attempt {@code n}, as a cancelled caller would. */
  private String interruptedOnAttempt(int n) throws IOException {
    if (attempts.incrementAndGet() == n) {
      Thread.currentThread().interrupt();
    }
    throw new IOException("attempt " + attempts.get());
  }

  @Test
  void call_withNoDelay_onAnInterruptedThread_stopsAfterTheFirstAttempt() {
    Retry retry = Retry.builder("spin").maxAttempts(1_000).onExhausted(exhausted::add).build();
    Thread.currentThread().interrupt();

    Throwable thrown = catchThrowable(() -> retry.call(this::failing));

    assertThat(attempts).hasValue(1);
    assertThat(thrown)
        .isInstanceOf(InterruptedException.class)
        .hasMessage("Retry 'spin' was interrupted before attempt 2");
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    CompoundException all = CompoundException.of(thrown);
    assertThat(all.reason()).contains(StopReason.INTERRUPTED);
    assertThat(all.exceptions()).hasSize(2).last().isSameAs(thrown);
    assertThat(all.first()).hasMessage("attempt 1");
    // The failure itself made one attempt's way out: nothing is attached to it.
    assertThat(all.first().getSuppressed()).isEmpty();
    assertThat(exhausted).singleElement().extracting(ExhaustedEvent::attempts).isEqualTo(1);
  }

  @Test
  void call_withNoDelay_interruptedDuringTheSecondAttempt_stopsBeforeTheThird() {
    Retry retry = Retry.builder("spin").maxAttempts(1_000).build();

    Throwable thrown = catchThrowable(() -> retry.call(() -> interruptedOnAttempt(2)));

    assertThat(attempts).hasValue(2);
    assertThat(thrown).isInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    RetryStoppedException record = (RetryStoppedException) thrown.getSuppressed()[0];
    assertThat(record.attempts()).isEqualTo(2);
    assertThat(record.reason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(CompoundException.of(thrown).exceptions())
        .extracting(Throwable::getMessage)
        .containsExactly("attempt 1", "attempt 2", "Retry 'spin' was interrupted before attempt 3");
  }

  @Test
  void get_withNoDelay_interruptedDuringTheSecondAttempt_throwsTheLastFailureWithTheFlagSet() {
    Retry retry = Retry.builder("spin").maxAttempts(1_000).build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.get(
                    () -> {
                      try {
                        return interruptedOnAttempt(2);
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    }));

    assertThat(attempts).hasValue(2);
    assertThat(thrown).isInstanceOf(UncheckedIOException.class).hasRootCauseMessage("attempt 2");
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(CompoundException.of(thrown).reason()).contains(StopReason.INTERRUPTED);
    assertThat(CompoundException.of(thrown).exceptions()).hasSize(2);
  }

  @Test
  void run_withNoDelay_onAnInterruptedThread_throwsTheFailureAsItCame() {
    IllegalStateException failure = new IllegalStateException("busy");
    Retry retry = Retry.builder("spin").maxAttempts(1_000).build();
    Thread.currentThread().interrupt();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.run(
                    () -> {
                      attempts.incrementAndGet();
                      throw failure;
                    }));

    assertThat(thrown).isSameAs(failure);
    assertThat(failure.getSuppressed()).isEmpty();
    assertThat(attempts).hasValue(1);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void aSleeperThatIgnoresInterrupts_stillCannotKeepAnInterruptedRetryGoing() {
    // Not dyno-testing's RecordingSleeper: that one throws on a set flag, as Thread.sleep does,
    // and would stop the retry itself. A sleeper that ignores the flag is what is tested here.
    List<Duration> waits = new ArrayList<>();
    Retry retry =
        Retry.builder("fake")
            .maxAttempts(1_000)
            .backoff(Backoff.fixed(Duration.ofMillis(10)))
            .sleeper(waits::add)
            .build();

    Throwable thrown = catchThrowable(() -> retry.call(() -> interruptedOnAttempt(3)));

    assertThat(attempts).hasValue(3);
    assertThat(waits).hasSize(2);
    assertThat(thrown).isInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void anInterruptedWait_countsOnlyTheAttemptsThatRan() {
    Retry retry =
        Retry.builder("waiting")
            .maxAttempts(5)
            .backoff(Backoff.fixed(Duration.ofSeconds(1)))
            .sleeper(
                d -> {
                  throw new InterruptedException("woken");
                })
            .onExhausted(exhausted::add)
            .build();

    Throwable thrown = catchThrowable(() -> retry.call(this::failing));

    assertThat(attempts).hasValue(1);
    RetryStoppedException record = (RetryStoppedException) thrown.getSuppressed()[0];
    assertThat(record.attempts()).isEqualTo(1);
    assertThat(record.getMessage()).startsWith("Retry 'waiting' stopped after 1 attempt,");
    assertThat(exhausted).singleElement().extracting(ExhaustedEvent::attempts).isEqualTo(1);
  }
}
