package io.dyno.retry;

/** Why a {@link Retry} stopped trying before a success. */
public enum StopReason {
  /** The last allowed attempt failed ({@code maxAttempts}). */
  MAX_ATTEMPTS("maxAttempts reached"),
  /** The next attempt would have started after {@code maxDuration}. */
  MAX_DURATION("maxDuration would be exceeded"),
  /** The {@link RetryBudget} had no retry left for this call. */
  BUDGET("retry budget exhausted"),
  /**
   * The failure is one that must not be retried ({@code abortOn}, or not matched by {@code
   * retryOn}).
   */
  ABORTED("failure is not retryable"),
  /**
   * The thread was interrupted between attempts: while waiting, or with its interrupt flag found
   * set before the next attempt (as with a zero delay, where there is no wait to interrupt).
   */
  INTERRUPTED("interrupted between attempts"),
  /**
   * The server said not to retry: the {@code pushback} extractor returned {@link Pushback#stop()}
   * for the last failure.
   */
  PUSHBACK("server pushback said not to retry");

  private final String description;

  StopReason(String description) {
    this.description = description;
  }

  /**
   * Returns a short phrase for messages, such as {@code "maxAttempts reached"}.
   *
   * @return the description
   */
  public String description() {
    return description;
  }
}
