package io.dyno.micrometer.internal;

import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import io.dyno.metrics.MetricsStatus.Circuit;
import io.dyno.metrics.MetricsStatus.Pool;
import io.dyno.metrics.MetricsTotals;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one metric in every Micrometer registry it is bound to: registers them, adds the
 * series a reading first shows (a new exception type, a circuit, a pool, a rollout's arms, a
 * concurrency limit, a client-side throttle, hedging), and removes them all.
 *
 * <p>Meters hold their {@link Reader} strongly: gauges are built with a strong reference, and the
 * function counters and timer, which Micrometer holds weakly, find the reader reachable through
 * this set, which the binder holds until the metric is removed. The meters' lifetime is the
 * metric's time on the board, ended by {@link #removeAll()}, not the garbage collector's choice.
 *
 * <p>Changes happen under the binder's guard; reading a meter takes no lock but the reader's.
 * Registering a meter again is harmless: Micrometer hands back the meter it holds under that name
 * and tags, so a race that registers a series twice leaves one meter.
 */
public final class MeterSet {

  /** A figure of the totals counted per {@code outcome} tag of {@code dyno.calls}. */
  private record Outcome(String tag, ToDoubleFunction<MetricsTotals> count) {}

  private static final List<Outcome> OUTCOMES =
      List.of(
          new Outcome("success", MetricsTotals::successes),
          new Outcome("failure", MetricsTotals::failures),
          new Outcome("timeout", MetricsTotals::timeouts),
          new Outcome("short_circuit", MetricsTotals::shortCircuits),
          new Outcome("rejection", MetricsTotals::rejections));

  /** A figure of a pool, with its meter's name, unit and description. */
  private record PoolFigure(
      String name, String unit, String description, ToDoubleFunction<Pool> figure) {}

  private static final List<PoolFigure> POOL_GAUGES =
      List.of(
          new PoolFigure(
              "dyno.pool.max", "threads", "The most threads the pool may hold", Pool::maxSize),
          new PoolFigure("dyno.pool.size", "threads", "The threads the pool holds now", Pool::size),
          new PoolFigure(
              "dyno.pool.largest",
              "threads",
              "The most threads the pool has held at once",
              Pool::largest),
          new PoolFigure(
              "dyno.pool.active", "threads", "The threads running a task now", Pool::active),
          new PoolFigure(
              "dyno.pool.queued", "tasks", "The tasks waiting for a thread", Pool::queued));

  private final Metrics metrics;
  private final Reader reader;
  private final Tags tags;
  private final List<Double> percentiles;
  private final Guard guard;

  /** The meters registered in each registry, in the order registered. */
  private final IdentityHashMap<MeterRegistry, List<Meter>> meters = new IdentityHashMap<>();

  /** The exception types with a counter; read without the guard, added to under it. */
  private final Set<String> types = ConcurrentHashMap.newKeySet();

  private volatile boolean circuit;
  private volatile boolean pool;

  /** The name of the rollout whose arms the metric's status shows, once a reading shows them. */
  private volatile @Nullable String rollout;

  /** The name and algorithm of the limit the metric's status shows, once a reading shows one. */
  private volatile @Nullable LimitTags limiter;

  /** The name of the throttle the metric's status shows, once a reading shows one. */
  private volatile @Nullable String throttle;

  /** Whether a reading has shown hedging. */
  private volatile boolean hedging;

  /** The tags of a limit's meters: the limiter's name and algorithm as first shown. */
  private record LimitTags(String name, String algorithm) {}

  /**
   * Creates the set, with no registry yet.
   *
   * @param metrics the metric
   * @param reuseNanos how long a reading is reused (see {@link Reader})
   * @param tags the user's tags
   * @param percentiles the latency percentiles with a gauge, as fractions of one
   * @param guard the binder's guard, under which every change happens
   */
  public MeterSet(
      Metrics metrics, long reuseNanos, Tags tags, List<Double> percentiles, Guard guard) {
    this.metrics = metrics;
    this.reader = new Reader(metrics, reuseNanos, this::found);
    this.tags = tags.and("name", metrics.name());
    this.percentiles = percentiles;
    this.guard = guard;
  }

