/**
 * Rolling metrics for wrapped calls: counts, in-flight, failures by type and latency percentiles,
 * and an HTTP dashboard of them. Depends on the JDK (including {@code jdk.httpserver}), slf4j-api
 * and HdrHistogram.
 */
// HdrHistogram 2.2.2 ships no module descriptor and no Automatic-Module-Name, so it is an
// automatic module named after its jar; javac warns about requiring one, and -Werror would fail.
// The internal package is exported to dyno-service alone, whose engine times calls without
// allocating; javac warns that the module is not present when this one is compiled.
@SuppressWarnings({"requires-automatic", "module"})
module io.dyno.metrics {
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires HdrHistogram;
  requires jdk.httpserver;

  exports io.dyno.metrics;
  exports io.dyno.metrics.internal to
      io.dyno.service;
}
