/**
 * Rolling metrics for wrapped calls: counts, in-flight, failures by type and latency percentiles,
 * and an HTTP dashboard of them. Depends on the JDK (including {@code jdk.httpserver}, and {@code
 * java.net.http} to read the other instances of a cluster) and slf4j-api; HdrHistogram is embedded
 * in the package {@code io.dyno.metrics.internal.hdr}, which is not exported.
 */
// The internal package is exported to dyno-service alone, whose engine times calls without
// allocating; javac warns that the module is not present when this one is compiled.
@SuppressWarnings("module")
module io.dyno.metrics {
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires jdk.httpserver;
  requires java.net.http;

  exports io.dyno.metrics;
  exports io.dyno.metrics.internal to
      io.dyno.service;
}
