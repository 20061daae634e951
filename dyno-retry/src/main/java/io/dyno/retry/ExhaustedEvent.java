package io.dyno.retry;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Retry} gave up on a call; passed to {@code onExhausted} listeners just before the last
 * failure (or result) leaves the retry.
 *
 * @param name the retry's name
 * @param attempts how many attempts ran
 * @param reason why no further attempt was made
 * @param elapsed the time from the start of the call, or from the first failure when the retry has
 *     neither a {@code maxDuration} nor a budget (the first attempt of a call is not timed then, to
 *     keep it free)
 * @param failure the last failure, or null when the last attempt returned a rejected result
 * @param result the last, rejected result, or null when the last attempt threw
 */
public record ExhaustedEvent(
    String name,
    int attempts,
    StopReason reason,
    Duration elapsed,
    @Nullable Throwable failure,
    @Nullable Object result) {}
