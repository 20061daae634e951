package io.dyno.breaker;

/**
 * Thrown by a {@link Rollout}'s verbs, instead of running the work, when the key is not admitted.
 *
 * <p>The message names the rollout, the key and why, such as {@code Rollout 'new-checkout' refused
 * key 'u-42' (20.0 % admitted)}, {@code (on the deny list)} or {@code (tripped)}. Immutable.
 */
public final class RolloutRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The name of the rollout that refused the key. */
  private final String rolloutName;

  /** The key refused. */
  private final String key;

  /** Why: the percentage admitted, the deny list, or the trip. */
  private final String reason;

  RolloutRefusedException(String rolloutName, String key, String reason) {
    super("Rollout '" + rolloutName + "' refused key '" + key + "' (" + reason + ")");
    this.rolloutName = rolloutName;
    this.key = key;
    this.reason = reason;
  }

  /**
   * Returns the name of the rollout that refused the key.
   *
   * @return the rollout's name
   */
  public String name() {
    return rolloutName;
  }

  /**
   * Returns the key refused.
   *
   * @return the key
   */
  public String key() {
    return key;
  }

  /**
   * Returns why the key was refused: {@code 20.0 % admitted} (its point lies outside the
   * percentage), {@code on the deny list} or {@code tripped}.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }
}
