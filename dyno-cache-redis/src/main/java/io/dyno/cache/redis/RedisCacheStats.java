package io.dyno.cache.redis;

/**
 * A snapshot of a {@link RedisCache}'s counters since it was built, on this instance.
 *
 * @param memoryHits reads answered by the memory tier with a live value
 * @param redisHits reads answered by Redis with a live value (then kept in memory)
 * @param loads computations of a value with the loader here, for misses and recomputes alike
 * @param recomputes recomputations started here for the whole fleet, after this instance took the
 *     key's lease: early ones (XFetch) and those after expiry within stale-while-revalidate
 * @param leaseWaits times a miss here waited for another instance's computation of the key
 * @param staleServed reads answered with an expired value, within stale-while-revalidate or, while
 *     Redis or the loader failed, within stale-if-error
 * @param degradedLoads computations done here without Redis, because it failed or did not answer in
 *     time (also counted in {@code loads})
 * @param redisErrors Redis commands that failed or timed out, and entries that could not be read
 * @param loadFailures computations that failed here (threw, returned null, or gave a value too big)
 */
public record RedisCacheStats(
    long memoryHits,
    long redisHits,
    long loads,
    long recomputes,
    long leaseWaits,
    long staleServed,
    long degradedLoads,
    long redisErrors,
    long loadFailures) {}
