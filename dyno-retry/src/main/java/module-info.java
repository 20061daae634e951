/**
 * Retrying with backoff and a budget, keeping every failure.
 *
 * <p>The module exports {@code io.dyno.retry} once that package holds its first public type.
 */
module io.dyno.retry {
  requires static org.jspecify;
  requires org.slf4j;
}
