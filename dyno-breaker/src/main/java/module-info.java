/**
 * Fuses, circuit breakers and concurrency limiters.
 *
 * <p>The module exports {@code io.dyno.breaker} once that package holds its first public type.
 */
module io.dyno.breaker {
  requires static org.jspecify;
  requires org.slf4j;
}
