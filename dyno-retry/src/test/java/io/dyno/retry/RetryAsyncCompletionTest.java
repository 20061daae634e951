package io.dyno.retry;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.CompletableFuture.failedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link Retry#callAsync} completes its future exactly once whatever the user's code throws: the
 * supplier, the predicates, the backoff, the listeners, the ticker, the scheduler, or a stage that
 * misbehaves. Each case checks that the future is done with the expected throwable, that no further
 * attempt starts and that nothing is left scheduled.
 */
class RetryAsyncCompletionTest {

  private final FakeTicker clock = FakeTicker.create();
  private final ManualScheduler scheduler = ManualScheduler.on(clock);
  private final AtomicInteger attempts = new AtomicInteger();
  private final List<RetryEvent> retried = new ArrayList<>();
  private final List<ExhaustedEvent> exhausted = new ArrayList<>();

  /** 3 attempts, 100 ms apart, on the scheduler's clock, events recorded. */
  private Retry.Builder retry() {
    return Retry.builder("fetch")
        .maxAttempts(3)
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .ticker(scheduler.ticker())
        .onRetry(retried::add)
        .onExhausted(exhausted::add);
  }

  /** A supplier whose n-th attempt fails with the n-th throwable, or returns the n-th value. */
  private Supplier<CompletionStage<String>> stages(Object... outcomes) {
    return () -> {
      Object outcome = outcomes[attempts.getAndIncrement()];
      if (outcome instanceof Throwable failure) {
        return failedFuture(failure);
      }
      return completedFuture((String) outcome);
    };
  }

  /** The throwable {@code future} completed with, not wrapped. */
  private static Throwable failureOf(CompletableFuture<?> future) {
    assertThat(future).isCompletedExceptionally();
    return future.handle((result, failure) -> failure).join();
  }

  /** Throws {@code e}, checked or not, past the compiler, as careless user code may. */
  @SuppressWarnings("unchecked")
  private static <E extends Exception> CompletionStage<String> sneakyThrow(Exception e) throws E {
    throw (E) e;
  }

  // ---------------------------------------------------------------- retryIfResult

  @Test
  void callAsync_whenRetryIfResultThrows_failsWithItsExceptionAndMakesNoFurtherAttempt() {
    IllegalStateException broken = new IllegalStateException("predicate bug");
    Retry retry =
        retry()
            .retryIfResult(
                String.class,
                s -> {
                  throw broken;
                })
            .build();

    CompletableFuture<String> future = retry.callAsync(stages("a", "b"), scheduler);

    assertThat(failureOf(future)).isSameAs(broken);
    assertThat(broken.getSuppressed()).isEmpty();
    assertThat(attempts).hasValue(1);
    assertThat(scheduler.pendingCount()).isZero();
    assertThat(retried).isEmpty();
    assertThat(exhausted).isEmpty();
  }

  @Test
  void callAsync_whenRetryIfResultThrowsOnALaterAttempt_failsWithItsException() {
    IllegalStateException broken = new IllegalStateException("predicate bug");
    Retry retry =
        retry()
            .retryIfResult(
                String.class,
                s -> {
                  throw broken;
                })
            .build();

    CompletableFuture<String> future =
        retry.callAsync(stages(new IOException("first"), "b", "c"), scheduler);
    assertThat(scheduler.runNext()).isTrue();

    assertThat(failureOf(future)).isSameAs(broken);
    assertThat(attempts).hasValue(2);
    assertThat(scheduler.pendingCount()).isZero();
  }

  @Test
  void callAsync_whenRetryIfResultThrowsAnError_failsWithTheError() {
    TestError error = new TestError();
    Retry retry =
        retry()
            .retryIfResult(
                String.class,
                s -> {
                  throw error;
                })
            .build();

    assertThat(failureOf(retry.callAsync(stages("a"), scheduler))).isSameAs(error);
    assertThat(error.getSuppressed()).isEmpty();
  }

  // ---------------------------------------------------------------- the supplier

  @Test
  void callAsync_whenTheSupplierSneakilyThrowsACheckedExceptionLater_countsItAsAFailedAttempt() {
    Exception checked = new Exception("checked, thrown past the compiler");
    IOException first = new IOException("first");
    Supplier<CompletionStage<String>> supplier =
        () -> {
          if (attempts.getAndIncrement() == 0) {
            return failedFuture(first);
          }
          return sneakyThrow(checked);
        };

    CompletableFuture<String> future =
        retry().maxAttempts(2).build().callAsync(supplier, scheduler);
    // A real scheduler would swallow what escapes its task: here it would reach the test.
    assertThat(scheduler.runNext()).isTrue();

    assertThat(failureOf(future)).isSameAs(checked);
    assertThat(CompoundException.of(checked).exceptions()).containsExactly(first, checked);
    assertThat(exhausted).singleElement().extracting(ExhaustedEvent::failure).isSameAs(checked);
    assertThat(scheduler.pendingCount()).isZero();
  }

