/**
 * Every {@code Metrics} of a dyno-metrics {@code MetricsRegistry} as Micrometer meters: {@link
 * io.dyno.micrometer.DynoMeterBinder}. Depends on dyno-metrics and micrometer-core (and slf4j-api,
 * as every library).
 */
// micrometer-core has no module descriptor; its manifest names it micrometer.core, a stable name.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.dyno.micrometer {
  requires static transitive org.jspecify;
  requires transitive io.dyno.metrics;
  requires transitive micrometer.core;
  requires org.slf4j;

  exports io.dyno.micrometer;
}
