package io.dyno.breaker;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * One call through a {@link Breaker}, or one it rejected; passed to {@code onCall} listeners on the
 * calling thread. Only a breaker with such a listener creates these.
 *
 * @param name the breaker's name
 * @param kind what became of the call
 * @param duration how long the call took, as the verbs measured it or as it was reported to {@code
 *     onSuccess}/{@code onFailure}; zero for a rejection
 * @param slow whether the call was slower than the slow-call threshold
 * @param failure the throwable the call ended with, or null
 */
public record CallEvent(
    String name, Kind kind, Duration duration, boolean slow, @Nullable Throwable failure) {

  /** What became of a call. */
  public enum Kind {
    /** The call succeeded, or failed in a way the breaker counts as success. */
    SUCCESS,
    /** The call failed and was recorded as a failure. */
    FAILURE,
    /** The call failed with an ignored exception, or was interrupted: not recorded. */
    IGNORED,
    /** The breaker did not permit the call; the work did not run. */
    REJECTED
  }
}
