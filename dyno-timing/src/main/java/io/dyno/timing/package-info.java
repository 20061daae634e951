/**
 * Events and nested intervals for one request. The entry type, {@code Timing}, arrives with the
 * module's first release; this package holds its public API.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.timing;

import org.jspecify.annotations.NullMarked;
