/**
 * Implementation details of dyno-metrics: the rolling windows of counts and latencies, the JSON
 * writer and the event streams of the server. Not API: the module does not export this package, and
 * anything here may change in any release.
 */
@NullMarked
package io.dyno.metrics.internal;

import org.jspecify.annotations.NullMarked;
