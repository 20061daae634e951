package io.dyno.examples.shop;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The demo's incident schedule for a run of a given length: which {@link Incident}s play and when
 * each starts, how each simulated dependency behaves when healthy, and the settings that must scale
 * with the run (breaker windows, open durations, cache TTL) so that every incident shows in a short
 * run as well as a long one. The failures and slowdowns are not the dependencies' behaviour: the
 * {@link GameDay} injects them as chaos filters, and a schedule with chaos off plays none of them.
 *
 * <p>Immutable and thread-safe.
 */
public final class Schedule {

  /** The share of the recommendations providers' calls in their long tail, in percent. */
  public static final int TAIL_PERCENT = 3;

  /** How many times longer a call in the recommendations providers' long tail takes. */
  public static final int TAIL_FACTOR = 10;

  private final Duration length;
  private final boolean chaos;

  private Schedule(Duration length, boolean chaos) {
    this.length = length;
    this.chaos = chaos;
  }

  /**
   * Returns the schedule of a run of the given length, with chaos on.
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
    return new Schedule(length, true);
  }

  /**
   * Returns this schedule with chaos on or off: off, the incidents that install and remove chaos
   * filters do not play, and the shop runs clean.
   *
   * @param on whether the chaos incidents play
   * @return the schedule
   */
  public Schedule withChaos(boolean on) {
    return new Schedule(length, on);
  }

  /**
   * Returns whether the chaos incidents play.
   *
   * @return true if chaos is on
   */
  public boolean chaos() {
    return chaos;
  }

  /**
   * Returns the incidents that play, in the order they start: every one, or with chaos off, those
   * that are not {@link Incident#chaos()}.
   *
   * @return the incidents
   */
  public List<Incident> incidents() {
    return Arrays.stream(Incident.values()).filter(i -> chaos || !i.chaos()).toList();
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
   * Returns how inventory behaves when healthy: about 20 ms, failing once in a hundred.
   *
   * @return the behaviour
   */
  public Behaviour inventory() {
    return Behaviour.of(20, 0.01);
  }

  /**
   * Returns how pricing behaves when healthy: about 15 ms, failing once in a hundred.
   *
   * @return the behaviour
   */
  public Behaviour pricing() {
    return Behaviour.of(15, 0.01);
  }

  /**
   * Returns how payments behaves when healthy: about 30 ms, failing once in a hundred.
   *
   * @return the behaviour
   */
  public Behaviour payments() {
    return Behaviour.of(30, 0.01);
  }

  /**
   * Returns how the personalised recommendations provider behaves: slow, failing now and then, and
   * with a long tail: {@value #TAIL_PERCENT} % of calls take {@value #TAIL_FACTOR} times as long,
   * 200 to 600 ms, mostly past the service's 250 ms timeout.
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

  private Duration fraction(double f) {
    return Duration.ofNanos(Math.round(length.toNanos() * f));
  }

  private static Duration clamp(Duration d, Duration min, Duration max) {
    return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
  }

  /**
   * Returns {@code Schedule[length]}, or {@code Schedule[length, chaos off]}.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "Schedule[" + length + (chaos ? "" : ", chaos off") + "]";
  }
}
