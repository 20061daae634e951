/**
 * Observation of a call's failures without changing them: each failure is counted, kept among the
 * most recent, logged once (a storm of identical failures becomes a periodic summary line) and
 * rethrown as the same instance. Depends on nothing but the JDK and {@code slf4j-api}, whose {@code
 * Logger} and {@code Level} appear in the API and are therefore required transitively.
 */
module io.dyno.harness {
  // Transitive because @Nullable appears in the API's type parameters; static because the
  // annotations are needed to compile against the module, never to run it.
  requires static transitive org.jspecify;
  requires transitive org.slf4j;

  exports io.dyno.harness;
}
