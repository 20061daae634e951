/**
 * Descriptive statistics for latency and load numbers. {@link io.dyno.utils.Stats} computes means,
 * variances, medians and percentiles (with a choice of {@link io.dyno.utils.Percentile}
 * definitions) of arrays and collections; {@link io.dyno.utils.RunningStats} accumulates the same
 * moments online, from many threads, without keeping the values.
 */
@NullMarked
package io.dyno.utils;

import org.jspecify.annotations.NullMarked;
