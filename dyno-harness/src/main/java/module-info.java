/**
 * Observation of a call's failures without changing them.
 *
 * <p>The module exports {@code io.dyno.harness} once that package holds its first public type.
 */
module io.dyno.harness {
  requires static org.jspecify;
  requires org.slf4j;
}
