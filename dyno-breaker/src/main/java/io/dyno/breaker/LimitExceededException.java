package io.dyno.breaker;

/**
 * Thrown at once, instead of running the work, when a {@link Limiter} has no free permit.
 *
 * <p>The message names the limiter and its size, such as {@code Limiter 'exports' is full (4 of 4
 * permits in use); call not permitted} for a fixed limiter, and {@code Limiter 'search' is full (37
 * of 37 in flight, adaptive limit 37 by gradient2); call not permitted} for an adaptive one.
 * Immutable.
 */
public final class LimitExceededException extends RuntimeException {

  private static final long serialVersionUID = 2L;

  /** The name of the limiter that rejected the call. */
  private final String limiterName;

  /** How many calls the limiter let run at once when it rejected the call. */
  private final int limit;

  LimitExceededException(String limiterName, int permits, boolean writableStackTrace) {
    super(
        "Limiter '"
            + limiterName
            + "' is full ("
            + permits
            + " of "
            + permits
            + " permits in use); call not permitted",
        null,
        false,
        writableStackTrace);
    this.limiterName = limiterName;
    this.limit = permits;
  }

  LimitExceededException(
      String limiterName, int inFlight, int limit, String algorithm, boolean writableStackTrace) {
    super(
        "Limiter '"
            + limiterName
            + "' is full ("
            + inFlight
            + " of "
            + limit
            + " in flight, adaptive limit "
            + limit
            + " by "
            + algorithm
            + "); call not permitted",
        null,
        false,
        writableStackTrace);
    this.limiterName = limiterName;
    this.limit = limit;
  }

  /**
   * Returns the name of the limiter that rejected the call.
   *
   * @return the limiter's name
   */
  public String name() {
    return limiterName;
  }

  /**
   * Returns the name of the limiter that rejected the call, as {@link #name()} does; the name this
   * accessor had before every dyno exception named it {@code name()}.
   *
   * @return the limiter's name
   */
  public String limiterName() {
    return limiterName;
  }

  /**
   * Returns how many calls the limiter let run at once when it rejected the call: its permits if
   * fixed, its limit at that moment if adaptive.
   *
   * @return the limiter's limit
   */
  public int limit() {
    return limit;
  }

  /**
   * Returns how many calls the limiter let run at once when it rejected the call, as {@link
   * #limit()} does.
   *
   * @return the limiter's permits
   */
  public int permits() {
    return limit;
  }
}
