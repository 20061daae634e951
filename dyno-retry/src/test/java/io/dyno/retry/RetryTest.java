package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.RecordingSleeper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryTest {

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);

  /** Records every wait the retry asks for and moves the fake clock by it: nothing sleeps. */
  private final RecordingSleeper sleeper = RecordingSleeper.advancing(now);

  @AfterEach
  void clearInterrupt() {
    // A test that leaves the flag set must not leak it into the next one.
    Thread.interrupted();
  }

  private Retry.Builder retry(String name) {
    return Retry.builder(name).sleeper(sleeper::sleep).ticker(now);
  }

  /** Work that fails with the given failures in turn, then returns "ok". */
  private static Callable<String> failing(Exception... failures) {
    AtomicInteger calls = new AtomicInteger();
    return () -> {
      int i = calls.getAndIncrement();
      if (i < failures.length) {
        throw failures[i];
      }
      return "ok";
    };
  }

  // ---------------------------------------------------------------- success paths

  @Test
  void call_succeedingAtOnce_neitherWaitsNorReadsTheClock() throws Exception {
    Retry retry =
        Retry.builder("quiet")
            .maxAttempts(5)
            .sleeper(
                d -> {
                  throw new AssertionError("slept");
                })
            .ticker(
                () -> {
                  throw new AssertionError("read the clock");
                })
            .build();
    assertThat(retry.call(() -> "ok")).isEqualTo("ok");
    assertThat(retry.get(() -> "ok")).isEqualTo("ok");
    AtomicInteger runs = new AtomicInteger();
    retry.run(runs::incrementAndGet);
    assertThat(runs).hasValue(1);
  }

  @Test
  void call_retriesUntilTheWorkSucceeds_waitingAsTheBackoffSays() throws Exception {
    Retry retry =
        retry("fetch")
            .maxAttempts(4)
            .backoff(Backoff.exponential(Duration.ofMillis(100), 2))
            .build();
    String result = retry.call(failing(new IOException("1"), new IOException("2")));
    assertThat(result).isEqualTo("ok");
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void call_withNoDelay_neverCallsTheSleeper() throws Exception {
    Retry retry =
        Retry.builder("instant")
            .maxAttempts(3)
            .sleeper(
                d -> {
                  throw new AssertionError("slept " + d);
                })
            .build();
    assertThat(retry.call(failing(new IOException(), new IOException()))).isEqualTo("ok");
  }

  // ---------------------------------------------------------------- exhaustion

  @Test
  void call_whenExhausted_throwsTheLastFailureItself_withEveryEarlierOneAttachedInOrder() {
    IOException first = new IOException("refused");
    IOException second = new IOException("reset");
    IOException third = new IOException("timeout");
    Retry retry =
        retry("fetch").maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(5))).build();

    Throwable thrown = catchThrowable(() -> retry.call(failing(first, second, third)));

    assertThat(thrown).isSameAs(third);
    Throwable[] suppressed = thrown.getSuppressed();
    assertThat(suppressed).hasSize(3);
    assertThat(suppressed[0])
        .isInstanceOf(RetryStoppedException.class)
        .hasMessage(
            "Retry 'fetch' stopped after 3 attempts, 10.0 ms after the first failure:"
                + " maxAttempts reached (maxAttempts 3); the 2 earlier failures follow");
    assertThat(suppressed[1]).isSameAs(first);
    assertThat(suppressed[2]).isSameAs(second);
    assertThat(CompoundException.of(thrown).exceptions()).containsExactly(first, second, third);
    assertThat(CompoundException.of(thrown).reason()).contains(StopReason.MAX_ATTEMPTS);
  }

  @Test
  void call_withMaxDuration_measuresFromTheStartOfTheCall() {
    Callable<String> slowThenFail =
        () -> {
          now.advance(Duration.ofMillis(300).toNanos());
          throw new IOException("slow");
        };
    Retry retry = retry("slow").maxAttempts(2).maxDuration(Duration.ofSeconds(5)).build();

    Throwable thrown = catchThrowable(() -> retry.call(slowThenFail));

    RetryStoppedException record = (RetryStoppedException) thrown.getSuppressed()[0];
    assertThat(record.elapsed()).isEqualTo(Duration.ofMillis(600));
    assertThat(record.elapsedSinceFirstFailure()).isFalse();
    assertThat(record.getMessage()).startsWith("Retry 'slow' stopped after 2 attempts in 600 ms:");
    assertThat(record.name()).isEqualTo("slow");
    assertThat(record.attempts()).isEqualTo(2);
    assertThat(record.earlierFailures()).isEqualTo(1);
  }

  @Test
  void call_withThrowCompound_throwsACompoundExceptionCausedByTheLastFailure() {
    IOException first = new IOException("1");
    IOException second = new IOException("2");
    Retry retry = retry("compound").maxAttempts(2).throwCompound().build();

    Throwable thrown = catchThrowable(() -> retry.call(failing(first, second)));

    assertThat(thrown)
        .isInstanceOf(CompoundException.class)
        .hasCause(second)
        .hasMessageStartingWith("Retry 'compound' stopped after 2 attempts");
    CompoundException compound = (CompoundException) thrown;
    assertThat(compound.exceptions()).containsExactly(first, second);
    assertThat(compound.getSuppressed()).containsExactly(first);
    assertThat(second.getSuppressed()).isEmpty();
    assertThat(CompoundException.of(compound)).isSameAs(compound);
  }

  @Test
  void call_whenTheSameInstanceFailsEveryAttempt_listsItOnceAndNeverSuppressesItself() {
    IOException same = new IOException("cached");
    Retry retry = retry("same").maxAttempts(3).build();

    Throwable thrown = catchThrowable(() -> retry.call(failing(same, same, same)));

    assertThat(thrown).isSameAs(same);
    assertThat(same.getSuppressed()).hasSize(1).hasOnlyElementsOfType(RetryStoppedException.class);
    assertThat(CompoundException.of(same).exceptions()).containsExactly(same);
  }

  @Test
  void call_withAFailureThatCannotCarrySuppressed_stillThrowsItUnchanged() {
    Exception mute = new Exception("mute", null, false, false) {};
    IOException earlier = new IOException("earlier");
    Retry retry = retry("mute").maxAttempts(2).build();

    Throwable thrown = catchThrowable(() -> retry.call(failing(earlier, mute)));

    assertThat(thrown).isSameAs(mute);
    assertThat(CompoundException.of(thrown).exceptions()).containsExactly(mute);
  }

  // ---------------------------------------------------------------- classification

  @Test
  void call_neverRetriesAnError_andLeavesItUntouched() {
    AtomicInteger attempts = new AtomicInteger();
    StackOverflowError error = new StackOverflowError();
    Retry retry = retry("errors").maxAttempts(5).build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.call(
                    () -> {
                      if (attempts.incrementAndGet() == 1) {
                        throw new IOException("first");
                      }
                      throw error;
                    }));

    assertThat(thrown).isSameAs(error);
    assertThat(error.getSuppressed()).isEmpty();
    assertThat(attempts).hasValue(2);
  }

  @Test
  void call_aFirstFailureThatIsNotRetryable_passesThroughUntouched() {
    FileNotFoundException missing = new FileNotFoundException("gone");
    List<ExhaustedEvent> exhausted = new ArrayList<>();
    Retry retry =
        retry("files")
            .retryOn(IOException.class)
            .abortOn(FileNotFoundException.class)
            .onExhausted(exhausted::add)
            .build();

    assertThat(catchThrowable(() -> retry.call(failing(missing)))).isSameAs(missing);
    assertThat(missing.getSuppressed()).isEmpty();
    assertThat(exhausted).isEmpty();
  }

  @Test
  void call_abortOnWinsOverRetryOn_andSaysWhy() {
    IOException transient1 = new IOException("transient");
    FileNotFoundException missing = new FileNotFoundException("gone");
    Retry retry =
        retry("files")
            .maxAttempts(5)
            .retryOn(IOException.class)
            .abortOn(FileNotFoundException.class)
            .build();

    Throwable thrown = catchThrowable(() -> retry.call(failing(transient1, missing)));

    assertThat(thrown).isSameAs(missing);
    RetryStoppedException record = (RetryStoppedException) missing.getSuppressed()[0];
    assertThat(record.reason()).isEqualTo(StopReason.ABORTED);
    assertThat(record.getMessage())
        .contains(
            "failure is not retryable (java.io.FileNotFoundException matches"
                + " abortOn(java.io.FileNotFoundException))");
    assertThat(missing.getSuppressed()[1]).isSameAs(transient1);
  }

  @Test
  void call_withRetryOnOrRetryIf_retriesOnlyWhatEitherMatches() throws Exception {
    Retry retry =
        retry("picky")
            .maxAttempts(5)
            .retryOn(TimeoutException.class)
            .retryIf(t -> t.getMessage() != null && t.getMessage().contains("503"))
            .build();

    assertThat(retry.call(failing(new TimeoutException(), new IOException("HTTP 503"))))
        .isEqualTo("ok");
    IOException notFound = new IOException("HTTP 404");
    Throwable thrown = catchThrowable(() -> retry.call(failing(new TimeoutException(), notFound)));
    assertThat(thrown).isSameAs(notFound);
    assertThat(((RetryStoppedException) notFound.getSuppressed()[0]).getMessage())
        .contains("java.io.IOException matches neither retryOn nor retryIf");
  }

  @Test
  void call_whenTheWorkIsInterrupted_stopsAtOnceAndRestoresTheFlag() {
    InterruptedException interrupted = new InterruptedException("work interrupted");
    Retry retry = retry("interrupted").maxAttempts(5).build();

    Throwable thrown = catchThrowable(() -> retry.call(failing(interrupted)));

    assertThat(thrown).isSameAs(interrupted);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  // ---------------------------------------------------------------- interruption while waiting

  @Test
  void call_interruptedWhileWaiting_throwsInterruptedExceptionWithTheFailuresAttached() {
    IOException failure = new IOException("down");
    InterruptedException wakeUp = new InterruptedException("shutting down");
    Retry retry =
        Retry.builder("waiting")
            .maxAttempts(5)
            .backoff(Backoff.fixed(Duration.ofSeconds(1)))
            .sleeper(
                d -> {
                  throw wakeUp;
                })
            .build();

    Throwable thrown = catchThrowable(() -> retry.call(failing(failure)));

    assertThat(thrown).isSameAs(wakeUp);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(CompoundException.of(thrown).exceptions()).containsExactly(failure, wakeUp);
    assertThat(CompoundException.of(thrown).reason()).contains(StopReason.INTERRUPTED);
  }

  @Test
  void get_interruptedWhileWaiting_throwsTheLastFailureWithTheFlagSet() {
    UncheckedIOException failure = new UncheckedIOException(new IOException("down"));
    AtomicInteger sleeps = new AtomicInteger();
    Retry retry =
        Retry.builder("waiting")
            .maxAttempts(5)
            .backoff(Backoff.fixed(Duration.ofSeconds(1)))
            .sleeper(
                d -> {
                  // The second wait: two attempts have run, so there is a record to make.
                  if (sleeps.incrementAndGet() == 2) {
                    throw new InterruptedException();
                  }
                })
            .throwCompound()
            .build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.get(
                    () -> {
                      throw failure;
                    }));

    assertThat(thrown).isInstanceOf(CompoundException.class).hasCause(failure);
    assertThat(((CompoundException) thrown).reason()).contains(StopReason.INTERRUPTED);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void run_interruptedWhileWaiting_throwsTheLastFailureItself() {
    IllegalStateException failure = new IllegalStateException("busy");
    Retry retry =
        Retry.builder("waiting")
            .backoff(Backoff.fixed(Duration.ofSeconds(1)))
            .sleeper(
                d -> {
                  throw new InterruptedException();
                })
            .build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.run(
                    () -> {
                      throw failure;
                    }));

    assertThat(thrown).isSameAs(failure);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  // ---------------------------------------------------------------- maxDuration

  @Test
  void call_neverWaitsPastMaxDuration() {
    Retry retry =
        retry("bounded")
            .maxAttempts(100)
            .maxDuration(Duration.ofMillis(1000))
            .backoff(Backoff.fixed(Duration.ofMillis(300)))
            .build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.call(
                    () -> {
                      throw new IOException("down");
                    }));

    // Attempts at 0, 300, 600, 900 ms; one more wait would end at 1200 ms, past the bound.
    assertThat(sleeper.sleeps()).hasSize(3);
    RetryStoppedException record = (RetryStoppedException) thrown.getSuppressed()[0];
    assertThat(record.reason()).isEqualTo(StopReason.MAX_DURATION);
    assertThat(record.attempts()).isEqualTo(4);
    assertThat(record.getMessage())
        .contains("maxDuration would be exceeded (maxDuration 1.00 s, next wait 300 ms)");
  }

  @Test
  void call_worksWithATickerNearLongMaxValue() {
    now.set(Long.MAX_VALUE - Duration.ofMillis(500).toNanos());
    Retry retry =
        retry("overflow")
            .maxAttempts(100)
            .maxDuration(Duration.ofSeconds(1))
            .backoff(Backoff.fixed(Duration.ofMillis(300)))
            .build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.call(
                    () -> {
                      throw new IOException("down");
                    }));

    assertThat(sleeper.sleeps()).hasSize(3);
    assertThat(((RetryStoppedException) thrown.getSuppressed()[0]).elapsed())
        .isEqualTo(Duration.ofMillis(900));
  }

  // ---------------------------------------------------------------- results

  @Test
  void call_retriesRejectedResults_andReturnsTheLastWhenAttemptsRunOut() throws Exception {
    AtomicInteger attempt = new AtomicInteger();
    List<ExhaustedEvent> exhausted = new ArrayList<>();
    Retry retry =
        retry("status")
            .maxAttempts(3)
            .retryIfResult(Integer.class, status -> status == 503)
            .onExhausted(exhausted::add)
            .build();

    assertThat(retry.call(() -> attempt.incrementAndGet() < 2 ? 503 : 200)).isEqualTo(200);
    assertThat(retry.call(() -> 503)).isEqualTo(503);
    assertThat(retry.get(() -> 503)).isEqualTo(503);
    assertThat(exhausted).hasSize(2);
    assertThat(exhausted.get(0).result()).isEqualTo(503);
    assertThat(exhausted.get(0).failure()).isNull();
    assertThat(exhausted.get(0).reason()).isEqualTo(StopReason.MAX_ATTEMPTS);
  }

  @Test
  void get_andDecoratedFunctions_returnAnAcceptedResultAtOnce_withoutTellingOnRetry() {
    AtomicInteger attempts = new AtomicInteger();
    List<RetryEvent> retries = new ArrayList<>();
    Retry retry =
        retry("status")
            .maxAttempts(3)
            .retryIfResult(Integer.class, status -> status == 503)
            .onRetry(retries::add)
            .build();
    Function<Integer, Integer> lookup =
        retry.decorateFunction(
            id -> {
              attempts.incrementAndGet();
              return 200 + id;
            });

    assertThat(
            retry.get(
                () -> {
                  attempts.incrementAndGet();
                  return 200;
                }))
        .isEqualTo(200);
    assertThat(lookup.apply(1)).isEqualTo(201);

    assertThat(attempts).hasValue(2);
    assertThat(retries).isEmpty();
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void call_neverRejectsNullOrResultsOfAnotherType() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    Retry retry = retry("types").maxAttempts(3).retryIfResult(String.class, s -> true).build();
    assertThat(
            retry.<Object>call(
                () -> {
                  attempts.incrementAndGet();
                  return 42;
                }))
        .isEqualTo(42);
    assertThat(retry.<Object>call(() -> null)).isNull();
    assertThat(attempts).hasValue(1);
  }

  @Test
  void call_aFailureAfterRejectedResults_isThrown() {
    AtomicInteger attempt = new AtomicInteger();
    IOException failure = new IOException("then down");
    Retry retry =
        retry("mixed").maxAttempts(3).retryIfResult(String.class, "retry"::equals).build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.call(
                    () -> {
                      if (attempt.incrementAndGet() < 3) {
                        return "retry";
                      }
                      throw failure;
                    }));

    assertThat(thrown).isSameAs(failure);
    assertThat(CompoundException.of(failure).exceptions()).containsExactly(failure);
  }

  // ---------------------------------------------------------------- listeners

  @Test
  void listeners_hearEveryRetryAndTheEnd_andTheirFailuresChangeNothing() {
    List<RetryEvent> retries = new ArrayList<>();
    List<ExhaustedEvent> ends = new ArrayList<>();
    IOException first = new IOException("1");
    IOException second = new IOException("2");
    Retry retry =
        retry("heard")
            .maxAttempts(2)
            .backoff(Backoff.fixed(Duration.ofMillis(7)))
            .onRetry(
                e -> {
                  throw new IllegalStateException("listener bug");
                })
            .onRetry(retries::add)
            .onExhausted(
                e -> {
                  throw new IllegalStateException("listener bug");
                })
            .onExhausted(ends::add)
            .build();

    Throwable thrown = catchThrowable(() -> retry.call(failing(first, second)));

    assertThat(thrown).isSameAs(second);
    assertThat(retries)
        .containsExactly(new RetryEvent("heard", 1, first, null, Duration.ofMillis(7)));
    assertThat(retries.get(0))
        .hasToString(
            "Retry 'heard' attempt 1 failed with java.io.IOException: 1; next attempt in 7.00 ms");
    assertThat(ends).hasSize(1);
    assertThat(ends.get(0).attempts()).isEqualTo(2);
    assertThat(ends.get(0).failure()).isSameAs(second);
    assertThat(ends.get(0).elapsed()).isEqualTo(Duration.ofMillis(7));
  }

  @Test
  void retryEvent_forARejectedResult_saysWhatWasReturned() {
    assertThat(new RetryEvent("r", 2, null, 503, Duration.ZERO))
        .hasToString("Retry 'r' attempt 2 returned 503; next attempt in 0 ns");
  }

  // ---------------------------------------------------------------- verbs

  @Test
  void decorators_retryEveryInvocation() throws Exception {
    Retry retry = retry("decorated").maxAttempts(2).build();
    AtomicInteger calls = new AtomicInteger();
    Supplier<String> flaky =
        () -> {
          if (calls.incrementAndGet() % 2 == 1) {
            throw new IllegalStateException("odd");
          }
          return "even";
        };

    assertThat(retry.decorateSupplier(flaky).get()).isEqualTo("even");
    assertThat(retry.decorateCallable(flaky::get).call()).isEqualTo("even");
    Function<String, String> echo = retry.decorateFunction(s -> flaky.get() + s);
    assertThat(echo.apply("!")).isEqualTo("even!");
    retry.decorateRunnable(() -> calls.addAndGet(flaky.get().length() - 4)).run();
    assertThat(calls).hasValue(8);
  }

  @Test
  void get_aSneakilyThrownCheckedFailure_passesThroughOnTheFirstAttempt_andIsWrappedLater() {
    Exception checked = new Exception("sneaky");
    Retry retry = retry("sneaky").maxAttempts(2).build();

    Throwable first = catchThrowable(() -> retry.get(() -> RetryTest.sneakyThrow(checked)));
    assertThat(first).isSameAs(checked);

    AtomicInteger attempt = new AtomicInteger();
    Supplier<String> laterSneaky =
        () -> {
          if (attempt.incrementAndGet() == 1) {
            throw new IllegalStateException("first");
          }
          return RetryTest.sneakyThrow(checked);
        };
    Throwable later = catchThrowable(() -> retry.get(laterSneaky));
    assertThat(later).isInstanceOf(UndeclaredThrowableException.class).hasCause(checked);
  }

  @Test
  void get_aSneakilyThrownCheckedFailureOnALaterAttempt_isNotRetried_asOnTheFirst() {
    Exception checked = new Exception("sneaky");
    IllegalStateException first = new IllegalStateException("first");
    AtomicInteger attempt = new AtomicInteger();
    Retry retry = retry("sneaky").maxAttempts(5).build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.get(
                    () -> {
                      if (attempt.incrementAndGet() == 1) {
                        throw first;
                      }
                      return RetryTest.sneakyThrow(checked);
                    }));

    assertThat(attempt).hasValue(2);
    assertThat(thrown).isInstanceOf(UndeclaredThrowableException.class).hasCause(checked);
    CompoundException all = CompoundException.of(checked);
    assertThat(all.exceptions()).containsExactly(first, checked);
    assertThat(all.reason()).contains(StopReason.ABORTED);
    assertThat(all.getMessage())
        .contains("java.lang.Exception is a checked exception thrown by unchecked work");
  }

  @Test
  void listeners_aSneakilyThrownCheckedException_isIgnoredLikeAnyOther() throws Exception {
    Exception checked = new Exception("listener bug");
    Retry retry =
        retry("heard")
            .maxAttempts(2)
            .onRetry(e -> RetryTest.sneakyThrow(checked))
            .onExhausted(e -> RetryTest.sneakyThrow(checked))
            .build();

    assertThat(retry.call(failing(new IOException("1")))).isEqualTo("ok");
    IOException last = new IOException("2");
    assertThat(catchThrowable(() -> retry.call(failing(new IOException("1"), last))))
        .isSameAs(last);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> String sneakyThrow(Exception e) throws E {
    throw (E) e;
  }

  @Test
  void aBackoffReturningANegativeDelay_failsClearlyWithTheFailureAttached() {
    IOException failure = new IOException("down");
    Backoff broken = (attempt, random) -> Duration.ofMillis(-1);
    Retry retry = retry("broken").backoff(broken).build();

    Throwable thrown = catchThrowable(() -> retry.call(failing(failure)));

    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Retry 'broken': backoff ")
        .hasMessageEndingWith(" returned PT-0.001S for attempt 1");
    assertThat(thrown.getSuppressed()).containsExactly(failure);
  }

  @Test
  void call_whenRetryIfResultThrowsOnALaterAttempt_stopsWithItsExceptionAtOnce() {
    IllegalStateException broken = new IllegalStateException("predicate bug");
    AtomicInteger attempts = new AtomicInteger();
    Retry retry =
        retry("predicate")
            .maxAttempts(5)
            .retryIfResult(
                String.class,
                s -> {
                  throw broken;
                })
            .build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.call(
                    () -> {
                      if (attempts.incrementAndGet() == 1) {
                        throw new IOException("first");
                      }
                      return "second";
                    }));

    // As on the first attempt: the predicate's exception is not the work failing, so it is not
    // retried, and it leaves as it was thrown.
    assertThat(thrown).isSameAs(broken);
    assertThat(broken.getSuppressed()).isEmpty();
    assertThat(attempts).hasValue(2);
  }

  @Test
  void aBackoffReturningNull_failsClearlyWithEveryFailureSoFarAttached() {
    IOException first = new IOException("1");
    IOException second = new IOException("2");
    Backoff broken = (attempt, random) -> attempt == 1 ? Duration.ZERO : null;
    Retry retry = retry("broken").maxAttempts(5).backoff(broken).build();

    Throwable thrown = catchThrowable(() -> retry.call(failing(first, second)));

    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith(" returned null for attempt 2");
    assertThat(thrown.getSuppressed()).containsExactly(first, second);
  }

  @Test
  void aCustomBackoffReturningANegativeDelay_isReportedThroughWithJitterAndWithMaxDelay() {
    Backoff negative = (attempt, random) -> Duration.ofMillis(-1);
    Backoff none = (attempt, random) -> null;
    for (Backoff wrapped :
        List.of(
            negative.withJitter(0.5),
            negative.withMaxDelay(Duration.ofSeconds(1)),
            none.withJitter(0.5),
            none.withMaxDelay(Duration.ofSeconds(1)))) {
      Retry retry = retry("wrapped").backoff(wrapped).build();

      Throwable thrown = catchThrowable(() -> retry.call(failing(new IOException("down"))));

      assertThat(thrown)
          .as("%s", wrapped)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(" for attempt 1");
    }
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void call_whenTheSleeperOversleepsPastMaxDuration_startsNoFurtherAttempt() {
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger sleeps = new AtomicInteger();
    Retry retry =
        Retry.builder("late")
            .maxAttempts(5)
            .maxDuration(Duration.ofSeconds(1))
            .backoff(Backoff.fixed(Duration.ofMillis(300)))
            .ticker(now)
            // The second wait, asked for 300 ms, ends a second later: a busy machine.
            .sleeper(d -> now.advance(sleeps.incrementAndGet() == 2 ? 1_000_000_000L : d.toNanos()))
            .build();

    Throwable thrown =
        catchThrowable(
            () ->
                retry.call(
                    () -> {
                      throw new IOException("attempt " + attempts.incrementAndGet());
                    }));

    assertThat(attempts).hasValue(2);
    assertThat(thrown).hasMessage("attempt 2");
    RetryStoppedException record = (RetryStoppedException) thrown.getSuppressed()[0];
    assertThat(record.reason()).isEqualTo(StopReason.MAX_DURATION);
    assertThat(record.attempts()).isEqualTo(2);
    assertThat(record.getMessage())
        .contains("(maxDuration 1.00 s, the wait ended 1.30 s after the call started)");
  }

  @Test
  void nestedRetries_listTheOuterAttempts() {
    IOException a = new IOException("a");
    IOException b = new IOException("b");
    IOException c = new IOException("c");
    IOException d = new IOException("d");
    Callable<String> work = failing(a, b, c, d);
    Retry inner = retry("inner").maxAttempts(2).build();
    Retry outer = retry("outer").maxAttempts(2).build();

    Throwable thrown = catchThrowable(() -> outer.call(() -> inner.call(work)));

    assertThat(thrown).isSameAs(d);
    CompoundException all = CompoundException.of(thrown);
    assertThat(all.exceptions()).containsExactly(b, d);
    assertThat(all.getMessage()).startsWith("Retry 'outer'");
    assertThat(CompoundException.of(b).exceptions()).containsExactly(a, b);
  }

  @Test
  void toString_showsTheConfiguration() {
    Retry retry =
        Retry.builder("fetch")
            .maxAttempts(4)
            .maxDuration(Duration.ofSeconds(2))
            .backoff(Backoff.fixed(Duration.ofMillis(10)))
            .budget(RetryBudget.ratio(0.1))
            .build();
    assertThat(retry)
        .hasToString(
            "Retry[name=fetch, maxAttempts=4, maxDuration=2.00 s, backoff=Fixed[delay=PT0.01S],"
                + " budget=RetryBudget[ratio=0.1, minRetriesPerSecond=10, window=10.0 s]]");
    assertThat(retry.name()).isEqualTo("fetch");
    assertThat(retry.maxAttempts()).isEqualTo(4);
    assertThat(retry.maxDuration()).contains(Duration.ofSeconds(2));
    assertThat(retry.backoff()).isEqualTo(Backoff.fixed(Duration.ofMillis(10)));
    assertThat(retry.budget()).isPresent();
    assertThat(Retry.of("plain", 2))
        .hasToString("Retry[name=plain, maxAttempts=2, backoff=Fixed[delay=PT0S]]");
  }

  @Test
  void theSystemSleeperReallyWaitsAndHonoursInterrupts() {
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> Sleeper.system().sleep(Duration.ofDays(1)))
        .isInstanceOf(InterruptedException.class);
  }
}
