/**
 * Filters before, around and after a function, added and removed at run time. Depends on the JDK.
 */
module io.dyno.aspect {
  requires static transitive org.jspecify;

  exports io.dyno.aspect;
}
