/**
 * Dependencies declared at a function's definition. The entry types, {@code Dependency} and {@code
 * Injector}, arrive with the module's first release; this package holds its public API.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.injection;

import org.jspecify.annotations.NullMarked;
