package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A retry the budget granted but that never ran is given back: when the wait ended past {@code
 * maxDuration}, and when the clock failed as the attempt was about to start.
 */
class RetryBudgetRefundTest {

  private final FakeTicker now = FakeTicker.create();
  private final List<ExhaustedEvent> exhausted = new ArrayList<>();

  /** One retry per window of one second, whatever the calls. */
  private final RetryBudget budget =
      RetryBudget.builder().ratio(0).minRetriesPerSecond(1).window(Duration.ofSeconds(1)).build();

  /** Makes a call through {@code retry} whose every attempt fails; returns why it stopped. */
  private StopReason failingCall(Retry retry) {
    int before = exhausted.size();
    Throwable thrown =
        catchThrowable(
            () ->
                retry.run(
                    () -> {
                      throw new IllegalStateException("down");
                    }));
    assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("down");
    assertThat(exhausted).hasSize(before + 1);
    return exhausted.get(before).reason();
  }

  /** A retry through the budget that waits no time and may retry once. */
  private Retry onceMore(String name) {
    return Retry.builder(name)
        .maxAttempts(2)
        .budget(budget)
        .ticker(now)
        .onExhausted(exhausted::add)
        .build();
  }

  @Test
  void aWaitThatEndsPastMaxDuration_givesTheRetryBack() {
    Retry late =
        Retry.builder("late")
            .maxAttempts(2)
            .maxDuration(Duration.ofMillis(100))
            .backoff(Backoff.fixed(Duration.ofMillis(10)))
            .budget(budget)
            .ticker(now)
            // A busy machine wakes the sleeper 200 ms later instead of 10.
            .sleeper(d -> now.advance(Duration.ofMillis(200).toNanos()))
            .onExhausted(exhausted::add)
            .build();

    assertThat(failingCall(late)).isEqualTo(StopReason.MAX_DURATION);
    assertThat(exhausted.get(0).attempts()).isEqualTo(1);

    // Still within the budget's window: the retry the late call never made is there to take.
    assertThat(failingCall(onceMore("next"))).isEqualTo(StopReason.MAX_ATTEMPTS);
    assertThat(failingCall(onceMore("after"))).isEqualTo(StopReason.BUDGET);
  }

  @Test
  void anAsyncAttemptWhoseClockFailsAsItStarts_givesTheRetryBack() {
    AtomicBoolean clockBroken = new AtomicBoolean();
    IllegalStateException clockFailure = new IllegalStateException("clock gone");
    ManualScheduler scheduler = ManualScheduler.on(now);
    Retry retry =
        Retry.builder("async")
            .maxAttempts(2)
            .maxDuration(Duration.ofSeconds(1))
            .budget(budget)
            .ticker(
                () -> {
                  if (clockBroken.get()) {
                    throw clockFailure;
                  }
                  return now.read();
                })
            .build();

    CompletableFuture<String> future =
        retry.callAsync(
            () -> CompletableFuture.failedFuture(new IllegalStateException("down")), scheduler);
    assertThat(scheduler.pendingCount()).isOne();
    clockBroken.set(true);
    assertThat(scheduler.runNext()).isTrue();

    assertThat(future).isCompletedExceptionally();
    assertThat(catchThrowable(() -> future.get(5, TimeUnit.SECONDS)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(clockFailure);

    assertThat(failingCall(onceMore("next"))).isEqualTo(StopReason.MAX_ATTEMPTS);
  }
}
