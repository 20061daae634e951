/**
 * Fuses, circuit breakers and concurrency limiters. {@link io.dyno.breaker.Breaker} stops calls to
 * a failing dependency, or switches a feature off by hand; {@link io.dyno.breaker.Limiter} caps how
 * many calls run at once, at a fixed or an adaptive limit; {@link io.dyno.breaker.Throttle} rejects
 * a share of calls locally while the backend rejects a share; {@link io.dyno.breaker.Rollout}
 * admits a chosen share of callers, the same ones on every instance, for A/B tests and gradual
 * rollouts; {@link io.dyno.breaker.Breakers} is a named board of them all, for switches flipped at
 * run time.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.breaker;

import org.jspecify.annotations.NullMarked;
