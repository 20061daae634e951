/**
 * A cache with probabilistic early recomputation. {@link io.dyno.cache.Cache} holds values for a
 * time to live and recomputes one a little before it expires, with a chance set by its {@link
 * io.dyno.cache.EarlyRecompute} strategy, one computation per key at a time, so that an expiry
 * never sends every reader to the loader at once.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.cache;

import org.jspecify.annotations.NullMarked;
