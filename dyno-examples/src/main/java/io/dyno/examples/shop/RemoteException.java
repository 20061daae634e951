package io.dyno.examples.shop;

/** A simulated remote call's failure, such as a reset connection or an HTTP 503. */
public final class RemoteException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the failure.
   *
   * @param message what went wrong, naming the dependency
   */
  public RemoteException(String message) {
    super(message);
  }
}
