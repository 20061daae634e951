package io.dyno.micrometer;

import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsRegistry;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.micrometer.internal.Durations;
import io.dyno.micrometer.internal.Guard;
import io.dyno.micrometer.internal.MeterSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Shows every {@link Metrics} of a {@link MetricsRegistry} as Micrometer meters: those on the board
 * when bound, those added later, and none of those removed.
 *
 * <pre>{@code
 * MetricsRegistry board = MetricsRegistry.create();
 * DynoMeterBinder.of(board).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Each metric gets, tagged {@code name=<metric name>} and the binder's {@linkplain
 * Builder#tags(Iterable) tags}: a {@code dyno.calls} function counter per {@code outcome} (success,
 * failure, timeout, short_circuit, rejection) and a {@code dyno.call.failures} function counter per
 * {@code exception} class, both from {@link Metrics#totals()}; a {@code dyno.call.duration}
 * function timer (calls that ran and their total latency, from the totals); {@code
 * dyno.calls.in.flight} and {@code dyno.calls.in.flight.max} gauges and a {@code dyno.call.latency}
 * time gauge per {@code percentile}, from {@link Metrics#snapshot()}; and, once a snapshot's status
 * shows a circuit breaker or a pool, a {@code dyno.circuit.state} gauge per {@code state} (1 for
 * the current state, 0 for the others), a {@code dyno.circuit.next.trial} time gauge, and {@code
 * dyno.pool.*} gauges and a counter.
 *
 * <p><b>Series that appear later.</b> An exception type's counter, and the circuit's and the pool's
 * meters, are registered by the first reading that shows them (the first scrape after the first
 * such failure, say), in every registry the binder is bound to; such a meter may miss that scrape
 * and show from the next, with the count so far.
 *
 * <p><b>Cost.</b> Nothing on a call's path: recording stays dyno's, and the meters are functions
 * that read the metric when the meter is read. A scrape reads many meters of one metric, so one
 * reading (a snapshot and the totals) serves every read within {@link Builder#reuseReadingsFor} (1
 * second unless changed) of the metric's own ticker, which is read when a meter is read, never when
 * a call is recorded.
 *
 * <p><b>References.</b> The meters hold the metric strongly, through the binder, which the board's
 * listeners hold: a metric's meters live exactly as long as the metric is on the board, and are
 * removed, from every registry bound, when it leaves it. (Weak references would add nothing here,
 * and would let a metric's gauges turn to NaN whenever the collector took their reading object.)
 *
 * <p>Thread-safe. Binding the same {@link MeterRegistry} again does nothing.
 */
public final class DynoMeterBinder implements MeterBinder {

  /** The percentiles with a latency gauge unless the builder is told others. */
  private static final List<Double> DEFAULT_PERCENTILES = List.of(0.5, 0.9, 0.99, 0.999);

  /** The tag keys the binder sets itself. */
  private static final Set<String> RESERVED =
      Set.of("name", "outcome", "exception", "percentile", "state");

  private final MetricsRegistry source;
  private final Tags tags;
  private final List<Double> percentiles;
  private final long reuseNanos;

  /** Guards every change to the meters: binding, and metrics added or removed. */
  private final Guard guard = new Guard();

  private final Set<MeterRegistry> bound = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<String, MeterSet> byName = new HashMap<>();

  private DynoMeterBinder(Builder b) {
    this.source = b.source;
    this.tags = b.tags;
    this.percentiles = b.percentiles;
    this.reuseNanos = Durations.toNanosSaturated(b.reuse);
  }

  /**
   * Returns a binder of every metric of {@code registry}, with no tags of its own, the default
   * percentiles and readings reused for 1 second.
   *
   * @param registry the board whose metrics to show
   * @return the binder
   */
  public static DynoMeterBinder of(MetricsRegistry registry) {
    return builder(registry).build();
  }

  /**
   * Returns a builder of a binder of every metric of {@code registry}.
   *
   * @param registry the board whose metrics to show
   * @return the builder
   */
  public static Builder builder(MetricsRegistry registry) {
    return new Builder(registry);
  }

  /**
   * Registers the meters of every metric on the board in {@code registry}, and keeps them in step
   * with the board from now on: a metric added gets its meters, a metric removed loses them.
   * Binding a registry that is bound already does nothing.
   *
   * @param registry the Micrometer registry
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry must not be null");
    // A registry bound again gets every meter again, and Micrometer hands back the ones it holds.
    guard.run(
        () -> {
          bound.add(registry);
          for (Metrics m : source.all()) {
            meterSet(m).register(registry);
          }
        });
  }

  /**
   * Follows the board from now on. Listeners first, then the board (at each bind): a metric added
   * in between is met twice, and registering it twice leaves one set of meters.
   */
  private DynoMeterBinder listen() {
    source.onAdded(this::added);
    source.onRemoved(this::removed);
    return this;
  }

  /**
   * Returns the tags every meter carries besides its own.
   *
   * @return the tags
   */
  public Tags tags() {
    return tags;
  }

  /**
   * Returns the percentiles with a latency gauge, as fractions of one.
   *
   * @return an immutable list
   */
  public List<Double> percentiles() {
    return percentiles;
  }

  /**
   * Returns how long a reading of a metric serves the reads of its meters.
   *
   * @return the time
   */
  public Duration reuseReadingsFor() {
    return Duration.ofNanos(reuseNanos);
  }

  private void added(Metrics metrics) {
    guard.run(
        () -> {
          MeterSet set = meterSet(metrics);
          for (MeterRegistry registry : bound) {
            set.register(registry);
          }
        });
  }

  private void removed(Metrics metrics) {
    guard.run(
        () -> {
          MeterSet set = byName.get(metrics.name());
          // Only the instance removed: a new metric of the same name may have been added already.
          if (set != null && set.metrics() == metrics) {
            set.removeAll();
            byName.remove(metrics.name());
          }
        });
  }

  /** The meters of {@code metrics}, replacing those of an earlier metric of its name. */
  private MeterSet meterSet(Metrics metrics) {
    MeterSet set = byName.get(metrics.name());
    if (set != null && set.metrics() == metrics) {
      return set;
    }
    if (set != null) {
      set.removeAll();
    }
    MeterSet fresh = new MeterSet(metrics, reuseNanos, tags, percentiles, guard);
    byName.put(metrics.name(), fresh);
    return fresh;
  }

  @Override
  public String toString() {
    return guard.get(
        () ->
            "DynoMeterBinder[registries="
                + bound.size()
                + ", metrics="
                + byName.size()
                + ", tags="
                + tags.stream().map(t -> t.getKey() + "=" + t.getValue()).toList()
                + "]");
  }

  /**
   * Builds a {@link DynoMeterBinder}. Not thread-safe; the binder it builds is.
   *
   * <pre>{@code
   * DynoMeterBinder binder =
   *     DynoMeterBinder.builder(board)
   *         .tags(Tags.of("region", "eu-west-1"))
   *         .percentiles(0.5, 0.99)
   *         .build();
   * }</pre>
   */
  public static final class Builder {

    private final MetricsRegistry source;
    private Tags tags = Tags.empty();
    private List<Double> percentiles = DEFAULT_PERCENTILES;
    private Duration reuse = Duration.ofSeconds(1);

    private Builder(MetricsRegistry registry) {
      this.source = Objects.requireNonNull(registry, "registry must not be null");
    }

    /**
     * Sets the tags every meter carries besides its own, replacing any set before; none unless set.
     *
     * @param tags the tags, none of them keyed name, outcome, exception, percentile or state
     * @return this builder
     * @throws IllegalArgumentException if a tag uses a key the binder sets, naming it
     */
    public Builder tags(Iterable<Tag> tags) {
      Objects.requireNonNull(tags, "tags must not be null");
      List<Tag> list = new ArrayList<>();
      tags.forEach(list::add);
      for (int i = 0; i < list.size(); i++) {
        Tag t = Objects.requireNonNull(list.get(i), "tags[" + i + "] must not be null");
        if (RESERVED.contains(t.getKey())) {
          throw new IllegalArgumentException(
              "tags must not use the key '"
                  + t.getKey()
                  + "', which the binder sets, was "
                  + t.getKey()
                  + "="
                  + t.getValue());
        }
      }
      this.tags = Tags.of(list);
      return this;
    }

    /**
     * Sets the latency percentiles that get a {@code dyno.call.latency} gauge, as fractions of one;
     * 0.5, 0.9, 0.99 and 0.999 unless set. Each must be one a snapshot holds: 0, 0.25, 0.5, 0.75,
     * 0.9, 0.95, 0.99, 0.995, 0.999 or 1 (see {@link MetricsSnapshot#PERCENTILES}). None is
     * allowed: no latency gauges.
     *
     * @param percentiles the percentiles, each once
     * @return this builder
     * @throws IllegalArgumentException if one is not held by snapshots or is given twice, naming
     *     its index and value
     */
    public Builder percentiles(double... percentiles) {
      Objects.requireNonNull(percentiles, "percentiles must not be null");
      List<Double> supported = supportedPercentiles();
      List<Double> list = new ArrayList<>();
      for (int i = 0; i < percentiles.length; i++) {
        double p = percentiles[i];
        if (!supported.contains(p)) {
          throw new IllegalArgumentException(
              "percentiles[" + i + "] must be one of " + supported + ", was " + p);
        }
        if (list.contains(p)) {
          throw new IllegalArgumentException(
              "percentiles[" + i + "] must not repeat an earlier one, was " + p);
        }
        list.add(p);
      }
      this.percentiles = List.copyOf(list);
      return this;
    }

    /**
     * Sets how long one reading of a metric (a snapshot and the totals) serves the reads of its
     * meters, by the metric's own ticker: 1 second unless set, long enough for every meter of a
     * scrape to share one reading and far shorter than any scrape interval. Zero takes a reading at
     * every read of a meter.
     *
     * @param reuse the time, zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code reuse} is negative
     */
    public Builder reuseReadingsFor(Duration reuse) {
      Objects.requireNonNull(reuse, "reuse must not be null");
      if (reuse.isNegative()) {
        throw new IllegalArgumentException("reuse must not be negative, was " + reuse);
      }
      this.reuse = reuse;
      return this;
    }

    /**
     * Builds the binder, bound to no registry yet. It follows the board from now on, for as long as
     * the board lives: a board keeps its listeners, so build one binder per board and bind it to
     * every registry.
     *
     * @return the binder
     */
    public DynoMeterBinder build() {
      return new DynoMeterBinder(this).listen();
    }

    /** The percentiles of {@link MetricsSnapshot#PERCENTILES} as fractions of one. */
    private static List<Double> supportedPercentiles() {
      return MetricsSnapshot.PERCENTILES.stream()
          .map(p -> BigDecimal.valueOf(p).movePointLeft(2).doubleValue())
          .toList();
    }
  }
}
