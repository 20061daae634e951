package io.dyno.aspect;

/**
 * A filter's place in an {@link Aspect}: {@link #remove()} takes that filter out.
 *
 * <p>Thread-safe.
 */
@FunctionalInterface
public interface Registration {

  /**
   * Takes the filter out of its aspect. Calls that start afterwards do not run it; a call already
   * in progress finishes with the pipeline it started with. Removing a filter twice does nothing
   * the second time.
   */
  void remove();
}
