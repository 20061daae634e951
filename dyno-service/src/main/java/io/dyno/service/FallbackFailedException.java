package io.dyno.service;

/**
 * Thrown by a {@link Service} whose call failed and whose fallback then failed too. The call's
 * failure is the {@linkplain #getCause() cause} and the fallback's failure is attached as
 * {@linkplain #getSuppressed() suppressed}, so neither is lost.
 */
public final class FallbackFailedException extends ServiceException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception for the service {@code name}.
   *
   * @param name the service's name
   * @param failure the call's failure
   * @param fallbackFailure what the fallback threw
   */
  public FallbackFailedException(String name, Throwable failure, Throwable fallbackFailure) {
    super(
        name,
        "Service '"
            + name
            + "' failed ("
            + failure
            + ") and its fallback failed too ("
            + fallbackFailure
            + ")",
        failure);
    addSuppressed(fallbackFailure);
  }

  /**
   * Returns the call's failure, which the fallback was given.
   *
   * @return the failure
   */
  public Throwable failure() {
    Throwable cause = getCause();
    return cause == null ? this : cause;
  }

  /**
   * Returns what the fallback threw.
   *
   * @return the fallback's failure
   */
  public Throwable fallbackFailure() {
    return getSuppressed()[0];
  }
}
