package io.dyno.retry;

import io.dyno.retry.internal.Durations;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The state of one retried call after its first failure: which attempt it is on, when it started,
 * and its failures so far (the first {@value #KEEP_FIRST} and the last {@value #KEEP_LAST}, so that
 * a call retried without end holds bounded memory); and the decision, after each failed attempt, to
 * stop or to wait and try again. Shared by the blocking verbs and {@code callAsync}, so both decide
 * the same way.
 *
 * <p>Created only once a call has failed, so a call that succeeds at once never allocates one. Used
 * by one thread at a time (the async path hands it from stage to stage, each step happening after
 * the previous one completed), except {@link #giveBackRetry}, which a cancellation may call from
 * any thread.
 */
final class Execution {

  private final RetryConfig config;

  /**
   * Ticker time the elapsed time counts from: the call's start if timed, else the first failure.
   */
  private final long start;

  private final boolean sinceFirstFailure;

  /** Failures kept from the start of the call. */
  static final int KEEP_FIRST = 50;

  /** Failures kept from the end of the call, behind the first ones. */
  static final int KEEP_LAST = 50;

  /** The first {@link #KEEP_FIRST} failures. */
  private final List<Throwable> failures = new ArrayList<>(4);

  /** The failures after the first {@link #KEEP_FIRST}, the last {@link #KEEP_LAST} of them. */
  private @Nullable ArrayDeque<Throwable> recent;

  /** How many failures between the kept first and last ones were let go. */
  private long omitted;

  /** The attempts made so far; the last of them is the one {@link #next} judges. */
  private int attempt = 1;

  /** Set by {@link #next}: the wait before the next attempt. */
  private Duration delay = Duration.ZERO;

  /** Set when the execution stopped. */
  private @Nullable StopReason reason;

  private String detail = "";
  private long stoppedAt;

  /**
   * The budget's ticket for the retry that {@link #next} took and that has not started yet, or
   * {@link RetryBudget#REFUSED}. Atomic so that the retry is given back once, whether by the thread
   * that gives up on it or by a cancellation racing it.
   */
  private final AtomicLong ticket = new AtomicLong(RetryBudget.REFUSED);

  /** Whether the work cannot declare checked exceptions ({@code get}, {@code run}, ...). */
  private final boolean uncheckedWork;

  Execution(RetryConfig config, long callStart, boolean uncheckedWork) {
    this.config = config;
    this.sinceFirstFailure = !config.timed();
    this.start = config.timed() ? callStart : config.ticker().getAsLong();
    this.uncheckedWork = uncheckedWork;
  }

  /** The number of attempts made so far, from 1. */
  int attempts() {
    return attempt;
  }

  /** The wait decided by the last {@link #next} that returned true. */
  Duration delay() {
    return delay;
  }

  /** Why the execution stopped; only after {@link #next} returned false or {@link #interrupted}. */
  StopReason reason() {
    if (reason == null) {
      throw new IllegalStateException("execution has not stopped");
    }
    return reason;
  }

  /**
   * Judges the outcome of the current attempt, a failure or a result {@code retryIfResult} rejected
   * (failure null), and returns true to try again after {@link #delay()}, or false to stop, with
   * {@link #reason()} saying why. Calls {@code onRetry} listeners before returning true. The caller
   * then waits and calls {@link #startNextAttempt}, or {@link #interrupted}.
   */
  boolean next(@Nullable Throwable failure, @Nullable Object rejectedResult) {
    if (failure != null) {
      keep(failure);
      if (failure instanceof InterruptedException) {
        return stop(StopReason.ABORTED, "InterruptedException is never retried");
      }
      if (uncheckedWork && !(failure instanceof RuntimeException)) {
        // A checked exception thrown past the compiler: the first attempt of an unchecked verb
        // does not catch it, so no later attempt may retry it either.
        return stop(
            StopReason.ABORTED,
            failure.getClass().getName() + " is a checked exception thrown by unchecked work");
      }
      String refusal = config.refusal(failure);
      if (refusal != null) {
        return stop(StopReason.ABORTED, refusal);
      }
    }
    RetryBudget budget = config.budget();
    if (budget != null) {
      // A failure that would be retried counts whether or not an attempt is left: a token budget
      // follows the dependency's health, not this call's.
      budget.recordFailure();
    }
    if (attempt >= config.maxAttempts()) {
      return stop(StopReason.MAX_ATTEMPTS, "maxAttempts " + config.maxAttempts());
    }
    @Nullable Duration hinted = null;
    if (failure != null) {
      Pushback hint = config.pushbackFor(failure);
      if (hint.stops()) {
        return stop(StopReason.PUSHBACK, "for " + failure.getClass().getName());
      }
      hinted = hint.delayOrNull();
    }
    Duration wait = hinted != null ? hinted : config.delayAfter(attempt, this);
    // Only maxDuration and the budget need the time here; a clock read is not free.
    long now = config.timed() ? config.ticker().getAsLong() : 0L;
    long maxNanos = config.maxDurationNanos();
    if (maxNanos > 0 && now - start > maxNanos - Durations.toNanosSaturated(wait)) {
      return stop(
          StopReason.MAX_DURATION,
          "maxDuration "
              + Durations.format(maxNanos)
              + (hinted != null ? ", pushback wait " : ", next wait ")
              + Durations.format(wait));
    }
    if (budget != null) {
      long taken = budget.takeRetry(now);
      if (taken == RetryBudget.REFUSED) {
        return stop(StopReason.BUDGET, budget.toString());
      }
      ticket.set(taken);
    }
    boolean told = false;
    try {
      config.notifyRetry(new RetryEvent(config.name(), attempt, failure, rejectedResult, wait));
      told = true;
    } finally {
      if (!told) {
        // A listener's Error ends the call: the retry it was told about will never be made.
        giveBackRetry();
      }
    }
    delay = wait;
    return true;
  }

  /**
   * Counts the next attempt, after the wait, and returns true; or returns false, stopped, if the
   * attempt would start after {@code maxDuration}. An attempt is counted only once it starts, so
   * that a stop during the wait reports the attempts that really ran. From here the budget's retry
   * is spent for good.
   */
  boolean startNextAttempt() {
    long maxNanos = config.maxDurationNanos();
    if (maxNanos > 0) {
      // next() planned the wait to end within maxDuration, but a busy machine may wake a sleeper,
      // or run a scheduled task, late: no attempt may start past the limit all the same.
      long elapsed = config.ticker().getAsLong() - start;
      if (elapsed > maxNanos) {
        giveBackRetry();
        return stop(
            StopReason.MAX_DURATION,
            "maxDuration "
                + Durations.format(maxNanos)
                + ", the wait ended "
                + Durations.format(elapsed)
                + " after the call started");
      }
    }
    ticket.set(RetryBudget.REFUSED);
    attempt++;
    return true;
  }

  /** Records that the thread was interrupted after {@link #next} decided to try again. */
  void interrupted() {
    giveBackRetry();
    stop(StopReason.INTERRUPTED, "");
  }

  /**
   * Gives the budget back the retry that {@link #next} took, if the next attempt has not started:
   * the wait was interrupted, the call cancelled, or the scheduler refused the attempt. At most
   * once, from any thread.
   */
  void giveBackRetry() {
    long taken = ticket.getAndSet(RetryBudget.REFUSED);
    if (taken != RetryBudget.REFUSED) {
      RetryBudget budget = config.budget();
      if (budget != null) {
        budget.refund(taken);
      }
    }
  }

  private boolean stop(StopReason why, String detail) {
    this.reason = why;
    this.detail = detail;
    this.stoppedAt = config.ticker().getAsLong();
    return false;
  }

  /**
   * Prepares {@code thrown} to leave the retry: attaches the record and earlier failures, tells the
   * listeners, and returns what to throw: {@code thrown} itself, or a {@link CompoundException}.
   */
  Exception giveUp(Exception thrown, @Nullable Throwable lastFailure, @Nullable Object lastResult) {
    Throwable leaving = prepareToLeave(thrown, lastFailure, lastResult);
    return leaving == thrown ? thrown : (CompoundException) leaving;
  }

  /** {@link #giveUp} for any throwable, as a stage may complete with one. */
  Throwable prepareToLeave(
      Throwable thrown, @Nullable Throwable lastFailure, @Nullable Object lastResult) {
    if (stoppedAtFirstAttempt() && thrown == lastFailure) {
      // A retry that never retried leaves no trace on the failure: maxAttempts 1, a spent budget
      // or a passed maxDuration must not change what a catch clause or a log sees. Listeners still
      // hear why the call gave up, unless the failure was never retryable at all.
      if (reason() != StopReason.ABORTED) {
        config.notifyExhausted(exhaustedEvent(lastFailure, lastResult));
      }
      return thrown;
    }
    // An interrupt stays an InterruptedException, so that callers' interrupt handling still works.
    if (config.throwCompound() && !(thrown instanceof InterruptedException)) {
      List<Throwable> all = distinctFailures();
      if (thrown != lastFailure) {
        all = new ArrayList<>(all);
        all.add(thrown);
      }
      CompoundException compound = CompoundException.thrown(record(all.size() - 1), all);
      config.notifyExhausted(exhaustedEvent(lastFailure, lastResult));
      return compound;
    }
    attachTo(thrown);
    config.notifyExhausted(exhaustedEvent(lastFailure, lastResult));
    return thrown;
  }

  /**
   * Whether the call stopped at its first attempt. Then the retry never retried, and the failure
   * leaves exactly as it came, whatever the reason.
   */
  boolean stoppedAtFirstAttempt() {
    return attempt == 1;
  }

  private void keep(Throwable failure) {
    if (failures.size() < KEEP_FIRST) {
      failures.add(failure);
      return;
    }
    ArrayDeque<Throwable> r = recent;
    if (r == null) {
      r = recent = new ArrayDeque<>();
    }
    if (r.size() == KEEP_LAST) {
      r.removeFirst();
      omitted++;
    }
    r.addLast(failure);
  }

  /** The kept failures, oldest first, each instance once. */
  private List<Throwable> kept(@Nullable Throwable except) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    if (except != null) {
      seen.add(except);
    }
    ArrayDeque<Throwable> r = recent;
    List<Throwable> distinct = new ArrayList<>(failures.size() + (r == null ? 0 : r.size()));
    for (Throwable f : failures) {
      if (seen.add(f)) {
        distinct.add(f);
      }
    }
    if (r != null) {
      for (Throwable f : r) {
        if (seen.add(f)) {
          distinct.add(f);
        }
      }
    }
    return distinct;
  }

  /**
   * Attaches the stop record and the earlier failures to {@code thrown}, the failure about to leave
   * the retry, and returns the record. Attaches each distinct earlier failure once, never {@code
   * thrown} itself.
   */
  RetryStoppedException attachTo(Throwable thrown) {
    List<Throwable> earlier = kept(thrown);
    RetryStoppedException record = record(earlier.size());
    thrown.addSuppressed(record);
    for (Throwable f : earlier) {
      thrown.addSuppressed(f);
    }
    return record;
  }

  /** The stop record, for a failure that will not carry the earlier failures. */
  RetryStoppedException record(int earlierFailures) {
    return new RetryStoppedException(
        config.name(),
        attempt,
        reason(),
        detail,
        Duration.ofNanos(Math.max(0, stoppedAt - start)),
        sinceFirstFailure,
        earlierFailures,
        omitted);
  }

  /**
   * The failures so far, oldest first, each instance once: all of them, or the first {@value
   * #KEEP_FIRST} and the last {@value #KEEP_LAST} when there were more.
   */
  List<Throwable> distinctFailures() {
    return kept(null);
  }

  /** The event for {@code onExhausted} listeners. */
  ExhaustedEvent exhaustedEvent(@Nullable Throwable failure, @Nullable Object result) {
    return new ExhaustedEvent(
        config.name(),
        attempt,
        reason(),
        Duration.ofNanos(Math.max(0, stoppedAt - start)),
        failure,
        result);
  }
}
