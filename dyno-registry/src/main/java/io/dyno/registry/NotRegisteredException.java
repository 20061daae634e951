package io.dyno.registry;

import io.dyno.registry.internal.Names;
import java.util.List;

/**
 * Thrown by {@link Registry#get} when nothing is registered under a key: its message names the
 * registry and the key, suggests registered names close to it, and lists what is registered.
 *
 * <pre>
 * Registry 'app' has nothing registered under 'dbb' (DataSource); did you mean 'db'?
 * Registered: [db, pool.size]
 * </pre>
 */
public final class NotRegisteredException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The name of the registry asked. */
  private final String registryName;

  /** The key asked for. */
  @SuppressWarnings("serial") // keys are not serializable; this exception is not meant to travel
  private final Key<?> key;

  /** Registered names close to the key's name, closest first. */
  @SuppressWarnings("serial") // an immutable List.copyOf
  private final List<String> suggestions;

  /** Every name registered, in the registry and its parents, sorted. */
  @SuppressWarnings("serial") // an immutable List.copyOf
  private final List<String> registered;

  NotRegisteredException(
      String registryName, Key<?> key, List<String> suggestions, List<String> registered) {
    super(message(registryName, key, suggestions, registered));
    this.registryName = registryName;
    this.key = key;
    this.suggestions = List.copyOf(suggestions);
    this.registered = List.copyOf(registered);
  }

  private static String message(
      String registryName, Key<?> key, List<String> suggestions, List<String> registered) {
    StringBuilder b =
        new StringBuilder("Registry '")
            .append(registryName)
            .append("' has nothing registered under ")
            .append(key);
    b.append(suggestions.isEmpty() ? "." : Names.didYouMean(suggestions));
    return b.append(" Registered: ").append(registered).toString();
  }

  /**
   * Returns the name of the registry that was asked.
   *
   * @return the registry's name
   */
  public String registryName() {
    return registryName;
  }

  /**
   * Returns the key that was asked for.
   *
   * @return the key
   */
  public Key<?> key() {
    return key;
  }

  /**
   * Returns the registered names close to the key's name, closest first.
   *
   * @return the suggestions, possibly empty
   */
  public List<String> suggestions() {
    return suggestions;
  }

  /**
   * Returns every name registered, in the registry and its parents, sorted.
   *
   * @return the registered names
   */
  public List<String> registered() {
    return registered;
  }
}
