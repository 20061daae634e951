package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One call through a breaker whose work fails, for tests that drive a breaker by its outcomes. */
final class FailedCall {

  private FailedCall() {}

  /** Runs work that throws a {@link Boom} through {@code b}, and checks that it came out. */
  static void through(Breaker b) {
    through(b, () -> {});
  }

  /** Runs work that does {@code first}, then throws a {@link Boom}, through {@code b}. */
  static void through(Breaker b, Runnable first) {
    assertThatThrownBy(
            () ->
                b.run(
                    () -> {
                      first.run();
                      throw new Boom();
                    }))
        .isInstanceOf(Boom.class);
  }
}
