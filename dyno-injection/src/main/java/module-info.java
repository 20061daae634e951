/**
 * Dependencies declared at a function's definition.
 *
 * <p>The module exports {@code io.dyno.injection} once that package holds its first public type.
 */
module io.dyno.injection {
  requires static org.jspecify;
  requires org.slf4j;
}
