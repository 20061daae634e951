package io.dyno.harness.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded, thread-safe buffer that keeps the last {@code capacity} elements added, overwriting
 * the oldest.
 *
 * <p>Thread-safe: {@link #add} and {@link #snapshot} hold a short lock around a few array
 * operations and never run foreign code under it. With capacity 0 it keeps nothing and takes no
 * lock.
 *
 * @param <E> the element type
 */
public final class Ring<E> {

  private final ReentrantLock lock = new ReentrantLock();
  private final Object[] slots;

  /** Where the next element goes. */
  private int next;

  /** How many slots hold an element, at most {@code slots.length}. */
  private int size;

  /**
   * Creates an empty ring.
   *
   * @param capacity how many elements to keep, at least 0
   * @throws IllegalArgumentException if {@code capacity} is negative
   */
  public Ring(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
    }
    slots = new Object[capacity];
  }

  /**
   * Adds an element, dropping the oldest if the ring is full.
   *
   * @param element the element
   */
  public void add(E element) {
    if (slots.length == 0) {
      return;
    }
    lock.lock();
    try {
      slots[next] = element;
      next = next + 1 == slots.length ? 0 : next + 1;
      if (size < slots.length) {
        size++;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the elements held, oldest first, as of one moment.
   *
   * @return an immutable list of at most {@code capacity} elements
   */
  public List<E> snapshot() {
    if (slots.length == 0) {
      return List.of();
    }
    List<E> copy = new ArrayList<>(slots.length);
    lock.lock();
    try {
      int oldest = size < slots.length ? 0 : next;
      for (int i = 0; i < size; i++) {
        copy.add(elementAt((oldest + i) % slots.length));
      }
    } finally {
      lock.unlock();
    }
    return List.copyOf(copy);
  }

  @SuppressWarnings("unchecked") // Only add(E) writes the slots, and snapshot() reads filled ones.
  private E elementAt(int index) {
    return (E) slots[index];
  }
}
