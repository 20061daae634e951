package io.dyno.breaker.internal;

/**
 * The counts of a breaker's window at one moment.
 *
 * @param calls the calls recorded in the window, failed or not
 * @param failures the failed calls among them
 * @param slowCalls the slow calls among them, failed or not
 * @param period the bucket period the counts are as of: the newest bucket in the window
 */
public record WindowCounts(long calls, long failures, long slowCalls, long period) {

  /** An empty window, for a breaker that counts nothing. */
  public static final WindowCounts EMPTY = new WindowCounts(0, 0, 0, 0);

  /**
   * Returns the failure rate in percent, or 0 when the window is empty.
   *
   * @return the failure rate
   */
  public double failureRate() {
    return calls == 0 ? 0.0 : 100.0 * failures / calls;
  }

  /**
   * Returns the slow-call rate in percent, or 0 when the window is empty.
   *
   * @return the slow-call rate
   */
  public double slowCallRate() {
    return calls == 0 ? 0.0 : 100.0 * slowCalls / calls;
  }
}
