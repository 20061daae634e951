package io.dyno.retry;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Retry}'s settings, built once by its builder and handed to each {@link Execution} and
 * {@link AsyncExecution}, with the decisions that read only settings: whether a failure may be
 * retried, whether a result is rejected, the checked backoff delay, and telling the listeners.
 *
 * <p>Immutable: the lists are copies, and the user's functions are only called, never changed.
 *
 * @param name the retry's name
 * @param maxAttempts the most attempts per call, counting the first
 * @param maxDuration the time after the call's start past which no attempt starts, or null
 * @param maxDurationNanos {@code maxDuration} in nanoseconds, saturated; 0 without one
 * @param backoff the wait between attempts
 * @param retryOn the failure types retried
 * @param retryIf the failure predicates that retry
 * @param abortOn the failure types never retried
 * @param resultRejected accepts the results to retry, or null to accept every result
 * @param budget the budget shared by all calls, or null
 * @param pushback reads a server's hint from a failure, or null to always follow the backoff
 * @param onRetry told before each wait
 * @param onExhausted told when a call gives up
 * @param ticker the monotonic clock, in nanoseconds
 * @param sleeper how the blocking verbs wait
 * @param random the randomness for jitter and random backoffs
 * @param throwCompound whether giving up throws a {@link CompoundException}
 * @param timed whether a call reads the ticker at its start: only maxDuration and the budget need
 *     it
 */
record RetryConfig(
    String name,
    int maxAttempts,
    @Nullable Duration maxDuration,
    long maxDurationNanos,
    Backoff backoff,
    List<Class<? extends Throwable>> retryOn,
    List<Predicate<? super Throwable>> retryIf,
    List<Class<? extends Throwable>> abortOn,
    @Nullable Predicate<Object> resultRejected,
    @Nullable RetryBudget budget,
    @Nullable Function<? super Throwable, Pushback> pushback,
    List<Consumer<? super RetryEvent>> onRetry,
    List<Consumer<? super ExhaustedEvent>> onExhausted,
    LongSupplier ticker,
    Sleeper sleeper,
    RandomGenerator random,
    boolean throwCompound,
    boolean timed) {

  private static final Logger LOG = LoggerFactory.getLogger("io.dyno.retry");

  /** Reads the ticker for a call if anything needs the time, and counts it for the budget. */
  long startCall() {
    if (!timed) {
      return 0L;
    }
    long now = ticker.getAsLong();
    RetryBudget b = budget;
    if (b != null) {
      b.recordCall(now);
    }
    return now;
  }

  /** Tells the budget, if any, that an attempt succeeded; a token budget gains from it. */
  void recordSuccess() {
    RetryBudget b = budget;
    if (b != null) {
      b.recordSuccess();
    }
  }

  /**
   * The server's hint for a failure that would be retried: {@link Pushback#none()} without an
   * extractor. An extractor that throws, or returns null, is a bug in the code that reads hints:
   * its exception (or a {@link NullPointerException}) leaves the retry with {@code failure}
   * attached as suppressed, so that neither is lost.
   */
  Pushback pushbackFor(Throwable failure) {
    Function<? super Throwable, Pushback> extractor = pushback;
    if (extractor == null) {
      return Pushback.none();
    }
    Pushback hint;
    try {
      hint = extractor.apply(failure);
    } catch (Throwable broken) {
      broken.addSuppressed(failure);
      throw broken;
    }
    if (hint == null) {
      NullPointerException npe =
          new NullPointerException("pushback extractor returned null for " + failure);
      npe.addSuppressed(failure);
      throw npe;
    }
    return hint;
  }

  /** Null if {@code failure} may be retried, else the reason it may not. */
  @Nullable String refusal(Throwable failure) {
    for (Class<? extends Throwable> type : abortOn) {
      if (type.isInstance(failure)) {
        return failure.getClass().getName() + " matches abortOn(" + type.getName() + ")";
      }
    }
    if (retryOn.isEmpty() && retryIf.isEmpty()) {
      return null;
    }
    for (Class<? extends Throwable> type : retryOn) {
      if (type.isInstance(failure)) {
        return null;
      }
    }
    for (Predicate<? super Throwable> p : retryIf) {
      if (p.test(failure)) {
        return null;
      }
    }
    return failure.getClass().getName() + " matches neither retryOn nor retryIf";
  }

  /** Whether {@code retryIfResult} rejects {@code result}; never for null. */
  boolean rejects(@Nullable Object result) {
    Predicate<Object> rejected = resultRejected;
    return rejected != null && result != null && rejected.test(result);
  }

  /**
   * The backoff's wait after {@code attempt}, checked, since a custom backoff may misbehave; a
   * broken one fails the call with every failure of {@code execution} so far attached.
   */
  Duration delayAfter(int attempt, Execution execution) {
    Duration d = backoff.delay(attempt, random);
    if (d == null || d.isNegative()) {
      IllegalStateException broken =
          new IllegalStateException(
              "Retry '"
                  + name
                  + "': backoff "
                  + backoff
                  + " returned "
                  + d
                  + " for attempt "
                  + attempt);
      for (Throwable failure : execution.distinctFailures()) {
        broken.addSuppressed(failure);
      }
      throw broken;
    }
    return d;
  }

  /**
   * Tells the {@code onRetry} listeners; an exception from one is logged, an Error ends the call.
   */
  void notifyRetry(RetryEvent event) {
    tell(onRetry, event, "onRetry", "; retrying anyway");
  }

  /** Tells the {@code onExhausted} listeners, as {@link #notifyRetry} does. */
  void notifyExhausted(ExhaustedEvent event) {
    tell(onExhausted, event, "onExhausted", "");
  }

  private <E> void tell(
      List<Consumer<? super E>> listeners, E event, String kind, String afterwards) {
    for (Consumer<? super E> listener : listeners) {
      try {
        listener.accept(event);
      } catch (Exception e) { // a checked one thrown past the compiler too; never an Error
        LOG.warn("Retry '{}': {} listener {} failed{}", name, kind, listener, afterwards, e);
      }
    }
  }
}
