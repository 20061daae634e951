/**
 * Events and nested intervals for one request.
 *
 * <p>The module exports {@code io.dyno.timing} once that package holds its first public type.
 */
module io.dyno.timing {
  requires static org.jspecify;
  requires org.slf4j;
}
