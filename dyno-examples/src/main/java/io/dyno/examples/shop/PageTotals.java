package io.dyno.examples.shop;

import java.time.Duration;
import java.util.Optional;

/**
 * The shop's page and checkout totals over a run.
 *
 * @param pages pages served, 304s included
 * @param notModified pages answered 304 because the shopper's copy was current
 * @param harnessFailures requests that failed, as the harness counted them
 * @param checkouts checkouts made
 * @param paidLater checkouts answered by the payments fallback
 * @param p50 the median page latency, if any page was served
 * @param p99 the 99th percentile page latency, if any page was served
 */
public record PageTotals(
    long pages,
    long notModified,
    long harnessFailures,
    long checkouts,
    long paidLater,
    Optional<Duration> p50,
    Optional<Duration> p99) {}
