package io.dyno.examples.shop;

import io.dyno.aspect.Aspect;
import io.dyno.aspect.Aspects;
import io.dyno.breaker.Breaker;
import io.dyno.breaker.Limiter;
import io.dyno.breaker.Rollout;
import io.dyno.breaker.StateChange;
import io.dyno.cache.Cache;
import io.dyno.cache.CacheStats;
import io.dyno.cache.EarlyRecompute;
import io.dyno.cache.redis.RedisCache;
import io.dyno.cache.redis.ValueCodec;
import io.dyno.harness.Harness;
import io.dyno.injection.Dependency;
import io.dyno.injection.Injector;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsRegistry;
import io.dyno.metrics.MetricsStatus;
import io.dyno.registry.Key;
import io.dyno.registry.Registry;
import io.dyno.retry.Backoff;
import io.dyno.retry.Retry;
import io.dyno.service.Hedge;
import io.dyno.service.RejectedException;
import io.dyno.service.Service;
import io.dyno.service.ServiceFunction;
import io.dyno.timing.Timing;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A small shop front whose product pages and checkouts call four simulated remote dependencies,
 * each behind Dyno's modules, while an incident {@link Schedule} plays out.
 *
 * <pre>{@code
 * try (Shop shop = Shop.create(Schedule.of(Duration.ofSeconds(30)), Clockwork.system(42), out::println)) {
 *   shop.advance();                                   // starts the incidents that are due
 *   Page page = shop.page(new Request("shopper-17", "teapot", null));
 *   String payment = shop.checkout("order-1");        // "paid", or "pay later" while payments is down
 * }
 * }</pre>
 *
 * <p>Who does what:
 *
 * <ul>
 *   <li>each remote dependency (inventory, pricing, recommendations, payments) is a {@link
 *       ServiceFunction}: a bulkhead pool, a timeout, a {@link Retry} of simulated failures, a
 *       {@link Breaker} and the {@link Metrics} of one {@link MetricsRegistry}, which the dashboard
 *       serves;
 *   <li>a page's dependencies (stock, price, recommendations) are constructed in parallel by an
 *       {@link Injector}, each with a last-resort timeout and fallback;
 *   <li>prices come from a {@link Cache} with XFetch early recomputation, so pricing is called
 *       rarely and a slow pricing service seldom slows a page; or, for shops that run as instances
 *       of one service ({@link #sharingPrices}), from a {@link RedisCache} they share, so that the
 *       whole fleet computes a price once per expiry;
 *   <li>the recommendations provider is looked up through a {@link Registry} handle on every call,
 *       so the schedule can swap it while pages are being served;
 *   <li>the recommendations panel is an experiment: a {@link Rollout}, {@code
 *       recommendations-panel}, shows it to 20 % of shoppers, the same shoppers on every page and
 *       every instance; the others see no panel and the dependency is not called for them; tripped,
 *       the panel is off for everyone. The page metric's status carries the two arms' counts, for
 *       the dashboard;
 *   <li>the page renderer is an {@link Aspect}: an around filter tags each page with an ETag and
 *       answers 304 when the shopper's copy is current;
 *   <li>each remote dependency's function is advertised on the same {@link Aspects} board, and its
 *       service calls the aspect: the {@link GameDay} installs its chaos filters there as the
 *       incidents start, and removes them as they end;
 *   <li>the recommendations service hedges its calls: a second copy after its own p95 latency;
 *   <li>each request runs under a {@link Harness}, which counts and logs failures without changing
 *       them, and a {@link Timing}, with an interval per dependency call.
 * </ul>
 *
 * <p>Thread-safe: pages and checkouts may be requested from any number of threads.
 */
public final class Shop implements AutoCloseable {

  /** The products on sale; few, so that their prices are hot keys of the cache. */
  public static final List<String> PRODUCTS =
      List.of("teapot", "kettle", "mug", "grinder", "scale", "carafe");

  /** The answer of the payments fallback: the order is taken and paid later. */
  public static final String PAY_LATER = "pay later";

  /** The stock shown when inventory does not answer in time. */
  public static final String STOCK_UNKNOWN = "stock unknown";

  /** The price shown when pricing fails and no cached price is left. */
  public static final String PRICE_UNAVAILABLE = "price unavailable";

  /** The recommendations panel when the recommendations call fails. */
  public static final String NO_RECOMMENDATIONS = "no recommendations";

  /** The most calls the inventory's adaptive limit lets run at once, and where it starts. */
  public static final int INVENTORY_LIMIT_MAX = 12;

  /** The fewest calls the inventory's adaptive limit lets run at once. */
  public static final int INVENTORY_LIMIT_MIN = 2;

  /** At or below this the inventory's limit is low enough for the event log to say so. */
  public static final int INVENTORY_LIMIT_LOW = 4;

  /** The name of the rollout that shows the recommendations panel to some shoppers. */
  public static final String PANEL = "recommendations-panel";

  /** The share of shoppers who see the recommendations panel, in percent. */
  public static final double PANEL_PERCENT = 20;

  /** The registry key of the recommendations provider. */
  public static final Key<SimulatedDependency> RECOMMENDER =
      Key.of("recommender", SimulatedDependency.class);

  /** The dependency whose calls are hedged: an idempotent read with a long tail. */
  public static final String HEDGED = "recommendations";

  /** The percentile of its own latencies after which the hedged service sends a second copy. */
  public static final double HEDGE_PERCENTILE = 95;

  /** The longest the hedged service waits before a second copy, well inside its timeout. */
  public static final Duration HEDGE_CAP = Duration.ofMillis(100);

  /** The hedged dependency's timeout: a first copy slower than this would have timed out. */
  public static final Duration HEDGED_TIMEOUT = Duration.ofMillis(250);

  /** The names of the remote dependencies, in the order of the summary table. */
  public static final List<String> DEPENDENCIES =
      List.of("inventory", "pricing", "recommendations", "payments");

  private final Schedule schedule;
  private final Clockwork clockwork;
  private final Consumer<String> events;
  private final long start;

  private final MetricsRegistry metrics;
  private final List<Tally> tallies = new ArrayList<>();
  private final Tally pageLatency;
  private final SimulatedDependency inventorySim;
  private final SimulatedDependency pricingSim;
  private final SimulatedDependency personalised;
  private final SimulatedDependency popular;
  private final SimulatedDependency paymentsSim;
  private final List<ServiceFunction<?, ?>> services = new ArrayList<>();
  private final Map<String, Breaker> breakers = new HashMap<>();
  private final Limiter inventoryLimit;
  private final AtomicInteger lowestInventoryLimit = new AtomicInteger(INVENTORY_LIMIT_MAX);
  private final LongAdder limitedInventoryCalls = new LongAdder();
  private final AtomicBoolean inventoryLimitLow = new AtomicBoolean();
  private final ServiceFunction<String, String> pricing;
  private final ServiceFunction<String, String> payments;
  private final Tally paymentsTally;
  private final Tally pricingTally;
  private final Tally firstCopies;
  private final LongAdder firstCopiesPastTimeout = new LongAdder();
  private final ServiceFunction<HedgedRead, String> recommendations;
  private final Registry registry = Registry.create("shop");
  private final Rollout panel = Rollout.of(PANEL, PANEL_PERCENT);
  private final Tally withPanel;
  private final Tally withoutPanel;
  private final Set<String> shoppersWithPanel = ConcurrentHashMap.newKeySet();
  private final Set<String> shoppersWithoutPanel = ConcurrentHashMap.newKeySet();
  private final @Nullable Cache<String, String> prices;
  private final @Nullable RedisCache<String, Quote> sharedPrices;
  private final String origin = UUID.randomUUID().toString();
  private final AtomicLong quotes = new AtomicLong();
  private final Set<Quote> quotesServed = ConcurrentHashMap.newKeySet();
  private final ExecutorService workers;
  private final RequestContext context = new RequestContext();
  private final Aspects board = Aspects.create();
  private final Aspect<Request, Page> renderer;
  private final GameDay gameDay;
  private final Harness harness;
  private final Metrics pageMetrics;
  private final Metrics.StatusReport armsReport;

  private final LongAdder pages = new LongAdder();
  private final LongAdder notModified = new LongAdder();
  private final LongAdder checkouts = new LongAdder();
  private final LongAdder paidLater = new LongAdder();
  private final AtomicLong orders = new AtomicLong();
  private final AtomicReference<@Nullable Timing> slowestPage = new AtomicReference<>();
  private final ReentrantLock advancing = new ReentrantLock();
  private int nextIncident;

  private Shop(
      Schedule schedule,
      Clockwork clockwork,
      Consumer<String> events,
      @Nullable String redis,
      @Nullable Clock clock) {
    this.schedule = schedule;
    this.clockwork = clockwork;
    this.events = events;
    long created = clockwork.ticker().getAsLong();
    this.metrics =
        MetricsRegistry.create(name -> Metrics.builder(name).ticker(clockwork.ticker()).build());
    this.pageLatency = Tally.create("page", clockwork.seed());
    this.withPanel = Tally.create("panel", clockwork.seed() + 1);
    this.withoutPanel = Tally.create("no panel", clockwork.seed() + 2);
    AtomicInteger threads = new AtomicInteger();
    this.workers =
        Executors.newCachedThreadPool(
            task -> {
              Thread t = new Thread(task, "shop-worker-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    if (redis == null || clock == null) {
      this.sharedPrices = null;
      this.prices =
          Cache.builder("prices")
              .ttl(schedule.priceTtl())
              // β above 1 starts recomputing a little earlier than the paper's default, so that a
              // product read a few times a second is recomputed before it expires, not after.
              .earlyRecompute(EarlyRecompute.xfetch(4.0))
              .maximumSize(1_000)
              .executor(workers)
              .ticker(clockwork.ticker())
              .random(new SplittableRandom(clockwork.seed()))
              .build();
    } else {
      this.prices = null;
      try {
        // The same cache name on every instance: they share its entries, and the expiries, in
        // epoch milliseconds of the run's shared clock, which moves with the shops' ticker.
        this.sharedPrices =
            RedisCache.builder("prices")
                .redis(redis)
                .values(QUOTES)
                .ttl(schedule.priceTtl())
                .earlyRecompute(EarlyRecompute.xfetch(4.0))
                .maximumSize(1_000)
                .executor(workers)
                .clock(clock)
                .ticker(clockwork.ticker())
                .random(new Random(clockwork.seed()))
                .build();
      } catch (RuntimeException e) {
        workers.shutdown();
        throw e;
      }
    }
    // The first connection to Redis loads and starts a client, seconds on a busy machine: the
    // schedule starts once it is done.
    this.start = sharedPrices == null ? created : clockwork.ticker().getAsLong();

    inventorySim =
        SimulatedDependency.create("inventory", schedule::inventory, Shop::stockOf, clockwork);
    pricingSim = SimulatedDependency.create("pricing", schedule::pricing, Shop::priceOf, clockwork);
    personalised =
        SimulatedDependency.create(
            "personalised", schedule::personalised, Shop::personalisedFor, clockwork);
    popular =
        SimulatedDependency.create(
            "popular", schedule::popular, product -> "popular: mug, kettle", clockwork);
    paymentsSim =
        SimulatedDependency.create("payments", schedule::payments, order -> "paid", clockwork);
    registry.register(RECOMMENDER, personalised);
    Supplier<SimulatedDependency> recommender = registry.handle(RECOMMENDER);

    for (String name : DEPENDENCIES) {
      tallies.add(Tally.create(name, clockwork.seed() + tallies.size()));
    }
    Tally inventoryTally = tally("inventory");
    pricingTally = tally("pricing");
    Tally recommendationsTally = tally("recommendations");
    paymentsTally = tally("payments");
    firstCopies = Tally.create(HEDGED + " first copies", clockwork.seed() + tallies.size());
    // The inventory's limit follows its health: each call that times out (or takes over 100 ms)
    // halves it, each success adds one while half of it is in use.
    inventoryLimit =
        Limiter.builder("inventory")
            .aimd(
                a ->
                    a.initialLimit(INVENTORY_LIMIT_MAX)
                        .minLimit(INVENTORY_LIMIT_MIN)
                        .maxLimit(INVENTORY_LIMIT_MAX)
                        .backoffRatio(0.5)
                        .timeout(Duration.ofMillis(100)))
            .ticker(clockwork.ticker())
            .build();
    inventoryLimit.onChange(this::inventoryLimitChanged);
    // Each remote's function is advertised on the board, and its service calls the aspect: the
    // game day installs its chaos filters there, by the dependency's name.
    ServiceFunction<String, String> inventory =
        remote(
                "inventory",
                board.<String, String>advertise("inventory", inventorySim),
                Duration.ofMillis(150),
                2,
                inventoryTally)
            .limiter(inventoryLimit)
            .fallback(
                (product, failure) -> {
                  if (failure instanceof RejectedException r
                      && r.reason() == RejectedException.Reason.LIMITED) {
                    limitedInventoryCalls.increment();
                  }
                  return fallback(inventoryTally, failure, STOCK_UNKNOWN);
                })
            .build();
    // No fallback: a failed price load leaves the cache serving the price it has.
    pricing =
        remote(
                "pricing",
                board.<String, String>advertise("pricing", pricingSim),
                Duration.ofMillis(400),
                3,
                pricingTally)
            .build();
    // An idempotent read with a long tail: a second copy after the service's own p95 latency
    // answers for most of the slow first copies. Each first copy's drawn latency is kept, whether
    // it answers or is cancelled, for what callers would have waited without the hedge.
    recommendations =
        remote(
                HEDGED,
                board.<HedgedRead, String>advertise(
                    HEDGED,
                    read ->
                        read.firstCopy()
                            ? recommender.get().call(read.product(), this::firstCopy)
                            : recommender.get().call(read.product())),
                HEDGED_TIMEOUT,
                2,
                recommendationsTally)
            .hedge(Hedge.afterPercentile(HEDGE_PERCENTILE).cap(HEDGE_CAP))
            .fallback(
                (product, failure) -> fallback(recommendationsTally, failure, NO_RECOMMENDATIONS))
            .build();
    payments =
        remote(
                "payments",
                board.<String, String>advertise("payments", paymentsSim),
                Duration.ofMillis(500),
                2,
                paymentsTally)
            .fallback((order, failure) -> fallback(paymentsTally, failure, PAY_LATER))
            .build();
    services.addAll(List.of(inventory, pricing, recommendations, payments));
    gameDay = GameDay.create(board, clockwork);

    Dependency<String> stock =
        Dependency.of(
                "stock", () -> measured(inventoryTally, () -> inventory.apply(context.product())))
            .timeout(Duration.ofSeconds(1))
            .orElse(STOCK_UNKNOWN);
    Dependency<String> price =
        Dependency.of("price", () -> price(context.product()))
            .timeout(Duration.ofSeconds(1))
            .orElseGet(
                () -> {
                  pricingTally.recordFallback();
                  return PRICE_UNAVAILABLE;
                });
    Dependency<String> recommended =
        Dependency.of(
                "recommendations",
                () ->
                    context.panel()
                        ? measured(
                            recommendationsTally,
                            () -> recommendations.apply(new HedgedRead(context.product())))
                        : "")
            .timeout(Duration.ofSeconds(1))
            .orElse(NO_RECOMMENDATIONS);
    Injector injector =
        Injector.builder().executor(context.carrying(workers)).ticker(clockwork.ticker()).build();
    Function<Request, Page> render =
        injector.inject(
            List.of(stock, price, recommended),
            (deps, request) -> {
              String panelText = deps.get(recommended);
              String body = String.join(" | ", request.product(), deps.get(stock), deps.get(price));
              return Page.ok(panelText.isEmpty() ? body : body + " | " + panelText);
            });
    renderer = board.advertise("page", render);
    // Installed through the board, by name, as setup code that never saw the renderer would.
    board.<Request, Page>aspect("page").around(Shop::etag);

    harness = Harness.builder("shop").ticker(clockwork.ticker()).build();
    pageMetrics = metrics.metrics("page");
    // dyno-metrics knows no rollout: the shop hands it the arms' counts, read at each snapshot.
    armsReport =
        pageMetrics.reportStatus(
            () ->
                MetricsStatus.arms(
                    new MetricsStatus.Arms(
                        panel.name(),
                        panel.percent(),
                        panel.admitted(),
                        panel.refused(),
                        panel.isTripped())));
  }

  /**
   * Creates a shop at the start of {@code schedule}.
   *
   * @param schedule the incidents to play
   * @param clockwork the time and chance to run on
   * @param events receives one line per incident and per breaker opening or closing
   * @return the shop
   */
  public static Shop create(Schedule schedule, Clockwork clockwork, Consumer<String> events) {
    return new Shop(
        Objects.requireNonNull(schedule, "schedule"),
        Objects.requireNonNull(clockwork, "clockwork"),
        Objects.requireNonNull(events, "events"),
        null,
        null);
  }

  /**
   * Creates a shop at the start of {@code schedule} whose prices come from a {@link RedisCache}
   * named {@code prices} on the Redis at {@code redis}, shared with every other shop created so on
   * the same server: one instance computes a price and the others read it, once per expiry.
   *
   * @param schedule the incidents to play
   * @param clockwork the time and chance to run on
   * @param events receives one line per incident and per breaker opening or closing
   * @param redis the server, {@code redis://host:port[/db]}
   * @param clock the wall clock of the prices' expiries, the same for every shop that shares them,
   *     moving with {@code clockwork}'s ticker ({@link Clockwork#wallClock()})
   * @return the shop; {@link #close()} closes its connections to Redis
   * @throws IllegalArgumentException if {@code redis} is not such a URI
   */
  public static Shop sharingPrices(
      Schedule schedule, Clockwork clockwork, Consumer<String> events, String redis, Clock clock) {
    return new Shop(
        Objects.requireNonNull(schedule, "schedule"),
        Objects.requireNonNull(clockwork, "clockwork"),
        Objects.requireNonNull(events, "events"),
        Objects.requireNonNull(redis, "redis"),
        Objects.requireNonNull(clock, "clock"));
  }

  // ---------------------------------------------------------------- requests

  /**
   * Serves a product page: its stock, price and, for the shoppers the {@link #PANEL} rollout
   * admits, recommendations, constructed in parallel, tagged with an ETag; a 304 when the request's
   * {@code If-None-Match} names the current tag.
   *
   * @param request the request
   * @return the page
   */
  @SuppressWarnings("try") // the scope and span are held for their close() alone
  public Page page(Request request) {
    Objects.requireNonNull(request, "request");
    Timing timing = Timing.builder("page " + request.product()).ticker(clockwork.ticker()).start();
    long began = clockwork.ticker().getAsLong();
    boolean shown = panel.admit(request.shopper());
    Tally arm = shown ? withPanel : withoutPanel;
    arm.recordCall();
    (shown ? shoppersWithPanel : shoppersWithoutPanel).add(request.shopper());
    try (Timing.Scope scope = timing.activate()) {
      Page page =
          harness.get(
              () ->
                  pageMetrics.get(
                      () -> context.with(request.product(), shown, () -> renderer.apply(request))));
      pages.increment();
      if (page.status() == 304) {
        notModified.increment();
      }
      return page;
    } finally {
      timing.stop();
      long took = clockwork.ticker().getAsLong() - began;
      pageLatency.recordLatency(took);
      arm.recordLatency(took);
      keepIfSlowest(timing);
    }
  }

  /**
   * Returns the price of {@code product} from the price cache, loading it from pricing when the
   * cache has none, and recomputing it early, in the background, as it nears expiry.
   *
   * @param product the product
   * @return the price
   * @throws RuntimeException pricing's failure when there is no cached price to serve
   */
  @SuppressWarnings("try") // the span is held for its close() alone
  public String price(String product) {
    try (Timing.Span span = Timing.current().interval("price (cache)")) {
      RedisCache<String, Quote> shared = sharedPrices;
      if (shared != null) {
        Quote quote =
            shared.get(product, p -> new Quote(origin, quotes.incrementAndGet(), loadPrice(p)));
        quotesServed.add(quote);
        return quote.price();
      }
      return Objects.requireNonNull(prices, "prices").get(product, this::loadPrice);
    }
  }

  /** Asks pricing for a price, for the price cache. */
  private String loadPrice(String product) {
    try {
      return measured(pricingTally, () -> pricing.apply(product));
    } catch (RuntimeException e) {
      pricingTally.recordFailure(e);
      throw e;
    }
  }

  /**
   * Pays for an order through payments; {@link #PAY_LATER} when payments fails or its breaker is
   * open.
   *
   * @param order the order's id
   * @return {@code "paid"} or {@link #PAY_LATER}
   */
  @SuppressWarnings("try") // the scope and span are held for their close() alone
  public String checkout(String order) {
    Objects.requireNonNull(order, "order");
    Timing timing = Timing.builder("checkout " + order).ticker(clockwork.ticker()).start();
    try (Timing.Scope scope = timing.activate()) {
      String result = harness.get(() -> measured(paymentsTally, () -> payments.apply(order)));
      checkouts.increment();
      if (result.equals(PAY_LATER)) {
        paidLater.increment();
      }
      return result;
    } finally {
      timing.stop();
    }
  }

  /**
   * Returns a fresh order id.
   *
   * @return an id such as {@code order-17}
   */
  public String nextOrder() {
    return "order-" + orders.incrementAndGet();
  }

  /**
   * Starts every incident of the schedule whose time has come, in order, and reports each to the
   * events consumer, with a line per chaos filter it installs or removes. With chaos off, the
   * schedule holds no chaos incidents, and none is started.
   *
   * @return the incidents started by this call
   */
  public List<Incident> advance() {
    advancing.lock();
    try {
      Duration now = elapsed();
      List<Incident> all = schedule.incidents();
      List<Incident> started = new ArrayList<>();
      while (nextIncident < all.size() && now.compareTo(schedule.at(all.get(nextIncident))) >= 0) {
        Incident incident = all.get(nextIncident++);
        event(incident.description());
        switch (incident) {
          case RECOMMENDER_SWAPPED -> registry.replace(RECOMMENDER, popular);
          case FEATURE_OFF -> panel.trip();
          case FEATURE_ON -> panel.reset();
          default -> gameDay.start(incident, now).forEach(this::event);
        }
        started.add(incident);
      }
      return started;
    } finally {
      advancing.unlock();
    }
  }

  // ---------------------------------------------------------------- what happened

  /**
   * Returns the time since the shop was created, by its clockwork's ticker.
   *
   * @return the elapsed time
   */
  public Duration elapsed() {
    return Duration.ofNanos(clockwork.ticker().getAsLong() - start);
  }

  /**
   * Returns the metrics of every remote dependency and of the pages, for the dashboard.
   *
   * @return the registry
   */
  public MetricsRegistry metrics() {
    return metrics;
  }

  /**
   * Returns the run-long tallies of the remote dependencies, in the order of {@link #DEPENDENCIES}.
   *
   * @return the tallies
   */
  public List<Tally> tallies() {
    return List.copyOf(tallies);
  }

  /**
   * Returns the run-long tally of one remote dependency.
   *
   * @param name one of {@link #DEPENDENCIES}
   * @return the tally
   * @throws IllegalArgumentException if there is no such dependency
   */
  public Tally tally(String name) {
    for (Tally t : tallies) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "no dependency named '" + name + "'; known: " + DEPENDENCIES);
  }

  /**
   * Returns the game day: the chaos filters the schedule's incidents installed on the dependencies'
   * aspects, and when.
   *
   * @return the game day
   */
  public GameDay gameDay() {
    return gameDay;
  }

  /**
   * Returns whether the schedule's chaos incidents play in this shop.
   *
   * @return true if chaos is on
   */
  public boolean chaos() {
    return schedule.chaos();
  }

  /**
   * Returns the latencies the first copy of each call of the {@link #HEDGED} dependency drew,
   * recorded as it starts whether it answers or a later copy wins and cancels it: what its callers
   * would have waited without the hedge. Its calls are the first copies; no fallback is counted.
   *
   * @return the tally of first copies
   */
  public Tally firstCopies() {
    return firstCopies;
  }

  /**
   * Returns how many first copies of the hedged dependency drew a latency past its timeout: the
   * calls that, without the hedge, would have timed out and fallen back.
   *
   * @return the first copies slower than {@link #HEDGED_TIMEOUT}
   */
  public long firstCopiesPastTimeout() {
    return firstCopiesPastTimeout.sum();
  }

  /**
   * Keeps a first copy's drawn latency as its caller would have waited without the hedge: at most
   * the timeout, after which the call would have ended in the fallback.
   */
  private void firstCopy(long nanos) {
    long timeout = HEDGED_TIMEOUT.toNanos();
    if (nanos > timeout) {
      firstCopiesPastTimeout.increment();
    }
    firstCopies.recordLatency(Math.min(nanos, timeout));
  }

  /**
   * Returns the hedging of the {@link #HEDGED} dependency's calls as its service reports it in its
   * metrics' status: the delay now, the copies sent beyond the first and the calls a later copy
   * won.
   *
   * @return the hedging's figures, or empty once the service is closed
   */
  public Optional<MetricsStatus.Hedging> hedging() {
    MetricsStatus status = recommendations.metrics().snapshot().status();
    return Optional.ofNullable(status == null ? null : status.hedging());
  }

  /**
   * Returns the simulated remote behind a name: one of {@link #DEPENDENCIES} but {@code
   * recommendations}, or one of its providers, {@code personalised} and {@code popular}.
   *
   * @param name the name
   * @return the simulated dependency
   * @throws IllegalArgumentException if there is no such dependency
   */
  public SimulatedDependency simulated(String name) {
    for (SimulatedDependency d :
        List.of(inventorySim, pricingSim, personalised, popular, paymentsSim)) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("no simulated dependency named '" + name + "'");
  }

  /**
   * Returns the breaker of a remote dependency.
   *
   * @param name one of {@link #DEPENDENCIES}
   * @return its breaker
   * @throws IllegalArgumentException if there is no such dependency
   */
  public Breaker breaker(String name) {
    Breaker breaker = breakers.get(name);
    if (breaker != null) {
      return breaker;
    }
    throw new IllegalArgumentException(
        "no dependency named '" + name + "'; known: " + DEPENDENCIES);
  }

  /**
   * Returns the adaptive concurrency limit of the inventory service (AIMD, between {@link
   * #INVENTORY_LIMIT_MIN} and {@link #INVENTORY_LIMIT_MAX}).
   *
   * @return the limiter
   */
  public Limiter inventoryLimit() {
    return inventoryLimit;
  }

  /**
   * Returns the lowest the inventory's limit has been so far.
   *
   * @return the lowest limit
   */
  public int lowestInventoryLimit() {
    return lowestInventoryLimit.get();
  }

  /**
   * Returns how many inventory calls the adaptive limit has rejected (each answered by the
   * fallback).
   *
   * @return the count
   */
  public long limitedInventoryCalls() {
    return limitedInventoryCalls.sum();
  }

  /**
   * Returns the rollout that shows the recommendations panel to {@link #PANEL_PERCENT} % of
   * shoppers.
   *
   * @return the rollout {@link #PANEL}
   */
  public Rollout panel() {
    return panel;
  }

  /**
   * Returns the pages of one arm of the panel experiment: a call and a latency per page.
   *
   * @param shown true for the pages with the panel, false for those without
   * @return the tally {@code panel} or {@code no panel}
   */
  public Tally arm(boolean shown) {
    return shown ? withPanel : withoutPanel;
  }

  /**
   * Returns how many distinct shoppers one arm of the panel experiment has served.
   *
   * @param shown true for the shoppers shown the panel, false for the others
   * @return the count
   */
  public int shoppers(boolean shown) {
    return (shown ? shoppersWithPanel : shoppersWithoutPanel).size();
  }

  /**
   * Returns the recommendations provider the registry holds now.
   *
   * @return the provider's name
   */
  public String recommender() {
    return registry.get(RECOMMENDER).name();
  }

  /**
   * Returns the counters of the price cache in the shop's memory.
   *
   * @return the cache's statistics
   * @throws IllegalStateException if the shop shares its prices through Redis: see {@link
   *     #sharedPrices()}
   */
  public CacheStats cacheStats() {
    Cache<String, String> own = prices;
    if (own == null) {
      throw new IllegalStateException(
          "this shop shares its prices through Redis; its counters are in sharedPrices()");
    }
    return own.stats();
  }

  /**
   * Returns what the shop did with the prices it shares through Redis.
   *
   * @return the shared cache's counters and the prices served, or empty for a shop that caches
   *     prices in its own memory
   */
  public Optional<SharedPrices> sharedPrices() {
    RedisCache<String, Quote> shared = sharedPrices;
    return shared == null
        ? Optional.empty()
        : Optional.of(new SharedPrices(shared.stats(), quotesServed.size(), shared.connected()));
  }

  /**
   * Returns the page totals of the run so far.
   *
   * @return the totals
   */
  public PageTotals pageTotals() {
    return new PageTotals(
        pages.sum(),
        notModified.sum(),
        harness.failures(),
        checkouts.sum(),
        paidLater.sum(),
        pageLatency.latencyPercentile(50),
        pageLatency.latencyPercentile(99));
  }

  /**
   * Returns the timing of the slowest page served so far.
   *
   * @return its timing, or empty before the first page
   */
  public Optional<Timing> slowestPage() {
    return Optional.ofNullable(slowestPage.get());
  }

  /**
   * Stops the services' pools and the shop's workers once the work they accepted is done, then
   * closes the connections to Redis of a shop that shares its prices.
   */
  @Override
  public void close() {
    armsReport.close();
    services.forEach(ServiceFunction::close);
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      RedisCache<String, Quote> shared = sharedPrices;
      if (shared != null) {
        shared.close();
      }
    }
  }

  /**
   * Returns {@code Shop[elapsed, pages]}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "Shop[" + elapsed() + ", " + pages.sum() + " pages]";
  }

  // ---------------------------------------------------------------- assembly

  private <A> ServiceFunction.Builder<A, String> remote(
      String name, Function<A, String> call, Duration timeout, int attempts, Tally tally) {
    Breaker breaker =
        Breaker.builder(name)
            .failureRateThreshold(50)
            .minimumCalls(10)
            .window(schedule.breakerWindow())
            .openDuration(schedule.breakerOpenDuration())
            .halfOpenCalls(1)
            .ticker(clockwork.ticker())
            .onStateChange(change -> breakerChanged(tally, change))
            .build();
    Retry retry =
        Retry.builder(name)
            .maxAttempts(attempts)
            .backoff(Backoff.exponential(Duration.ofMillis(10), 2.0).withJitter(0.5))
            // Only the remote's own failures are worth another try: not a timeout, which would
            // double the wait, nor a short-circuit, which would only be refused again.
            .retryOn(RemoteException.class)
            .sleeper(clockwork.sleeper())
            .ticker(clockwork.ticker())
            .random(new Random(clockwork.seed() + name.hashCode()))
            .build();
    breakers.put(name, breaker);
    return Service.function(name, call)
        .pool(16)
        .timeout(timeout)
        .retry(retry)
        .breaker(breaker)
        .metrics(metrics);
  }

  private void inventoryLimitChanged(Limiter.Change change) {
    lowestInventoryLimit.accumulateAndGet(change.limit(), Math::min);
    if (change.limit() <= INVENTORY_LIMIT_LOW && inventoryLimitLow.compareAndSet(false, true)) {
      event(
          "limit 'inventory' down to "
              + change.limit()
              + " calls at once: its calls slow down or time out");
    } else if (change.limit() == INVENTORY_LIMIT_MAX
        && inventoryLimitLow.compareAndSet(true, false)) {
      event("limit 'inventory' back at " + INVENTORY_LIMIT_MAX + " calls at once");
    }
  }

  private void breakerChanged(Tally tally, StateChange change) {
    if (change.to() == Breaker.State.OPEN && change.from() == Breaker.State.CLOSED) {
      tally.recordTrip();
      event("breaker '" + change.name() + "' opened: " + change.reason());
    } else if (change.to() == Breaker.State.CLOSED && change.from() == Breaker.State.HALF_OPEN) {
      event("breaker '" + change.name() + "' closed: its trial call succeeded");
    }
  }

  private static String fallback(Tally tally, Throwable failure, String value) {
    tally.recordFailure(failure);
    tally.recordFallback();
    return value;
  }

  /** Calls a remote dependency, counting the call and timing it for the tally and the request. */
  @SuppressWarnings("try") // the scope and span are held for their close() alone
  private String measured(Tally tally, Supplier<String> call) {
    tally.recordCall();
    long began = clockwork.ticker().getAsLong();
    try (Timing.Span span = Timing.current().interval(tally.name())) {
      return call.get();
    } finally {
      tally.recordLatency(clockwork.ticker().getAsLong() - began);
    }
  }

  private static Page etag(Request request, Function<Request, Page> next) {
    Page page = next.apply(request);
    String tag = Page.etagOf(page.body());
    return tag.equals(request.ifNoneMatch()) ? Page.notModified(tag) : page.withEtag(tag);
  }

  private void keepIfSlowest(Timing timing) {
    slowestPage.accumulateAndGet(
        timing,
        (old, now) -> old == null || now.elapsed().compareTo(old.elapsed()) > 0 ? now : old);
  }

  private void event(String text) {
    double seconds = elapsed().toNanos() / 1e9;
    events.accept(String.format(Locale.ROOT, "[%5.1fs] %s", seconds, text));
  }

  // ---------------------------------------------------------------- shared prices

  /**
   * A price as one computation of it gave it: the instance that computed it and that instance's
   * count of computations, so that each shop can count the distinct computations it served.
   */
  private record Quote(String origin, long serial, String price) {}

  /** A quote in Redis: {@code <origin> <serial> <price>}, in UTF-8. */
  private static final ValueCodec<Quote> QUOTES =
      new ValueCodec<>() {
        @Override
        public byte[] encode(Quote q) {
          return (q.origin() + " " + q.serial() + " " + q.price()).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Quote decode(byte[] bytes) {
          String[] parts = new String(bytes, StandardCharsets.UTF_8).split(" ", 3);
          if (parts.length < 3) {
            throw new IllegalArgumentException(
                "a quote must be '<origin> <serial> <price>', was " + parts.length + " parts");
          }
          return new Quote(parts[0], Long.parseLong(parts[1]), parts[2]);
        }

        @Override
        public String toString() {
          return "quotes";
        }
      };

  // ---------------------------------------------------------------- the simulated answers

  private static int hash(String s) {
    return s.hashCode() & 0x7fffffff;
  }

  private static String stockOf(String product) {
    return "in stock (" + (hash(product) % 20 + 1) + ")";
  }

  private static String priceOf(String product) {
    int cents = 500 + hash(product) % 5000;
    return String.format(Locale.ROOT, "$%d.%02d", cents / 100, cents % 100);
  }

  private static String personalisedFor(String product) {
    int i = hash(product) % PRODUCTS.size();
    return "for you: "
        + PRODUCTS.get((i + 1) % PRODUCTS.size())
        + ", "
        + PRODUCTS.get((i + 2) % PRODUCTS.size());
  }
}
