/**
 * A second cache tier in Redis for dyno-cache. {@link io.dyno.cache.redis.RedisCache} keeps values
 * in memory in front of Redis and shares them, their expiry and their recomputation across every
 * instance of a service: one recompute per key per fleet, stale-while-revalidate and stale-if-error
 * windows, and a degraded mode while Redis is down.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.cache.redis;

import org.jspecify.annotations.NullMarked;
