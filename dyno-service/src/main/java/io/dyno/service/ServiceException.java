package io.dyno.service;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link Service} throws when it did not get a result for its own reasons: the breaker was
 * open, the pool was full, the attempt ran out of time, or the fallback failed too. A failure of
 * the user's own work never becomes one of these; it leaves the service unchanged.
 */
public abstract sealed class ServiceException extends RuntimeException
    permits ShortCircuitException,
        RejectedException,
        ServiceTimeoutException,
        FallbackFailedException {

  private static final long serialVersionUID = 1L;

  /** The service's name. */
  private final String name;

  ServiceException(String name, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.name = name;
  }

  /**
   * Returns the name of the service that threw.
   *
   * @return the service's name
   */
  public String name() {
    return name;
  }
}
