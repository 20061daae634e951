/**
 * Late-bound services by typed key. {@link io.dyno.registry.Registry} binds each {@link
 * io.dyno.registry.Key} to an instance or a provider, resolves it by key or through a late-binding
 * handle, tells listeners of changes, falls back from a child registry to its parent, and loads
 * typed values from a properties file in one atomic step.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.registry;

import org.jspecify.annotations.NullMarked;
