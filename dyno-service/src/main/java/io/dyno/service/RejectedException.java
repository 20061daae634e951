package io.dyno.service;

import io.dyno.breaker.LimitExceededException;
import io.dyno.breaker.ThrottledException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by a {@link Service} that had no room for the attempt, or let it go no further: all of its
 * {@code maxConcurrent} slots were busy, its executor refused the task, the service was closed, its
 * {@linkplain ServiceOptions#limiter limiter} was full, or its {@linkplain ServiceOptions#throttle
 * throttle} rejected the attempt locally. The work never ran. {@link #reason()} tells which.
 */
public final class RejectedException extends ServiceException {

  private static final long serialVersionUID = 2L;

  /** Why a service rejected an attempt. */
  public enum Reason {
    /** All of the service's {@code maxConcurrent} slots were busy. */
    FULL,
    /** The service was closed. */
    CLOSED,
    /** The service's executor refused the task. */
    REFUSED,
    /** The service's limiter had no free permit. */
    LIMITED,
    /** The service's throttle rejected the attempt locally. */
    THROTTLED
  }

  /** The limit when a full bulkhead was the reason, else 0. */
  private final int maxConcurrent;

  /** Why the attempt was rejected. */
  private final Reason reason;

  private RejectedException(
      String name, String message, int maxConcurrent, Reason reason, @Nullable Throwable cause) {
    super(name, message, cause);
    this.maxConcurrent = maxConcurrent;
    this.reason = reason;
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
        Reason.FULL,
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
        name, "Service '" + name + "' rejected the call: it is closed", 0, Reason.CLOSED, null);
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
        Reason.REFUSED,
        cause);
  }

  /**
   * Creates the exception for the service {@code name} whose limiter had no free permit, with the
   * limiter's own exception, which names its limit, as the cause. The message is the service's
   * followed by the limiter's, such as {@code Service 'search' rejected the call: Limiter 'search'
   * is full (37 of 37 in flight, adaptive limit 37 by gradient2); call not permitted}.
   *
   * @param name the service's name
   * @param cause the limiter's rejection
   * @return the exception
   * @throws NullPointerException if {@code cause} is null
   */
  public static RejectedException limited(String name, LimitExceededException cause) {
    Objects.requireNonNull(cause, "cause must not be null");
    return new RejectedException(
        name,
        "Service '" + name + "' rejected the call: " + cause.getMessage(),
        0,
        Reason.LIMITED,
        cause);
  }

  /**
   * Creates the exception for the service {@code name} whose throttle rejected the attempt locally,
   * with the throttle's own exception as the cause. The message is the service's followed by the
   * throttle's, such as {@code Service 'search' rejected the call: Throttle 'search' rejected the
   * call locally (probability 0.75; 120 requests, 30 accepts in the last 2.00 min)}.
   *
   * @param name the service's name
   * @param cause the throttle's rejection
   * @return the exception
   * @throws NullPointerException if {@code cause} is null
   */
  public static RejectedException throttled(String name, ThrottledException cause) {
    Objects.requireNonNull(cause, "cause must not be null");
    return new RejectedException(
        name,
        "Service '" + name + "' rejected the call: " + cause.getMessage(),
        0,
        Reason.THROTTLED,
        cause);
  }

  /**
   * Returns why the attempt was rejected.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
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
    return reason == Reason.CLOSED;
  }
}
