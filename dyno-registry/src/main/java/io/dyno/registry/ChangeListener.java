package io.dyno.registry;

import org.jspecify.annotations.Nullable;

/**
 * Told when what a {@link Registry} holds under a key changes, by {@link Registry#onChange}.
 *
 * <p>It is called after the change is visible, on the thread that made it, under no lock. An
 * exception it throws is logged and does not undo the change.
 *
 * @param <T> the type of the key's value
 */
@FunctionalInterface
public interface ChangeListener<T> {

  /**
   * Called after the value under the key changed.
   *
   * @param old the value before, or null if nothing was registered or it was a provider
   * @param now the value after, or null if the key was unregistered or bound to a provider
   */
  void changed(@Nullable T old, @Nullable T now);
}
