/** The runnable Dyno demo and the per-module examples. Not published. */
module io.dyno.examples {
  requires io.dyno.aspect;
  requires io.dyno.breaker;
  requires io.dyno.cache;
  requires io.dyno.cache.redis;
  requires io.dyno.harness;
  requires io.dyno.injection;
  requires io.dyno.metrics;
  requires io.dyno.registry;
  requires io.dyno.retry;
  requires io.dyno.service;
  requires io.dyno.timing;
  requires io.dyno.utils;
  requires org.slf4j;
  requires static org.jspecify;
}