  @Test
  void callAsync_whenTheSupplierSneakilyThrowsACheckedExceptionAtOnce_retriesInsteadOfThrowing() {
    Exception checked = new Exception("checked, thrown past the compiler");
    Supplier<CompletionStage<String>> supplier =
        () -> attempts.getAndIncrement() == 0 ? sneakyThrow(checked) : completedFuture("ok");

    AtomicReference<CompletableFuture<String>> future = new AtomicReference<>();
    assertThatCode(() -> future.set(retry().build().callAsync(supplier, scheduler)))
        .doesNotThrowAnyException();
    assertThat(scheduler.runNext()).isTrue();

    assertThat(future.get()).isCompletedWithValue("ok");
    assertThat(retried).extracting(RetryEvent::failure).containsExactly(checked);
  }

  @Test
  void callAsync_whenTheSupplierThrowsAnErrorOnALaterAttempt_failsWithTheError() {
    TestError error = new TestError();
    Supplier<CompletionStage<String>> supplier =
        () -> {
          if (attempts.getAndIncrement() == 0) {
            return failedFuture(new IOException("first"));
          }
          throw error;
        };

    CompletableFuture<String> future = retry().build().callAsync(supplier, scheduler);
    assertThat(scheduler.runNext()).isTrue();

    assertThat(failureOf(future)).isSameAs(error);
    assertThat(error.getSuppressed()).isEmpty();
    assertThat(scheduler.pendingCount()).isZero();
    assertThat(exhausted).isEmpty();
  }

  // ---------------------------------------------------------------- classification and backoff

  @Test
  void callAsync_whenRetryIfThrowsAnError_failsWithTheError() {
    TestError error = new TestError();
    Retry retry =
        retry()
            .retryIf(
                t -> {
                  throw error;
                })
            .build();

    assertThat(failureOf(retry.callAsync(stages(new IOException("x")), scheduler))).isSameAs(error);
    assertThat(scheduler.pendingCount()).isZero();
  }

  @Test
  void callAsync_whenTheBackoffThrows_failsWithItsExceptionAndMakesNoFurtherAttempt() {
    IllegalStateException broken = new IllegalStateException("backoff bug");
    Retry retry =
        retry()
            .backoff(
                (attempt, random) -> {
                  throw broken;
                })
            .build();

    CompletableFuture<String> future = retry.callAsync(stages(new IOException("x")), scheduler);

    assertThat(failureOf(future)).isSameAs(broken);
    assertThat(attempts).hasValue(1);
    assertThat(scheduler.pendingCount()).isZero();
  }

  @Test
  void callAsync_whenTheBackoffThrowsAnError_failsWithTheError() {
    TestError error = new TestError();
    Retry retry =
        retry()
            .backoff(
                (attempt, random) -> {
                  throw error;
                })
            .build();

    assertThat(failureOf(retry.callAsync(stages(new IOException("x")), scheduler))).isSameAs(error);
  }

  // ---------------------------------------------------------------- listeners

  @Test
  void callAsync_whenAnOnRetryListenerThrowsAnError_failsWithTheErrorAndSchedulesNothing() {
    TestError error = new TestError();
    Retry retry =
        retry()
            .onRetry(
                e -> {
                  throw error;
                })
            .build();

    CompletableFuture<String> future = retry.callAsync(stages(new IOException("x")), scheduler);

    assertThat(failureOf(future)).isSameAs(error);
    assertThat(scheduler.pendingCount()).isZero();
    assertThat(attempts).hasValue(1);
  }

  @Test
  void callAsync_whenAnOnExhaustedListenerThrowsAnError_failsWithTheErrorOnce() {
    TestError error = new TestError();
    AtomicInteger told = new AtomicInteger();
    Retry retry =
        retry()
            .maxAttempts(2)
            .onExhausted(
                e -> {
                  told.incrementAndGet();
                  throw error;
                })
            .build();

    CompletableFuture<String> future =
        retry.callAsync(stages(new IOException("1"), new IOException("2")), scheduler);
    assertThat(scheduler.runNext()).isTrue();

    assertThat(failureOf(future)).isSameAs(error);
    assertThat(told).hasValue(1);
  }

