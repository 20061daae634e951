package io.dyno.breaker;

import java.time.Duration;

/**
 * The counts of a {@link Breaker}'s rolling window at one moment: the calls it judges by.
 *
 * @param calls the recorded calls in the window, successes and failures (ignored ones excluded)
 * @param failures the recorded failures in the window
 * @param slowCalls the calls in the window slower than the slow-call threshold, failed or not
 * @param failureRate {@code failures} in percent of {@code calls}, 0 when there were none
 * @param slowCallRate {@code slowCalls} in percent of {@code calls}, 0 when there were none
 * @param window the length of the window
 */
public record BreakerMetrics(
    long calls,
    long failures,
    long slowCalls,
    double failureRate,
    double slowCallRate,
    Duration window) {}
