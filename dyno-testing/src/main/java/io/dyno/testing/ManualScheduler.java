package io.dyno.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ScheduledExecutorService} that runs nothing by itself: it records each task with the
 * time it is due on a {@link FakeTicker}, and the test runs them, on its own thread, by moving that
 * ticker with {@link #advance(Duration)} or by {@link #runNext()}. Hand the same ticker to the code
 * under test, so that waiting on this scheduler is what moves its time.
 *
 * <pre>{@code
 * ManualScheduler scheduler = ManualScheduler.create();
 * Retry retry = Retry.builder("payments").ticker(scheduler.ticker()).build();
 * CompletableFuture<String> answer = retry.callAsync(this::fetch, scheduler);
 * scheduler.runNext(); // the first retry, after its backoff
 * }</pre>
 *
 * <p>Tasks due at the same time run in the order they were scheduled. Periodic tasks are
 * rescheduled after each run, at a fixed rate or with a fixed delay, until cancelled or shut down;
 * a periodic task that throws is not run again. A task's failure is kept in its future; a {@code
 * Runnable}'s failure (which nobody may read from a future) is also thrown on to the test from the
 * call that ran it, so that no failure goes unseen, and an {@code Error} always is. {@link
 * #execute(Runnable)} and {@link #submit(Runnable)} schedule with no delay: they too run only when
 * the test runs due tasks. Tasks never run while the scheduler's lock is held, so a task may
 * schedule more. Thread-safe: other threads may schedule (see {@link #awaitScheduled(int,
 * Duration)}); the test thread runs.
 */
public final class ManualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {

  private final FakeTicker ticker;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition scheduledMore = lock.newCondition();

  /** Guarded by {@code lock}: pending tasks, in the order scheduled. */
  private final List<Task<?>> pending = new ArrayList<>();

  /** Guarded by {@code lock}. */
  private final List<Duration> delays = new ArrayList<>();

  /** Guarded by {@code lock}: tasks ever scheduled, periodic reruns not counted. */
  private int scheduledCount;

  /** Guarded by {@code lock}. */
  private long sequence;

  /** Guarded by {@code lock}. */
  private boolean shutdown;

  private ManualScheduler(FakeTicker ticker) {
    this.ticker = ticker;
  }

  /**
   * Returns a scheduler on a new {@link FakeTicker} that reads 0.
   *
   * @return a new scheduler
   */
  public static ManualScheduler create() {
    return new ManualScheduler(FakeTicker.create());
  }

  /**
   * Returns a scheduler whose tasks are due on {@code ticker}'s time.
   *
   * @param ticker the time the scheduler runs on, moved by the test and by the scheduler
   * @return a new scheduler
   */
  public static ManualScheduler on(FakeTicker ticker) {
    return new ManualScheduler(Objects.requireNonNull(ticker, "ticker must not be null"));
  }

  /**
   * Returns the ticker this scheduler's tasks are due on.
   *
   * @return the ticker
   */
  public FakeTicker ticker() {
    return ticker;
  }

  /**
   * Runs the pending task due first (the earlier scheduled on a tie), after moving the ticker
   * forward to the time it is due, if that is later than now.
   *
   * @return true if a task ran, false if none was pending
   */
  public boolean runNext() {
    Task<?> next = take(false, 0);
    if (next == null) {
      return false;
    }
    next.runAndReschedule();
    return true;
  }

  /**
   * Runs every task due now, in the order they are due, including tasks that those tasks schedule
   * with no delay. Time does not move.
   *
   * @return how many tasks ran
   */
  public int runDue() {
    return runUntil(ticker.peek());
  }

  /**
   * Moves time forward by {@code d}, running each task that falls due on the way at the time it is
   * due, in order; the ticker ends {@code d} later than it started.
   *
   * @param d how far, zero or positive
   * @return how many tasks ran
   * @throws IllegalArgumentException if {@code d} is negative
   */
  public int advance(Duration d) {
    Objects.requireNonNull(d, "d must not be null");
    if (d.isNegative()) {
      throw new IllegalArgumentException("d must not be negative, was " + d);
    }
    long target = ticker.peek() + d.toNanos();
    int ran = runUntil(target);
    ticker.set(target);
    return ran;
  }

