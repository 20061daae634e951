package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.RecordingSleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a stopped retry tells its caller and its listeners: the stop record's message word for word,
 * the compound's failures, and the results that {@code onRetry} hears about.
 */
class RetryStopRecordTest {

  private final FakeTicker now = FakeTicker.startingAt(5_000_000_000L);

  private final List<RetryEvent> retries = new ArrayList<>();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  private Retry.Builder retry(String name) {
    return Retry.builder(name)
        .ticker(now)
        .sleeper(RecordingSleeper.advancing(now)::sleep)
        .onRetry(retries::add);
  }

  /** Three attempts, 10 ms apart, whose first wait is cut short by an interrupt. */
  private Retry.Builder wokenAtTheFirstWait() {
    return Retry.builder("waiting")
        .maxAttempts(3)
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .ticker(now)
        .sleeper(
            d -> {
              throw new InterruptedException("woken");
            });
  }

  /** Work whose every attempt throws {@code failure}. */
  private static Callable<String> alwaysFailing(Exception failure) {
    return () -> {
      throw failure;
    };
  }

  @Test
  void call_stoppedByAnInterrupt_recordsTheReasonWithoutAnEmptyDetail() {
    IOException failure = new IOException("reset");
    Retry retry = wokenAtTheFirstWait().build();

    Throwable thrown = catchThrowable(() -> retry.call(alwaysFailing(failure)));

    assertThat(thrown).isInstanceOf(InterruptedException.class).hasMessage("woken");
    RetryStoppedException record = (RetryStoppedException) thrown.getSuppressed()[0];
    assertThat(record.reason()).isEqualTo(StopReason.INTERRUPTED);
    assertThat(record)
        .hasMessage(
            "Retry 'waiting' stopped after 1 attempt, 0 ns after the first failure: "
                + "interrupted between attempts; the earlier failure follows");
    assertThat(thrown.getSuppressed()).containsExactly(record, failure);
  }

  @Test
  void throwCompound_stoppedByAnInterrupt_stillThrowsTheInterruptedException() {
    IOException failure = new IOException("reset");
    Retry retry = wokenAtTheFirstWait().throwCompound().build();

    Throwable thrown = catchThrowable(() -> retry.call(alwaysFailing(failure)));

    assertThat(thrown).isInstanceOf(InterruptedException.class).hasMessage("woken");
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(CompoundException.of(thrown).exceptions()).containsExactly(failure, thrown);
  }

  @Test
  void theSameInstanceFailingEveryAttempt_isNotCountedAsAnEarlierFailure() {
    IllegalStateException same = new IllegalStateException("down");
    AtomicInteger attempts = new AtomicInteger();
    Retry retry = retry("same").maxAttempts(3).build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.run(
                    () -> {
                      attempts.incrementAndGet();
                      throw same;
                    }));

    assertThat(thrown).isSameAs(same);
    assertThat(attempts).hasValue(3);
    assertThat(same.getSuppressed()).hasSize(1);
    RetryStoppedException record = (RetryStoppedException) same.getSuppressed()[0];
    assertThat(record.earlierFailures()).isZero();
    assertThat(record)
        .hasMessage(
            "Retry 'same' stopped after 3 attempts, 0 ns after the first failure: "
                + "maxAttempts reached (maxAttempts 3)");
    assertThat(CompoundException.of(same).exceptions()).containsExactly(same);
  }

  @Test
  void throwCompound_messageCountsTheEarlierFailures_andListsEachFailureOnce() {
    IOException first = new IOException("1");
    IOException second = new IOException("2");
    IOException third = new IOException("3");
    AtomicInteger calls = new AtomicInteger();
    IOException[] failures = {first, second, third};
    Retry retry = retry("compound").maxAttempts(3).throwCompound().build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.call(
                    () -> {
                      throw failures[calls.getAndIncrement()];
                    }));

    assertThat(thrown)
        .isInstanceOf(CompoundException.class)
        .hasCause(third)
        .hasMessage(
            "Retry 'compound' stopped after 3 attempts, 0 ns after the first failure: "
                + "maxAttempts reached (maxAttempts 3); the 2 earlier failures follow");
    CompoundException compound = (CompoundException) thrown;
    assertThat(compound.exceptions()).containsExactly(first, second, third);
    assertThat(compound.getSuppressed()).containsExactly(first, second);
  }

  @Test
  void onRetry_afterARejectedResult_hearsThatResult() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Retry retry =
        retry("polling")
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ofMillis(5)))
            .retryIfResult(String.class, "pending"::equals)
            .build();

    String result = retry.call(() -> calls.incrementAndGet() < 3 ? "pending" : "done");

    assertThat(result).isEqualTo("done");
    assertThat(retries)
        .extracting(RetryEvent::attempt, RetryEvent::result, RetryEvent::failure)
        .containsExactly(tuple(1, "pending", null), tuple(2, "pending", null));
    assertThat(retries.get(1))
        .hasToString("Retry 'polling' attempt 2 returned pending; next attempt in 5.00 ms");
  }

  @Test
  void retryIfResult_calledTwice_retriesAResultEitherPredicateRejects() {
    AtomicInteger calls = new AtomicInteger();
    List<Object> results = List.of("pending", 503, "done");
    Retry retry =
        retry("either")
            .maxAttempts(5)
            .retryIfResult(String.class, "pending"::equals)
            .retryIfResult(Integer.class, status -> status == 503)
            .build();

    Object result = retry.get(() -> results.get(calls.getAndIncrement()));

    assertThat(result).isEqualTo("done");
    assertThat(calls).hasValue(3);
    assertThat(retries).extracting(RetryEvent::result).containsExactly("pending", 503);
  }
}
