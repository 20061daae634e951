/**
 * One decorator for a remote dependency. The entry type, {@code Service}, arrives with the module's
 * first release; this package holds its public API.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.service;

import org.jspecify.annotations.NullMarked;
