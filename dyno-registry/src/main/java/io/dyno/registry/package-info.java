/**
 * Late-bound services by typed key. The entry type, {@code Registry}, arrives with the module's
 * first release; this package holds its public API.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.registry;

import org.jspecify.annotations.NullMarked;