  private int runUntil(long target) {
    int ran = 0;
    for (Task<?> next = take(true, target); next != null; next = take(true, target)) {
      next.runAndReschedule();
      ran++;
    }
    return ran;
  }

  /**
   * Removes the pending task due first and moves the ticker forward to its due time if that is
   * later than now; with {@code dueBy}, only a task due by {@code target}. Null if there is none.
   */
  private @Nullable Task<?> take(boolean dueBy, long target) {
    lock.lock();
    try {
      long now = ticker.peek();
      Task<?> next = earliest(now);
      // By difference, so that readings near Long.MAX_VALUE still order correctly.
      if (next == null || (dueBy && next.due - target > 0)) {
        return null;
      }
      if (next.due - now > 0) {
        ticker.set(next.due);
      }
      pending.remove(next);
      return next;
    } finally {
      lock.unlock();
    }
  }

  /** The pending task due first, the earlier scheduled on a tie; called with the lock held. */
  private @Nullable Task<?> earliest(long now) {
    Task<?> next = null;
    for (Task<?> t : pending) {
      if (next == null || t.due - now < next.due - now) {
        next = t;
      }
    }
    return next;
  }

  /**
   * Returns every delay asked for so far, in order, including those of cancelled tasks; periodic
   * tasks contribute their initial delay.
   *
   * @return the delays
   */
  public List<Duration> delays() {
    lock.lock();
    try {
      return List.copyOf(delays);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how many tasks are waiting to run: scheduled and neither run nor cancelled.
   *
   * @return the pending tasks
   */
  public int pendingCount() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how long until the first pending task is due: zero if it is due already, empty if none
   * is pending.
   *
   * @return the time to the next task
   */
  public Optional<Duration> nextDelay() {
    lock.lock();
    try {
      long now = ticker.peek();
      Task<?> next = earliest(now);
      return next == null
          ? Optional.empty()
          : Optional.of(Duration.ofNanos(Math.max(0, next.due - now)));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code count} tasks in all have been scheduled, by any thread: for code under test
   * that schedules from a thread of its own. The timeout only bounds a test that would hang.
   *
   * @param count how many tasks, counted from the scheduler's creation
   * @param timeout the longest real time to wait
   * @return true once {@code count} were scheduled, false if the timeout passed first
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitScheduled(int count, Duration timeout) throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (scheduledCount < count) {
        if (remaining <= 0) {
          return false;
        }
        remaining = scheduledMore.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Objects.requireNonNull(command, "command must not be null");
    return this.<@Nullable Void>add(callable(command), true, delay, 0, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(
        Objects.requireNonNull(callable, "callable must not be null"), false, delay, 0, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    Objects.requireNonNull(command, "command must not be null");
    if (period <= 0) {
      throw new IllegalArgumentException("period must be > 0, was " + period);
    }
    return this.<@Nullable Void>add(
        callable(command), true, initialDelay, unit.toNanos(period), unit);
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    Objects.requireNonNull(command, "command must not be null");
    if (delay <= 0) {
      throw new IllegalArgumentException("delay must be > 0, was " + delay);
    }
    return this.<@Nullable Void>add(
        callable(command), true, initialDelay, -unit.toNanos(delay), unit);
  }

  /** Schedules {@code command} with no delay: it runs when the test next runs due tasks. */
  @Override
  public void execute(Runnable command) {
    ScheduledFuture<?> unused = schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  private static Callable<@Nullable Void> callable(Runnable command) {
    return () -> {
      command.run();
      return null;
    };
  }

  /** Period: 0 once, positive fixed rate, negative fixed delay. */
  private <V extends @Nullable Object> Task<V> add(
      Callable<V> work, boolean runnable, long delay, long period, TimeUnit unit) {
    Objects.requireNonNull(unit, "unit must not be null");
    long nanos = unit.toNanos(delay);
    lock.lock();
    try {
      if (shutdown) {
        throw new RejectedExecutionException("ManualScheduler is shut down");
      }
      delays.add(Duration.ofNanos(nanos));
      Task<V> task =
          new Task<>(work, ticker.peek() + Math.max(0, nanos), period, sequence++, runnable);
      pending.add(task);
      scheduledCount++;
      scheduledMore.signalAll();
      return task;
    } finally {
      lock.unlock();
    }
  }

  /** Stops accepting tasks; those pending stay pending and may still be run by the test. */
  @Override
  public void shutdown() {
    lock.lock();
    try {
      shutdown = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops accepting tasks and drops the pending ones, returning them unrun: running one of them
   * runs its task once and completes its future.
   */
  @Override
  public List<Runnable> shutdownNow() {
    List<Task<?>> dropped;
    lock.lock();
    try {
      shutdown = true;
      dropped = List.copyOf(pending);
      pending.clear();
    } finally {
      lock.unlock();
    }
    List<Runnable> never = new ArrayList<>();
    for (Task<?> t : dropped) {
      never.add(t::runAndReschedule);
    }
    return never;
  }

  @Override
  public boolean isShutdown() {
    lock.lock();
    try {
      return shutdown;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isTerminated() {
    lock.lock();
    try {
      return shutdown && pending.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Returns at once whether the scheduler has terminated: only the test can run what is left. */
  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  @Override
  public String toString() {
    return "ManualScheduler[pending=" + pendingCount() + ", ticker=" + ticker + "]";
  }

  /** A scheduled task and its future. */
  private final class Task<V extends @Nullable Object> implements ScheduledFuture<V> {
    private final Callable<V> work;
    private final long period;
    private final long sequence;
    private final boolean fromRunnable;
    private final CountDownLatch done = new CountDownLatch(1);

    /** Guarded by the scheduler's lock; written before {@code done} opens. */
    private long due;

    private volatile @Nullable V result;
    private volatile @Nullable Throwable failure;
    private volatile boolean cancelled;

    Task(Callable<V> work, long due, long period, long sequence, boolean fromRunnable) {
      this.work = work;
      this.fromRunnable = fromRunnable;
      this.due = due;
      this.period = period;
      this.sequence = sequence;
    }

    void runAndReschedule() {
      if (isDone()) {
        return;
      }
      try {
        V value = work.call();
        if (period == 0) {
          result = value;
          done.countDown();
          return;
        }
      } catch (RuntimeException e) {
        fail(e);
        if (fromRunnable) {
          throw e;
        }
        return;
      } catch (Exception e) {
        fail(e);
        return;
      } catch (Error e) {
        // An assertion failing inside a task fails the test at once.
        fail(e);
        throw e;
      }
      lock.lock();
      try {
        if (cancelled || shutdown) {
          done.countDown();
          return;
        }
        due = period > 0 ? due + period : ticker.peek() - period;
        pending.add(this);
      } finally {
        lock.unlock();
      }
    }

    private void fail(Throwable e) {
      failure = e;
      done.countDown();
    }

    @Override
    public long getDelay(TimeUnit unit) {
      lock.lock();
      try {
        return unit.convert(due - ticker.peek(), TimeUnit.NANOSECONDS);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public int compareTo(Delayed other) {
      int byDelay =
          Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
      if (byDelay != 0 || !(other instanceof ManualScheduler.Task<?> task)) {
        return byDelay;
      }
      return Long.compare(sequence, task.sequence);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      lock.lock();
      try {
        if (isDone()) {
          return false;
        }
        cancelled = true;
        pending.remove(this);
      } finally {
        lock.unlock();
      }
      done.countDown();
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done.getCount() == 0;
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
      done.await();
      return outcome();
    }

    @Override
    public V get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      if (!done.await(timeout, unit)) {
        throw new TimeoutException("the task has not run; only the test runs a ManualScheduler");
      }
      return outcome();
    }

    @SuppressWarnings(
        "NullAway") // A task's result is null exactly when its callable returned null.
    private V outcome() throws ExecutionException {
      if (cancelled) {
        throw new CancellationException("cancelled");
      }
      Throwable f = failure;
      if (f != null) {
        throw new ExecutionException(f);
      }
      return result;
    }
  }
}
