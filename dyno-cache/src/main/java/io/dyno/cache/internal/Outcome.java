package io.dyno.cache.internal;

/**
 * How one computation of a key ended: a {@link Stamped} value or a {@link Failure}, handed alike to
 * the reader that ran it and to every reader that waited for it; or {@link Abandoned}, for an early
 * recomputation that never started before its entry was removed.
 *
 * @param <V> the value type
 */
public sealed interface Outcome<V> permits Stamped, Failure, Abandoned {}
