/**
 * Filters around a function. The entry type, {@code Aspect}, arrives with the dyno-aspect module's
 * first release; this package holds the module's public API.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.aspect;

import org.jspecify.annotations.NullMarked;
