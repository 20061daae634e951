/**
 * Observation of a call's failures without changing them. The entry type, {@code Harness}, arrives
 * with the module's first release; this package holds its public API.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.harness;

import org.jspecify.annotations.NullMarked;
