package io.dyno.examples.shop;

import io.dyno.breaker.Rollout;
import io.dyno.cache.CacheStats;
import io.dyno.cache.redis.RedisCacheStats;
import io.dyno.metrics.MetricsStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The summary printed at the end of a run: a row per remote dependency, then the page, checkout and
 * cache totals, the inventory's adaptive limit, the p99 the recommendations hedge saved, the chaos
 * filters of the game day, then the two arms of the recommendations panel's experiment.
 *
 * <pre>
 * dependency         calls  fallbacks  short-circuits  timeouts  trips   p99 ms
 * inventory           1210        139              92        41      1    151.2
 * ...
 * chaos: 4 filters installed by the incidents, each on a dependency's aspect
 * dependency       kind       rate   from s     to s  injected
 * payments         fault     100 %      1.5      4.0       236
 * ...
 * experiment 'recommendations-panel' at 20 % of shoppers
 * arm              shoppers    pages    share   p50 ms   p99 ms
 * panel                  31     1104   19.2 %     21.3     63.0
 * no panel              128     4648   80.8 %      9.8     59.1
 * </pre>
 *
 * <p>A shop that shares its prices through Redis has two lines on its price cache instead of one,
 * and {@link #fleet(List)} sums the prices computed by all such shops.
 */
public final class SummaryTable {

  private static final String ROW = "%-16s %8s %10s %15s %9s %6s %8s";
  private static final String ARM = "%-14s %10s %8s %8s %8s %8s";
  private static final String CHAOS = "%-16s %-8s %6s %8s %8s %9s";

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
    Optional<SharedPrices> shared = shop.sharedPrices();
    if (shared.isPresent()) {
      lines.addAll(shared(shared.get()));
    } else {
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
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "inventory  adaptive limit (%s): %d at once now, lowest %d; %d calls rejected by it",
            shop.inventoryLimit().algorithm(),
            shop.inventoryLimit().limit(),
            shop.lowestInventoryLimit(),
            shop.limitedInventoryCalls()));
    lines.add(
        hedge(
            Shop.HEDGED,
            Shop.HEDGE_PERCENTILE,
            shop.hedging(),
            shop.tally(Shop.HEDGED).latencyPercentile(99),
            shop.firstCopies().latencyPercentile(99),
            shop.firstCopiesPastTimeout(),
            Shop.HEDGED_TIMEOUT));
    lines.addAll(chaos(shop));
    lines.addAll(experiment(shop));
    return lines;
  }

  /** The two lines of a price cache shared through Redis. */
  private static List<String> shared(SharedPrices shared) {
    RedisCacheStats r = shared.cache();
    return List.of(
        String.format(
            Locale.ROOT,
            "prices     shared through Redis: %d computed here (%d recomputes), %d served in all;"
                + " %d memory hits, %d Redis hits, %d lease waits",
            r.loads(),
            r.recomputes(),
            shared.pricesUsed(),
            r.memoryHits(),
            r.redisHits(),
            r.leaseWaits()),
        String.format(
            Locale.ROOT,
            "           %d stale served, %d degraded loads, %d Redis errors, %d load failures",
            r.staleServed(),
            r.degradedLoads(),
            r.redisErrors(),
            r.loadFailures()));
  }

  /**
   * Returns the line on the prices of shops that share them through Redis: how many prices the
   * fleet computed (every load of every instance's shared cache), and how many each instance did;
   * then how many they would have computed without sharing, each computing every price it served
   * itself, and how many each served.
   *
   * <pre>
   * fleet      prices computed 92 times by the 2 instances sharing them through Redis
   * (instance 1: 47, instance 2: 45); 183 without sharing, each computing the prices it served
   * (instance 1: 92, instance 2: 91)
   * </pre>
   *
   * @param shops the instances, in order
   * @return the line, or empty if the shops do not share their prices
   * @throws IllegalArgumentException if some shops share their prices and others do not
   */
  public static Optional<String> fleet(List<Shop> shops) {
    List<SharedPrices> shared = new ArrayList<>(shops.size());
    for (Shop shop : shops) {
      shop.sharedPrices().ifPresent(shared::add);
    }
    if (shared.isEmpty()) {
      return Optional.empty();
    }
    if (shared.size() != shops.size()) {
      throw new IllegalArgumentException(
          "shops must all share their prices or none, was "
              + shared.size()
              + " of "
              + shops.size());
    }
    long computed = 0;
    long served = 0;
    List<String> each = new ArrayList<>();
    List<String> eachServed = new ArrayList<>();
    for (int i = 0; i < shared.size(); i++) {
      SharedPrices s = shared.get(i);
      computed += s.cache().loads();
      served += s.pricesUsed();
      each.add("instance " + (i + 1) + ": " + s.cache().loads());
      eachServed.add("instance " + (i + 1) + ": " + s.pricesUsed());
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "fleet      prices computed %d times by the %d instances sharing them through Redis"
                + " (%s); %d without sharing, each computing the prices it served (%s)",
            computed,
            shared.size(),
            String.join(", ", each),
            served,
            String.join(", ", eachServed)));
  }

  /**
   * Returns the line of a hedged dependency: the delay before a second copy now, the p99 its
   * callers waited with the hedge against the p99 of its first copies' own latencies, each at most
   * the timeout (what they would have waited without it), how many of those ran past the timeout
   * (calls that would have fallen back), and the copies sent and won.
   *
   * <pre>
   * recommendations hedged after p95 (57.3 ms): p99 98.2 ms, 180.4 ms without (3 first copies
   * past the 250.0 ms timeout); 12 copies sent, 9 won
   * </pre>
   *
   * @param name the dependency's name
   * @param percentile the percentile of its latencies after which a copy is sent
   * @param hedging its service's hedging figures, or empty if it reports none
   * @param p99 the p99 of what its callers waited, or empty before the first call
   * @param withoutHedge the p99 of what its callers would have waited without the hedge: its first
   *     copies' drawn latencies, each at most the timeout, or empty before the first
   * @param pastTimeout the first copies that drew a latency past the timeout
   * @param timeout the dependency's timeout
   * @return the line
   */
  public static String hedge(
      String name,
      double percentile,
      Optional<MetricsStatus.Hedging> hedging,
      Optional<Duration> p99,
      Optional<Duration> withoutHedge,
      long pastTimeout,
      Duration timeout) {
    return String.format(
        Locale.ROOT,
        "%s hedged after p%s (%s ms): p99 %s ms, %s ms without (%d first copies past the %s ms"
            + " timeout); %s copies sent, %s won",
        name,
        number(percentile),
        millis(hedging.map(MetricsStatus.Hedging::delay)),
        millis(p99),
        millis(withoutHedge),
        pastTimeout,
        millis(Optional.of(timeout)),
        hedging.map(h -> Long.toString(h.sent())).orElse("-"),
        hedging.map(h -> Long.toString(h.won())).orElse("-"));
  }

  /**
   * The chaos lines: "chaos: off", or a row per filter the game day installed, with its rate, when
   * it was installed and removed, in seconds of the run, and the calls it injected into.
   */
  private static List<String> chaos(Shop shop) {
    if (!shop.chaos()) {
      return List.of("chaos: off");
    }
    List<GameDay.Installed> filters = shop.gameDay().filters();
    if (filters.isEmpty()) {
      return List.of("chaos: on, no filter installed yet");
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "chaos: %d filters installed by the incidents, each on a dependency's aspect",
            filters.size()));
    lines.add(
        String.format(
            Locale.ROOT, CHAOS, "dependency", "kind", "rate", "from s", "to s", "injected"));
    for (GameDay.Installed f : filters) {
      lines.add(
          String.format(
              Locale.ROOT,
              CHAOS,
              f.dependency(),
              f.kind(),
              GameDay.percent(f.rate()) + " %",
              seconds(f.from()),
              f.to().map(SummaryTable::seconds).orElse("-"),
              f.injected()));
    }
    return lines;
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e9);
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
