package io.dyno.breaker;

import io.dyno.breaker.internal.Phase;
import io.dyno.breaker.internal.Settings;
import io.dyno.breaker.internal.StateMachine;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A circuit breaker: lets calls through while they mostly succeed, and rejects them at once,
 * without running the work, while the dependency behind them is failing; or, built with {@link
 * #manual}, a fuse that only {@link #trip()} and {@link #reset()} change.
 *
 * <pre>{@code
 * Breaker payments = Breaker.builder("payments").build(); // Hystrix's defaults
 * Receipt receipt = payments.call(() -> gateway.charge(order));
 * Breaker feature = Breaker.manual("new-checkout"); // a fuse: only trip() and reset() change it
 * feature.trip(); // switched off at run time, until feature.reset()
 * }</pre>
 *
 * <p><b>States.</b> {@code CLOSED} lets every call through and counts each outcome in the bucket of
 * a rolling window for the time it happened. After any call, once the window holds at least {@code
 * minimumCalls} calls and the failure rate (or the slow-call rate) reaches its threshold, the
 * breaker turns {@code OPEN} and rejects calls with a {@link BreakerOpenException}. After {@code
 * openDuration} it turns {@code HALF_OPEN} and lets exactly {@code halfOpenCalls} trial calls
 * through: when all of them succeed it closes with an empty window, in the same step; when one
 * fails it opens again. A trial call that never reports back does not wedge the breaker: {@code
 * halfOpenTimeout} after it turned half-open, measured on the ticker, a fresh set of trial calls is
 * admitted. {@code FORCED_OPEN} ({@link #trip()}) rejects every call and {@code DISABLED} ({@link
 * #disable()}) permits every call, until {@link #reset()}.
 *
 * <p><b>Permits belong to their phase.</b> Every admitted call holds a {@link Permit} of the phase
 * that admitted it. Its outcome is judged by that phase only: a call admitted while {@code CLOSED}
 * that ends after the breaker opened never closes a half-open breaker nor frees a trial permit.
 *
 * <p><b>What counts.</b> A call's exception is first matched against {@code ignore}: an ignored one
 * is not recorded at all. Then, if {@code recordOn} types are set, only matching exceptions count
 * as failures and others as successes; otherwise every exception counts as a failure. {@link
 * Error}s are classified the same way (by default, failures) and always rethrown unchanged, never
 * swallowed. A result that {@code recordResult} matches counts as a failure and is still returned.
 *
 * <p><b>Interrupts.</b> The work's own {@link InterruptedException} is neither a success nor a
 * failure: it is not recorded, the permit is released, and it leaves unchanged with the interrupt
 * flag as the work left it. This differs on purpose from dyno's policy of restoring the flag: the
 * breaker itself never waits, so there is nothing of its own to stop, and the exception already
 * tells the caller; setting the flag on top of it would make the caller's next wait fail at once.
 *
 * <p><b>Cost.</b> A successful call in {@code CLOSED} state takes no lock, allocates nothing and
 * reads the ticker once, when it ends, to count it in its bucket (twice with a slow-call threshold
 * or an {@code onCall} listener, to time it). A composite that has read the time anyway hands it
 * over with {@link Permit#onResultAt}, and the breaker reads no clock at all.
 *
 * <p>Thread-safe: one instance serves any number of concurrent calls. State changes are made by
 * compare-and-set, once each, listeners are told of them in the order they were made, and no lock
 * is ever held around the work or a listener.
 */
public final class Breaker {

  /** The states of a breaker. */
  public enum State {
    /** Calls go through and are counted. */
    CLOSED,
    /** Calls are rejected until {@code openDuration} has passed. */
    OPEN,
    /** A limited number of trial calls go through to decide whether to close. */
    HALF_OPEN,
    /** Tripped by hand: calls are rejected until {@link Breaker#reset()}. */
    FORCED_OPEN,
    /** Forced closed: every call goes through and is counted, but the breaker never opens. */
    DISABLED
  }

  /**
   * Permission for one call, from {@link #tryAcquirePermission()} or {@link #acquirePermission()},
   * for code that runs the call itself: report its outcome exactly once, with one of the methods
   * below. A permit belongs to the phase of the breaker that issued it: reported after the breaker
   * has moved on to another phase, it changes nothing there. Permits of a closed breaker are shared
   * objects, so acquiring one allocates nothing. Not for users to implement.
   */
  public interface Permit {

    /**
     * Records that the call succeeded; the breaker reads its ticker for the time the call ended
     * where it needs it.
     *
     * @param durationNanos how long the call took, judged against the slow-call threshold; pass 0
     *     when the breaker has no slow-call threshold and the time is not known
     */
    void onSuccess(long durationNanos);

    /**
     * Records that the call returned {@code result}: a failure if a {@code recordResult} predicate
     * accepts it, a success otherwise.
     *
     * @param durationNanos how long the call took
     * @param result what the call returned
     */
    void onResult(long durationNanos, @Nullable Object result);

    /**
     * Records that the call threw {@code failure}, which the breaker classifies as a failure, a
     * success or ignored, as {@link Breaker} says.
     *
     * @param durationNanos how long the call took
     * @param failure what the call threw
     */
    void onFailure(long durationNanos, Throwable failure);

    /**
     * Records that the call returned {@code result} at {@code endNanos}, a reading of this
     * breaker's {@linkplain Breaker#ticker() ticker} the caller took anyway, so that the breaker
     * reads no clock.
     *
     * @param endNanos when the call ended, on the breaker's ticker
     * @param durationNanos how long the call took
     * @param result what the call returned
     */
    void onResultAt(long endNanos, long durationNanos, @Nullable Object result);

    /**
     * Records that the call threw {@code failure} at {@code endNanos}, a reading of this breaker's
     * {@linkplain Breaker#ticker() ticker}.
     *
     * @param endNanos when the call ended, on the breaker's ticker
     * @param durationNanos how long the call took
     * @param failure what the call threw
     */
    void onFailureAt(long endNanos, long durationNanos, Throwable failure);

    /**
     * Gives the permit back without recording a call: the call was not made after all, or ended in
     * a way that says nothing about the dependency. A trial permit of a half-open breaker is freed
     * for another call; a permit of an earlier phase frees nothing.
     */
    void release();
  }

  private static final LongSupplier SYSTEM_TICKER = System::nanoTime;

  private final Settings settings;
  private final StateMachine machine;
  private final LongSupplier ticker;

  /** Whether the verbs read the ticker around the work: for slow calls and call events only. */
  private final boolean timed;

  Breaker(Settings settings) {
    this.settings = settings;
    this.machine = new StateMachine(settings);
    this.ticker = settings.ticker();
    this.timed =
        !settings.manual()
            && (settings.slowCallThreshold() != null || !settings.onCall().isEmpty());
  }

  /**
   * Returns a fuse: a breaker that counts nothing and never changes by itself, only by {@link
   * #trip()}, {@link #reset()} and {@link #disable()}. Use it to shed load from an expensive
   * function or to switch a feature off in production.
   *
   * @param name the name shown in messages and events, not blank
   * @return a closed fuse
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Breaker manual(String name) {
    BreakerBuilder b = new BreakerBuilder(name);
    b.manual = true;
    return b.build();
  }

  /**
   * Returns a builder for a breaker with the given name and Hystrix's defaults: it opens at a 50 %
   * failure rate over at least 20 calls in a 10 s window of 10 buckets, stays open 5 s, then lets 1
   * trial call through.
   *
   * @param name the name shown in messages and events, not blank
   * @return the builder
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static BreakerBuilder builder(String name) {
    return new BreakerBuilder(name);
  }

  /**
   * Returns the ticker a breaker reads unless its builder is given another: {@code
   * System::nanoTime}, always the same instance.
   *
   * @return the system ticker
   */
  public static LongSupplier systemTicker() {
    return SYSTEM_TICKER;
  }

  // ---------------------------------------------------------------- execution verbs

  /**
   * Calls {@code callable} if the breaker permits it, and records the outcome.
   *
   * @param callable the work
   * @param <T> the result type
   * @return the result
   * @throws BreakerOpenException if the breaker does not permit the call; the work did not run
   * @throws Exception what the work threw, unchanged
   */
  public <T> T call(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable must not be null");
    Phase permit = admitted();
    long start = timed ? ticker.getAsLong() : 0L;
    T result;
    try {
      result = callable.call();
    } catch (Throwable t) {
      thrownAfter(permit, start, t);
      throw t;
    }
    returnedAfter(permit, start, result);
    return result;
  }

  /**
   * Gets a value from {@code supplier} if the breaker permits it, and records the outcome.
   *
   * @param supplier the work
   * @param <T> the result type
   * @return the result
   * @throws BreakerOpenException if the breaker does not permit the call; the work did not run
   */
  public <T> T get(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return apply(Supplier::get, supplier);
  }

  /**
   * Runs {@code runnable} if the breaker permits it, and records the outcome.
   *
   * @param runnable the work
   * @throws BreakerOpenException if the breaker does not permit the call; the work did not run
   */
  public void run(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    this.<Runnable, @Nullable Void>apply(Breaker::runIt, runnable);
  }

  /**
   * Returns {@code callable} wrapped so that each call goes through this breaker.
   *
   * @param callable the work
   * @param <T> the result type
   * @return the guarded callable
   */
  public <T> Callable<T> decorateCallable(Callable<T> callable) {
    Objects.requireNonNull(callable, "callable must not be null");
    return () -> call(callable);
  }

  /**
   * Returns {@code supplier} wrapped so that each get goes through this breaker.
   *
   * @param supplier the work
   * @param <T> the result type
   * @return the guarded supplier
   */
  public <T> Supplier<T> decorateSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return () -> apply(Supplier::get, supplier);
  }

  /**
   * Returns {@code runnable} wrapped so that each run goes through this breaker.
   *
   * @param runnable the work
   * @return the guarded runnable
   */
  public Runnable decorateRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    return () -> this.<Runnable, @Nullable Void>apply(Breaker::runIt, runnable);
  }

  /**
   * Returns {@code function} wrapped so that each application goes through this breaker.
   *
   * @param function the work
   * @param <A> the argument type
   * @param <R> the result type
   * @return the guarded function
   */
  public <A, R> Function<A, R> decorateFunction(Function<A, R> function) {
    Objects.requireNonNull(function, "function must not be null");
    return argument -> apply(function, argument);
  }

  /**
   * Starts asynchronous work if the breaker permits it, and records its outcome when the stage
   * completes.
   *
   * <p>A rejection is returned as a future failed with {@link BreakerOpenException}; the supplier
   * is not called. The returned future completes exactly once, after the outcome is recorded, with
   * the stage's result or its failure ({@link CompletionException} unwrapped to its cause). A
   * supplier that throws (a checked exception too) counts as a failed call and fails the future; an
   * {@link Error} is recorded and rethrown. A stage that ends in {@link CancellationException} or
   * {@link InterruptedException} is not recorded. A {@code recordResult} predicate that throws
   * fails the future with its exception, and the call is not recorded. Cancelling the returned
   * future does not cancel the stage.
   *
   * @param supplier starts the work
   * @param <T> the result type
   * @return the outcome of the work
   */
  public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    Phase permit = machine.admit();
    if (!permit.permits()) {
      return CompletableFuture.failedFuture(rejection(permit));
    }
    long start = timed ? ticker.getAsLong() : 0L;
    CompletionStage<T> stage;
    try {
      stage = Objects.requireNonNull(supplier.get(), "supplier returned null");
    } catch (Throwable t) {
      // Throwable, not Exception: a checked exception thrown sneakily must still end the call.
      thrownAfter(permit, start, t);
      if (t instanceof Error e) {
        throw e;
      }
      return CompletableFuture.failedFuture(t);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenComplete((value, failure) -> settle(permit, start, value, failure, result));
    return result;
  }

  private <T> void settle(
      Phase permit,
      long start,
      @Nullable T value,
      @Nullable Throwable failure,
      CompletableFuture<T> result) {
    if (failure == null) {
      try {
        returnedAfter(permit, start, value);
      } catch (Throwable predicateFailed) {
        result.completeExceptionally(predicateFailed);
        return;
      }
      result.complete(value);
    } else {
      Throwable cause = unwrap(failure);
      try {
        thrownAfter(permit, start, cause);
      } finally {
        result.completeExceptionally(cause);
      }
    }
  }

  // ---------------------------------------------------------------- permission API

  /**
   * Asks for permission to make one call, for code that runs the call itself (a composite): if a
   * permit is returned, report the outcome on it exactly once. Allocates nothing, and in {@code
   * CLOSED} state reads no clock.
   *
   * @return the permit, or null if the call may not go ahead
   */
  public @Nullable Permit tryAcquirePermission() {
    Phase decided = machine.admit();
    return decided.permits() ? decided : null;
  }

  /**
   * Asks for permission to make one call, as {@link #tryAcquirePermission()} does, but throws when
   * it is refused.
   *
   * @return the permit
   * @throws BreakerOpenException if the breaker does not permit the call
   */
  public Permit acquirePermission() {
    return admitted();
  }

  // ---------------------------------------------------------------- state

  /**
   * Returns the current state.
   *
   * @return the state
   */
  public State state() {
    return machine.state();
  }

  /**
   * Returns how long until this breaker, while {@link State#OPEN}, lets a trial call through: the
   * open duration less the time it has been open, zero once that has passed (the next call is the
   * trial). Empty in every other state: a {@link State#FORCED_OPEN} breaker waits for {@link
   * #reset()}, not for time.
   *
   * @return the time until the next trial, or empty when the breaker is not open
   */
  public Optional<Duration> nextTrialIn() {
    long nanos = machine.nextTrialNanos();
    return nanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
  }

  /**
   * Returns whether calls flow freely: the state is {@code CLOSED} or {@code DISABLED}.
   *
   * @return true if closed or disabled
   */
  public boolean isClosed() {
    State s = machine.state();
    return s == State.CLOSED || s == State.DISABLED;
  }

  /**
   * Forces the breaker open: every call is rejected until {@link #reset()}. Does nothing if it is
   * already forced open.
   */
  public void trip() {
    machine.moveTo(State.FORCED_OPEN, "tripped by hand");
  }

  /**
   * Closes the breaker, whatever its state, with an empty window, in one step: no call is judged on
   * the old window after the breaker closed.
   */
  public void reset() {
    machine.moveTo(State.CLOSED, "reset by hand");
  }

  /**
   * Forces the breaker closed: every call goes through and is still counted, but the breaker never
   * opens by itself, until {@link #reset()} or {@link #trip()}.
   */
  public void disable() {
    machine.moveTo(State.DISABLED, "disabled by hand");
  }

  /**
   * Returns the counts of the rolling window now: the window being counted, or, while the breaker
   * is open, the one that opened it; all zero for a {@linkplain #manual manual} breaker, which
   * counts nothing.
   *
   * @return the window's counts
   */
  public BreakerMetrics metrics() {
    return machine.metrics();
  }

  /**
   * Returns the name.
   *
   * @return the name
   */
  public String name() {
    return settings.name();
  }

  /**
   * Returns the monotonic clock this breaker reads, {@link #systemTicker()} unless the builder was
   * given another; a composite that reads the same clock can hand its readings over with {@link
   * Permit#onResultAt}.
   *
   * @return the ticker
   */
  public LongSupplier ticker() {
    return ticker;
  }

  /**
   * Returns whether this is a fuse made by {@link #manual}, which never changes by itself.
   *
   * @return true for a manual breaker
   */
  public boolean isManual() {
    return settings.manual();
  }

  /**
   * Returns {@code Breaker[name=payments, state=OPEN]}: the name and the state now, and {@code
   * manual=true} for a {@linkplain #manual manual} breaker.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "Breaker[name="
        + name()
        + ", state="
        + state()
        + (isManual() ? ", manual=true" : "")
        + "]";
  }

  // ---------------------------------------------------------------- internals

  /** Admits one call and returns its permit, or throws the rejection. */
  private Phase admitted() {
    Phase decided = machine.admit();
    if (!decided.permits()) {
      throw rejection(decided);
    }
    return decided;
  }

  private BreakerOpenException rejection(Phase refusal) {
    return new BreakerOpenException(
        settings.name(),
        refusal.state(),
        refusal.nextTrialNanos(),
        refusal.failureRate(),
        refusal.slowCallRate(),
        refusal.refusalReason(),
        settings.writableStackTrace());
  }

  /** The unchecked verbs: applies {@code work} to {@code argument} through the breaker. */
  private <A, R extends @Nullable Object> R apply(
      Function<? super A, ? extends R> work, A argument) {
    Phase permit = admitted();
    long start = timed ? ticker.getAsLong() : 0L;
    R result;
    try {
      result = work.apply(argument);
    } catch (Throwable t) {
      thrownAfter(permit, start, t);
      throw t;
    }
    returnedAfter(permit, start, result);
    return result;
  }

  private static @Nullable Void runIt(Runnable runnable) {
    runnable.run();
    return null;
  }

  private void returnedAfter(Phase permit, long start, @Nullable Object result) {
    if (timed) {
      long now = ticker.getAsLong();
      permit.onResultAt(now, now - start, result);
    } else {
      permit.onResult(0L, result);
    }
  }

  private void thrownAfter(Phase permit, long start, Throwable failure) {
    if (timed) {
      long now = ticker.getAsLong();
      permit.onFailureAt(now, now - start, failure);
    } else {
      permit.onFailure(0L, failure);
    }
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t.getCause();
    while (t instanceof CompletionException && cause != null) {
      t = cause;
      cause = t.getCause();
    }
    return t;
  }
}
