package io.dyno.injection;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by a function made by an {@link Injector} when a dependency could not be constructed, or
 * could not be closed after the call, or when the calling thread was interrupted while waiting.
 *
 * <pre>
 * io.dyno.injection.DependencyException: 2 dependencies could not be had for the call:
 *   1) 'db' failed after 12 ms: java.io.IOException: connection refused
 *     declared at com.example.Handlers.&lt;clinit&gt;(Handlers.java:14)
 *   2) 'geo' timed out after 3.00 s: no value within 3.00 s
 *     declared at com.example.Handlers.&lt;clinit&gt;(Handlers.java:15)
 * Caused by: java.io.IOException: connection refused
 *     ...
 * </pre>
 *
 * <p>The first failure's cause is this exception's cause; every failure's cause is also attached by
 * {@code addSuppressed}. Instances are immutable.
 */
public final class DependencyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Every dependency that could not be had, in the order the failures were seen. */
  @SuppressWarnings("serial") // an immutable List.copyOf
  private final List<DependencyFailure> failures;

  DependencyException(List<DependencyFailure> failures) {
    super(message(failures), failures.isEmpty() ? null : failures.get(0).cause());
    this.failures = List.copyOf(failures);
    for (DependencyFailure f : this.failures) {
      addSuppressed(f.cause());
    }
  }

  DependencyException(String message, @Nullable Throwable cause) {
    super(message, cause);
    this.failures = List.of();
  }

  private static String message(List<DependencyFailure> failures) {
    StringBuilder s = new StringBuilder();
    s.append(failures.size())
        .append(failures.size() == 1 ? " dependency" : " dependencies")
        .append(" could not be had for the call:");
    int i = 1;
    for (DependencyFailure f : failures) {
      s.append("\n  ").append(i++).append(") ").append(f);
    }
    return s.toString();
  }

  /**
   * Returns every dependency that could not be had; empty when the calling thread was interrupted.
   *
   * @return the failures, immutable
   */
  public List<DependencyFailure> failures() {
    return failures;
  }
}
