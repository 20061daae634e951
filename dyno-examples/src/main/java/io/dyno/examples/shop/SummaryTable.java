package io.dyno.examples.shop;

import io.dyno.cache.CacheStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The summary printed at the end of a run: a row per remote dependency, then the page, checkout and
 * cache totals.
 *
 * <pre>
 * dependency         calls  fallbacks  short-circuits  timeouts  trips   p99 ms
 * inventory           1210        139              92        41      1    151.2
 * </pre>
 */
public final class SummaryTable {

  private static final String ROW = "%-16s %8s %10s %15s %9s %6s %8s";

  private SummaryTable() {}

  /**
   * Returns the lines of the summary of {@code shop}'s run so far.
   *
   * @param shop the shop
   * @return the lines, without line separators
   */
  public static List<String> lines(Shop shop) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            ROW,
            "dependency",
            "calls",
            "fallbacks",
            "short-circuits",
            "timeouts",
            "trips",
            "p99 ms"));
    for (Tally t : shop.tallies()) {
      lines.add(
          String.format(
              Locale.ROOT,
              ROW,
              t.name(),
              t.calls(),
              t.fallbacks(),
              t.shortCircuits(),
              t.timeouts(),
              t.trips(),
              millis(t.latencyPercentile(99))));
    }
    PageTotals p = shop.pageTotals();
    lines.add(
        String.format(
            Locale.ROOT,
            "pages      %d served, %d not modified (304), %d with the recommendations panel off",
            p.pages(),
            p.notModified(),
            p.panelsOff()));
    lines.add(
        String.format(
            Locale.ROOT,
            "           p50 %s ms, p99 %s ms; %d failures seen by the harness",
            millis(p.p50()),
            millis(p.p99()),
            p.harnessFailures()));
    lines.add(
        String.format(
            Locale.ROOT,
            "checkouts  %d, %d answered \"%s\" by the payments fallback",
            p.checkouts(),
            p.paidLater(),
            Shop.PAY_LATER));
    CacheStats c = shop.cacheStats();
    lines.add(
        String.format(
            Locale.ROOT,
            "prices     cache: %d hits, %d misses, %d early recomputes, %d loads, %d load failures",
            c.hits(),
            c.misses(),
            c.earlyRecomputes(),
            c.loads(),
            c.loadFailures()));
    return lines;
  }

  private static String millis(Optional<Duration> d) {
    return d.map(v -> String.format(Locale.ROOT, "%.1f", v.toNanos() / 1e6)).orElse("-");
  }
}
