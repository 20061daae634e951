package io.dyno.registry.internal;

import io.dyno.registry.Key;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What a registry holds under one name: the key, and either an instance or a provider, with its
 * tags. Immutable.
 *
 * @param key the key it was registered under
 * @param instance the instance, or null when bound to a provider
 * @param provider the provider, or null when bound to an instance
 * @param tags the tags, immutable
 */
public record Binding(
    Key<?> key, @Nullable Object instance, @Nullable Supplier<?> provider, Set<String> tags) {

  /**
   * Returns the value: the instance, or what the provider supplies now.
   *
   * @return the value, or null if the provider supplied null
   */
  public @Nullable Object resolve() {
    return provider == null ? instance : provider.get();
  }

  /**
   * Returns this binding with other tags.
   *
   * @param newTags the tags
   * @return the new binding
   */
  public Binding withTags(Set<String> newTags) {
    return new Binding(key, instance, provider, Set.copyOf(newTags));
  }
}
