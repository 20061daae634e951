package io.dyno.breaker;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A board of named breakers, limiters, rollouts and throttles, for switches flipped at run time:
 * setup code registers them, and an admin endpoint lists their states, trips or resets them by
 * name.
 *
 * <pre>{@code
 * Breakers switches = Breakers.create();
 * Breaker newCheckout = switches.breaker("new-checkout"); // a manual fuse, closed
 * switches.breaker("new-checkout").trip(); // from an admin endpoint: off at once
 * Map<String, Breaker.State> states = switches.states(); // {new-checkout=FORCED_OPEN}
 * }</pre>
 *
 * <p>{@link #tripAll()} and {@link #resetAll()} act on the breakers only: a {@link Rollout} is
 * tripped and reset by itself, so that switching every fuse off and on again does not touch an
 * experiment's population, and a {@link Throttle} keeps its window.
 *
 * <p>Thread-safe. A board is an ordinary object, never a global: create one per application.
 */
public final class Breakers {

  private final ConcurrentMap<String, Breaker> breakers = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Limiter> limiters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Rollout> rollouts = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Throttle> throttles = new ConcurrentHashMap<>();

  private Breakers() {}

  /**
   * Returns an empty board.
   *
   * @return the board
   */
  public static Breakers create() {
    return new Breakers();
  }

  /**
   * Returns the breaker of this name, first creating a {@linkplain Breaker#manual manual} one if
   * there is none.
   *
   * @param name the breaker's name
   * @return the breaker
   */
  public Breaker breaker(String name) {
    Objects.requireNonNull(name, "name must not be null");
    Breaker existing = breakers.get(name);
    return existing != null ? existing : breakers.computeIfAbsent(name, Breaker::manual);
  }

  /**
   * Adds a breaker built elsewhere, under its own name.
   *
   * @param breaker the breaker
   * @return {@code breaker}
   * @throws IllegalArgumentException if the board already holds another breaker of that name
   */
  public Breaker register(Breaker breaker) {
    Objects.requireNonNull(breaker, "breaker must not be null");
    Breaker existing = breakers.putIfAbsent(breaker.name(), breaker);
    if (existing != null && existing != breaker) {
      throw new IllegalArgumentException(
          "a breaker named '" + breaker.name() + "' is already on the board: " + existing);
    }
    return breaker;
  }

  /**
   * Returns the breaker of this name, if the board holds one.
   *
   * @param name the breaker's name
   * @return the breaker, or empty
   */
  public Optional<Breaker> find(String name) {
    return Optional.ofNullable(breakers.get(Objects.requireNonNull(name, "name must not be null")));
  }

  /**
   * Returns the limiter of this name, first creating it with {@code permits} if there is none.
   *
   * @param name the limiter's name
   * @param permits how many calls it lets run at once, at least 1
   * @return the limiter
   * @throws IllegalArgumentException if {@code permits} is below 1, or the board holds a limiter of
   *     this name with a different number of permits
   */
  public Limiter limiter(String name, int permits) {
    Objects.requireNonNull(name, "name must not be null");
    Limiter limiter = limiters.computeIfAbsent(name, n -> Limiter.of(n, permits));
    if (!limiter.algorithm().equals("fixed")) {
      throw new IllegalArgumentException(
          "limiter '"
              + name
              + "' is adaptive ("
              + limiter.algorithm()
              + "), was asked for "
              + permits
              + " fixed permits");
    }
    if (limiter.permits() != permits) {
      throw new IllegalArgumentException(
          "limiter '" + name + "' has " + limiter.permits() + " permits, was asked for " + permits);
    }
    return limiter;
  }

  /**
   * Returns the limiter of this name, first creating it with {@link Limiter#adaptive} (Gradient2
   * with its defaults) if there is none.
   *
   * @param name the limiter's name
   * @return the limiter
   * @throws IllegalArgumentException if {@code name} is blank, or the board holds a fixed limiter
   *     of this name
   */
  public Limiter adaptiveLimiter(String name) {
    Objects.requireNonNull(name, "name must not be null");
    Limiter existing = limiters.get(name);
    Limiter limiter =
        existing != null ? existing : limiters.computeIfAbsent(name, Limiter::adaptive);
    if (limiter.algorithm().equals("fixed")) {
      throw new IllegalArgumentException(
          "limiter '"
              + name
              + "' has "
              + limiter.permits()
              + " fixed permits, was asked for an adaptive one");
    }
    return limiter;
  }

  /**
   * Returns every limiter on the board, fixed and adaptive, by name, in name order.
   *
   * @return an unmodifiable snapshot of the limiters
   */
  public Map<String, Limiter> limiters() {
    return Collections.unmodifiableMap(new TreeMap<>(limiters));
  }

  /**
   * Returns the rollout of this name, first creating it at {@code percent} if there is none. The
   * percentage it was created with is what a later call must ask for: a rollout whose percentage an
   * operator has moved since is still returned to setup code that asks with the original one.
   *
   * @param name the rollout's name
   * @param percent the share of keys it admits when created, in {@code [0, 100]}
   * @return the rollout
   * @throws IllegalArgumentException if {@code percent} is outside {@code [0, 100]} or NaN, or the
   *     board holds a rollout of this name created with a different percentage
   */
  public Rollout rollout(String name, double percent) {
    Objects.requireNonNull(name, "name must not be null");
    double asked = Rollout.checkedPercent(percent);
    Rollout rollout = rollouts.computeIfAbsent(name, n -> Rollout.of(n, asked));
    if (Double.compare(rollout.initialPercent(), asked) != 0) {
      throw new IllegalArgumentException(
          "rollout '"
              + name
              + "' was created at "
              + rollout.initialPercent()
              + " %, was asked for "
              + asked
              + " %");
    }
    return rollout;
  }

  /**
   * Returns every rollout on the board, by name, in name order.
   *
   * @return an unmodifiable snapshot of the rollouts
   */
  public Map<String, Rollout> rollouts() {
    return Collections.unmodifiableMap(new TreeMap<>(rollouts));
  }

  /**
   * Returns the throttle of this name, first creating it with the defaults of {@link Throttle#of}
   * if there is none.
   *
   * @param name the throttle's name
   * @return the throttle
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public Throttle throttle(String name) {
    Objects.requireNonNull(name, "name must not be null");
    Throttle existing = throttles.get(name);
    return existing != null ? existing : throttles.computeIfAbsent(name, Throttle::of);
  }

  /**
   * Returns every throttle on the board, by name, in name order.
   *
   * @return an unmodifiable snapshot of the throttles
   */
  public Map<String, Throttle> throttles() {
    return Collections.unmodifiableMap(new TreeMap<>(throttles));
  }

  /**
   * Returns the state of every breaker on the board, by name, in name order.
   *
   * @return an unmodifiable snapshot of the states
   */
  public Map<String, Breaker.State> states() {
    Map<String, Breaker.State> states = new TreeMap<>();
    breakers.forEach((name, breaker) -> states.put(name, breaker.state()));
    return Collections.unmodifiableMap(states);
  }

  /** Forces every breaker on the board open, as {@link Breaker#trip()} does. */
  public void tripAll() {
    breakers.values().forEach(Breaker::trip);
  }

  /** Closes every breaker on the board with an empty window, as {@link Breaker#reset()} does. */
  public void resetAll() {
    breakers.values().forEach(Breaker::reset);
  }

  /**
   * Returns {@code Breakers[breakers={new-checkout=FORCED_OPEN}, limiters=[exports]]}: the state of
   * every breaker and the name of every limiter on the board, in name order; and, when the board
   * holds rollouts, each one's percentage, as in {@code rollouts={new-search=20.0}}; and, when it
   * holds throttles, their names, as in {@code throttles=[search]}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    String text =
        "Breakers[breakers=" + states() + ", limiters=" + new TreeSet<>(limiters.keySet());
    if (!rollouts.isEmpty()) {
      Map<String, Double> percents = new TreeMap<>();
      rollouts.forEach((name, rollout) -> percents.put(name, rollout.percent()));
      text += ", rollouts=" + percents;
    }
    if (!throttles.isEmpty()) {
      text += ", throttles=" + new TreeSet<>(throttles.keySet());
    }
    return text + "]";
  }
}
