package io.dyno.examples.shop;

import io.dyno.aspect.Aspects;
import io.dyno.aspect.Chaos;
import io.dyno.aspect.Registration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The incidents that make a dependency fail or slow down, played as chaos filters: each installs
 * {@link Chaos} around filters on the dependency's aspect of the shop's {@link Aspects} board, and
 * the incident that ends it removes them. The simulated dependencies keep their healthy behaviour;
 * the trouble is injected in front of them, where a game day would inject it.
 *
 * <ul>
 *   <li>{@link Incident#PAYMENTS_DOWN}: a fault on every payments call, a {@link RemoteException}
 *       as a refused connection would throw, until {@link Incident#PAYMENTS_BACK};
 *   <li>{@link Incident#INVENTORY_SLOW}: {@value #INVENTORY_DELAY_MILLIS} ms ± 25 % more on every
 *       inventory call, until {@link Incident#INVENTORY_BACK};
 *   <li>{@link Incident#PRICING_FLAKY}: {@value #PRICING_DELAY_MILLIS} ms ± 50 % more on every
 *       pricing call, then a fault on {@value #PRICING_FAULT_PERCENT} % of them, until {@link
 *       Incident#PRICING_BACK}.
 * </ul>
 *
 * <p>Every draw comes from a {@link Random} seeded by the clockwork's seed, and every injected wait
 * goes through the clockwork's sleeper, so that a test plays the game day on a clock it moves by
 * hand.
 *
 * <p>Thread-safe: {@link #start} may be called from any thread, and the filters run on the
 * services' threads.
 */
public final class GameDay {

  /** The typical delay injected into inventory calls during its spike, in milliseconds. */
  public static final long INVENTORY_DELAY_MILLIS = 400;

  /** The typical delay injected into pricing calls while it is flaky, in milliseconds. */
  public static final long PRICING_DELAY_MILLIS = 100;

  /** The share of pricing calls failed while it is flaky, in percent. */
  public static final int PRICING_FAULT_PERCENT = 40;

  private final Aspects board;
  private final Clockwork clockwork;
  private final List<Installed> installed = new CopyOnWriteArrayList<>();

  private GameDay(Aspects board, Clockwork clockwork) {
    this.board = board;
    this.clockwork = clockwork;
  }

  /**
   * Creates the game day of a shop.
   *
   * @param board the board on which the shop advertises each remote dependency's function by the
   *     dependency's name
   * @param clockwork the sleeper of the injected delays, and the seed of the draws
   * @return the game day, with no filter installed
   */
  public static GameDay create(Aspects board, Clockwork clockwork) {
    return new GameDay(
        Objects.requireNonNull(board, "board must not be null"),
        Objects.requireNonNull(clockwork, "clockwork must not be null"));
  }

  /**
   * Installs the chaos filters {@code incident} starts, or removes those it ends; other incidents
   * change nothing.
   *
   * @param incident the incident
   * @param now when it starts, from the start of the run
   * @return one line per filter installed or removed, for the event log
   */
  public List<String> start(Incident incident, Duration now) {
    Objects.requireNonNull(incident, "incident must not be null");
    Objects.requireNonNull(now, "now must not be null");
    return switch (incident) {
      case PAYMENTS_DOWN ->
          install(
              now,
              "payments",
              "fault",
              Chaos.fault(
                  1.0, () -> new RemoteException("payments: connection refused (chaos fault)")));
      case INVENTORY_SLOW ->
          install(
              now,
              "inventory",
              "latency",
              Chaos.latency(1.0, around("inventory", INVENTORY_DELAY_MILLIS, 0.25)));
      case PRICING_FLAKY -> {
        // The latency first, outermost: every call is slow, and then some of them fail.
        List<String> lines = new ArrayList<>();
        lines.addAll(
            install(
                now,
                "pricing",
                "latency",
                Chaos.latency(1.0, around("pricing", PRICING_DELAY_MILLIS, 0.5))));
        lines.addAll(
            install(
                now,
                "pricing",
                "fault",
                Chaos.fault(
                    PRICING_FAULT_PERCENT / 100.0,
                    () -> new RemoteException("pricing: 503 Service Unavailable (chaos fault)"))));
        yield lines;
      }
      case PAYMENTS_BACK -> remove(now, "payments");
      case INVENTORY_BACK -> remove(now, "inventory");
      case PRICING_BACK -> remove(now, "pricing");
      default -> List.of();
    };
  }

  /**
   * Returns every filter installed so far, in the order they were installed, removed or not.
   *
   * @return the filters
   */
  public List<Installed> filters() {
    return List.copyOf(installed);
  }

  /**
   * Returns {@code GameDay[n filters installed]}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "GameDay[" + installed.size() + " filters installed]";
  }

  private List<String> install(
      Duration now, String dependency, String kind, Chaos.Filter<String, String> filter) {
    Chaos.Filter<String, String> seeded =
        filter
            .name(kind + " on " + dependency)
            .random(new Random(seed(dependency + " " + kind)))
            .sleeper(clockwork.sleeper()::sleep);
    Registration registration = board.<String, String>aspect(dependency).around(seeded);
    Installed entry = new Installed(dependency, kind, seeded, registration, now);
    installed.add(entry);
    return List.of(
        String.format(
            Locale.ROOT,
            "chaos on '%s': %s at %s %% installed",
            dependency,
            kind,
            percent(filter.rate())));
  }

  private List<String> remove(Duration now, String dependency) {
    List<String> lines = new ArrayList<>();
    for (Installed entry : installed) {
      if (entry.dependency().equals(dependency) && entry.removeAt(now)) {
        lines.add(
            String.format(
                Locale.ROOT,
                "chaos on '%s': %s removed, after %d calls injected",
                dependency,
                entry.kind(),
                entry.injected()));
      }
    }
    return lines;
  }

  /** Delays around {@code millis}, ± {@code jitter} of it, drawn from a seeded generator. */
  private Supplier<Duration> around(String dependency, long millis, double jitter) {
    Random random = new Random(seed(dependency + " delay"));
    long nanos = Duration.ofMillis(millis).toNanos();
    return () -> Duration.ofNanos(Math.round(nanos * (1 + jitter * (2 * random.nextDouble() - 1))));
  }

  private long seed(String purpose) {
    return clockwork.seed() * 31 + purpose.hashCode();
  }

  /** {@code 100} for 1.0 and {@code 40} for 0.4. */
  static String percent(double rate) {
    double p = rate * 100;
    return p == Math.rint(p) ? Long.toString(Math.round(p)) : Double.toString(p);
  }

  /**
   * One chaos filter of the game day: on which dependency, of which kind, when it was installed and
   * removed, and how many calls it injected into.
   *
   * <p>Thread-safe.
   */
  public static final class Installed {
    private final String dependency;
    private final String kind;
    private final Chaos.Filter<String, String> filter;
    private final Registration registration;
    private final Duration from;
    private final AtomicReference<@Nullable Duration> to = new AtomicReference<>();

    private Installed(
        String dependency,
        String kind,
        Chaos.Filter<String, String> filter,
        Registration registration,
        Duration from) {
      this.dependency = dependency;
      this.kind = kind;
      this.filter = filter;
      this.registration = registration;
      this.from = from;
    }

    /**
     * Returns the dependency whose aspect the filter is on.
     *
     * @return its name
     */
    public String dependency() {
      return dependency;
    }

    /**
     * Returns what the filter injects: {@code fault} or {@code latency}.
     *
     * @return the kind
     */
    public String kind() {
      return kind;
    }

    /**
     * Returns the share of the calls the filter injects into, from 0 to 1.
     *
     * @return the rate
     */
    public double rate() {
      return filter.rate();
    }

    /**
     * Returns how many calls the filter has injected into.
     *
     * @return the count
     */
    public long injected() {
      return filter.injected();
    }

    /**
     * Returns when the filter was installed, from the start of the run.
     *
     * @return the time
     */
    public Duration from() {
      return from;
    }

    /**
     * Returns when the filter was removed, from the start of the run.
     *
     * @return the time, or empty while it is installed
     */
    public Optional<Duration> to() {
      return Optional.ofNullable(to.get());
    }

    /** Removes the filter at {@code now}; false if it was removed already. */
    private boolean removeAt(Duration now) {
      if (!to.compareAndSet(null, now)) {
        return false;
      }
      registration.remove();
      return true;
    }

    /**
     * Returns {@code GameDay.Installed[fault on payments at 100 %, 1.5 s to 4.0 s, 236 injected]}.
     *
     * @return a description
     */
    @Override
    public String toString() {
      Duration end = to.get();
      return String.format(
          Locale.ROOT,
          "GameDay.Installed[%s on %s at %s %%, %.1f s to %s, %d injected]",
          kind,
          dependency,
          percent(rate()),
          from.toNanos() / 1e9,
          end == null ? "now" : String.format(Locale.ROOT, "%.1f s", end.toNanos() / 1e9),
          injected());
    }
  }
}
