package io.dyno.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.Limiter;
import io.dyno.breaker.Rollout;
import io.dyno.cache.CacheStats;
import io.dyno.metrics.MetricsStatus;
import io.dyno.retry.Sleeper;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.RecordingSleeper;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShopTest {

  /** Far from zero, so that nothing passes for a fresh start by accident. */
  private static final long START = 1_000_000_000_000L;

  private final FakeTicker ticker = FakeTicker.startingAt(START);

  /** A clockwork on the test's ticker, whose sleeper returns at once and moves no time. */
  private final Clockwork frozen = clockwork(RecordingSleeper.create()::sleep);

  /** Sets the ticker to {@code elapsed} after the start. */
  private void setElapsed(Duration elapsed) {
    ticker.set(START + elapsed.toNanos());
  }

  private Clockwork clockwork(Sleeper sleeper) {
    return new Clockwork(ticker, sleeper, 42);
  }

  /** A shopper the panel's rollout admits, and one it refuses, by its stable hash. */
  private static final String IN = shopper(true);

  private static final String OUT = shopper(false);

  private static String shopper(boolean admitted) {
    for (int i = 0; ; i++) {
      String id = "shopper-" + i;
      if (Rollout.point(Shop.PANEL, id) * 100 < Shop.PANEL_PERCENT == admitted) {
        return id;
      }
    }
  }

  private final Schedule schedule = Schedule.of(Duration.ofSeconds(10));
  private final List<String> events = new CopyOnWriteArrayList<>();
  private Shop shop = Shop.create(schedule, frozen, events::add);

  @AfterEach
  void close() {
    shop.close();
  }

  private void at(Incident incident) {
    setElapsed(schedule.at(incident).plusMillis(1));
    shop.advance();
  }

  @Test
  void page_whenHealthy_showsStockPriceAndRecommendationsTaggedWithAnEtag() {
    assertThat(shop.advance()).containsExactly(Incident.HEALTHY);

    Page page = shop.page(new Request(IN, "teapot", null));

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body())
        .matches("teapot \\| in stock \\(\\d+\\) \\| \\$\\d+\\.\\d\\d \\| for you: .*");
    assertThat(page.etag()).isEqualTo(Page.etagOf(page.body()));
    assertThat(events).containsExactly("[  0.0s] all dependencies healthy");
  }

  @Test
  void page_withTheCurrentEtag_isAnswered304WithoutABody() {
    Page first = shop.page(new Request(IN, "mug", null));

    Page again = shop.page(new Request(IN, "mug", first.etag()));
    Page stale = shop.page(new Request(IN, "mug", "\"0\""));

    assertThat(again).isEqualTo(Page.notModified(first.etag()));
    assertThat(stale.status()).isEqualTo(200);
    assertThat(shop.pageTotals().pages()).isEqualTo(3);
    assertThat(shop.pageTotals().notModified()).isEqualTo(1);
  }

  @Test
  void checkout_whilePaymentsIsDown_paysLaterOpensTheBreaker_andATrialClosesItAfterRecovery() {
    assertThat(shop.checkout(shop.nextOrder())).isEqualTo("paid");
    at(Incident.PAYMENTS_DOWN);

    // Two attempts per checkout, every one failing: past ten calls at 50% failures, it opens.
    for (int i = 0; i < 5; i++) {
      assertThat(shop.checkout(shop.nextOrder())).isEqualTo(Shop.PAY_LATER);
    }
    assertThat(shop.breaker("payments").state()).isEqualTo(Breaker.State.OPEN);
    long calls = shop.simulated("payments").calls();
    assertThat(shop.checkout(shop.nextOrder())).isEqualTo(Shop.PAY_LATER);
    assertThat(shop.simulated("payments").calls()).as("short-circuited").isEqualTo(calls);

    setElapsed(schedule.at(Incident.PAYMENTS_BACK).plus(schedule.breakerOpenDuration()));
    shop.advance();
    assertThat(shop.checkout(shop.nextOrder())).isEqualTo("paid");

    assertThat(shop.breaker("payments").state()).isEqualTo(Breaker.State.CLOSED);
    Tally payments = shop.tally("payments");
    assertThat(payments.trips()).isEqualTo(1);
    assertThat(payments.fallbacks()).isEqualTo(6);
    assertThat(payments.shortCircuits()).isBetween(1L, 2L);
    assertThat(payments.calls()).isEqualTo(8);
    assertThat(shop.pageTotals().checkouts()).isEqualTo(8);
    assertThat(shop.pageTotals().paidLater()).isEqualTo(6);
    // The outage was a chaos fault in front of payments: the failed attempts never reached it.
    GameDay.Installed fault = shop.gameDay().filters().get(0);
    assertThat(fault.dependency()).isEqualTo("payments");
    assertThat(fault.kind()).isEqualTo("fault");
    assertThat(fault.injected()).isBetween(9L, 10L);
    assertThat(fault.to())
        .contains(schedule.at(Incident.PAYMENTS_BACK).plus(schedule.breakerOpenDuration()));
    assertThat(shop.simulated("payments").calls()).isEqualTo(2);
    assertThat(events)
        .contains("[  1.5s] chaos on 'payments': fault at 100 % installed")
        .anyMatch(e -> e.contains("breaker 'payments' opened: "))
        .anyMatch(
            e ->
                e.endsWith(
                    "chaos on 'payments': fault removed, after "
                        + fault.injected()
                        + " calls injected"))
        .anyMatch(e -> e.endsWith("breaker 'payments' closed: its trial call succeeded"));
  }

  @Test
  void page_duringTheInventorySpike_timesOutAndShowsStockUnknown() {
    // A latency spike really blocks, until the service's timeout interrupts it.
    shop.close();
    shop =
        Shop.create(
            schedule,
            clockwork(
                d -> {
                  if (d.compareTo(Duration.ofMillis(250)) > 0) {
                    new CountDownLatch(1).await(10, TimeUnit.SECONDS);
                  }
                }),
            events::add);
    at(Incident.INVENTORY_SLOW);

    Page page = shop.page(new Request(IN, "kettle", null));

    assertThat(page.body()).startsWith("kettle | " + Shop.STOCK_UNKNOWN + " | $");
    Tally inventory = shop.tally("inventory");
    assertThat(inventory.timeouts()).isEqualTo(1);
    assertThat(inventory.fallbacks()).isEqualTo(1);
    // The timeout was a loss for the inventory's adaptive limit: it halved.
    assertThat(shop.inventoryLimit().limit()).isEqualTo(Shop.INVENTORY_LIMIT_MAX / 2);
    assertThat(shop.inventoryLimit().inFlight()).isZero();

    shop.page(new Request(IN, "kettle", null));
    shop.page(new Request(IN, "kettle", null));

    assertThat(shop.lowestInventoryLimit()).isEqualTo(Shop.INVENTORY_LIMIT_MIN);
    // The delay was a chaos filter's, in front of inventory: the timeouts cut it short each time.
    assertThat(shop.gameDay().filters())
        .filteredOn(f -> f.dependency().equals("inventory"))
        .singleElement()
        .satisfies(f -> assertThat(f.kind()).isEqualTo("latency"))
        .satisfies(f -> assertThat(f.injected()).isEqualTo(3));
    assertThat(shop.simulated("inventory").calls()).isZero();
    assertThat(events)
        .anyMatch(
            e ->
                e.endsWith(
                    "limit 'inventory' down to 3 calls at once: its calls slow down or time out"));
  }

  @Test
  void aFullInventoryLimit_rejectsAtOnce_andThePageShowsStockUnknown() throws Exception {
    Limiter limit = shop.inventoryLimit();
    for (int i = 0; i < Shop.INVENTORY_LIMIT_MAX; i++) {
      assertThat(limit.tryAcquire()).isTrue();
    }

    Page page = shop.page(new Request(IN, "kettle", null));

    assertThat(page.body()).startsWith("kettle | " + Shop.STOCK_UNKNOWN + " | $");
    assertThat(shop.limitedInventoryCalls()).isEqualTo(1);
    assertThat(shop.simulated("inventory").calls()).isZero();
    assertThat(shop.metrics().metrics("inventory").snapshot().status())
        .isNotNull()
        .satisfies(
            status ->
                assertThat(status.limit())
                    .isEqualTo(
                        new MetricsStatus.Limit(
                            "inventory",
                            "aimd",
                            Shop.INVENTORY_LIMIT_MAX,
                            Shop.INVENTORY_LIMIT_MAX)));
  }

  @Test
  void registrySwap_changesTheRecommendationsProviderBetweenTwoPages() {
    assertThat(shop.page(new Request(IN, "grinder", null)).body()).contains("for you: ");
    assertThat(shop.recommender()).isEqualTo("personalised");
    // One call, and a hedged copy of it if the first was slow to start.
    long personalised = shop.simulated("personalised").calls();
    assertThat(personalised).isPositive();

    at(Incident.RECOMMENDER_SWAPPED);
    Page page = shop.page(new Request(IN, "grinder", null));

    assertThat(shop.recommender()).isEqualTo("popular");
    assertThat(page.body()).endsWith("| popular: mug, kettle");
    assertThat(shop.simulated("personalised").calls()).isEqualTo(personalised);
    assertThat(shop.simulated("popular").calls()).isPositive();
    assertThat(events).anyMatch(e -> e.contains("personalised -> popular"));
  }

  @Test
  void recommendations_aSlowFirstCopyIsHedged_andTheSecondCopyAnswersThePage() {
    // The first call in the providers' long tail really blocks, until the hedge's winner cancels
    // it; any later one returns at once, so that the second copy answers whatever it drew.
    Duration slow = Duration.ofMillis(100);
    AtomicBoolean blocked = new AtomicBoolean();
    shop.close();
    shop =
        Shop.create(
            schedule,
            clockwork(
                d -> {
                  if (d.compareTo(slow) > 0 && blocked.compareAndSet(false, true)) {
                    new CountDownLatch(1).await(10, TimeUnit.SECONDS);
                  }
                }),
            events::add);
    Tally firstCopies = shop.firstCopies();
    Page page = null;
    // 3 % of the calls are in the tail: the seed's first one comes within a few dozen pages.
    for (int i = 0;
        i < 1_000
            && !firstCopies.latencyPercentile(100).map(d -> d.compareTo(slow) > 0).orElse(false);
        i++) {
      page = shop.page(new Request(IN, Shop.PRODUCTS.get(i % Shop.PRODUCTS.size()), null));
    }

    assertThat(page).isNotNull();
    assertThat(firstCopies.latencyPercentile(100))
        .hasValueSatisfying(d -> assertThat(d).isGreaterThan(slow));
    assertThat(page.body()).contains("| for you: ");
    MetricsStatus.Hedging hedging = shop.hedging().orElseThrow();
    assertThat(hedging.sent()).isPositive();
    assertThat(hedging.won()).isPositive();
    Tally recommendations = shop.tally("recommendations");
    assertThat(recommendations.fallbacks()).isZero();
    assertThat(recommendations.timeouts()).isZero();
    // What the dashboard's card shows: the status of the service's metrics carries the hedging.
    assertThat(shop.metrics().metrics(Shop.HEDGED).snapshot().status())
        .isNotNull()
        .satisfies(status -> assertThat(status.hedging()).isEqualTo(shop.hedging().orElseThrow()));
  }

  @Test
  void hedgeLine_comparesTheCallersP99WithTheFirstCopiesP99() {
    Tally callers = Tally.create("recommendations", 1);
    Tally firstCopies = Tally.create("recommendations first copies", 1);
    for (int i = 1; i <= 10; i++) {
      callers.recordLatency(Duration.ofMillis(10L * i).toNanos());
      firstCopies.recordLatency(Duration.ofMillis(i < 10 ? 10L * i : 240).toNanos());
    }

    // Linear interpolation between the closest ranks: rank 0.99 × 9 = 8.91, between the 9th and the
    // 10th: 90 + 0.91 × 10 = 99.1 ms with the hedge, 90 + 0.91 × 150 = 226.5 ms without.
    String line =
        SummaryTable.hedge(
            "recommendations",
            95,
            Optional.of(
                new MetricsStatus.Hedging(Duration.ofMillis(57).plusNanos(300_000), 1, 3, 2)),
            callers.latencyPercentile(99),
            firstCopies.latencyPercentile(99),
            2,
            Duration.ofMillis(250));

    assertThat(line)
        .isEqualTo(
            "recommendations hedged after p95 (57.3 ms): p99 99.1 ms, 226.5 ms without (2 first"
                + " copies past the 250.0 ms timeout); 3 copies sent, 2 won");
    assertThat(
            SummaryTable.hedge(
                "recommendations",
                99.5,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                0,
                Duration.ofMillis(250)))
        .isEqualTo(
            "recommendations hedged after p99.5 (- ms): p99 - ms, - ms without (0 first copies"
                + " past the 250.0 ms timeout); - copies sent, - won");
  }

  @Test
  void panelRollout_showsThePanelToItsShoppersOnly_withoutCallingTheDependencyForTheOthers() {
    Page shown = shop.page(new Request(IN, "scale", null));
    Page plain = shop.page(new Request(OUT, "scale", null));
    Page again = shop.page(new Request(IN, "mug", null));

    assertThat(shown.body())
        .matches("scale \\| in stock \\(\\d+\\) \\| \\$\\d+\\.\\d\\d \\| for you: .*");
    assertThat(plain.body()).matches("scale \\| in stock \\(\\d+\\) \\| \\$\\d+\\.\\d\\d");
    assertThat(again.body()).contains("| for you: ");
    assertThat(shop.tally("recommendations").calls()).isEqualTo(2);
    assertThat(shop.panel().counts()).isEqualTo(new Rollout.Counts(2, 1));
    assertThat(shop.arm(true).calls()).isEqualTo(2);
    assertThat(shop.arm(false).calls()).isEqualTo(1);
    assertThat(shop.shoppers(true)).isEqualTo(1);
    assertThat(shop.shoppers(false)).isEqualTo(1);
  }

  @Test
  void panelRollout_trippedTurnsThePanelOffForEveryone_andResetBringsItBack() {
    at(Incident.FEATURE_OFF);
    long calls = shop.simulated("popular").calls();

    Page off = shop.page(new Request(IN, "scale", null));

    assertThat(shop.panel().isTripped()).isTrue();
    assertThat(off.body()).doesNotContain("popular").doesNotContain("for you");
    assertThat(shop.simulated("popular").calls()).isEqualTo(calls);
    assertThat(shop.tally("recommendations").calls()).isZero();
    assertThat(shop.panel().refused()).isEqualTo(1);

    at(Incident.FEATURE_ON);
    Page on = shop.page(new Request(IN, "scale", null));

    assertThat(shop.panel().isTripped()).isFalse();
    assertThat(on.body()).endsWith("| popular: mug, kettle");
    assertThat(events)
        .anyMatch(
            e ->
                e.endsWith(
                    "rollout 'recommendations-panel' tripped: the panel is off for every shopper"));
  }

  @Test
  void pageMetric_carriesTheArmsOfThePanelRollout_untilTheShopCloses() {
    shop.page(new Request(IN, "teapot", null));
    shop.page(new Request(OUT, "teapot", null));
    shop.page(new Request(OUT, "mug", null));

    assertThat(shop.metrics().metrics("page").snapshot().status())
        .isEqualTo(
            MetricsStatus.arms(
                new MetricsStatus.Arms(Shop.PANEL, Shop.PANEL_PERCENT, 1, 2, false)));

    shop.close();
    assertThat(shop.metrics().metrics("page").snapshot().status()).isNull();
  }

  @Test
  void advance_startsEveryDueIncidentOnceInScheduleOrder() {
    setElapsed(schedule.length());

    assertThat(shop.advance()).containsExactly(Incident.values());
    assertThat(shop.advance()).isEmpty();
    // A line per incident, and one per chaos filter installed (four) and removed (four).
    assertThat(events).hasSize(Incident.values().length + 8);
    assertThat(events.subList(1, 3))
        .containsExactly(
            "[ 10.0s] payments failing hard: every call fails",
            "[ 10.0s] chaos on 'payments': fault at 100 % installed");
    assertThat(shop.gameDay().filters())
        .extracting(GameDay.Installed::dependency)
        .containsExactly("payments", "inventory", "pricing", "pricing");
    assertThat(shop.gameDay().filters()).allSatisfy(f -> assertThat(f.to()).isPresent());
  }

  @Test
  void withChaosOff_theShopRunsClean_andTheSummarySaysSo() {
    shop.close();
    shop = Shop.create(schedule.withChaos(false), frozen, events::add);
    setElapsed(schedule.at(Incident.PAYMENTS_DOWN).plusMillis(1));

    assertThat(shop.advance()).containsExactly(Incident.HEALTHY);
    for (int i = 0; i < 20; i++) {
      shop.checkout(shop.nextOrder());
    }

    assertThat(shop.chaos()).isFalse();
    assertThat(shop.breaker("payments").state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(shop.simulated("payments").calls()).isGreaterThanOrEqualTo(20);
    assertThat(shop.gameDay().filters()).isEmpty();
    setElapsed(schedule.length());
    assertThat(shop.advance())
        .containsExactly(Incident.RECOMMENDER_SWAPPED, Incident.FEATURE_OFF, Incident.FEATURE_ON);
    assertThat(shop.gameDay().filters()).isEmpty();
    assertThat(events).noneMatch(e -> e.contains("chaos"));
    assertThat(SummaryTable.lines(shop)).contains("chaos: off");
  }

  @Test
  void price_isServedFromTheCache_andRecomputedEarlyAsItNearsExpiry() {
    shop.close();
    shop = Shop.create(schedule, clockwork(RecordingSleeper.advancing(ticker)::sleep), events::add);
    String price = shop.price("carafe");
    assertThat(shop.cacheStats().loads()).isEqualTo(1);

    // Just before the hard expiry, where XFetch's chance of an early recomputation is high.
    setElapsed(schedule.priceTtl().minusMillis(2));
    for (int i = 0; i < 1_000 && shop.cacheStats().earlyRecomputes() == 0; i++) {
      assertThat(shop.price("carafe")).isEqualTo(price);
    }

    CacheStats stats = shop.cacheStats();
    assertThat(stats.earlyRecomputes()).isEqualTo(1);
    assertThat(stats.misses()).isEqualTo(1);
    assertThat(stats.hits()).isPositive();
    assertThat(shop.tally("pricing").calls()).isBetween(1L, 2L);
  }

  @Test
  void price_whenPricingFailsAndNothingIsCached_fallsBackOnThePage() {
    // A day-long run: its flaky pricing phase lasts hours, room for many expiries of a price.
    Schedule day = Schedule.of(Duration.ofDays(1));
    shop.close();
    shop = Shop.create(day, frozen, events::add);
    Tally pricing = shop.tally("pricing");
    setElapsed(day.at(Incident.PRICING_FLAKY));
    assertThat(shop.advance()).endsWith(Incident.PRICING_FLAKY);
    Page page = null;
    // 40% of attempts fail, so now and then all three attempts of a load fail.
    for (int i = 1; i <= 500 && pricing.fallbacks() == 0; i++) {
      setElapsed(day.at(Incident.PRICING_FLAKY).plus(day.priceTtl().multipliedBy(i)));
      page = shop.page(new Request(IN, "teapot", null));
    }

    assertThat(page).isNotNull();
    assertThat(page.body()).contains("| " + Shop.PRICE_UNAVAILABLE + " |");
    assertThat(pricing.fallbacks()).isEqualTo(1);
    assertThat(shop.cacheStats().loadFailures()).isEqualTo(1);
  }

  @Test
  void summary_hasARowPerDependencyThenTheTotals() {
    List<String> before = SummaryTable.lines(shop);
    assertThat(before.get(1)).endsWith(" -");
    assertThat(before.get(14).trim().split("\\s{2,}", -1))
        .containsExactly("panel", "0", "0", "-", "-", "-");

    shop.page(new Request(IN, "teapot", null));
    shop.checkout(shop.nextOrder());
    List<String> lines = SummaryTable.lines(shop);

    assertThat(lines.get(0).trim().split("\\s{2,}", -1))
        .containsExactly(
            "dependency", "calls", "fallbacks", "short-circuits", "timeouts", "trips", "p99 ms");
    assertThat(lines.subList(1, 5))
        .extracting(l -> l.split("\\s+", -1)[0])
        .containsExactlyElementsOf(Shop.DEPENDENCIES);
    assertThat(lines.get(4).split("\\s+", -1))
        .containsExactly("payments", "1", "0", "0", "0", "0", "0.0");
    assertThat(lines.get(5)).isEqualTo("pages      1 served, 0 not modified (304)");
    assertThat(lines.get(6)).contains("p50 0.0 ms, p99 0.0 ms; 0 failures seen by the harness");
    assertThat(lines.get(7))
        .isEqualTo("checkouts  1, 0 answered \"pay later\" by the payments fallback");
    assertThat(lines.get(8))
        .startsWith("prices     cache: 0 hits, 1 misses, 0 early recomputes, 1 loads");
    assertThat(lines.get(9))
        .isEqualTo(
            "inventory  adaptive limit (aimd): 12 at once now, lowest 12; 0 calls rejected by"
                + " it");
    // The hedge's delay is its cap until its first refresh, then the p95 of the frozen clock's
    // latencies, raised to the 1 ms floor.
    assertThat(lines.get(10))
        .matches(
            "recommendations hedged after p95 \\((100|1)\\.0 ms\\): p99 0\\.0 ms, \\d+\\.\\d ms"
                + " without \\(\\d+ first copies past the 250\\.0 ms timeout\\); \\d+ copies"
                + " sent, \\d+ won");
    assertThat(lines.get(11)).isEqualTo("chaos: on, no filter installed yet");
    assertThat(lines.get(12)).isEqualTo("experiment 'recommendations-panel' at 20 % of shoppers");
    assertThat(lines.get(13).trim().split("\\s{2,}", -1))
        .containsExactly("arm", "shoppers", "pages", "share", "p50 ms", "p99 ms");
    assertThat(lines.get(14).trim().split("\\s{2,}", -1))
        .containsExactly("panel", "1", "1", "100.0 %", "0.0", "0.0");
    assertThat(lines.get(15).trim().split("\\s{2,}", -1))
        .containsExactly("no panel", "0", "0", "0.0 %", "-", "-");
    assertThat(lines).hasSize(16);
    assertThat(shop.slowestPage())
        .hasValueSatisfying(t -> assertThat(t.report()).contains("inventory"));
  }

  @Test
  void summary_listsEachChaosFilter_withItsRateTimesAndInjectedCalls() {
    at(Incident.PAYMENTS_DOWN);
    shop.checkout(shop.nextOrder());
    // Advancing to the pricing incident starts, and ends, the inventory spike on the way.
    at(Incident.PAYMENTS_BACK);
    at(Incident.PRICING_FLAKY);

    List<String> lines = SummaryTable.lines(shop);
    int header =
        lines.indexOf("chaos: 4 filters installed by the incidents, each on a dependency's aspect");

    assertThat(header).isPositive();
    assertThat(lines.get(header + 1).trim().split("\\s{2,}", -1))
        .containsExactly("dependency", "kind", "rate", "from s", "to s", "injected");
    assertThat(lines.get(header + 2).trim().split("\\s+", -1))
        .containsExactly("payments", "fault", "100", "%", "1.5", "4.0", "2");
    assertThat(lines.get(header + 3).trim().split("\\s+", -1))
        .containsExactly("inventory", "latency", "100", "%", "4.0", "5.5", "0");
    assertThat(lines.get(header + 4).trim().split("\\s+", -1))
        .containsExactly("pricing", "latency", "100", "%", "5.5", "-", "0");
    assertThat(lines.get(header + 5).trim().split("\\s+", -1))
        .containsExactly("pricing", "fault", "40", "%", "5.5", "-", "0");
    assertThat(lines.get(header + 6)).startsWith("experiment ");
  }

  @Test
  void lookups_byAnUnknownName_failNamingIt() {
    assertThatThrownBy(() -> shop.tally("shipping"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no dependency named 'shipping'");
    assertThatThrownBy(() -> shop.breaker("shipping"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no dependency named 'shipping'");
    assertThatThrownBy(() -> shop.simulated("shipping"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no simulated dependency named 'shipping'");
    assertThat(shop.toString()).isEqualTo("Shop[PT0S, 0 pages]");
    assertThat(shop.metrics().all()).extracting(m -> m.name()).contains("payments", "page");
  }

  @Test
  void requestContext_outsideARequest_hasNoProduct() {
    RequestContext context = new RequestContext();
    assertThatThrownBy(context::product)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("no request in progress");
    assertThatThrownBy(context::panel)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("no request in progress");
    assertThat(context.with("mug", true, context::product)).isEqualTo("mug");
    assertThat(context.with("mug", true, context::panel)).isTrue();
    assertThat(context.with("mug", false, context::panel)).isFalse();
  }
}
