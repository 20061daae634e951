/**
 * One decorator for a remote dependency: fallback, retry, breaker, throttle, limiter, timeout and
 * bulkhead around a call, with metrics. The API is {@code io.dyno.service}; {@code
 * io.dyno.service.internal} is not exported.
 */
module io.dyno.service {
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires transitive io.dyno.breaker;
  requires transitive io.dyno.retry;
  requires transitive io.dyno.metrics;

  exports io.dyno.service;
}
