/**
 * Late-bound services by typed key.
 *
 * <p>The module exports {@code io.dyno.registry} once that package holds its first public type.
 */
module io.dyno.registry {
  requires static org.jspecify;
  requires org.slf4j;
}
