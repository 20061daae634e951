package io.dyno.service;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by a {@link Service} that had no room for the attempt: all of its {@code maxConcurrent}
 * slots were busy, its executor refused the task, or the service was closed. The work never ran.
 */
public final class RejectedException extends ServiceException {

  private static final long serialVersionUID = 1L;

  /** The limit when a full bulkhead was the reason, else 0. */
  private final int maxConcurrent;

  /** Whether the service was closed. */
  private final boolean closed;

  private RejectedException(
      String name, String message, int maxConcurrent, boolean closed, @Nullable Throwable cause) {
    super(name, message, cause);
    this.maxConcurrent = maxConcurrent;
    this.closed = closed;
  }

  /**
   * Creates the exception for the service {@code name} whose {@code maxConcurrent} slots were all
   * busy.
   *
   * @param name the service's name
   * @param maxConcurrent the limit
   * @return the exception
   */
  public static RejectedException full(String name, int maxConcurrent) {
    return new RejectedException(
        name,
        "Service '"
            + name
            + "' rejected the call: all "
            + maxConcurrent
            + " of its concurrent slots are busy",
        maxConcurrent,
        false,
        null);
  }

  /**
   * Creates the exception for the service {@code name}, called after it was closed.
   *
   * @param name the service's name
   * @return the exception
   */
  public static RejectedException closed(String name) {
    return new RejectedException(
        name, "Service '" + name + "' rejected the call: it is closed", 0, true, null);
  }

  /**
   * Creates the exception for the service {@code name} whose executor refused the attempt.
   *
   * @param name the service's name
   * @param cause the executor's refusal
   * @return the exception
   */
  public static RejectedException refused(String name, Throwable cause) {
    return new RejectedException(
        name,
        "Service '" + name + "' rejected the call: its executor refused the task (" + cause + ")",
        0,
        false,
        cause);
  }

  /**
   * Returns how many attempts the service runs at once, when a full bulkhead was the reason.
   *
   * @return the limit, or 0 if the rejection had another reason
   */
  public int maxConcurrent() {
    return maxConcurrent;
  }

  /**
   * Returns whether the call was rejected because the service was closed.
   *
   * @return true after {@link Service#close()}
   */
  public boolean isClosed() {
    return closed;
  }
}
