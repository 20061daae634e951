package io.dyno.examples.shop;

import java.time.Duration;
import java.util.Objects;

/**
 * How a simulated remote dependency behaves at a moment of the schedule: its typical latency, how
 * far a call's latency strays from it, and the share of calls that fail.
 *
 * @param latency the typical latency, zero or positive
 * @param jitter each call's latency is uniform in {@code latency · [1 − jitter, 1 + jitter]}; in
 *     [0, 1]
 * @param failureRate the chance that a call fails, in [0, 1]
 */
public record Behaviour(Duration latency, double jitter, double failureRate) {

  /**
   * Checks the values.
   *
   * @param latency the typical latency
   * @param jitter the relative spread of a call's latency
   * @param failureRate the chance that a call fails
   * @throws IllegalArgumentException if a value is out of range
   */
  public Behaviour {
    Objects.requireNonNull(latency, "latency");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must be >= 0, was " + latency);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1], was " + jitter);
    }
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("failureRate must be in [0, 1], was " + failureRate);
    }
  }

  /**
   * Returns a behaviour with the given typical latency in milliseconds, ±50 % jitter and the given
   * failure rate.
   *
   * @param millis the typical latency in milliseconds
   * @param failureRate the chance that a call fails
   * @return the behaviour
   */
  public static Behaviour of(long millis, double failureRate) {
    return new Behaviour(Duration.ofMillis(millis), 0.5, failureRate);
  }
}
