/**
 * Support for tests of concurrent code: {@link io.dyno.testing.ThreadKind} runs a test on platform
 * or virtual threads, and {@link io.dyno.testing.Race} releases a number of threads at once and
 * joins them with a timeout. Dyno's own modules use it at test scope; so can their users. Depends
 * on nothing but the JDK.
 */
module io.dyno.testing {
  requires static transitive org.jspecify;

  exports io.dyno.testing;
}
