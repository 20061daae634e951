package io.dyno.examples.shop;

import java.time.Duration;
import java.util.Objects;

/**
 * How a simulated remote dependency behaves: its typical latency, how far a call's latency strays
 * from it, the share of calls that fail, and its long tail: the share of calls that take several
 * times longer.
 *
 * @param latency the typical latency, zero or positive
 * @param jitter each call's latency is uniform in {@code latency · [1 − jitter, 1 + jitter]}; in
 *     [0, 1]
 * @param failureRate the chance that a call fails, in [0, 1]
 * @param tailRate the chance that a call is in the long tail, in [0, 1]
 * @param tailFactor how many times longer a call in the tail takes, at least 1
 */
public record Behaviour(
    Duration latency, double jitter, double failureRate, double tailRate, double tailFactor) {

  /**
   * Checks the values.
   *
   * @param latency the typical latency
   * @param jitter the relative spread of a call's latency
   * @param failureRate the chance that a call fails
   * @param tailRate the chance that a call is in the long tail
   * @param tailFactor how many times longer a call in the tail takes
   * @throws IllegalArgumentException if a value is out of range
   */
  public Behaviour {
    Objects.requireNonNull(latency, "latency must not be null");
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must be >= 0, was " + latency);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1], was " + jitter);
    }
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("failureRate must be in [0, 1], was " + failureRate);
    }
    if (!(tailRate >= 0 && tailRate <= 1)) {
      throw new IllegalArgumentException("tailRate must be in [0, 1], was " + tailRate);
    }
    if (!(tailFactor >= 1 && tailFactor <= 1_000)) {
      throw new IllegalArgumentException("tailFactor must be in [1, 1000], was " + tailFactor);
    }
  }

  /**
   * Creates a behaviour without a long tail.
   *
   * @param latency the typical latency
   * @param jitter the relative spread of a call's latency
   * @param failureRate the chance that a call fails
   * @throws IllegalArgumentException if a value is out of range
   */
  public Behaviour(Duration latency, double jitter, double failureRate) {
    this(latency, jitter, failureRate, 0, 1);
  }

  /**
   * Returns a behaviour with the given typical latency in milliseconds, ±50 % jitter, the given
   * failure rate and no long tail.
   *
   * @param millis the typical latency in milliseconds
   * @param failureRate the chance that a call fails
   * @return the behaviour
   */
  public static Behaviour of(long millis, double failureRate) {
    return new Behaviour(Duration.ofMillis(millis), 0.5, failureRate);
  }

  /**
   * Returns this behaviour with a long tail: {@code rate} of the calls take {@code factor} times
   * the latency they drew.
   *
   * @param rate the chance that a call is in the tail, in [0, 1]
   * @param factor how many times longer a call in the tail takes, in [1, 1000]
   * @return the behaviour with the tail
   * @throws IllegalArgumentException if a value is out of range
   */
  public Behaviour withTail(double rate, double factor) {
    return new Behaviour(latency, jitter, failureRate, rate, factor);
  }
}
