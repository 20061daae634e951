package io.dyno.service;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/**
 * An executor that only queues tasks; the test runs them on its own thread with {@link #runNext}.
 */
final class QueueingExecutor implements Executor {

  private final Deque<Runnable> tasks = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(task);
  }

  synchronized int queued() {
    return tasks.size();
  }

  void runNext() {
    Runnable next;
    synchronized (this) {
      next = tasks.remove();
    }
    next.run();
  }
}
