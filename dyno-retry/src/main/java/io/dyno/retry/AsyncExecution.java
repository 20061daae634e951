package io.dyno.retry;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.dyno.retry.internal.Durations;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One {@link Retry#callAsync} call: starts attempts, judges each stage's outcome, and schedules the
 * next attempt on the scheduler instead of blocking a thread through the wait.
 *
 * <p>The future completes exactly once, whatever user code throws. Every call into user code (the
 * ticker and budget at the start, the supplier, the stage's own {@code whenComplete}, the
 * predicates, the backoff and the listeners while judging, the scheduler) runs inside a step that
 * catches every {@link Throwable}: otherwise an exception thrown on a stage's thread or in a
 * scheduled task would vanish there and leave the future pending forever.
 *
 * <p>Each step runs after the previous one completed (a stage's completion, then the scheduled
 * task), so the {@link Execution} is never used by two threads at once; the fields that a
 * cancellation reads from another thread are volatile.
 */
final class AsyncExecution<T> {

  private final RetryConfig config;
  private final Supplier<? extends CompletionStage<T>> supplier;
  private final ScheduledExecutorService scheduler;
  private final CompletableFuture<T> promise = new CompletableFuture<>();

  /**
   * How many attempts have been judged. A stage may call back twice (a hand-written {@code
   * CompletionStage} can); judging its attempt twice would start two next attempts.
   */
  private final AtomicInteger judged = new AtomicInteger();

  private long start;
  private @Nullable Execution execution;

  /** The outcome of the attempt judged last, for giving up before the next one starts. */
  private @Nullable Throwable lastFailure;

  private @Nullable T lastResult;

  private volatile @Nullable Future<?> pending;

  AsyncExecution(
      RetryConfig config,
      Supplier<? extends CompletionStage<T>> supplier,
      ScheduledExecutorService scheduler) {
    this.config = config;
    this.supplier = supplier;
    this.scheduler = scheduler;
  }

  @SuppressWarnings("FutureReturnValueIgnored") // the callback cannot fail; nothing to observe
  CompletableFuture<T> start() {
    promise.whenComplete(this::afterCompletion);
    try {
      start = config.startCall();
    } catch (Throwable tickerOrBudget) {
      promise.completeExceptionally(tickerOrBudget);
      return promise;
    }
    attempt(1);
    return promise;
  }

  /** Done, by the retry or from outside (a cancellation): no further attempt may start. */
  private void afterCompletion(@Nullable T result, @Nullable Throwable failure) {
    Future<?> next = pending;
    // The execution was set before pending, so reading pending first makes it visible here.
    if (next != null && next.cancel(false)) {
      giveBackRetry();
    }
  }

  /** Gives back the budget's retry for an attempt that will not start; a no-op if none is held. */
  private void giveBackRetry() {
    Execution ex = execution;
    if (ex != null) {
      ex.giveBackRetry();
    }
  }

  private void attempt(int number) {
    try {
      if (promise.isDone()) {
        giveBackRetry();
        return;
      }
      Execution ex = execution;
      if (ex != null && !ex.startNextAttempt()) {
        giveUp(ex, lastFailure, lastResult);
        return;
      }
      CompletionStage<T> stage;
      try {
        stage = supplier.get();
      } catch (Error error) {
        promise.completeExceptionally(error);
        return;
      } catch (Throwable failure) {
        // Any exception, a checked one thrown past the compiler included, is a failed attempt.
        judge(number, null, failure);
        return;
      }
      if (stage == null) {
        judge(
            number,
            null,
            new NullPointerException("Retry '" + config.name() + "': supplier returned null"));
        return;
      }
      stage.whenComplete((result, failure) -> judge(number, result, failure));
    } catch (Throwable stageOrScheduler) {
      giveBackRetry();
      promise.completeExceptionally(stageOrScheduler);
    }
  }

  private void judge(int number, @Nullable T result, @Nullable Throwable failure) {
    if (!judged.compareAndSet(number - 1, number)) {
      return;
    }
    try {
      if (promise.isDone()) {
        return;
      }
      Throwable cause = unwrap(failure);
      if (cause instanceof Error error) {
        promise.completeExceptionally(error);
        return;
      }
      if (cause == null && !config.rejects(result)) {
        config.recordSuccess();
        promise.complete(result);
        return;
      }
      Execution ex = execution;
      if (ex == null) {
        ex = new Execution(config, start, false);
        execution = ex;
      }
      if (ex.next(cause, cause == null ? result : null)) {
        lastFailure = cause;
        lastResult = result;
        schedule(number + 1, ex);
        return;
      }
      giveUp(ex, cause, result);
    } catch (Throwable userCode) {
      // A predicate, the backoff, a listener or the ticker threw: that ends the call, as it would
      // leave a blocking call.
      giveBackRetry();
      promise.completeExceptionally(userCode);
    }
  }

  /** Completes the future as the stopped execution says: with the last failure or result. */
  private void giveUp(Execution ex, @Nullable Throwable cause, @Nullable T result) {
    if (cause == null) {
      config.notifyExhausted(ex.exhaustedEvent(null, result));
      promise.complete(result);
      return;
    }
    promise.completeExceptionally(ex.prepareToLeave(cause, cause, null));
  }

  private void schedule(int number, Execution ex) {
    try {
      pending =
          scheduler.schedule(
              () -> attempt(number), Durations.toNanosSaturated(ex.delay()), NANOSECONDS);
    } catch (RuntimeException refused) {
      // No attempt can start (usually a RejectedExecutionException): fail with the refusal,
      // carrying every failure so far.
      ex.giveBackRetry();
      for (Throwable failure : ex.distinctFailures()) {
        refused.addSuppressed(failure);
      }
      promise.completeExceptionally(refused);
    }
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable failure) {
    if (failure instanceof CompletionException && failure.getCause() != null) {
      return failure.getCause();
    }
    return failure;
  }
}
