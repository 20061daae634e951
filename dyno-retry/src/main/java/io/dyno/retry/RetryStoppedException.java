package io.dyno.retry;

import io.dyno.retry.internal.Durations;
import java.time.Duration;

/**
 * The record of why a {@link Retry} stopped: attached by {@code addSuppressed} to the failure a
 * retry throws, just before the earlier attempts' failures, so that a stack trace tells the whole
 * story and {@link CompoundException#of} can find the attempts again.
 *
 * <pre>
 * java.io.IOException: connection reset
 *     at ...
 *     Suppressed: io.dyno.retry.RetryStoppedException: Retry 'fetch' stopped after 3 attempts in
 *         1.20 s: maxAttempts reached (3); the 2 earlier failures follow
 *     Suppressed: java.io.IOException: connection refused
 *         at ...
 *     Suppressed: java.io.IOException: connection reset
 *         at ...
 * </pre>
 *
 * <p>It is never thrown by itself, carries no stack trace of its own, and is immutable.
 */
public final class RetryStoppedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The name of the retry that stopped. */
  private final String name;

  /** How many attempts ran. */
  private final int attempts;

  /** Why the retry stopped. */
  private final StopReason reason;

  /** How long the call took, from its start or its first failure. */
  private final Duration elapsed;

  /** Whether {@link #elapsed} counts from the first failure. */
  private final boolean elapsedSinceFirstFailure;

  /** How many earlier failures follow this record among the suppressed exceptions. */
  private final int earlierFailures;

  /** How many failures between the first and the last attached ones were not kept. */
  private final long omittedFailures;

  RetryStoppedException(
      String name,
      int attempts,
      StopReason reason,
      String detail,
      Duration elapsed,
      boolean elapsedSinceFirstFailure,
      int earlierFailures,
      long omittedFailures) {
    super(
        message(
            name,
            attempts,
            reason,
            detail,
            elapsed,
            elapsedSinceFirstFailure,
            earlierFailures,
            omittedFailures),
        null,
        false,
        false);
    this.name = name;
    this.attempts = attempts;
    this.reason = reason;
    this.elapsed = elapsed;
    this.elapsedSinceFirstFailure = elapsedSinceFirstFailure;
    this.earlierFailures = earlierFailures;
    this.omittedFailures = omittedFailures;
  }

  private static String message(
      String name,
      int attempts,
      StopReason reason,
      String detail,
      Duration elapsed,
      boolean sinceFirstFailure,
      int earlierFailures,
      long omittedFailures) {
    StringBuilder m = new StringBuilder(120);
    m.append("Retry '").append(name).append("' stopped after ").append(attempts);
    m.append(attempts == 1 ? " attempt" : " attempts");
    m.append(sinceFirstFailure ? ", " : " in ");
    m.append(Durations.format(elapsed));
    if (sinceFirstFailure) {
      m.append(" after the first failure");
    }
    m.append(": ").append(reason.description());
    if (!detail.isEmpty()) {
      m.append(" (").append(detail).append(')');
    }
    if (earlierFailures == 1) {
      m.append("; the earlier failure follows");
    } else if (earlierFailures > 1) {
      m.append("; the ").append(earlierFailures).append(" earlier failures follow");
    }
    if (omittedFailures > 0) {
      m.append(" (")
          .append(omittedFailures)
          .append(omittedFailures == 1 ? " failure" : " failures")
          .append(" between the first and the last ones were not kept)");
    }
    return m.toString();
  }

  /**
   * Returns the name of the retry that stopped.
   *
   * @return the retry's name
   */
  public String name() {
    return name;
  }

  /**
   * Returns how many attempts ran.
   *
   * @return the number of attempts, at least 1
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Returns why the retry stopped.
   *
   * @return the reason
   */
  public StopReason reason() {
    return reason;
  }

  /**
   * Returns how long the call took, from its start, or from its first failure when {@link
   * #elapsedSinceFirstFailure()} is true.
   *
   * @return the elapsed time
   */
  public Duration elapsed() {
    return elapsed;
  }

  /**
   * Returns whether {@link #elapsed()} counts from the first failure rather than from the start of
   * the call, which is the case for retries without a {@code maxDuration} or budget: their first
   * attempt is not timed, so that a call that succeeds at once costs nothing extra.
   *
   * @return true if the elapsed time starts at the first failure
   */
  public boolean elapsedSinceFirstFailure() {
    return elapsedSinceFirstFailure;
  }

  /**
   * Returns how many earlier failures follow this record among the suppressed exceptions of the
   * failure it is attached to.
   *
   * @return the number of earlier failures attached after this record
   */
  public int earlierFailures() {
    return earlierFailures;
  }

  /**
   * Returns how many failures were not kept: a call keeps its first 50 failures and its last 50, so
   * that one retried without end holds bounded memory, and lets go of those in between. Zero for a
   * call that failed at most 100 times.
   *
   * @return the number of failures between the first and the last kept ones that were let go
   */
  public long omittedFailures() {
    return omittedFailures;
  }
}
