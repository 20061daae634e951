package io.dyno.cache.internal;

/**
 * The outcome of a computation that never ran: an early recomputation handed to an executor that
 * had not started it when the entry was removed for expiry or size. A reader that waited for it
 * looks at the key again.
 *
 * @param <V> the value type
 */
public final class Abandoned<V> implements Outcome<V> {

  private static final Abandoned<?> INSTANCE = new Abandoned<>();

  private Abandoned() {}

  /**
   * Returns the outcome.
   *
   * @param <V> the value type
   * @return the one instance
   */
  @SuppressWarnings("unchecked")
  public static <V> Abandoned<V> instance() {
    return (Abandoned<V>) INSTANCE;
  }

  @Override
  public String toString() {
    return "Abandoned";
  }
}
