/**
 * JMH benchmarks that measure each Dyno module side by side with the libraries users would pick
 * instead, such as {@link io.dyno.benchmarks.PercentileBenchmark} for {@code Stats.percentile}
 * against Apache Commons Math; they are run by the {@code dyno-benchmarks/bench} script, never as
 * tests, and their results are recorded in {@code docs/benchmarks.md}.
 */
@NullMarked
package io.dyno.benchmarks;

import org.jspecify.annotations.NullMarked;
