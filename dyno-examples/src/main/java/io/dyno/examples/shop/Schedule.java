package io.dyno.examples.shop;

import java.time.Duration;
import java.util.Objects;

/**
 * The demo's incident schedule for a run of a given length: when each {@link Incident} starts, how
 * each simulated dependency behaves at a moment of the run, and the settings that must scale with
 * the run (breaker windows, open durations, cache TTL) so that every incident shows in a short run
 * as well as a long one.
 *
 * <p>Immutable and thread-safe.
 */
public final class Schedule {

  /** The share of the recommendations providers' calls in their long tail, in percent. */
  public static final int TAIL_PERCENT = 2;

  /** How many times longer a call in the recommendations providers' long tail takes. */
  public static final int TAIL_FACTOR = 4;

  private final Duration length;

  private Schedule(Duration length) {
    this.length = length;
  }

  /**
   * Returns the schedule of a run of the given length.
   *
   * @param length the run's length, positive
   * @return the schedule
   * @throws IllegalArgumentException if {@code length} is zero or negative
   */
  public static Schedule of(Duration length) {
    Objects.requireNonNull(length, "length");
    if (length.isZero() || length.isNegative()) {
      throw new IllegalArgumentException("length must be positive, was " + length);
    }
    return new Schedule(length);
  }

  /**
   * Returns the run's length.
   *
   * @return the length
   */
  public Duration length() {
    return length;
  }

  /**
   * Returns when {@code incident} starts, from the start of the run.
   *
   * @param incident the incident
   * @return the offset
   */
  public Duration at(Incident incident) {
    return fraction(incident.at());
  }

  /**
   * Returns how inventory behaves {@code elapsed} into the run.
   *
   * @param elapsed time since the start of the run
   * @return the behaviour
   */
  public Behaviour inventory(Duration elapsed) {
    return during(Incident.INVENTORY_SLOW, Incident.INVENTORY_BACK, elapsed)
        ? new Behaviour(Duration.ofMillis(400), 0.25, 0.0)
        : Behaviour.of(20, 0.01);
  }

  /**
   * Returns how pricing behaves {@code elapsed} into the run.
   *
   * @param elapsed time since the start of the run
   * @return the behaviour
   */
  public Behaviour pricing(Duration elapsed) {
    return during(Incident.PRICING_FLAKY, Incident.PRICING_BACK, elapsed)
        ? Behaviour.of(120, 0.4)
        : Behaviour.of(15, 0.01);
  }

  /**
   * Returns how payments behaves {@code elapsed} into the run.
   *
   * @param elapsed time since the start of the run
   * @return the behaviour
   */
  public Behaviour payments(Duration elapsed) {
    // Down, it fails fast, as a refused connection does.
    return during(Incident.PAYMENTS_DOWN, Incident.PAYMENTS_BACK, elapsed)
        ? Behaviour.of(5, 1.0)
        : Behaviour.of(30, 0.01);
  }

  /**
   * Returns how the personalised recommendations provider behaves: slow, failing now and then, and
   * with a long tail: {@value #TAIL_PERCENT} % of calls take {@value #TAIL_FACTOR} times as long,
   * up to 240 ms, inside the 250 ms timeout.
   *
   * @return the behaviour
   */
  public Behaviour personalised() {
    return Behaviour.of(40, 0.02).withTail(TAIL_PERCENT / 100.0, TAIL_FACTOR);
  }

  /**
   * Returns how the popular-items recommendations provider behaves: fast and reliable, with the
   * same long tail as the personalised one.
   *
   * @return the behaviour
   */
  public Behaviour popular() {
    return Behaviour.of(5, 0.0).withTail(TAIL_PERCENT / 100.0, TAIL_FACTOR);
  }

  /**
   * Returns how long a breaker stays open before a trial call: a twentieth of the run, between 250
   * ms and 5 s, so that the payments breaker tries several times during the outage.
   *
   * @return the open duration
   */
  public Duration breakerOpenDuration() {
    return clamp(fraction(0.05), Duration.ofMillis(250), Duration.ofSeconds(5));
  }

  /**
   * Returns the window over which a breaker judges the failure rate: a sixth of the run, between 1
   * s and 10 s.
   *
   * @return the window
   */
  public Duration breakerWindow() {
    return clamp(fraction(1.0 / 6), Duration.ofSeconds(1), Duration.ofSeconds(10));
  }

  /**
   * Returns how long a cached price lives: a fifteenth of the run, between 300 ms and 5 s, so that
   * prices expire, and are recomputed early, many times during a run.
   *
   * @return the price TTL
   */
  public Duration priceTtl() {
    return clamp(fraction(1.0 / 15), Duration.ofMillis(300), Duration.ofSeconds(5));
  }

  private boolean during(Incident from, Incident until, Duration elapsed) {
    return elapsed.compareTo(at(from)) >= 0 && elapsed.compareTo(at(until)) < 0;
  }

  private Duration fraction(double f) {
    return Duration.ofNanos(Math.round(length.toNanos() * f));
  }

  private static Duration clamp(Duration d, Duration min, Duration max) {
    return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
  }

  /**
   * Returns {@code Schedule[length]}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "Schedule[" + length + "]";
  }
}
