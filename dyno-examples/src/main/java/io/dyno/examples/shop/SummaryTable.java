package io.dyno.examples.shop;

import io.dyno.breaker.Rollout;
import io.dyno.cache.CacheStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The summary printed at the end of a run: a row per remote dependency, then the page, checkout and
 * cache totals, then the two arms of the recommendations panel's experiment.
 *
 * <pre>
 * dependency         calls  fallbacks  short-circuits  timeouts  trips   p99 ms
 * inventory           1210        139              92        41      1    151.2
 * ...
 * experiment 'recommendations-panel' at 20 % of shoppers
 * arm              shoppers    pages    share   p50 ms   p99 ms
 * panel                  31     1104   19.2 %     21.3     63.0
 * no panel              128     4648   80.8 %      9.8     59.1
 * </pre>
 */
public final class SummaryTable {

  private static final String ROW = "%-16s %8s %10s %15s %9s %6s %8s";
  private static final String ARM = "%-14s %10s %8s %8s %8s %8s";

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
            "pages      %d served, %d not modified (304)",
            p.pages(),
            p.notModified()));
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
    lines.add(
        String.format(
            Locale.ROOT,
            "inventory  adaptive limit (%s): %d at once now, lowest %d; %d calls rejected by it",
            shop.inventoryLimit().algorithm(),
            shop.inventoryLimit().limit(),
            shop.lowestInventoryLimit(),
            shop.limitedInventoryCalls()));
    lines.addAll(experiment(shop));
    return lines;
  }

  /** The experiment's lines: its rollout, then a row per arm, the panel's first. */
  private static List<String> experiment(Shop shop) {
    Rollout.Counts counts = shop.panel().counts();
    long pages = counts.admitted() + counts.refused();
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "experiment '%s' at %s %% of shoppers%s",
            shop.panel().name(),
            number(shop.panel().percent()),
            shop.panel().isTripped() ? ", tripped now" : ""));
    lines.add(
        String.format(Locale.ROOT, ARM, "arm", "shoppers", "pages", "share", "p50 ms", "p99 ms"));
    for (boolean shown : new boolean[] {true, false}) {
      Tally arm = shop.arm(shown);
      long armPages = shown ? counts.admitted() : counts.refused();
      lines.add(
          String.format(
              Locale.ROOT,
              ARM,
              arm.name(),
              shop.shoppers(shown),
              armPages,
              pages == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * armPages / pages),
              millis(arm.latencyPercentile(50)),
              millis(arm.latencyPercentile(99))));
    }
    return lines;
  }

  /** {@code 20} for 20.0 and {@code 12.5} for 12.5. */
  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private static String millis(Optional<Duration> d) {
    return d.map(v -> String.format(Locale.ROOT, "%.1f", v.toNanos() / 1e6)).orElse("-");
  }
}
