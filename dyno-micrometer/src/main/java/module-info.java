/**
 * Every {@code Metrics} of a dyno-metrics {@code MetricsRegistry} as Micrometer meters: {@link
 * io.dyno.micrometer.DynoMeterBinder}. Depends on dyno-metrics and micrometer-core.
 */
// micrometer-core has no module descriptor; its manifest names it micrometer.core, a stable name.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.dyno.micrometer {
  requires static transitive org.jspecify;
  requires transitive io.dyno.metrics;
  requires transitive micrometer.core;

  exports io.dyno.micrometer;
}
