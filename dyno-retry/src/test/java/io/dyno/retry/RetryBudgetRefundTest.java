package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A retry the budget granted but that never ran is given back: when the wait ended past {@code
 * maxDuration}, when the clock failed as the attempt was about to start, when the call was
 * cancelled before it started, and when the scheduler threw an {@link Error}. A retry that ran
 * stays spent.
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

  /** An async retry through the budget that may retry once after 10 ms. */
  private Retry asyncOnceMore(String name) {
    return Retry.builder(name)
        .maxAttempts(2)
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .budget(budget)
        .ticker(now)
        .build();
  }

  @Test
  void aCancelledCall_whoseScheduledAttemptCouldNotBeCancelled_neitherStartsItNorKeepsTheRetry() {
    StubbornScheduler scheduler = new StubbornScheduler(ManualScheduler.on(now));
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> future =
        asyncOnceMore("async")
            .callAsync(
                () -> {
                  attempts.incrementAndGet();
                  return CompletableFuture.failedFuture(new IllegalStateException("down"));
                },
                scheduler);
    assertThat(scheduler.inner.pendingCount()).isOne();

    assertThat(future.cancel(true)).isTrue();
    assertThat(scheduler.inner.runNext()).as("the cancel came too late to stop the task").isTrue();

    assertThat(attempts).as("no attempt after the cancel").hasValue(1);
    assertThat(failingCall(onceMore("next"))).isEqualTo(StopReason.MAX_ATTEMPTS);
  }

  @Test
  void anAsyncAttemptWhoseClockFailsAsItStarts_givesTheRetryBack_evenIfItsTaskCannotBeCancelled() {
    AtomicBoolean clockBroken = new AtomicBoolean();
    IllegalStateException clockFailure = new IllegalStateException("clock gone");
    StubbornScheduler scheduler = new StubbornScheduler(ManualScheduler.on(now));
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
    clockBroken.set(true);
    assertThat(scheduler.inner.runNext()).isTrue();

    assertThat(catchThrowable(() -> future.get(5, TimeUnit.SECONDS)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(clockFailure);
    assertThat(failingCall(onceMore("next"))).isEqualTo(StopReason.MAX_ATTEMPTS);
  }

  @Test
  void aSchedulerThatThrowsAnError_failsTheCallWithIt_andTheRetryIsGivenBack() {
    StubbornScheduler scheduler = new StubbornScheduler(ManualScheduler.on(now));
    OutOfMemoryError refusal = new OutOfMemoryError("no thread for you");
    scheduler.refusal = refusal;

    CompletableFuture<String> future =
        asyncOnceMore("async")
            .callAsync(
                () -> CompletableFuture.failedFuture(new IllegalStateException("down")), scheduler);

    assertThat(catchThrowable(() -> future.get(5, TimeUnit.SECONDS)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(refusal);
    assertThat(failingCall(onceMore("next"))).isEqualTo(StopReason.MAX_ATTEMPTS);
  }

  @Test
  void aRetryMadeAsync_staysSpent_whenAPredicateThrowsOnTheNextFailure() {
    ManualScheduler scheduler = ManualScheduler.on(now);
    IllegalStateException broken = new IllegalStateException("predicate broken");
    AtomicInteger judged = new AtomicInteger();
    Retry retry =
        Retry.builder("async")
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ofMillis(10)))
            .budget(budget)
            .ticker(now)
            .retryIf(
                failure -> {
                  if (judged.incrementAndGet() == 2) {
                    throw broken;
                  }
                  return true;
                })
            .build();

    CompletableFuture<String> future =
        retry.callAsync(
            () -> CompletableFuture.failedFuture(new IllegalStateException("down")), scheduler);
    assertThat(scheduler.runNext()).as("the retry was made").isTrue();

    assertThat(catchThrowable(() -> future.get(5, TimeUnit.SECONDS)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(broken);
    // The window's one retry went to the attempt that ran: none is left for the next call.
    assertThat(failingCall(onceMore("next"))).isEqualTo(StopReason.BUDGET);
  }

  /**
   * Runs its tasks on a {@link ManualScheduler}, by hand, but no future it returns can be
   * cancelled, as a task that has just started cannot be; or throws {@link #refusal} when asked to
   * schedule, if set.
   */
  private static final class StubbornScheduler extends AbstractExecutorService
      implements ScheduledExecutorService {

    final ManualScheduler inner;
    @Nullable Error refusal;

    StubbornScheduler(ManualScheduler inner) {
      this.inner = inner;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      Error e = refusal;
      if (e != null) {
        throw e;
      }
      return new Uncancellable<>(inner.schedule(command, delay, unit));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      return new Uncancellable<>(inner.schedule(callable, delay, unit));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable command, long initialDelay, long period, TimeUnit unit) {
      throw new UnsupportedOperationException("scheduleAtFixedRate");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException("scheduleWithFixedDelay");
    }

    @Override
    public void execute(Runnable command) {
      inner.execute(command);
    }

    @Override
    public void shutdown() {
      inner.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
      return inner.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
      return inner.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return inner.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return inner.awaitTermination(timeout, unit);
    }
  }

  /** A scheduled future whose {@code cancel} always comes too late. */
  private record Uncancellable<V>(ScheduledFuture<V> future) implements ScheduledFuture<V> {

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return false;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean isDone() {
      return future.isDone();
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
      return future.get();
    }

    @Override
    public V get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      return future.get(timeout, unit);
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return future.getDelay(unit);
    }

    @Override
    public int compareTo(Delayed other) {
      return future.compareTo(other);
    }
  }
}
