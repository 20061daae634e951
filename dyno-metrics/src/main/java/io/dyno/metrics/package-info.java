/**
 * Rolling metrics for wrapped calls and the dashboard that shows them. The entry type, {@code
 * Metrics}, arrives with the module's first release; this package holds its public API.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.metrics;

import org.jspecify.annotations.NullMarked;
