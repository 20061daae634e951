/**
 * Events and nested intervals for one request: a {@code Timing} records spans and marks on an
 * injected ticker, reports them as an indented tree, and follows the request across threads.
 * Depends on nothing but the JDK.
 */
module io.dyno.timing {
  requires static org.jspecify;

  exports io.dyno.timing;
}
