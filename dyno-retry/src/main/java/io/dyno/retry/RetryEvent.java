package io.dyno.retry;

import io.dyno.retry.internal.Durations;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An attempt failed and the {@link Retry} will try again after {@code delay}; passed to {@code
 * onRetry} listeners before the wait.
 *
 * @param name the retry's name
 * @param attempt the number of the attempt that failed, from 1
 * @param failure what the attempt threw, or null when it returned a result that {@code
 *     retryIfResult} rejected
 * @param result the rejected result, or null when the attempt threw
 * @param delay the wait before the next attempt: the backoff's, or the server's when a {@code
 *     pushback} extractor read a {@link Pushback#after} hint from the failure
 */
public record RetryEvent(
    String name,
    int attempt,
    @Nullable Throwable failure,
    @Nullable Object result,
    Duration delay) {

  @Override
  public String toString() {
    return "Retry '"
        + name
        + "' attempt "
        + attempt
        + (failure != null ? " failed with " + failure : " returned " + result)
        + "; next attempt in "
        + Durations.format(delay);
  }
}
