package io.dyno.service.internal;

/**
 * Why a hedged copy ended without an outcome of its own: another copy answered first, or the copy
 * could not be handed to a thread. It reaches no caller: the engine ends the copy's timing without
 * an outcome, gives back its breaker and limiter permits and drops it.
 */
final class CopyCancelled extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Another copy of the same attempt answered first. */
  static CopyCancelled lost() {
    return new CopyCancelled("another copy answered first");
  }

  /** The executor refused the copy: it never ran. */
  static CopyCancelled notStarted() {
    return new CopyCancelled("the copy could not be started");
  }

  private CopyCancelled(String message) {
    super(message, null, false, false);
  }
}
