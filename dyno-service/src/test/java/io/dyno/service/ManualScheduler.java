package io.dyno.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ScheduledExecutorService} that runs nothing by itself: {@link #schedule(Runnable, long,
 * TimeUnit)} records the task and its delay, and the test runs the tasks one at a time with {@link
 * #runNext()}, which first moves the scheduler's clock forward to the task's due time. Use {@link
 * #nanoTime()} as a retry's ticker so that waiting on this scheduler is what moves time.
 *
 * <p>Only scheduling a task once is supported; the other methods throw {@link
 * UnsupportedOperationException}. Synchronized, so that a stray call from another thread is safe,
 * but meant for one test thread. Copied from dyno-retry's tests, with {@link #awaitScheduled} added
 * for timers that a service schedules on another thread.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

  private final AtomicLong clock;
  private final List<Duration> delays = new ArrayList<>();

  /** Pending tasks in the order they were scheduled; cancelled and run ones are removed. */
  private final List<Task> pending = new ArrayList<>();

  private boolean shutdown;

  /** One permit per task scheduled, for a test thread to wait until another thread scheduled. */
  private final Semaphore scheduled = new Semaphore(0);

  /** Creates a scheduler whose clock starts at 0. */
  ManualScheduler() {
    this(new AtomicLong());
  }

  /** Creates a scheduler that moves {@code clock}, in nanoseconds, when it runs a task. */
  ManualScheduler(AtomicLong clock) {
    this.clock = clock;
  }

  /** The scheduler's clock in nanoseconds: a ticker for the code under test. */
  long nanoTime() {
    return clock.get();
  }

  /** Every delay asked for so far, in order, including those of cancelled tasks. */
  synchronized List<Duration> delays() {
    return List.copyOf(delays);
  }

  /** The number of tasks scheduled and neither run nor cancelled. */
  synchronized int pendingCount() {
    return pending.size();
  }

  /**
   * Waits until one more task was scheduled (by any thread) than earlier calls waited for.
   *
   * @return true if it was, false if {@code timeout} passed first
   */
  boolean awaitScheduled(long timeout, TimeUnit unit) throws InterruptedException {
    return scheduled.tryAcquire(timeout, unit);
  }

  /**
   * Runs the pending task that is due first (the earlier scheduled on a tie), after moving the
   * clock forward to its due time if that is later than now.
   *
   * @throws IllegalStateException if no task is pending
   */
  void runNext() {
    Task next;
    synchronized (this) {
      if (pending.isEmpty()) {
        throw new IllegalStateException("ManualScheduler: no task is pending");
      }
      next = pending.get(0);
      long now = clock.get();
      for (Task t : pending) {
        // Compare by difference so that a clock near Long.MAX_VALUE still orders correctly.
        if (t.due - now < next.due - now) {
          next = t;
        }
      }
      pending.remove(next);
      if (next.due - now > 0) {
        clock.set(next.due);
      }
      next.done = true;
    }
    next.command.run();
  }

  @Override
  public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(unit, "unit");
    if (shutdown) {
      throw new RejectedExecutionException("ManualScheduler is shut down");
    }
    long nanos = unit.toNanos(delay);
    delays.add(Duration.ofNanos(nanos));
    Task task = new Task(command, clock.get() + Math.max(0, nanos));
    pending.add(task);
    scheduled.release();
    return task;
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> never = new ArrayList<>();
    for (Task t : pending) {
      never.add(t.command);
    }
    pending.clear();
    return never;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && pending.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }

  @Override
  public void execute(Runnable command) {
    throw new UnsupportedOperationException("ManualScheduler only supports schedule(Runnable)");
  }

  /**
   * Schedules {@code callable} as {@link #schedule(Runnable, long, TimeUnit)} does; its result is
   * dropped, and the returned future's {@code get()} gives null. (The service's timer is a lambda
   * that returns a value, so it arrives here.)
   */
  @Override
  @SuppressWarnings("unchecked")
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    Objects.requireNonNull(callable, "callable");
    return (ScheduledFuture<V>)
        schedule(
            () -> {
              try {
                callable.call();
              } catch (RuntimeException e) {
                throw e;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            delay,
            unit);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("ManualScheduler only supports schedule(Runnable)");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("ManualScheduler only supports schedule(Runnable)");
  }

  /** A scheduled task; its future never blocks, since only the test can run it. */
  private final class Task implements ScheduledFuture<Void> {
    final Runnable command;
    final long due;

    /** Guarded by the scheduler. */
    boolean done;

    /** Guarded by the scheduler. */
    boolean cancelled;

    Task(Runnable command, long due) {
      this.command = command;
      this.due = due;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - clock.get(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      synchronized (ManualScheduler.this) {
        if (done) {
          return false;
        }
        done = true;
        cancelled = true;
        pending.remove(this);
        return true;
      }
    }

    @Override
    public boolean isCancelled() {
      synchronized (ManualScheduler.this) {
        return cancelled;
      }
    }

    @Override
    public boolean isDone() {
      synchronized (ManualScheduler.this) {
        return done;
      }
    }

    @Override
    public Void get() {
      synchronized (ManualScheduler.this) {
        if (cancelled) {
          throw new CancellationException();
        }
        if (!done) {
          throw new IllegalStateException("ManualScheduler: the task has not run; call runNext()");
        }
        return null;
      }
    }

    @Override
    public Void get(long timeout, TimeUnit unit) {
      return get();
    }
  }
}
