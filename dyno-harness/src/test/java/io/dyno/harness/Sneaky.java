package io.dyno.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Throws any throwable from any lambda, so that tests can play work that fails in every way. */
final class Sneaky {

  private Sneaky() {}

  /**
   * Throws {@code failure}, checked or not, as if it were unchecked; declared to return a value so
   * that it fits any functional shape.
   */
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals", "DoNotCallSuggester"})
  static <T, X extends Throwable> T raise(Throwable failure) throws X {
    throw (X) failure;
  }

  /** Makes a call through {@code harness} throw {@code failure} and checks it came out as is. */
  static void failThrough(Harness harness, Throwable failure) {
    assertThat(catchThrowable(() -> harness.call(() -> raise(failure)))).isSameAs(failure);
  }
}
