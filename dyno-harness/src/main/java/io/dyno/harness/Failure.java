package io.dyno.harness;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One failure captured by a {@link Harness}: which harness saw it, when, the failure itself, and
 * the thread it was seen on.
 *
 * <p>Immutable, as far as the record goes: {@code throwable} is the caller's own instance, shared,
 * not a copy.
 *
 * @param harness the name of the harness that captured it
 * @param at when it was captured, by the harness's clock
 * @param throwable the failure, the same instance the call threw or the stage failed with
 * @param thread the name of the thread that captured it: the caller's for {@code call}, {@code get}
 *     and {@code run}, the completing thread's for {@code callAsync}
 */
public record Failure(String harness, Instant at, Throwable throwable, String thread) {

  /**
   * Checks that no component is null.
   *
   * @param harness the name of the harness that captured it
   * @param at when it was captured
   * @param throwable the failure
   * @param thread the name of the thread that captured it
   * @throws NullPointerException naming the first null component
   */
  public Failure {
    requireNonNull(harness, "harness must not be null");
    requireNonNull(at, "at must not be null");
    requireNonNull(throwable, "throwable must not be null");
    requireNonNull(thread, "thread must not be null");
  }
}
