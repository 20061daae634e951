package io.dyno.retry;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.CompletableFuture.failedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import io.dyno.testing.RecordingSleeper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link Retry.Builder#pushback}: a server's hint read from the failure replaces the backoff's
 * wait, or stops the retrying with {@link StopReason#PUSHBACK}.
 */
class RetryPushbackTest {

  private static final Duration BACKOFF = Duration.ofMillis(100);

  /** A failure carrying the server's hint, as an HTTP 429 or 503 with Retry-After would. */
  static final class Throttled extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Pushback hint;

    Throttled(Pushback hint) {
      super("throttled: " + hint);
      this.hint = hint;
    }

    Pushback hint() {
      return hint;
    }
  }

  /** Reads the hint of a {@link Throttled}; none for other failures. */
  private static Pushback hint(Throwable failure) {
    return failure instanceof Throttled t ? t.hint() : Pushback.none();
  }

  private final FakeTicker ticker = FakeTicker.create();
  private final RecordingSleeper sleeper = RecordingSleeper.advancing(ticker);
  private final List<RetryEvent> retried = new ArrayList<>();
  private final List<ExhaustedEvent> exhausted = new ArrayList<>();
  private final AtomicInteger asked = new AtomicInteger();

  private Retry.Builder retry() {
    return Retry.builder("fetch")
        .maxAttempts(3)
        .backoff(Backoff.fixed(BACKOFF))
        .ticker(ticker)
        .sleeper(sleeper::sleep)
        .pushback(
            failure -> {
              asked.incrementAndGet();
              return hint(failure);
            })
        .onRetry(retried::add)
        .onExhausted(exhausted::add);
  }

  /** Work whose n-th attempt throws the n-th failure, and succeeds once they run out. */
  private static Callable<String> failing(Exception... failures) {
    AtomicInteger attempt = new AtomicInteger();
    return () -> {
      int n = attempt.getAndIncrement();
      if (n < failures.length) {
        throw failures[n];
      }
      return "ok";
    };
  }

  // ---------------------------------------------------------------- blocking verbs

  @Test
  void afterAHint_theNextAttemptWaitsTheHint_notTheBackoff() throws Exception {
    Retry retry = retry().build();

    String result =
        retry.call(
            failing(new Throttled(Pushback.after(Duration.ofSeconds(2))), new IOException()));

    assertThat(result).isEqualTo("ok");
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(2), BACKOFF);
    assertThat(retried)
        .extracting(RetryEvent::delay)
        .containsExactly(Duration.ofSeconds(2), BACKOFF);
  }

  @Test
  void aZeroHint_retriesAtOnce() throws Exception {
    Retry retry = retry().build();

    assertThat(retry.call(failing(new Throttled(Pushback.after(Duration.ZERO))))).isEqualTo("ok");
    assertThat(sleeper.sleeps()).as("a zero wait never calls the sleeper").isEmpty();
    assertThat(retried.get(0).delay()).isZero();
  }

  @Test
  void noHint_waitsAsTheBackoffSays() throws Exception {
    Retry retry = retry().build();

    assertThat(retry.call(failing(new Throttled(Pushback.none()), new IOException())))
        .isEqualTo("ok");
    assertThat(sleeper.sleeps()).containsExactly(BACKOFF, BACKOFF);
  }

  @Test
  void aStopHint_stopsWithPushback_andTheCallFailsWithThatFailure() {
    Retry retry = retry().build();
    IOException first = new IOException("first");
    Throttled stop = new Throttled(Pushback.stop());

    Throttled thrown =
        catchThrowableOfType(Throttled.class, () -> retry.call(failing(first, stop)));

    assertThat(thrown).isSameAs(stop);
    RetryStoppedException record = (RetryStoppedException) thrown.getSuppressed()[0];
    assertThat(record.reason()).isEqualTo(StopReason.PUSHBACK);
    assertThat(record.attempts()).isEqualTo(2);
    assertThat(record.getMessage())
        .contains(": server pushback said not to retry (for " + Throttled.class.getName() + ")")
        .endsWith("; the earlier failure follows");
    assertThat(CompoundException.of(thrown).exceptions()).containsExactly(first, stop);
    assertThat(exhausted)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo(StopReason.PUSHBACK);
              assertThat(e.failure()).isSameAs(stop);
            });
    assertThat(sleeper.sleeps()).containsExactly(BACKOFF);
  }

  @Test
  void aStopHint_atTheFirstAttempt_leavesTheFailureUntouched_andTellsTheListeners() {
    Retry retry = retry().build();
    Throttled stop = new Throttled(Pushback.stop());

    Throttled thrown = catchThrowableOfType(Throttled.class, () -> retry.call(failing(stop)));

    assertThat(thrown).isSameAs(stop);
    assertThat(thrown.getSuppressed()).isEmpty();
    assertThat(exhausted)
        .singleElement()
        .extracting(ExhaustedEvent::reason)
        .isEqualTo(StopReason.PUSHBACK);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void aStopHint_withThrowCompound_throwsACompoundException() {
    Retry retry = retry().throwCompound().build();

    CompoundException thrown =
        catchThrowableOfType(
            CompoundException.class,
            () -> retry.call(failing(new IOException(), new Throttled(Pushback.stop()))));

    assertThat(thrown.reason()).contains(StopReason.PUSHBACK);
    assertThat(thrown.exceptions()).hasSize(2);
  }

  @Test
  void aHintThatWouldOverrunMaxDuration_stopsWithMaxDuration_withoutWaiting() {
    Retry retry = retry().maxDuration(Duration.ofSeconds(1)).build();
    Throttled late = new Throttled(Pushback.after(Duration.ofSeconds(5)));

    Throttled thrown = catchThrowableOfType(Throttled.class, () -> retry.call(failing(late)));

    assertThat(thrown).isSameAs(late);
    assertThat(exhausted)
        .singleElement()
        .extracting(ExhaustedEvent::reason)
        .isEqualTo(StopReason.MAX_DURATION);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void aHintThatWouldOverrunMaxDuration_namesThePushbackWait_inTheStopRecord() {
    Retry retry = retry().maxDuration(Duration.ofSeconds(1)).build();
    IOException first = new IOException("first");
    Throttled late = new Throttled(Pushback.after(Duration.ofSeconds(2)));

    Throttled thrown =
        catchThrowableOfType(Throttled.class, () -> retry.call(failing(first, late)));

    assertThat(thrown).isSameAs(late);
    RetryStoppedException record = (RetryStoppedException) thrown.getSuppressed()[0];
    assertThat(record.reason()).isEqualTo(StopReason.MAX_DURATION);
    assertThat(record.getMessage()).contains("(maxDuration 1.00 s, pushback wait 2.00 s)");
    assertThat(sleeper.sleeps()).containsExactly(BACKOFF);
  }

  @Test
  void aHintedRetry_isStillChargedToTheBudget() {
    RetryBudget spent = RetryBudget.tokens(2, 1); // the first failure leaves exactly half
    Retry retry = retry().budget(spent).build();

    Throttled hinted = new Throttled(Pushback.after(Duration.ofSeconds(1)));
    assertThat(catchThrowableOfType(Throttled.class, () -> retry.call(failing(hinted))))
        .isSameAs(hinted);

    assertThat(asked).hasValue(1);
    assertThat(exhausted)
        .singleElement()
        .extracting(ExhaustedEvent::reason)
        .isEqualTo(StopReason.BUDGET);
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void theExtractor_isNotAskedForAbortedFailures_norAfterTheLastAttempt() {
    Retry retry = retry().maxAttempts(2).abortOn(FileNotFoundException.class).build();

    assertThat(
            catchThrowableOfType(
                FileNotFoundException.class,
                () -> retry.call(failing(new FileNotFoundException()))))
        .isNotNull();
    assertThat(asked).as("an aborted failure").hasValue(0);

    assertThat(
            catchThrowableOfType(
                IOException.class, () -> retry.call(failing(new IOException(), new IOException()))))
        .isNotNull();
    assertThat(asked).as("only the failure that had an attempt left").hasValue(1);
  }

  @Test
  void theExtractor_isNotAskedForARejectedResult() {
    Retry retry = retry().retryIfResult(String.class, "busy"::equals).build();

    assertThat(retry.get(() -> "busy")).isEqualTo("busy");
    assertThat(asked).hasValue(0);
    assertThat(sleeper.sleeps()).containsExactly(BACKOFF, BACKOFF);
  }

  @Test
  void anExtractorThatThrows_endsTheCall_withTheFailureAttached() {
    IllegalStateException bug = new IllegalStateException("cannot parse Retry-After");
    Retry retry =
        retry()
            .pushback(
                failure -> {
                  throw bug;
                })
            .build();
    IOException failure = new IOException("down");

    assertThatThrownBy(() -> retry.call(failing(failure)))
        .isSameAs(bug)
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(failure));
    assertThat(retried).isEmpty();
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void anExtractorThatReturnsNull_endsTheCall_withANamedNullPointerException() {
    Retry retry = Retry.builder("fetch").pushback(failure -> null).build();
    IOException failure = new IOException("down");

    assertThatThrownBy(() -> retry.call(failing(failure)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("pushback extractor returned null for java.io.IOException: down")
        .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(failure));
  }

  @Test
  void theUncheckedVerbs_followTheHintToo() {
    Retry retry =
        retry()
            .pushback(f -> f.getCause() instanceof Throttled t ? t.hint() : Pushback.none())
            .build();
    AtomicInteger attempts = new AtomicInteger();

    String result =
        retry.get(
            () -> {
              if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException(
                    "throttled", new Throttled(Pushback.after(Duration.ofSeconds(3))));
              }
              return "ok";
            });

    assertThat(result).isEqualTo("ok");
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(3));
  }

  // ---------------------------------------------------------------- callAsync

  @Test
  void callAsync_schedulesTheNextAttemptAfterTheHint() throws Exception {
    ManualScheduler scheduler = ManualScheduler.on(ticker);
    Retry retry =
        retry()
            .sleeper(
                d -> {
                  throw new AssertionError("callAsync slept " + d);
                })
            .build();
    AtomicInteger attempts = new AtomicInteger();

    CompletableFuture<String> f =
        retry.callAsync(
            () ->
                attempts.incrementAndGet() == 1
                    ? failedFuture(new Throttled(Pushback.after(Duration.ofSeconds(7))))
                    : completedFuture("ok"),
            scheduler);

    assertThat(scheduler.nextDelay()).contains(Duration.ofSeconds(7));
    assertThat(scheduler.runNext()).isTrue();
    assertThat(f.get(1, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(retried).extracting(RetryEvent::delay).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void callAsync_stopsWithPushback() {
    ManualScheduler scheduler = ManualScheduler.on(ticker);
    Retry retry = retry().build();
    Throttled stop = new Throttled(Pushback.stop());

    CompletableFuture<String> f = retry.callAsync(() -> failedFuture(stop), scheduler);

    assertThat(scheduler.pendingCount()).isZero();
    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasCause(stop);
    assertThat(exhausted)
        .singleElement()
        .extracting(ExhaustedEvent::reason)
        .isEqualTo(StopReason.PUSHBACK);
  }

  @Test
  void callAsync_anExtractorThatThrows_failsTheFuture_withTheFailureAttached() {
    ManualScheduler scheduler = ManualScheduler.on(ticker);
    IllegalStateException bug = new IllegalStateException("cannot parse Retry-After");
    Retry retry =
        retry()
            .pushback(
                failure -> {
                  throw bug;
                })
            .build();
    IOException failure = new IOException("down");

    CompletableFuture<String> f = retry.callAsync(() -> failedFuture(failure), scheduler);

    assertThat(scheduler.pendingCount()).isZero();
    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasCause(bug);
    assertThat(bug.getSuppressed()).containsExactly(failure);
  }

  // ---------------------------------------------------------------- Pushback itself

  @Test
  void pushback_isAValue_thatRefusesANegativeDelay() {
    assertThat(Pushback.after(Duration.ofSeconds(2)))
        .isEqualTo(Pushback.after(Duration.ofSeconds(2)))
        .hasSameHashCodeAs(Pushback.after(Duration.ofSeconds(2)))
        .isNotEqualTo(Pushback.after(Duration.ofSeconds(3)))
        .hasToString("Pushback[after=2.00 s]");
    assertThat(Pushback.after(Duration.ofSeconds(2)).delay()).contains(Duration.ofSeconds(2));
    assertThat(Pushback.after(Duration.ZERO).stops()).isFalse();
    assertThat(Pushback.stop()).hasToString("Pushback[stop]").isNotEqualTo(Pushback.none());
    assertThat(Pushback.stop().stops()).isTrue();
    assertThat(Pushback.stop().delay()).isEmpty();
    assertThat(Pushback.none()).hasToString("Pushback[none]");
    assertThat(Pushback.none().stops()).isFalse();
    assertThat(Pushback.none().delay()).isEmpty();

    assertThat(Pushback.none()).isNotEqualTo("none");
    Object absent = null;
    assertThat(Pushback.none().equals(absent)).isFalse();

    assertThatThrownBy(() -> Pushback.after(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must not be negative, was PT-0.001S");
    assertThatThrownBy(() -> Pushback.after(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("delay must not be null");
    assertThatThrownBy(() -> Retry.builder("fetch").pushback(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("extractor must not be null");
  }
}