  /**
   * Returns the metric.
   *
   * @return the metric
   */
  public Metrics metrics() {
    return metrics;
  }

  /**
   * Registers the meters in {@code registry}; any there already stay. Called under the guard.
   *
   * @param registry the registry
   */
  public void register(MeterRegistry registry) {
    List<Meter> list = new ArrayList<>();
    meters.put(registry, list);
    for (Outcome o : OUTCOMES) {
      list.add(
          FunctionCounter.builder("dyno.calls", reader, r -> r.totals(o.count()))
              .tags(tags)
              .tag("outcome", o.tag())
              .description("Calls that ended with this outcome, since the metric was created")
              .register(registry));
    }
    list.add(
        FunctionTimer.builder(
                "dyno.call.duration",
                reader,
                r -> (long) r.totals(MetricsTotals::latencyCount),
                r -> r.totals(t -> t.latencySum().toNanos()),
                TimeUnit.NANOSECONDS)
            .tags(tags)
            .description("Calls that ran and their total latency, since the metric was created")
            .register(registry));
    list.add(
        Gauge.builder("dyno.calls.in.flight", reader, r -> r.snapshot(MetricsSnapshot::inFlight))
            .strongReference(true)
            .tags(tags)
            .description("Calls running now")
            .register(registry));
    list.add(
        Gauge.builder(
                "dyno.calls.in.flight.max", reader, r -> r.snapshot(MetricsSnapshot::maxInFlight))
            .strongReference(true)
            .tags(tags)
            .description("The most calls running at once during the metric's window")
            .register(registry));
    for (double p : percentiles) {
      double percent = percent(p);
      list.add(
          TimeGauge.builder(
                  "dyno.call.latency",
                  reader,
                  TimeUnit.NANOSECONDS,
                  r -> r.snapshot(s -> s.latencyPercentile(percent).toNanos()))
              .strongReference(true)
              .tags(tags)
              .tag("percentile", Double.toString(p))
              .description("The latency at this percentile over the metric's latency window")
              .register(registry));
    }
    for (String type : types) {
      list.add(failureCounter(registry, type));
    }
    if (circuit) {
      registerCircuit(registry, list);
    }
    if (pool) {
      registerPool(registry, list);
    }
    String name = rollout;
    if (name != null) {
      registerArms(registry, list, name);
    }
    LimitTags limit = limiter;
    if (limit != null) {
      registerLimit(registry, list, limit);
    }
    String throttleName = throttle;
    if (throttleName != null) {
      registerThrottle(registry, list, throttleName);
    }
    if (hedging) {
      registerHedging(registry, list);
    }
  }

  /**
   * Removes every meter of the metric from every registry, when the set is done with. Called under
   * the guard.
   */
  public void removeAll() {
    for (Map.Entry<MeterRegistry, List<Meter>> e : meters.entrySet()) {
      for (Meter m : e.getValue()) {
        e.getKey().remove(m);
      }
    }
  }

  /**
   * Registers, in every registry, the series a reading shows for the first time. Without the guard
   * while there is nothing new, which is every reading but a few.
   */
  private void found(Reader.Reading reading) {
    MetricsStatus status = Reader.statusOf(reading);
    boolean newCircuit = !circuit && status != null && status.circuit() != null;
    boolean newPool = !pool && status != null && status.pool() != null;
    MetricsStatus.Arms arms = status == null ? null : status.arms();
    String newRollout = rollout == null && arms != null ? arms.name() : null;
    MetricsStatus.Limit limit = status == null ? null : status.limit();
    LimitTags newLimit =
        limiter == null && limit != null ? new LimitTags(limit.name(), limit.algorithm()) : null;
    MetricsStatus.Throttle t = status == null ? null : status.throttle();
    String newThrottle = throttle == null && t != null ? t.name() : null;
    boolean newHedging = !hedging && status != null && status.hedging() != null;
    Set<String> seen = reading.totals().failuresByType().keySet();
    if (newCircuit
        || newPool
        || newRollout != null
        || newLimit != null
        || newThrottle != null
        || newHedging
        || !types.containsAll(seen)) {
      guard.run(
          () -> add(seen, newCircuit, newPool, newRollout, newLimit, newThrottle, newHedging));
    }
  }

