package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One call through a breaker whose work fails, for tests that drive a breaker by its outcomes. */
final class FailedCall {

  private FailedCall() {}

  /** Runs work that throws {@code IllegalStateException("down")} through {@code b}. */
  static void through(Breaker b) {
    assertThatThrownBy(
            () ->
                b.run(
                    () -> {
                      throw new IllegalStateException("down");
                    }))
        .isInstanceOf(IllegalStateException.class);
  }
}
