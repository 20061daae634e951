/** Retrying with backoff and a budget, keeping every failure. Depends on the JDK and slf4j-api. */
module io.dyno.retry {
  requires static transitive org.jspecify;
  requires org.slf4j;

  exports io.dyno.retry;
}
