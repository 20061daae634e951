/** A cache that recomputes values early, probabilistically, so that expiry never dog-piles. */
module io.dyno.cache {
  requires static transitive org.jspecify;
  requires org.slf4j;

  exports io.dyno.cache;
}
