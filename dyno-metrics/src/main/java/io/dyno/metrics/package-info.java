/**
 * Rolling metrics for wrapped calls. {@link io.dyno.metrics.Metrics} times and counts the calls
 * that pass through it, in windows that decay to zero when idle; {@link
 * io.dyno.metrics.MetricsSnapshot} is one immutable reading of it; {@link
 * io.dyno.metrics.MetricsRegistry} holds one instance per name for exporters and dashboards.
 *
 * <p>Every type here is safe to use from any thread unless its own documentation says otherwise.
 */
@NullMarked
package io.dyno.metrics;

import org.jspecify.annotations.NullMarked;