  /** Registers the series first seen in every registry. Called under the guard. */
  private void add(
      Set<String> seen,
      boolean newCircuit,
      boolean newPool,
      @Nullable String newRollout,
      @Nullable LimitTags newLimit,
      @Nullable String newThrottle,
      boolean newHedging) {
    for (String type : seen) {
      if (types.add(type)) {
        meters.forEach((registry, list) -> list.add(failureCounter(registry, type)));
      }
    }
    if (newCircuit) {
      circuit = true;
      meters.forEach(this::registerCircuit);
    }
    if (newPool) {
      pool = true;
      meters.forEach(this::registerPool);
    }
    if (newRollout != null && rollout == null) {
      rollout = newRollout;
      meters.forEach((registry, list) -> registerArms(registry, list, newRollout));
    }
    if (newLimit != null && limiter == null) {
      limiter = newLimit;
      meters.forEach((registry, list) -> registerLimit(registry, list, newLimit));
    }
    if (newThrottle != null && throttle == null) {
      throttle = newThrottle;
      meters.forEach((registry, list) -> registerThrottle(registry, list, newThrottle));
    }
    if (newHedging && !hedging) {
      hedging = true;
      meters.forEach(this::registerHedging);
    }
  }

  /**
   * The meters of hedging, with the metric's tags alone (hedging has no name of its own): the delay
   * as a time gauge, which Prometheus's registry names {@code dyno_hedge_delay_seconds}, and the
   * copies sent and the calls a copy won as function counters, since they are totals since the
   * service started ({@code dyno_hedges_sent_total}, {@code dyno_hedges_won_total}), as {@code GET
   * /metrics} names them.
   */
  private void registerHedging(MeterRegistry registry, List<Meter> list) {
    list.add(
        TimeGauge.builder("dyno.hedge.delay", reader, TimeUnit.NANOSECONDS, Reader::hedgeDelayNanos)
            .strongReference(true)
            .tags(tags)
            .description("How long a hedged call waits now before an extra copy of it is sent")
            .register(registry));
    list.add(
        FunctionCounter.builder("dyno.hedges.sent", reader, r -> r.hedging(h -> h.sent()))
            .tags(tags)
            .description("Extra copies of slow calls sent since the service started")
            .register(registry));
    list.add(
        FunctionCounter.builder("dyno.hedges.won", reader, r -> r.hedging(h -> h.won()))
            .tags(tags)
            .description("Calls an extra copy won, answering first, since the service started")
            .register(registry));
  }

  /**
   * The meters of a concurrency limit, tagged with the limiter's name and algorithm as its first
   * reading showed them. Without a base unit, so that Prometheus's registry names them as {@code
   * GET /metrics} does: {@code dyno_limit}, {@code dyno_limit_in_flight}.
   */
  private void registerLimit(MeterRegistry registry, List<Meter> list, LimitTags limit) {
    list.add(
        Gauge.builder("dyno.limit", reader, r -> r.limit(l -> l.limit()))
            .strongReference(true)
            .tags(tags)
            .tag("limiter", limit.name())
            .tag("algorithm", limit.algorithm())
            .description("The calls the concurrency limit lets run at once now")
            .register(registry));
    list.add(
        Gauge.builder("dyno.limit.in.flight", reader, r -> r.limit(l -> l.inFlight()))
            .strongReference(true)
            .tags(tags)
            .tag("limiter", limit.name())
            .description(
                "The calls running under the concurrency limit now; above the limit for a moment"
                    + " after it dropped")
            .register(registry));
  }

