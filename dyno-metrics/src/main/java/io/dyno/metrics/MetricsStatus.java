package io.dyno.metrics;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The state of what guards a metric's calls, as its owner reports it: the circuit breaker's state
 * and, while it is open, the time until its next trial call; for calls that run on a pool of
 * threads, the pool's figures; and for calls split between the two arms of an experiment or a
 * rollout, the arms' counts. dyno-metrics knows no breaker, pool or rollout: whoever owns them (a
 * dyno-service {@code Service}, or the user's own code) hands a {@code Supplier} of this record to
 * {@link Metrics#reportStatus}, and every snapshot, {@code /metrics.json} and the dashboard show
 * what it says ({@code /stream} shows the circuit and the pool, the fields Hystrix has).
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
 */
public record MetricsStatus(
    @Nullable Circuit circuit,
    @Nullable Duration nextTrialIn,
    @Nullable Pool pool,
    @Nullable Arms arms) {

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
   * Returns a status with a circuit and a pool and no arms, as before arms were reported.
   *
   * @param circuit the circuit breaker's state, or null when the calls pass no breaker
   * @param nextTrialIn while the circuit is {@link Circuit#OPEN}, how long until its next trial
   *     call; null otherwise
   * @param pool the figures of the pool the calls run on, or null when they run on no pool
   * @throws IllegalArgumentException as the canonical constructor
   */
  public MetricsStatus(
      @Nullable Circuit circuit, @Nullable Duration nextTrialIn, @Nullable Pool pool) {
    this(circuit, nextTrialIn, pool, null);
  }

  /**
   * Checks the components.
   *
   * @param circuit the circuit breaker's state, or null when the calls pass no breaker
   * @param nextTrialIn while the circuit is {@link Circuit#OPEN}, how long until its next trial
   *     call, not negative; null otherwise
   * @param pool the figures of the pool the calls run on, or null when they run on no pool
   * @param arms the counts of the two arms the calls are split between, or null when they are not
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
    return new MetricsStatus(circuit, nextTrialIn, null, null);
  }

  /**
   * Returns the status of calls that run on a pool and pass no circuit breaker.
   *
   * @param pool the pool's figures
   * @return the status
   */
  public static MetricsStatus pool(Pool pool) {
    Objects.requireNonNull(pool, "pool must not be null");
    return new MetricsStatus(null, null, pool, null);
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
    return new MetricsStatus(null, null, null, arms);
  }

  /**
   * Returns this status with {@code pool}'s figures in place of its own.
   *
   * @param pool the pool's figures
   * @return the status
   */
  public MetricsStatus withPool(Pool pool) {
    Objects.requireNonNull(pool, "pool must not be null");
    return new MetricsStatus(circuit, nextTrialIn, pool, arms);
  }

  /**
   * Returns this status with {@code arms}' counts in place of its own.
   *
   * @param arms the arms' counts
   * @return the status
   */
  public MetricsStatus withArms(Arms arms) {
    Objects.requireNonNull(arms, "arms must not be null");
    return new MetricsStatus(circuit, nextTrialIn, pool, arms);
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