  @Test
  void callAsync_aListenerThrowingARuntimeException_changesNothing() {
    Retry retry =
        retry()
            .onRetry(
                e -> {
                  throw new IllegalStateException("listener bug");
                })
            .build();

    CompletableFuture<String> future =
        retry.callAsync(stages(new IOException("1"), "ok"), scheduler);
    assertThat(scheduler.runNext()).isTrue();

    assertThat(future).isCompletedWithValue("ok");
  }

  // ---------------------------------------------------------------- the ticker

  @Test
  void callAsync_whenTheTickerThrows_failsTheFutureInsteadOfThrowing() {
    IllegalStateException broken = new IllegalStateException("clock bug");
    Retry retry =
        Retry.builder("timed")
            .maxDuration(Duration.ofSeconds(1))
            .ticker(
                () -> {
                  throw broken;
                })
            .build();

    AtomicReference<CompletableFuture<String>> future = new AtomicReference<>();
    assertThatCode(() -> future.set(retry.callAsync(stages("ok"), scheduler)))
        .doesNotThrowAnyException();

    assertThat(failureOf(future.get())).isSameAs(broken);
    assertThat(attempts).hasValue(0);
  }

  @Test
  void callAsync_whenTheTickerThrowsWhileJudgingAFailure_failsWithItsException() {
    IllegalStateException broken = new IllegalStateException("clock bug");
    AtomicInteger reads = new AtomicInteger();
    Retry retry =
        Retry.builder("timed")
            .maxDuration(Duration.ofSeconds(1))
            .ticker(
                () -> {
                  if (reads.getAndIncrement() > 0) {
                    throw broken;
                  }
                  return 0L;
                })
            .build();

    CompletableFuture<String> future = retry.callAsync(stages(new IOException("x")), scheduler);

    assertThat(failureOf(future)).isSameAs(broken);
    assertThat(scheduler.pendingCount()).isZero();
  }

  // ---------------------------------------------------------------- the scheduler

  @Test
  void callAsync_whenTheSchedulerThrowsSomethingElseThanARejection_failsWithIt() {
    UnsupportedOperationException unsupported = new UnsupportedOperationException("no delays");
    // Never runs a task, so it never starts a thread.
    ScheduledThreadPoolExecutor refusing =
        new ScheduledThreadPoolExecutor(1) {
          @Override
          public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            throw unsupported;
          }
        };
    IOException first = new IOException("first");
    try {
      CompletableFuture<String> future = retry().build().callAsync(stages(first), refusing);

      assertThat(failureOf(future)).isSameAs(unsupported);
      assertThat(unsupported.getSuppressed()).containsExactly(first);
    } finally {
      refusing.shutdownNow();
    }
  }

  @Test
  void callAsync_whenTheSchedulerRejects_failsWithTheRejection() {
    scheduler.shutdown();

    CompletableFuture<String> future =
        retry().build().callAsync(stages(new IOException("x")), scheduler);

    assertThat(failureOf(future)).isInstanceOf(RejectedExecutionException.class);
  }

  // ---------------------------------------------------------------- misbehaving stages

  @Test
  void callAsync_whenAStageCallsBackTwice_judgesTheAttemptOnce() {
    CompletableFuture<String> twice =
        new CompletableFuture<>() {
          @Override
          public CompletableFuture<String> whenComplete(
              BiConsumer<? super String, ? super Throwable> action) {
            action.accept(null, new IOException("once"));
            action.accept(null, new IOException("twice"));
            return this;
          }
        };
    Supplier<CompletionStage<String>> supplier =
        () -> attempts.getAndIncrement() == 0 ? twice : completedFuture("ok");

    CompletableFuture<String> future = retry().build().callAsync(supplier, scheduler);

    assertThat(scheduler.pendingCount()).isOne();
    assertThat(retried).hasSize(1);
    assertThat(scheduler.runNext()).isTrue();
    assertThat(future).isCompletedWithValue("ok");
    assertThat(attempts).hasValue(2);
  }

  @Test
  void callAsync_whenAStageRefusesACallback_failsWithItsException() {
    IllegalStateException refused = new IllegalStateException("no callbacks");
    CompletableFuture<String> refusing =
        new CompletableFuture<>() {
          @Override
          public CompletableFuture<String> whenComplete(
              BiConsumer<? super String, ? super Throwable> action) {
            throw refused;
          }
        };

    AtomicReference<CompletableFuture<String>> future = new AtomicReference<>();
    assertThatCode(() -> future.set(retry().build().callAsync(() -> refusing, scheduler)))
        .doesNotThrowAnyException();

    assertThat(failureOf(future.get())).isSameAs(refused);
  }

  /** An Error of the test's own, so that a real one is never mistaken for it. */
  private static final class TestError extends Error {
    private static final long serialVersionUID = 1L;

    TestError() {
      super("test error");
    }
  }
}
