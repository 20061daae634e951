/**
 * Implementation details of dyno-metrics: the rolling windows of counts and latencies. Not API: the
 * module does not export this package, and anything here may change in any release.
 */
@NullMarked
package io.dyno.metrics.internal;

import org.jspecify.annotations.NullMarked;
