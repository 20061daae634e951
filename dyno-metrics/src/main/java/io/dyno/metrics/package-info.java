/**
 * Rolling metrics for wrapped calls. {@link io.dyno.metrics.Metrics} times and counts the calls
 * that pass through it, in windows that decay to zero when idle; {@link
 * io.dyno.metrics.MetricsSnapshot} is one immutable reading of it; {@link
 * io.dyno.metrics.MetricsRegistry} holds one instance per name for exporters and dashboards; {@link
 * io.dyno.metrics.MetricsServer} serves a registry over HTTP as a dashboard page, a Hystrix event
 * stream and JSON.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.metrics;

import org.jspecify.annotations.NullMarked;
