/**
 * One decorator for a remote dependency: {@link io.dyno.service.Service} puts a fallback, a retry,
 * a circuit breaker, a throttle, a limiter, a timeout and a bulkhead around a call and records
 * every attempt in metrics.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.service;

import org.jspecify.annotations.NullMarked;
