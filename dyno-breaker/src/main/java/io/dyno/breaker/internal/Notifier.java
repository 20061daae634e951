package io.dyno.breaker.internal;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.StateChange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a breaker's state changes to the log and the listeners exactly once each, in the order the
 * changes were made, and never while holding a lock.
 *
 * <p>Two threads may change the state one right after the other and publish in the opposite order,
 * so each change carries its sequence number and waits here until every earlier one has been told.
 * Whichever thread finds the next change ready tells it, and every ready one after it; the others
 * leave at once. So a listener runs on the thread that made the change or on the thread of an
 * earlier, racing change, never on two threads at once, and the last change a listener is told is
 * the breaker's state. A listener that changes the breaker itself has its change told after it
 * returns.
 */
final class Notifier {

  private static final Logger LOG = LoggerFactory.getLogger("io.dyno.breaker");

  private final String name;
  private final List<Consumer<? super StateChange>> listeners;

  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.
  private final Map<Long, StateChange> pending = new HashMap<>();
  private long next = 1;

  /** Set while one thread tells changes; not a lock, as no thread ever waits for it. */
  private final AtomicBoolean telling = new AtomicBoolean();

  Notifier(String name, List<Consumer<? super StateChange>> listeners) {
    this.name = name;
    this.listeners = listeners;
  }

  /** Publishes change number {@code seq} and tells every change that is ready. */
  void publish(long seq, StateChange change) {
    lock.lock();
    try {
      pending.put(seq, change);
    } finally {
      lock.unlock();
    }
    while (telling.compareAndSet(false, true)) {
      try {
        for (StateChange c = take(); c != null; c = take()) {
          tell(c);
        }
      } finally {
        telling.set(false);
      }
      // A change published while this thread was finishing found the flag set and left: look again.
      if (!ready()) {
        return;
      }
    }
  }

  private @org.jspecify.annotations.Nullable StateChange take() {
    lock.lock();
    try {
      StateChange c = pending.remove(next);
      if (c != null) {
        next++;
      }
      return c;
    } finally {
      lock.unlock();
    }
  }

  private boolean ready() {
    lock.lock();
    try {
      return pending.containsKey(next);
    } finally {
      lock.unlock();
    }
  }

  private void tell(StateChange c) {
    if (c.to() == Breaker.State.OPEN || c.to() == Breaker.State.FORCED_OPEN) {
      LOG.warn("{}", c);
    } else {
      LOG.info("{}", c);
    }
    for (Consumer<? super StateChange> listener : listeners) {
      try {
        listener.accept(c);
      } catch (RuntimeException e) {
        LOG.warn("Breaker '{}': onStateChange listener {} failed", name, listener, e);
      }
    }
  }
}
