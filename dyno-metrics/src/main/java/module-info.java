/**
 * Rolling metrics for wrapped calls and the dashboard that shows them.
 *
 * <p>The module exports {@code io.dyno.metrics} once that package holds its first public type.
 */
module io.dyno.metrics {
  requires static org.jspecify;
  requires org.slf4j;
}