  /**
   * The meters of a client-side throttle, tagged with the throttle's name as its first reading
   * showed it. Its requests and accepts are counts over its window, so gauges, not counters;
   * without a base unit, so that Prometheus's registry names them as {@code GET /metrics} does.
   */
  private void registerThrottle(MeterRegistry registry, List<Meter> list, String name) {
    list.add(
        Gauge.builder("dyno.throttle.probability", reader, r -> r.throttle(t -> t.probability()))
            .strongReference(true)
            .tags(tags)
            .tag("throttle", name)
            .description("The probability with which the throttle rejects a call now, from 0 to 1")
            .register(registry));
    list.add(
        Gauge.builder("dyno.throttle.requests", reader, r -> r.throttle(t -> t.requests()))
            .strongReference(true)
            .tags(tags)
            .tag("throttle", name)
            .description("The requests the throttle saw over its window")
            .register(registry));
    list.add(
        Gauge.builder("dyno.throttle.accepts", reader, r -> r.throttle(t -> t.accepts()))
            .strongReference(true)
            .tags(tags)
            .tag("throttle", name)
            .description("The requests the backend accepted over the throttle's window")
            .register(registry));
  }

  /**
   * The meters of a rollout's two arms, tagged with the rollout's name as its first reading showed
   * it.
   */
  private void registerArms(MeterRegistry registry, List<Meter> list, String name) {
    list.add(
        FunctionCounter.builder("dyno.rollout.admitted", reader, r -> r.arms(a -> a.admitted()))
            .tags(tags)
            .tag("rollout", name)
            .description("Callers the rollout has admitted since it was created")
            .register(registry));
    list.add(
        FunctionCounter.builder("dyno.rollout.refused", reader, r -> r.arms(a -> a.refused()))
            .tags(tags)
            .tag("rollout", name)
            .description("Callers the rollout has refused since it was created")
            .register(registry));
    list.add(
        Gauge.builder("dyno.rollout.admitted.ratio", reader, r -> r.arms(a -> a.percent() / 100))
            .strongReference(true)
            .tags(tags)
            .tag("rollout", name)
            .description("The share of callers the rollout admits, from 0 to 1")
            .register(registry));
    list.add(
        Gauge.builder("dyno.rollout.tripped", reader, r -> r.arms(a -> a.tripped() ? 1 : 0))
            .strongReference(true)
            .tags(tags)
            .tag("rollout", name)
            .description("1 while the rollout is tripped, admitting nobody; 0 otherwise")
            .register(registry));
  }

  private Meter failureCounter(MeterRegistry registry, String type) {
    return FunctionCounter.builder(
            "dyno.call.failures",
            reader,
            r -> r.totals(t -> t.failuresByType().getOrDefault(type, 0L)))
        .tags(tags)
        .tag("exception", type)
        .description("Failed calls by exception class, since the metric was created")
        .register(registry);
  }

  private void registerCircuit(MeterRegistry registry, List<Meter> list) {
    for (Circuit c : Circuit.values()) {
      list.add(
          Gauge.builder("dyno.circuit.state", reader, r -> r.status(s -> s.circuit() == c ? 1 : 0))
              .strongReference(true)
              .tags(tags)
              .tag("state", c.name().toLowerCase(Locale.ROOT))
              .description("1 for the circuit breaker's state, 0 for the others")
              .register(registry));
    }
    list.add(
        TimeGauge.builder(
                "dyno.circuit.next.trial", reader, TimeUnit.NANOSECONDS, Reader::nextTrialNanos)
            .strongReference(true)
            .tags(tags)
            .description("While the circuit is open, the time until it lets a trial call through")
            .register(registry));
  }

  private void registerPool(MeterRegistry registry, List<Meter> list) {
    for (PoolFigure f : POOL_GAUGES) {
      list.add(
          Gauge.builder(f.name(), reader, r -> r.pool(f.figure()))
              .strongReference(true)
              .tags(tags)
              .baseUnit(f.unit())
              .description(f.description())
              .register(registry));
    }
    list.add(
        FunctionCounter.builder("dyno.pool.completed", reader, r -> r.pool(Pool::completed))
            .tags(tags)
            .baseUnit("tasks")
            .description("Tasks the pool has completed since it started")
            .register(registry));
  }

  /** The percentile, in percent, that a snapshot holds for a fraction of one. */
  static double percent(double fraction) {
    return java.math.BigDecimal.valueOf(fraction).movePointRight(2).doubleValue();
  }
}
