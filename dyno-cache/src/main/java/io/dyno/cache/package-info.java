/**
 * A cache with probabilistic early recomputation. The entry type, {@code Cache}, arrives with the
 * module's first release; this package holds its public API.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.cache;

import org.jspecify.annotations.NullMarked;
