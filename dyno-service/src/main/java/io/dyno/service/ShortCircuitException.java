package io.dyno.service;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.BreakerOpenException;

/**
 * Thrown by a {@link Service} whose breaker did not permit the attempt, so that the work never ran.
 * Its cause is the breaker's own {@link BreakerOpenException}, which says why the breaker opened
 * and when it next lets a trial call through.
 */
public final class ShortCircuitException extends ServiceException {

  private static final long serialVersionUID = 1L;

  /** The breaker's state when it refused. */
  private final Breaker.State state;

  /**
   * Creates the exception for the service {@code name}, refused by its breaker.
   *
   * @param name the service's name
   * @param cause the breaker's refusal
   */
  public ShortCircuitException(String name, BreakerOpenException cause) {
    super(name, "Service '" + name + "' short-circuited: " + cause.getMessage(), cause);
    this.state = cause.state();
  }

  /**
   * Returns the breaker's state when it refused the call.
   *
   * @return the state, such as {@code OPEN} or {@code FORCED_OPEN}
   */
  public Breaker.State state() {
    return state;
  }
}
