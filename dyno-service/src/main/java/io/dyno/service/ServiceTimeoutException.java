package io.dyno.service;

import io.dyno.service.internal.Durations;
import java.time.Duration;

/**
 * Thrown by a {@link Service} whose attempt did not finish within the service's timeout. The
 * attempt's thread was interrupted, and the call counted as a timeout.
 */
public final class ServiceTimeoutException extends ServiceException {

  private static final long serialVersionUID = 1L;

  /** The timeout that ran out. */
  private final Duration timeout;

  /**
   * Creates the exception for the service {@code name} whose attempt outlived {@code timeout}.
   *
   * @param name the service's name
   * @param timeout the timeout that ran out
   */
  public ServiceTimeoutException(String name, Duration timeout) {
    super(name, "Service '" + name + "' timed out after " + Durations.format(timeout), null);
    this.timeout = timeout;
  }

  /**
   * Returns the timeout that ran out.
   *
   * @return the service's timeout
   */
  public Duration timeout() {
    return timeout;
  }
}
