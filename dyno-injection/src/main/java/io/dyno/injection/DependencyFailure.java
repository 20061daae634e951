package io.dyno.injection;

import io.dyno.injection.internal.Durations;
import java.time.Duration;

/**
 * One dependency that could not be had for a call, as listed by {@link DependencyException}.
 *
 * @param dependency the name of the dependency
 * @param kind what went wrong
 * @param elapsed how long after the call started the failure was seen
 * @param cause the failure; a {@link java.util.concurrent.TimeoutException} for a timeout
 * @param declaredAt where the dependency was declared
 */
public record DependencyFailure(
    String dependency, Kind kind, Duration elapsed, Throwable cause, String declaredAt) {

  /** What went wrong with a dependency. */
  public enum Kind {
    /** Its construction threw. */
    FAILED,
    /** Its construction took longer than its timeout and was cancelled. */
    TIMED_OUT,
    /** Closing its value after the call threw. */
    CLOSE_FAILED
  }

  /**
   * Returns one line: the dependency, what happened, when and why.
   *
   * @return the description
   */
  @Override
  public String toString() {
    String what =
        switch (kind) {
          case FAILED -> "failed after " + Durations.format(elapsed) + ": " + cause;
          case TIMED_OUT ->
              "timed out after " + Durations.format(elapsed) + ": " + cause.getMessage();
          case CLOSE_FAILED -> "could not be closed after the call: " + cause;
        };
    return "'" + dependency + "' " + what + "\n    declared at " + declaredAt;
  }
}
