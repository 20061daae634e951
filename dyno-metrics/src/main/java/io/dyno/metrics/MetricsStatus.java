package io.dyno.metrics;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The state of what guards a metric's calls, as its owner reports it: the circuit breaker's state
 * and, while it is open, the time until its next trial call; for calls that run on a pool of
 * threads, the pool's figures; for calls split between the two arms of an experiment or a rollout,
 * the arms' counts; for calls that pass a concurrency limit, the limit's figures; and for calls
 * that pass a client-side throttle, the throttle's figures; and for calls that send extra copies of
 * a slow call (hedges), the hedging's figures. dyno-metrics knows no breaker, pool, rollout,
 * limiter, throttle or hedging: whoever owns them (a dyno-service {@code Service}, or the user's
 * own code) hands a {@code Supplier} of this record to {@link Metrics#reportStatus}, and every
 * snapshot, {@code /metrics.json} and the dashboard show what it says ({@code /stream} shows the
 * circuit and the pool, the fields Hystrix has).
 *
 * <pre>{@code
 * Metrics payments = registry.metrics("payments");
 * Metrics.StatusReport report =
 *     payments.reportStatus(() -> MetricsStatus.circuit(myCircuitState(), null));
 * }</pre>
 *
 * @param circuit the circuit breaker's state, or null when the calls pass no breaker
 * @param nextTrialIn while the circuit is {@link Circuit#OPEN}, how long until it lets a trial call
 *     through (zero once due); null otherwise
 * @param pool the figures of the pool the calls run on, or null when they run on no pool
 * @param arms the counts of the two arms the calls are split between, or null when they are not
 * @param limit the figures of the concurrency limit the calls pass, or null when they pass none
 * @param throttle the figures of the client-side throttle the calls pass, or null when they pass
 *     none
 * @param hedging the figures of the hedging that sends extra copies of slow calls, or null when the
 *     calls are not hedged
 */
public record MetricsStatus(
    @Nullable Circuit circuit,
    @Nullable Duration nextTrialIn,
    @Nullable Pool pool,
    @Nullable Arms arms,
    @Nullable Limit limit,
    @Nullable Throttle throttle,
    @Nullable Hedging hedging) {

  /** The state of a circuit breaker, with the same names as dyno-breaker's states. */
  public enum Circuit {
    /** Calls go through and are counted. */
    CLOSED,
    /** Calls are refused until the open time has passed. */
    OPEN,
    /** A few trial calls go through to decide whether to close. */
    HALF_OPEN,
    /** Opened by hand: calls are refused until it is reset. */
    FORCED_OPEN,
    /** Closed by hand: calls go through and it never opens by itself. */
    DISABLED;

    /**
     * Returns whether calls are refused: {@link #OPEN} or {@link #FORCED_OPEN}.
     *
     * @return true while open
     */
    public boolean isOpen() {
      return this == OPEN || this == FORCED_OPEN;
    }
  }

  /**
   * The figures of a pool of threads at one moment, as {@link
   * java.util.concurrent.ThreadPoolExecutor} reports them.
   *
   * @param maxSize the most threads the pool may hold
   * @param size the threads it holds now
   * @param largest the most threads it has ever held at once
   * @param active the threads running a task now
   * @param queued the tasks waiting for a thread
   * @param completed the tasks it has completed since it started
   */
  public record Pool(int maxSize, int size, int largest, int active, int queued, long completed) {

    /**
     * Checks the figures.
     *
     * @param maxSize the most threads the pool may hold, at least 1
     * @param size the threads it holds now, at least 0
     * @param largest the most threads it has ever held at once, at least 0
     * @param active the threads running a task now, at least 0
     * @param queued the tasks waiting for a thread, at least 0
     * @param completed the tasks it has completed since it started, at least 0
     * @throws IllegalArgumentException if a figure is out of range, naming it and its value
     */
    public Pool {
      if (maxSize < 1) {
        throw new IllegalArgumentException("maxSize must be >= 1, was " + maxSize);
      }
      requireFigure("size", size);
      requireFigure("largest", largest);
      requireFigure("active", active);
      requireFigure("queued", queued);
      if (completed < 0) {
        throw new IllegalArgumentException("completed must be >= 0, was " + completed);
      }
    }

    private static void requireFigure(String name, int value) {
      if (value < 0) {
        throw new IllegalArgumentException(name + " must be >= 0, was " + value);
      }
    }
  }

  /**
   * The two arms of a rollout or an experiment at one moment: the share of callers admitted, and
   * how many times a caller was admitted or refused, as dyno-breaker's {@code Rollout} counts them.
   *
   * <pre>{@code
   * Rollout panel = Rollout.of("new-panel", 20);
   * Metrics.StatusReport report =
   *     pages.reportStatus(() -> MetricsStatus.arms(new MetricsStatus.Arms(
   *         panel.name(), panel.percent(), panel.admitted(), panel.refused(), panel.isTripped())));
   * }</pre>
   *
   * @param name the rollout's name
   * @param percent the share of callers admitted, in percent
   * @param admitted the callers admitted so far
   * @param refused the callers refused so far
   * @param tripped whether the rollout is tripped, refusing everyone
   */
  public record Arms(String name, double percent, long admitted, long refused, boolean tripped) {

    /**
     * Checks the figures.
     *
     * @param name the rollout's name, not blank
     * @param percent the share admitted, in [0, 100]
     * @param admitted the callers admitted so far, at least 0
     * @param refused the callers refused so far, at least 0
     * @param tripped whether the rollout refuses everyone
     * @throws IllegalArgumentException if a figure is out of range or the name is blank, naming it
     *     and its value
     */
    public Arms {
      Objects.requireNonNull(name, "name must not be null");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
      }
      if (!(percent >= 0 && percent <= 100)) {
        throw new IllegalArgumentException("percent must be in [0, 100], was " + percent);
      }
      if (admitted < 0) {
        throw new IllegalArgumentException("admitted must be >= 0, was " + admitted);
      }
      if (refused < 0) {
        throw new IllegalArgumentException("refused must be >= 0, was " + refused);
      }
    }
  }

  /**
   * A concurrency limit at one moment, adaptive or fixed: how many calls it lets run at once now
   * and how many run, as dyno-breaker's {@code Limiter} (a fixed limit) or an adaptive limiter
   * reports them.
   *
   * <pre>{@code
   * Limiter limiter = Limiter.of("search", 48);
   * Metrics.StatusReport report =
   *     search.reportStatus(() -> MetricsStatus.limit(new MetricsStatus.Limit(
   *         limiter.name(), "fixed", limiter.permits(), limiter.inUse())));
   * }</pre>
   *
   * @param name the limiter's name
   * @param algorithm how the limit is set, such as {@code "gradient2"}, {@code "vegas"} or {@code
   *     "fixed"}
   * @param limit the calls it lets run at once now
   * @param inFlight the calls running now; it may exceed {@code limit} for a moment after the limit
   *     dropped
   */
  public record Limit(String name, String algorithm, int limit, int inFlight) {

    /**
     * Checks the figures.
     *
     * @param name the limiter's name, not blank
     * @param algorithm how the limit is set, not blank
     * @param limit the calls it lets run at once now, at least 1
     * @param inFlight the calls running now, at least 0, possibly above {@code limit}
     * @throws IllegalArgumentException if a figure is out of range or a name is blank, naming it
     *     and its value
     */
    public Limit {
      requireNotBlank("name", name);
      requireNotBlank("algorithm", algorithm);
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be >= 1, was " + limit);
      }
      if (inFlight < 0) {
        throw new IllegalArgumentException("inFlight must be >= 0, was " + inFlight);
      }
    }
  }

  /**
   * A client-side throttle at one moment: the probability with which it rejects a call locally, and
   * the requests and accepts over its window, as dyno-breaker's {@code Throttle} counts them.
   *
   * <pre>{@code
   * Throttle throttle = Throttle.of("search");
   * Metrics.StatusReport report =
   *     search.reportStatus(() -> MetricsStatus.throttle(new MetricsStatus.Throttle(
   *         throttle.name(), throttle.probability(), throttle.requests(), throttle.accepts())));
   * }</pre>
   *
   * @param name the throttle's name
   * @param probability the probability with which it rejects a call locally now, in [0, 1]
   * @param requests the requests over its window
   * @param accepts the requests the backend accepted over its window
   */
  public record Throttle(String name, double probability, long requests, long accepts) {

    /**
     * Checks the figures.
     *
     * @param name the throttle's name, not blank
     * @param probability the rejection probability, in [0, 1]
     * @param requests the requests over its window, at least 0
     * @param accepts the accepted requests over its window, at least 0
     * @throws IllegalArgumentException if a figure is out of range or the name is blank, naming it
     *     and its value
     */
    public Throttle {
      requireNotBlank("name", name);
      if (!(probability >= 0 && probability <= 1)) {
        throw new IllegalArgumentException("probability must be in [0, 1], was " + probability);
      }
      if (requests < 0) {
        throw new IllegalArgumentException("requests must be >= 0, was " + requests);
      }
      if (accepts < 0) {
        throw new IllegalArgumentException("accepts must be >= 0, was " + accepts);
      }
    }
  }

  /**
   * The hedging of a service's calls at one moment: how long it waits now for an answer before
   * sending an extra copy of a slow call, at most how many extra copies it sends per call, and
   * since it started, how many copies it sent and for how many calls a copy answered first.
   *
   * <pre>{@code
   * Metrics.StatusReport report =
   *     search.reportStatus(() -> MetricsStatus.hedging(new MetricsStatus.Hedging(
   *         Duration.ofMillis(12), 1, hedgesSent.sum(), hedgesWon.sum())));
   * }</pre>
   *
   * @param delay how long it waits now before sending a copy
   * @param maxExtra at most how many extra copies it sends per call
   * @param sent the copies sent since the service started
   * @param won the calls a copy won (answered first) since the service started
   */
  public record Hedging(Duration delay, int maxExtra, long sent, long won) {

    /**
     * Checks the figures.
     *
     * @param delay how long it waits before sending a copy, not negative
     * @param maxExtra at most how many extra copies per call, in [1, 10]
     * @param sent the copies sent since the service started, at least 0
     * @param won the calls a copy won since the service started, in [0, {@code sent}]
     * @throws NullPointerException if {@code delay} is null
     * @throws IllegalArgumentException if a figure is out of range, naming it and its value
     */
    public Hedging {
      Objects.requireNonNull(delay, "delay must not be null");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must be >= 0, was " + delay);
      }
      if (maxExtra < 1 || maxExtra > 10) {
        throw new IllegalArgumentException("maxExtra must be in [1, 10], was " + maxExtra);
      }
      if (sent < 0) {
        throw new IllegalArgumentException("sent must be >= 0, was " + sent);
      }
      if (won < 0 || won > sent) {
        throw new IllegalArgumentException(
            "won must be in [0, sent], was " + won + " with sent " + sent);
      }
    }
  }

  private static void requireNotBlank(String parameter, String value) {
    Objects.requireNonNull(value, parameter + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(parameter + " must not be blank, was '" + value + "'");
    }
  }

  /**
   * Returns a status with a circuit and a pool and no arms, limit, throttle or hedging, as before
   * they were reported.
   *
   * @param circuit the circuit breaker's state, or null when the calls pass no breaker
   * @param nextTrialIn while the circuit is {@link Circuit#OPEN}, how long until its next trial
   *     call; null otherwise
   * @param pool the figures of the pool the calls run on, or null when they run on no pool
   * @throws IllegalArgumentException as the canonical constructor
   */
  public MetricsStatus(
      @Nullable Circuit circuit, @Nullable Duration nextTrialIn, @Nullable Pool pool) {
    this(circuit, nextTrialIn, pool, null, null, null, null);
  }

  /**
   * Returns a status with a circuit, a pool and arms and no limit, throttle or hedging, as before
   * they were reported.
   *
   * @param circuit the circuit breaker's state, or null when the calls pass no breaker
   * @param nextTrialIn while the circuit is {@link Circuit#OPEN}, how long until its next trial
   *     call; null otherwise
   * @param pool the figures of the pool the calls run on, or null when they run on no pool
   * @param arms the counts of the two arms the calls are split between, or null when they are not
   * @throws IllegalArgumentException as the canonical constructor
   */
  public MetricsStatus(
      @Nullable Circuit circuit,
      @Nullable Duration nextTrialIn,
      @Nullable Pool pool,
      @Nullable Arms arms) {
    this(circuit, nextTrialIn, pool, arms, null, null, null);
  }

  /**
   * Returns a status with a circuit, a pool, arms, a limit and a throttle and no hedging, as before
   * it was reported.
   *
   * @param circuit the circuit breaker's state, or null when the calls pass no breaker
   * @param nextTrialIn while the circuit is {@link Circuit#OPEN}, how long until its next trial
   *     call; null otherwise
   * @param pool the figures of the pool the calls run on, or null when they run on no pool
   * @param arms the counts of the two arms the calls are split between, or null when they are not
   * @param limit the figures of the concurrency limit the calls pass, or null when they pass none
   * @param throttle the figures of the client-side throttle the calls pass, or null when they pass
   *     none
   * @throws IllegalArgumentException as the canonical constructor
   */
  public MetricsStatus(
      @Nullable Circuit circuit,
      @Nullable Duration nextTrialIn,
      @Nullable Pool pool,
      @Nullable Arms arms,
      @Nullable Limit limit,
      @Nullable Throttle throttle) {
    this(circuit, nextTrialIn, pool, arms, limit, throttle, null);
  }

  /**
   * Checks the components.
   *
   * @param circuit the circuit breaker's state, or null when the calls pass no breaker
   * @param nextTrialIn while the circuit is {@link Circuit#OPEN}, how long until its next trial
   *     call, not negative; null otherwise
   * @param pool the figures of the pool the calls run on, or null when they run on no pool
   * @param arms the counts of the two arms the calls are split between, or null when they are not
   * @param limit the figures of the concurrency limit the calls pass, or null when they pass none
   * @param throttle the figures of the client-side throttle the calls pass, or null when they pass
   *     none
   * @param hedging the figures of the hedging that sends extra copies of slow calls, or null when
   *     the calls are not hedged
   * @throws IllegalArgumentException if {@code nextTrialIn} is negative, or given while the circuit
   *     is not {@link Circuit#OPEN}
   */
  public MetricsStatus {
    if (nextTrialIn != null) {
      if (nextTrialIn.isNegative()) {
        throw new IllegalArgumentException("nextTrialIn must not be negative, was " + nextTrialIn);
      }
      if (circuit != Circuit.OPEN) {
        throw new IllegalArgumentException(
            "nextTrialIn is only for an OPEN circuit, was " + nextTrialIn + " with " + circuit);
      }
    }
  }

  /**
   * Returns the status of calls that pass a circuit breaker and run on no pool.
   *
   * @param circuit the breaker's state
   * @param nextTrialIn while {@code circuit} is {@link Circuit#OPEN}, the time until its next trial
   *     call, or null if unknown; null in any other state
   * @return the status
   * @throws IllegalArgumentException as the constructor
   */
  public static MetricsStatus circuit(Circuit circuit, @Nullable Duration nextTrialIn) {
    Objects.requireNonNull(circuit, "circuit must not be null");
    return new MetricsStatus(circuit, nextTrialIn, null, null, null, null, null);
  }

  /**
   * Returns the status of calls that run on a pool and pass no circuit breaker.
   *
   * @param pool the pool's figures
   * @return the status
   */
  public static MetricsStatus pool(Pool pool) {
    Objects.requireNonNull(pool, "pool must not be null");
    return new MetricsStatus(null, null, pool, null, null, null, null);
  }

  /**
   * Returns the status of calls split between the two arms of a rollout, passing no circuit breaker
   * and running on no pool.
   *
   * @param arms the arms' counts
   * @return the status
   */
  public static MetricsStatus arms(Arms arms) {
    Objects.requireNonNull(arms, "arms must not be null");
    return new MetricsStatus(null, null, null, arms, null, null, null);
  }

  /**
   * Returns the status of calls that pass a concurrency limit, and no circuit breaker, pool,
   * rollout, throttle or hedging.
   *
   * @param limit the limit's figures
   * @return the status
   */
  public static MetricsStatus limit(Limit limit) {
    Objects.requireNonNull(limit, "limit must not be null");
    return new MetricsStatus(null, null, null, null, limit, null, null);
  }

  /**
   * Returns the status of calls that pass a client-side throttle, and no circuit breaker, pool,
   * rollout, limit or hedging.
   *
   * @param throttle the throttle's figures
   * @return the status
   */
  public static MetricsStatus throttle(Throttle throttle) {
    Objects.requireNonNull(throttle, "throttle must not be null");
    return new MetricsStatus(null, null, null, null, null, throttle, null);
  }

  /**
   * Returns the status of calls that are hedged, and pass no circuit breaker, pool, rollout, limit
   * or throttle.
   *
   * @param hedging the hedging's figures
   * @return the status
   */
  public static MetricsStatus hedging(Hedging hedging) {
    Objects.requireNonNull(hedging, "hedging must not be null");
    return new MetricsStatus(null, null, null, null, null, null, hedging);
  }

  /**
   * Returns this status with {@code pool}'s figures in place of its own.
   *
   * @param pool the pool's figures
   * @return the status
   */
  public MetricsStatus withPool(Pool pool) {
    Objects.requireNonNull(pool, "pool must not be null");
    return new MetricsStatus(circuit, nextTrialIn, pool, arms, limit, throttle, hedging);
  }

  /**
   * Returns this status with {@code arms}' counts in place of its own.
   *
   * @param arms the arms' counts
   * @return the status
   */
  public MetricsStatus withArms(Arms arms) {
    Objects.requireNonNull(arms, "arms must not be null");
    return new MetricsStatus(circuit, nextTrialIn, pool, arms, limit, throttle, hedging);
  }

  /**
   * Returns this status with {@code limit}'s figures in place of its own.
   *
   * @param limit the limit's figures
   * @return the status
   */
  public MetricsStatus withLimit(Limit limit) {
    Objects.requireNonNull(limit, "limit must not be null");
    return new MetricsStatus(circuit, nextTrialIn, pool, arms, limit, throttle, hedging);
  }

  /**
   * Returns this status with {@code throttle}'s figures in place of its own.
   *
   * @param throttle the throttle's figures
   * @return the status
   */
  public MetricsStatus withThrottle(Throttle throttle) {
    Objects.requireNonNull(throttle, "throttle must not be null");
    return new MetricsStatus(circuit, nextTrialIn, pool, arms, limit, throttle, hedging);
  }

  /**
   * Returns this status with {@code hedging}'s figures in place of its own.
   *
   * @param hedging the hedging's figures
   * @return the status
   */
  public MetricsStatus withHedging(Hedging hedging) {
    Objects.requireNonNull(hedging, "hedging must not be null");
    return new MetricsStatus(circuit, nextTrialIn, pool, arms, limit, throttle, hedging);
  }

  /**
   * Returns whether the circuit refuses calls: it is {@link Circuit#OPEN} or {@link
   * Circuit#FORCED_OPEN}.
   *
   * @return true while open; false with no circuit
   */
  public boolean isCircuitOpen() {
    Circuit c = circuit;
    return c != null && c.isOpen();
  }
}
