package io.dyno.retry;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.dyno.retry.internal.Backoffs;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One {@link Retry#callAsync} call: starts attempts, judges each stage's outcome, and schedules the
 * next attempt on the scheduler instead of blocking a thread through the wait.
 *
 * <p>Each step runs after the previous one completed (a stage's completion, then the scheduled
 * task), so the {@link Execution} is never used by two threads at once; the fields that a
 * cancellation reads from another thread are volatile.
 */
final class AsyncExecution<T> {

  private final Retry retry;
  private final Supplier<? extends CompletionStage<T>> supplier;
  private final ScheduledExecutorService scheduler;
  private final long start;
  private final CompletableFuture<T> promise = new CompletableFuture<>();
  private @Nullable Execution execution;
  private volatile @Nullable Future<?> pending;

  AsyncExecution(
      Retry retry,
      Supplier<? extends CompletionStage<T>> supplier,
      ScheduledExecutorService scheduler,
      long start) {
    this.retry = retry;
    this.supplier = supplier;
    this.scheduler = scheduler;
    this.start = start;
  }

  @SuppressWarnings("FutureReturnValueIgnored") // the callback cannot fail; nothing to observe
  CompletableFuture<T> start() {
    promise.whenComplete(
        (result, failure) -> {
          // Cancelled (or completed) from outside: no further attempt may start.
          Future<?> next = pending;
          if (next != null && promise.isCancelled()) {
            next.cancel(false);
          }
        });
    attempt();
    return promise;
  }

  private void attempt() {
    if (promise.isDone()) {
      return;
    }
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
    } catch (RuntimeException failure) {
      judge(null, failure);
      return;
    } catch (Error error) {
      // On a scheduler thread an Error would vanish into the scheduler's future: hand it on.
      promise.completeExceptionally(error);
      return;
    }
    if (stage == null) {
      judge(null, new NullPointerException("Retry '" + retry.name() + "': supplier returned null"));
      return;
    }
    stage.whenComplete(this::judge);
  }

  private void judge(@Nullable T result, @Nullable Throwable failure) {
    if (promise.isDone()) {
      return;
    }
    Throwable cause = unwrap(failure);
    if (cause instanceof Error error) {
      promise.completeExceptionally(error);
      return;
    }
    if (cause == null && !retry.rejects(result)) {
      promise.complete(result);
      return;
    }
    Execution ex = execution;
    if (ex == null) {
      ex = new Execution(retry, start, retry.timed());
      execution = ex;
    }
    boolean again;
    try {
      again = ex.next(cause, cause == null ? result : null);
    } catch (RuntimeException brokenBackoff) {
      promise.completeExceptionally(brokenBackoff);
      return;
    }
    if (again) {
      schedule(ex.delay(), ex);
      return;
    }
    if (cause == null) {
      retry.notifyExhausted(ex.exhaustedEvent(null, result));
      promise.complete(result);
      return;
    }
    promise.completeExceptionally(retry.prepareToLeave(ex, cause, cause, null));
  }

  private void schedule(Duration delay, Execution ex) {
    try {
      pending = scheduler.schedule(this::attempt, Backoffs.toNanosSaturated(delay), NANOSECONDS);
    } catch (RejectedExecutionException rejected) {
      // No attempt can start: fail with the refusal, carrying every failure so far.
      for (Throwable failure : ex.distinctFailures()) {
        rejected.addSuppressed(failure);
      }
      promise.completeExceptionally(rejected);
    }
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable failure) {
    if (failure instanceof CompletionException && failure.getCause() != null) {
      return failure.getCause();
    }
    return failure;
  }
}
