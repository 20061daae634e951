/**
 * One decorator for a remote dependency.
 *
 * <p>The module exports {@code io.dyno.service} once that package holds its first public type.
 */
module io.dyno.service {
  requires static org.jspecify;
  requires org.slf4j;
  requires io.dyno.breaker;
  requires io.dyno.retry;
  requires io.dyno.metrics;
}
