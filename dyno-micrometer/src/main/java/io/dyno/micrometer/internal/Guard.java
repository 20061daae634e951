package io.dyno.micrometer.internal;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs actions one at a time, under a lock: a {@link ReentrantLock}, not {@code synchronized}, so
 * that a virtual thread waiting for it is never pinned to its carrier.
 *
 * <p>Thread-safe.
 */
public final class Guard {

  private final ReentrantLock lock = new ReentrantLock();

  /** Creates a guard, held by no thread. */
  public Guard() {}

  /**
   * Runs {@code action} under the lock.
   *
   * @param action the action
   */
  public void run(Runnable action) {
    lock.lock();
    try {
      action.run();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code action} under the lock and returns what it returns.
   *
   * @param action the action
   * @param <T> the result type
   * @return the result
   */
  public <T> T get(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns whether the calling thread holds the lock, which it does only inside an action.
   *
   * @return true inside an action of this guard
   */
  public boolean isHeldByCurrentThread() {
    return lock.isHeldByCurrentThread();
  }
}
