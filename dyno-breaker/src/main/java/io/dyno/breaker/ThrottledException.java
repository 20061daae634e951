package io.dyno.breaker;

/**
 * Thrown by a {@link Throttle}'s verbs, instead of running the work, when the throttle rejected the
 * call locally.
 *
 * <p>The message names the throttle, the probability of rejection the call was judged with and the
 * window's counts, such as {@code Throttle 'search' rejected the call locally (probability 0.75;
 * 120 requests, 30 accepts in the last 2.00 min)}. Immutable.
 */
public final class ThrottledException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The name of the throttle that rejected the call. */
  private final String throttleName;

  /** The probability of a local rejection the call was judged with. */
  private final double probability;

  /** The requests in the window when the call was rejected, the rejected one included. */
  private final long requests;

  /** The accepts in the window when the call was rejected. */
  private final long accepts;

  ThrottledException(
      String throttleName, double probability, long requests, long accepts, String window) {
    super(
        "Throttle '"
            + throttleName
            + "' rejected the call locally (probability "
            + probability
            + "; "
            + requests
            + " requests, "
            + accepts
            + " accepts in the last "
            + window
            + ")");
    this.throttleName = throttleName;
    this.probability = probability;
    this.requests = requests;
    this.accepts = accepts;
  }

  /**
   * Returns the name of the throttle that rejected the call.
   *
   * @return the throttle's name
   */
  public String name() {
    return throttleName;
  }

  /**
   * Returns the probability of a local rejection the call was judged with.
   *
   * @return the probability, in {@code [0, 1)}
   */
  public double probability() {
    return probability;
  }

  /**
   * Returns the requests counted in the window when the call was rejected, the rejected call
   * included.
   *
   * @return the requests
   */
  public long requests() {
    return requests;
  }

  /**
   * Returns the accepts counted in the window when the call was rejected.
   *
   * @return the accepts
   */
  public long accepts() {
    return accepts;
  }
}
