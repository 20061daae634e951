/**
 * Micrometer meters for dyno-metrics. {@link io.dyno.micrometer.DynoMeterBinder} binds every {@code
 * Metrics} of a {@code MetricsRegistry}, present and future, to any number of Micrometer {@code
 * MeterRegistry}s; the meters read dyno's counts when scraped and cost the calls nothing.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.micrometer;

import org.jspecify.annotations.NullMarked;
