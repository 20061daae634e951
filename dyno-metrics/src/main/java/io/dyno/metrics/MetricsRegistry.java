package io.dyno.metrics;

import io.dyno.metrics.internal.Names;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A board of named {@link Metrics}, one per name, created on first use, for exporters and
 * dashboards that read them all.
 *
 * <pre>{@code
 * MetricsRegistry board = MetricsRegistry.create();
 * Quote q = board.metrics("payments").call(() -> quotes.fetch());
 * for (MetricsSnapshot s : board.snapshots()) { ... }
 * }</pre>
 *
 * <p>Listeners added with {@link #onAdded} and {@link #onRemoved} let an adapter (to a monitoring
 * system, say) follow the board: add the listeners first, then read {@link #all()}, and no instance
 * is missed. Listeners run on the thread that added or removed the instance, outside any lock; one
 * that throws is logged and the others still run.
 *
 * <p>Thread-safe. A registry is an ordinary object, never a global: create one per application.
 */
public final class MetricsRegistry {

  private static final Logger LOG = LoggerFactory.getLogger("io.dyno.metrics");

  private final Function<String, Metrics> factory;
  private final ConcurrentHashMap<String, Metrics> byName = new ConcurrentHashMap<>();

  /** Counts the changes to {@link #byName}, each counted after the map changed. */
  private final AtomicLong changes = new AtomicLong();

  /**
   * The board sorted by name, as of a number of changes: read every stream interval, and rebuilt
   * only when the board changed since, so that a dashboard does not sort the board every second.
   */
  private volatile @Nullable Sorted sorted;

  /** The board sorted by name as it was after {@code changes} changes. */
  private record Sorted(long changes, List<Metrics> metrics) {}

  private final List<Consumer<? super Metrics>> onAdded = new CopyOnWriteArrayList<>();
  private final List<Consumer<? super Metrics>> onRemoved = new CopyOnWriteArrayList<>();

  /** Metrics whose last snapshot failed, so that a failing one is logged once, not every read. */
  private final Set<Metrics> broken = ConcurrentHashMap.newKeySet();

  private MetricsRegistry(Function<String, Metrics> factory) {
    this.factory = factory;
  }

  /**
   * Returns an empty registry that creates metrics with {@link Metrics#of}.
   *
   * @return the registry
   */
  public static MetricsRegistry create() {
    return new MetricsRegistry(Metrics::of);
  }

  /**
   * Returns an empty registry that creates metrics with {@code factory}, for other windows or an
   * injected ticker.
   *
   * <pre>{@code
   * MetricsRegistry board = MetricsRegistry.create(
   *     name -> Metrics.builder(name).window(Duration.ofSeconds(30), 30).build());
   * }</pre>
   *
   * @param factory makes the metrics for a name, with that name
   * @return the registry
   */
  public static MetricsRegistry create(Function<String, Metrics> factory) {
    return new MetricsRegistry(Objects.requireNonNull(factory, "factory must not be null"));
  }

  /**
   * Returns the metrics named {@code name}, creating them on first use.
   *
   * @param name the name, not blank
   * @return the one instance for that name
   * @throws IllegalArgumentException if {@code name} is blank
   * @throws IllegalStateException if the factory returned metrics with another name
   */
  public Metrics metrics(String name) {
    Objects.requireNonNull(name, "name must not be null");
    Metrics existing = byName.get(name);
    if (existing != null) {
      return existing;
    }
    // Checked only here: a blank name never gets onto the board, so a lookup need not check it.
    Names.require(name, "name");
    // Created outside the map's lock, so that a factory never runs while the map is locked; a
    // thread that loses the race discards its instance, which nobody has seen.
    Metrics created = factory.apply(name);
    if (created == null || !created.name().equals(name)) {
      throw new IllegalStateException(
          "MetricsRegistry factory must return metrics named '" + name + "', was " + created);
    }
    Metrics raced = byName.putIfAbsent(name, created);
    if (raced != null) {
      return raced;
    }
    changes.incrementAndGet();
    notify(onAdded, created, "onAdded");
    return created;
  }

  /**
   * Removes the metrics named {@code name}, if present; a later {@link #metrics} creates new ones.
   *
   * @param name the name
   * @return the removed metrics, or empty if there were none
   */
  public Optional<Metrics> remove(String name) {
    Objects.requireNonNull(name, "name must not be null");
    Metrics removed = byName.remove(name);
    if (removed == null) {
      return Optional.empty();
    }
    changes.incrementAndGet();
    broken.remove(removed);
    notify(onRemoved, removed, "onRemoved");
    return Optional.of(removed);
  }

  /**
   * Returns every metrics instance on the board, sorted by name.
   *
   * @return an immutable list; the same one while the board is unchanged
   */
  public List<Metrics> all() {
    // The count is read before the map: a change the copy misses is counted after it, so the
    // sorted list is rebuilt at the next call.
    long seen = changes.get();
    Sorted s = sorted;
    if (s != null && s.changes() == seen) {
      return s.metrics();
    }
    List<Metrics> list = new ArrayList<>(byName.values());
    list.sort(Comparator.comparing(Metrics::name));
    List<Metrics> fresh = List.copyOf(list);
    sorted = new Sorted(seen, fresh);
    return fresh;
  }

  /**
   * Returns a snapshot of every metrics instance on the board, sorted by name. Never throws for a
   * metric's sake: one whose snapshot throws (a clock or ticker of its own that fails, say) is left
   * out, logged at WARN on {@code io.dyno.metrics} once until it reads again, and the others are
   * read as usual.
   *
   * @return an immutable list
   */
  public List<MetricsSnapshot> snapshots() {
    return read().snapshots();
  }

  /** Reads every metric, isolating each: the snapshots, and the names of those that failed. */
  Reading read() {
    List<Metrics> metrics = all();
    List<MetricsSnapshot> snapshots = new ArrayList<>(metrics.size());
    List<String> failed = List.of();
    for (Metrics m : metrics) {
      try {
        snapshots.add(m.snapshot());
        if (!broken.isEmpty()) {
          broken.remove(m);
        }
      } catch (RuntimeException e) {
        if (failed.isEmpty()) {
          failed = new ArrayList<>();
        }
        failed.add(m.name());
        // Logged once per spell of failing: a dashboard reads every second, the log would flood.
        if (broken.add(m)) {
          LOG.warn("MetricsRegistry: snapshot of {} failed; left out until it reads again", m, e);
        }
      }
    }
    return new Reading(List.copyOf(snapshots), List.copyOf(failed));
  }

  /** One read of the whole board: what could be read, and the names of the metrics that failed. */
  record Reading(List<MetricsSnapshot> snapshots, List<String> failed) {}

  /**
   * Adds a listener told of each metrics instance this registry creates, after it is on the board.
   *
   * @param listener the listener
   */
  public void onAdded(Consumer<? super Metrics> listener) {
    onAdded.add(Objects.requireNonNull(listener, "listener must not be null"));
  }

  /**
   * Adds a listener told of each metrics instance removed from this registry, after it is gone.
   *
   * @param listener the listener
   */
  public void onRemoved(Consumer<? super Metrics> listener) {
    onRemoved.add(Objects.requireNonNull(listener, "listener must not be null"));
  }

  @Override
  public String toString() {
    return "MetricsRegistry[names=" + all().stream().map(Metrics::name).toList() + "]";
  }

  private static void notify(
      List<Consumer<? super Metrics>> listeners, Metrics metrics, String kind) {
    for (Consumer<? super Metrics> listener : listeners) {
      try {
        listener.accept(metrics);
      } catch (RuntimeException e) {
        LOG.warn("MetricsRegistry: {} listener {} failed for {}", kind, listener, metrics, e);
      }
    }
  }
}
