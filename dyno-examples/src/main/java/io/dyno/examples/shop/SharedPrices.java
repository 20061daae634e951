package io.dyno.examples.shop;

import io.dyno.cache.redis.RedisCacheStats;

/**
 * What a shop that shares its prices with other instances through Redis did with them.
 *
 * @param cache the counters of its price cache: its loads are the prices this instance computed
 *     (its recomputes among them), its Redis hits the prices it found there, most of them computed
 *     by another instance
 * @param pricesUsed how many distinct computed prices it served, whichever instance computed them:
 *     without sharing, it would have had to compute each of them itself
 * @param connected whether its cache is connected to Redis now; if not, it computes its prices on
 *     its own (the cache's degraded mode) until it is
 */
public record SharedPrices(RedisCacheStats cache, long pricesUsed, boolean connected) {}
