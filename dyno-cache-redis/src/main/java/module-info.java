/**
 * A dyno-cache in memory in front of Redis, shared by many instances: {@link
 * io.dyno.cache.redis.RedisCache}. Depends on dyno-cache and lettuce-core (and slf4j-api, as every
 * library).
 */
// lettuce-core has no module descriptor; its manifest names it lettuce.core, a stable name.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.dyno.cache.redis {
  requires static transitive org.jspecify;
  requires transitive io.dyno.cache;
  requires transitive lettuce.core;
  requires org.slf4j;

  exports io.dyno.cache.redis;
}
