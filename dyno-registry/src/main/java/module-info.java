/** Late-bound services by typed key. Depends on the JDK and slf4j-api. */
module io.dyno.registry {
  requires static transitive org.jspecify;
  requires org.slf4j;

  exports io.dyno.registry;
}
