/**
 * Fuses, circuit breakers and concurrency limiters. The entry types, {@code Breaker} and {@code
 * Limiter}, arrive with the module's first release; this package holds its public API.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.breaker;

import org.jspecify.annotations.NullMarked;
