package io.dyno.breaker;

/** A failure of the work, thrown by the tests' failed calls. */
final class Boom extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Boom() {
    super("boom");
  }
}
