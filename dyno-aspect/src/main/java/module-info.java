/**
 * Filters around a function.
 *
 * <p>The module exports {@code io.dyno.aspect} once that package holds its first public type.
 */
module io.dyno.aspect {
  requires static org.jspecify;
  requires org.slf4j;
}
