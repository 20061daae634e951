/**
 * A cache with probabilistic early recomputation.
 *
 * <p>The module exports {@code io.dyno.cache} once that package holds its first public type.
 */
module io.dyno.cache {
  requires static org.jspecify;
  requires org.slf4j;
}
