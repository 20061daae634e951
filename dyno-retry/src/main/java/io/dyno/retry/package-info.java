/**
 * Retrying with backoff and a budget. {@link io.dyno.retry.Retry} runs work again after a retryable
 * failure, waiting as its {@link io.dyno.retry.Backoff} says, within an optional {@link
 * io.dyno.retry.RetryBudget}; when it gives up it throws the last failure unchanged with the
 * earlier ones attached, which {@link io.dyno.retry.CompoundException} lists.
 */
@NullMarked
package io.dyno.retry;

import org.jspecify.annotations.NullMarked;
