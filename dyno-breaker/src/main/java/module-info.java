/** Fuses, circuit breakers and concurrency limiters. Depends on the JDK and slf4j-api. */
module io.dyno.breaker {
  requires static transitive org.jspecify;
  requires org.slf4j;

  exports io.dyno.breaker;
}
