package io.dyno.breaker.internal;

/**
 * The counts of a {@link RollingWindow} at one moment.
 *
 * @param calls the recorded calls: successes and failures
 * @param failures the calls that failed
 * @param slowCalls the calls, failed or not, slower than the slow-call threshold
 */
public record WindowCounts(long calls, long failures, long slowCalls) {

  /** The failure rate in percent, 0 when there were no calls. */
  public double failureRate() {
    return calls == 0 ? 0.0 : 100.0 * failures / calls;
  }

  /** The slow-call rate in percent, 0 when there were no calls. */
  public double slowCallRate() {
    return calls == 0 ? 0.0 : 100.0 * slowCalls / calls;
  }
}
