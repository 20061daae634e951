package io.dyno.retry;

import static java.util.concurrent.CompletableFuture.failedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A call that made one attempt leaves its failure exactly as it came, whatever stopped it: nothing
 * is attached and no {@link CompoundException} is made. {@code onExhausted} still hears why the
 * call gave up, except for a failure that was never retryable.
 */
class RetrySingleAttemptTest {

  private final FakeTicker now = FakeTicker.startingAt(5_000_000_000L);
  private final AtomicInteger attempts = new AtomicInteger();
  private final List<ExhaustedEvent> exhausted = new ArrayList<>();
  private final ManualScheduler scheduler = ManualScheduler.on(now);

  private Retry.Builder retry(String name) {
    return Retry.builder(name)
        .ticker(now)
        .sleeper(
            d -> {
              throw new AssertionError("slept " + d);
            })
        .onExhausted(exhausted::add);
  }

  /** Runs {@code retry} over work whose first attempt fails with {@code failure}. */
  private Throwable failOnce(Retry retry, Exception failure) {
    return catchThrowable(
        () ->
            retry.call(
                () -> {
                  attempts.incrementAndGet();
                  throw failure;
                }));
  }

  private static void assertUntouched(Throwable thrown, Throwable failure) {
    assertThat(thrown).isSameAs(failure);
    assertThat(failure.getSuppressed()).isEmpty();
    assertThat(CompoundException.of(failure).exceptions()).containsExactly(failure);
    assertThat(CompoundException.of(failure).reason()).isEmpty();
  }

  @Test
  void maxAttemptsOne_throwsTheFailureAsItCame_andTellsOnExhausted() {
    IOException failure = new IOException("down");

    assertUntouched(failOnce(retry("once").maxAttempts(1).build(), failure), failure);

    assertThat(attempts).hasValue(1);
    assertThat(exhausted)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo(StopReason.MAX_ATTEMPTS);
              assertThat(e.attempts()).isEqualTo(1);
              assertThat(e.failure()).isSameAs(failure);
            });
  }

  @Test
  void retryOf_withOneAttempt_throwsTheFailureAsItCame() {
    IOException failure = new IOException("down");

    assertUntouched(failOnce(Retry.of("plain", 1), failure), failure);
  }

  @Test
  void maxAttemptsOne_withThrowCompound_stillThrowsTheFailureAsItCame() {
    IOException failure = new IOException("down");

    assertUntouched(
        failOnce(retry("once").maxAttempts(1).throwCompound().build(), failure), failure);
  }

  @Test
  void maxAttemptsOne_get_throwsTheFailureAsItCame() {
    UncheckedIOException failure = new UncheckedIOException(new IOException("down"));
    Retry retry = retry("once").maxAttempts(1).build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.get(
                    () -> {
                      throw failure;
                    }));

    assertUntouched(thrown, failure);
  }

  @Test
  void abortOn_atTheFirstAttempt_throwsTheFailureAsItCame_andTellsNoOne() {
    FileNotFoundException failure = new FileNotFoundException("gone");

    assertUntouched(
        failOnce(
            retry("files").abortOn(FileNotFoundException.class).throwCompound().build(), failure),
        failure);
    assertThat(exhausted).isEmpty();
  }

  @Test
  void aNonRetryableFailure_atTheFirstAttempt_throwsItAsItCame() {
    IllegalArgumentException failure = new IllegalArgumentException("bad");

    assertUntouched(failOnce(retry("io").retryOn(IOException.class).build(), failure), failure);
    assertThat(exhausted).isEmpty();
  }

  @Test
  void aSpentBudget_beforeTheSecondAttempt_throwsTheFailureAsItCame() {
    RetryBudget none = RetryBudget.builder().ratio(0).minRetriesPerSecond(0).build();
    IOException failure = new IOException("down");

    assertUntouched(failOnce(retry("budgeted").budget(none).build(), failure), failure);

    assertThat(attempts).hasValue(1);
    assertThat(exhausted)
        .singleElement()
        .extracting(ExhaustedEvent::reason)
        .isEqualTo(StopReason.BUDGET);
  }

  @Test
  void aMaxDurationAlreadyPassed_afterTheFirstAttempt_throwsTheFailureAsItCame() {
    IOException failure = new IOException("slow");
    Retry retry = retry("slow").maxDuration(Duration.ofSeconds(1)).build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.call(
                    () -> {
                      attempts.incrementAndGet();
                      now.advance(Duration.ofSeconds(2).toNanos());
                      throw failure;
                    }));

    assertUntouched(thrown, failure);
    assertThat(exhausted)
        .singleElement()
        .extracting(ExhaustedEvent::reason)
        .isEqualTo(StopReason.MAX_DURATION);
  }

  @Test
  void aWaitThatWouldPassMaxDuration_afterTheFirstAttempt_throwsTheFailureAsItCame() {
    IOException failure = new IOException("down");
    Retry retry =
        retry("bounded")
            .maxDuration(Duration.ofSeconds(1))
            .backoff(Backoff.fixed(Duration.ofSeconds(2)))
            .build();

    assertUntouched(failOnce(retry, failure), failure);
  }

  // ---------------------------------------------------------------- callAsync

  @Test
  void callAsync_maxAttemptsOne_completesWithTheFailureAsItCame() {
    IOException failure = new IOException("down");

    CompletableFuture<String> future =
        retry("once")
            .maxAttempts(1)
            .throwCompound()
            .build()
            .callAsync(() -> failedFuture(failure), scheduler);

    assertUntouched(future.handle((r, t) -> t).join(), failure);
    assertThat(exhausted)
        .singleElement()
        .extracting(ExhaustedEvent::reason)
        .isEqualTo(StopReason.MAX_ATTEMPTS);
  }

  @Test
  void callAsync_aSpentBudget_completesWithTheFailureAsItCame() {
    RetryBudget none = RetryBudget.builder().ratio(0).minRetriesPerSecond(0).build();
    IOException failure = new IOException("down");

    CompletableFuture<String> future =
        retry("budgeted").budget(none).build().callAsync(() -> failedFuture(failure), scheduler);

    assertUntouched(future.handle((r, t) -> t).join(), failure);
    assertThat(scheduler.pendingCount()).isZero();
  }

  @Test
  void callAsync_aMaxDurationAlreadyPassed_completesWithTheFailureAsItCame() {
    IOException failure = new IOException("slow");
    CompletableFuture<String> stage = new CompletableFuture<>();

    CompletableFuture<String> future =
        retry("slow").maxDuration(Duration.ofSeconds(1)).build().callAsync(() -> stage, scheduler);
    now.advance(Duration.ofSeconds(2).toNanos());
    stage.completeExceptionally(failure);

    assertUntouched(future.handle((r, t) -> t).join(), failure);
    assertThat(exhausted)
        .singleElement()
        .extracting(ExhaustedEvent::reason)
        .isEqualTo(StopReason.MAX_DURATION);
  }
}
