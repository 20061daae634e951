package io.dyno.breaker;

/**
 * Thrown at once, instead of running the work, when a {@link Limiter} has no free permit.
 *
 * <p>The message names the limiter and its size, such as {@code Limiter 'exports' is full (4 of 4
 * permits in use); call not permitted}. Immutable.
 */
public final class LimitExceededException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The name of the limiter that rejected the call. */
  private final String limiterName;

  /** How many calls the limiter lets run at once. */
  private final int permits;

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
    this.permits = permits;
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
   * Returns how many calls the limiter lets run at once, all of which were in use.
   *
   * @return the limiter's permits
   */
  public int permits() {
    return permits;
  }
}
