/**
 * Retrying with backoff and a budget, keeping every failure. The entry type, {@code Retry}, arrives
 * with the module's first release; this package holds its public API.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.retry;

import org.jspecify.annotations.NullMarked;
