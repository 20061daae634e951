package io.dyno.breaker;

import io.dyno.breaker.internal.Durations;
import io.dyno.breaker.internal.RollingWindow;
import io.dyno.breaker.internal.WindowCounts;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p><b>States.</b> {@code CLOSED} lets every call through and counts the outcomes in a rolling
 * window. Once the window holds at least {@code minimumCalls} calls and the failure rate (or the
 * slow-call rate) reaches its threshold, the breaker turns {@code OPEN} and rejects calls with a
 * {@link BreakerOpenException}. After {@code openDuration} it turns {@code HALF_OPEN} and lets
 * exactly {@code halfOpenCalls} trial calls through: when all of them succeed it closes with an
 * empty window; when one fails it opens again. A trial call that never reports back (a lost permit)
 * does not wedge the breaker: {@code halfOpenTimeout} after it turned half-open, measured on the
 * ticker, a fresh set of trial calls is admitted. {@code FORCED_OPEN} ({@link #trip()}) rejects
 * every call and {@code DISABLED} ({@link #disable()}) permits every call, until {@link #reset()}.
 *
 * <p><b>What counts.</b> A call's exception is first matched against {@code ignore}: an ignored one
 * is not recorded at all. Then, if {@code recordOn} types are set, only matching exceptions count
 * as failures and others as successes; otherwise every exception counts as a failure. {@link
 * Error}s are classified the same way (by default, failures) and always rethrown unchanged, never
 * swallowed. The work's own {@link InterruptedException} is neither a success nor a failure: it is
 * not recorded, the permit is released, and it leaves unchanged with the interrupt flag as the work
 * left it. A result that {@code recordResult} matches counts as a failure and is still returned.
 *
 * <p><b>Cost.</b> A successful call in {@code CLOSED} state takes no lock, allocates nothing and,
 * unless a slow-call threshold or an {@code onCall} listener is set, reads no clock: it increments
 * a striped counter, which the window distributes over its buckets when a failure or a read next
 * brings it up to date (see docs/breaker.md for the accuracy this gives).
 *
 * <p>Thread-safe: one instance serves any number of concurrent calls. State changes are made by
 * compare-and-set, once each, and no lock is ever held around the work or a listener.
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

  private static final Logger LOG = LoggerFactory.getLogger("io.dyno.breaker");

  /** One state of the breaker: immutable, but for the trial counters of {@code HALF_OPEN}. */
  private static final class Phase {
    final State state;
    final long since;
    final String reason;
    final double failureRate;
    final double slowCallRate;

    /** Trial permits handed out; {@code HALF_OPEN} only. */
    final AtomicInteger admitted = new AtomicInteger();

    /** Trial calls that succeeded; {@code HALF_OPEN} only. */
    final AtomicInteger succeeded = new AtomicInteger();

    Phase(State state, long since, String reason, double failureRate, double slowCallRate) {
      this.state = state;
      this.since = since;
      this.reason = reason;
      this.failureRate = failureRate;
      this.slowCallRate = slowCallRate;
    }

    Phase(State state, long since, String reason) {
      this(state, since, reason, Double.NaN, Double.NaN);
    }
  }

  private final String name;
  private final boolean manual;
  private final double failureRateThreshold;
  private final double slowCallRateThreshold;
  private final int minimumCalls;
  private final Duration window;
  private final @Nullable Duration slowCallThreshold;

  /** The slow-call threshold in nanoseconds, or {@code Long.MAX_VALUE} when there is none. */
  private final long slowNanos;

  private final Duration openDuration;
  private final long openNanos;
  private final int halfOpenCalls;
  private final Duration halfOpenTimeout;
  private final long halfOpenTimeoutNanos;
  private final List<Class<? extends Throwable>> recordOn;
  private final List<Class<? extends Throwable>> ignore;
  private final @Nullable Predicate<Object> resultFailure;
  private final List<Consumer<? super StateChange>> onStateChange;
  private final List<Consumer<? super CallEvent>> onCall;
  private final LongSupplier ticker;
  private final boolean writableStackTrace;

  /** Whether the verbs read the ticker around the work: for slow calls and call events only. */
  private final boolean timed;

  private final @Nullable RollingWindow counts;

  /** The current phase; replaced only by compare-and-set through {@link #PHASE}. */
  private volatile Phase phase;

  private static final VarHandle PHASE;

  static {
    try {
      PHASE = MethodHandles.lookup().findVarHandle(Breaker.class, "phase", Phase.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Breaker(Builder b) {
    this.name = b.name;
    this.manual = b.manual;
    this.failureRateThreshold = b.failureRateThreshold;
    this.slowCallRateThreshold = b.slowCallRateThreshold;
    this.minimumCalls = b.minimumCalls;
    this.window = b.window;
    this.slowCallThreshold = b.slowCallThreshold;
    this.slowNanos =
        b.slowCallThreshold == null
            ? Long.MAX_VALUE
            : Durations.toNanosSaturated(b.slowCallThreshold);
    this.openDuration = b.openDuration;
    this.openNanos = Durations.toNanosSaturated(b.openDuration);
    this.halfOpenCalls = b.halfOpenCalls;
    this.halfOpenTimeout = b.halfOpenTimeout == null ? b.openDuration : b.halfOpenTimeout;
    this.halfOpenTimeoutNanos = Durations.toNanosSaturated(halfOpenTimeout);
    this.recordOn = List.copyOf(b.recordOn);
    this.ignore = List.copyOf(b.ignore);
    this.resultFailure = b.resultFailure;
    this.onStateChange = List.copyOf(b.onStateChange);
    this.onCall = List.copyOf(b.onCall);
    this.ticker = b.ticker;
    this.writableStackTrace = b.writableStackTrace;
    this.timed = !manual && (slowCallThreshold != null || !onCall.isEmpty());
    this.counts =
        manual ? null : new RollingWindow(Durations.toNanosSaturated(b.window), b.buckets);
    this.phase = new Phase(State.CLOSED, 0L, "created");
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
    Builder b = new Builder(name);
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
  public static Builder builder(String name) {
    return new Builder(name);
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
    Objects.requireNonNull(callable, "callable");
    acquirePermission();
    long start = timed ? ticker.getAsLong() : 0L;
    T result;
    try {
      result = callable.call();
    } catch (Throwable t) {
      failedAfter(start, t);
      throw t;
    }
    succeededAfter(start, result);
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
    Objects.requireNonNull(supplier, "supplier");
    return apply(Supplier::get, supplier);
  }

  /**
   * Runs {@code runnable} if the breaker permits it, and records the outcome.
   *
   * @param runnable the work
   * @throws BreakerOpenException if the breaker does not permit the call; the work did not run
   */
  public void run(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable");
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
    Objects.requireNonNull(callable, "callable");
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
    Objects.requireNonNull(supplier, "supplier");
    return () -> apply(Supplier::get, supplier);
  }

  /**
   * Returns {@code runnable} wrapped so that each run goes through this breaker.
   *
   * @param runnable the work
   * @return the guarded runnable
   */
  public Runnable decorateRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable");
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
    Objects.requireNonNull(function, "function");
    return argument -> apply(function, argument);
  }

  /**
   * Starts asynchronous work if the breaker permits it, and records its outcome when the stage
   * completes.
   *
   * <p>A rejection is returned as a future failed with {@link BreakerOpenException}; the supplier
   * is not called. The returned future completes after the outcome is recorded, with the stage's
   * result or its failure ({@link CompletionException} unwrapped to its cause). A supplier that
   * throws counts as a failed call: the future fails with its exception, or an {@link Error} is
   * rethrown. A stage that ends in {@link CancellationException} or {@link InterruptedException} is
   * not recorded. Cancelling the returned future does not cancel the stage.
   *
   * @param supplier starts the work
   * @param <T> the result type
   * @return the outcome of the work
   */
  public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    Phase refused = refusal();
    if (refused != null) {
      return CompletableFuture.failedFuture(rejection(refused));
    }
    long start = timed ? ticker.getAsLong() : 0L;
    CompletionStage<T> stage;
    try {
      stage = Objects.requireNonNull(supplier.get(), "supplier returned null");
    } catch (RuntimeException e) {
      failedAfter(start, e);
      return CompletableFuture.failedFuture(e);
    } catch (Error e) {
      failedAfter(start, e);
      throw e;
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            try {
              succeededAfter(start, value);
            } finally {
              result.complete(value);
            }
          } else {
            Throwable cause = unwrap(failure);
            try {
              failedAfter(start, cause);
            } finally {
              result.completeExceptionally(cause);
            }
          }
        });
    return result;
  }

  // ---------------------------------------------------------------- permission API

  /**
   * Asks for permission to make one call, for code that runs the call itself (a composite): if it
   * returns true, report the outcome exactly once with {@link #onSuccess}, {@link #onFailure} or
   * {@link #releasePermission}. Allocates nothing, and in {@code CLOSED} state reads no clock.
   *
   * @return whether the call may go ahead
   */
  public boolean tryAcquirePermission() {
    return refusal() == null;
  }

  /**
   * Asks for permission to make one call, as {@link #tryAcquirePermission()} does, but throws when
   * it is refused.
   *
   * @throws BreakerOpenException if the breaker does not permit the call
   */
  public void acquirePermission() {
    Phase refused = refusal();
    if (refused != null) {
      throw rejection(refused);
    }
  }

  /**
   * Records a permitted call that succeeded.
   *
   * @param durationNanos how long the call took, judged against the slow-call threshold; pass 0
   *     when the breaker has no slow-call threshold and the time is not known
   */
  public void onSuccess(long durationNanos) {
    recordSuccess(durationNanos, 0L, false);
  }

  /**
   * Records a permitted call that failed with {@code failure}, which the breaker classifies as a
   * failure, a success or ignored, as the class documentation says.
   *
   * @param durationNanos how long the call took
   * @param failure what the call threw
   */
  public void onFailure(long durationNanos, Throwable failure) {
    Objects.requireNonNull(failure, "failure");
    recordThrown(durationNanos, failure, 0L, false);
  }

  /**
   * Gives back a permission without recording a call: the call was not made after all, or ended in
   * a way that says nothing about the dependency. In {@code HALF_OPEN} state this frees the trial
   * permit for another call.
   */
  public void releasePermission() {
    Phase p = phase;
    if (p.state == State.HALF_OPEN) {
      p.admitted.getAndUpdate(n -> n > 0 ? n - 1 : 0);
    }
  }

  // ---------------------------------------------------------------- state

  /**
   * Returns the current state.
   *
   * @return the state
   */
  public State state() {
    return phase.state;
  }

  /**
   * Returns whether calls flow freely: the state is {@code CLOSED} or {@code DISABLED}.
   *
   * @return true if closed or disabled
   */
  public boolean isClosed() {
    State s = phase.state;
    return s == State.CLOSED || s == State.DISABLED;
  }

  /**
   * Forces the breaker open: every call is rejected until {@link #reset()}. Does nothing if it is
   * already forced open.
   */
  public void trip() {
    moveTo(State.FORCED_OPEN, "tripped by hand");
  }

  /** Closes the breaker, whatever its state, with an empty window. */
  public void reset() {
    moveTo(State.CLOSED, "reset by hand");
  }

  /**
   * Forces the breaker closed: every call goes through and is still counted, but the breaker never
   * opens by itself, until {@link #reset()} or {@link #trip()}.
   */
  public void disable() {
    moveTo(State.DISABLED, "disabled by hand");
  }

  /**
   * Returns the counts of the rolling window now; all zero for a {@linkplain #manual manual}
   * breaker, which counts nothing.
   *
   * @return the window's counts
   */
  public BreakerMetrics metrics() {
    RollingWindow w = counts;
    return metricsOf(w == null ? new WindowCounts(0, 0, 0) : w.counts(ticker.getAsLong()));
  }

  /**
   * Returns the name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns whether this is a fuse made by {@link #manual}, which never changes by itself.
   *
   * @return true for a manual breaker
   */
  public boolean isManual() {
    return manual;
  }

  @Override
  public String toString() {
    return "Breaker[" + name + ", " + state() + (manual ? ", manual" : "") + "]";
  }

  // ---------------------------------------------------------------- admission

  /**
   * Admits one call, or returns the phase that refused it. Reads the ticker only when the breaker
   * is open or its trial permits are all taken.
   */
  private @Nullable Phase refusal() {
    Phase p = phase;
    while (true) {
      State state = p.state;
      if (state == State.CLOSED || state == State.DISABLED) {
        return null;
      } else if (state == State.FORCED_OPEN) {
        return rejected(p);
      } else if (state == State.OPEN) {
        long now = ticker.getAsLong();
        if (now - p.since < openNanos) {
          return rejected(p);
        }
        Phase trial = new Phase(State.HALF_OPEN, now, "open for " + Durations.format(openDuration));
        trial.admitted.set(1);
        if (transition(p, trial)) {
          return null;
        }
      } else {
        int taken = p.admitted.get();
        if (taken < halfOpenCalls) {
          if (p.admitted.compareAndSet(taken, taken + 1)) {
            return null;
          }
        } else {
          long now = ticker.getAsLong();
          if (now - p.since < halfOpenTimeoutNanos) {
            return rejected(p);
          }
          // The trial calls have not all reported back within halfOpenTimeout: count their permits
          // as lost and admit a fresh set, so that the breaker cannot stay wedged half-open.
          Phase rearmed =
              new Phase(
                  State.HALF_OPEN,
                  now,
                  "trial calls did not report within " + Durations.format(halfOpenTimeout));
          rearmed.admitted.set(1);
          if (PHASE.compareAndSet(this, p, rearmed)) {
            LOG.debug("Breaker '{}': {}; admitting new trial calls", name, rearmed.reason);
            return null;
          }
        }
      }
      p = phase;
    }
  }

  /** Tells the call listeners about a rejection by {@code p}, and returns it. */
  private Phase rejected(Phase p) {
    if (!onCall.isEmpty()) {
      notifyCall(new CallEvent(name, CallEvent.Kind.REJECTED, Duration.ZERO, false, null));
    }
    return p;
  }

  private BreakerOpenException rejection(Phase p) {
    long nextTrial;
    String reason = p.reason;
    if (p.state == State.FORCED_OPEN) {
      nextTrial = -1;
    } else if (p.state == State.OPEN) {
      nextTrial = Math.max(0, openNanos - (ticker.getAsLong() - p.since));
    } else {
      nextTrial = Math.max(0, halfOpenTimeoutNanos - (ticker.getAsLong() - p.since));
      reason =
          halfOpenCalls == 1
              ? "its trial call is in progress"
              : "all " + halfOpenCalls + " trial calls are in progress";
    }
    return new BreakerOpenException(
        name, p.state, nextTrial, p.failureRate, p.slowCallRate, reason, writableStackTrace);
  }

  // ---------------------------------------------------------------- recording

  /** The unchecked verbs: applies {@code work} to {@code argument} through the breaker. */
  private <A, R extends @Nullable Object> R apply(
      Function<? super A, ? extends R> work, A argument) {
    acquirePermission();
    long start = timed ? ticker.getAsLong() : 0L;
    R result;
    try {
      result = work.apply(argument);
    } catch (Throwable t) {
      failedAfter(start, t);
      throw t;
    }
    succeededAfter(start, result);
    return result;
  }

  private static @Nullable Void runIt(Runnable runnable) {
    runnable.run();
    return null;
  }

  private void succeededAfter(long start, @Nullable Object result) {
    long now = timed ? ticker.getAsLong() : 0L;
    long duration = now - start;
    Predicate<Object> rf = resultFailure;
    if (rf != null && result != null && rf.test(result)) {
      recordFailure(duration, null, now, timed);
    } else {
      recordSuccess(duration, now, timed);
    }
  }

  private void failedAfter(long start, Throwable failure) {
    long now = timed ? ticker.getAsLong() : 0L;
    recordThrown(now - start, failure, now, timed);
  }

  /** Records a success; {@code now} is the ticker reading if {@code knowsNow}. */
  private void recordSuccess(long durationNanos, long now, boolean knowsNow) {
    boolean slow = durationNanos > slowNanos;
    Phase p = phase;
    RollingWindow w = counts;
    if (w != null) {
      if (p.state == State.CLOSED || p.state == State.DISABLED) {
        if (slow) {
          WindowCounts c = w.record(knowsNow ? now : ticker.getAsLong(), false, true);
          judge(p, c);
        } else {
          // The hot path: a striped increment, no lock, no clock, no allocation.
          w.success();
          if (knowsNow) {
            w.tick(now);
          }
        }
      } else if (p.state == State.HALF_OPEN) {
        if (slow) {
          reopen(p, "a trial call took " + Durations.formatNanos(durationNanos));
        } else if (p.succeeded.incrementAndGet() >= halfOpenCalls) {
          int n = halfOpenCalls;
          transition(p, closed(n == 1 ? "the trial call succeeded" : n + " trial calls succeeded"));
        }
      }
      // OPEN, FORCED_OPEN: a call admitted before the breaker opened; not recorded.
    }
    if (!onCall.isEmpty()) {
      notifyCall(new CallEvent(name, CallEvent.Kind.SUCCESS, nanos(durationNanos), slow, null));
    }
  }

  /** Classifies a throwable and records it as a failure, a success or nothing. */
  private void recordThrown(long durationNanos, Throwable failure, long now, boolean knowsNow) {
    if (failure instanceof InterruptedException
        || failure instanceof CancellationException
        || matches(ignore, failure)) {
      releasePermission();
      if (!onCall.isEmpty()) {
        notifyCall(
            new CallEvent(
                name,
                CallEvent.Kind.IGNORED,
                nanos(durationNanos),
                durationNanos > slowNanos,
                failure));
      }
    } else if (!recordOn.isEmpty() && !matches(recordOn, failure)) {
      recordSuccess(durationNanos, now, knowsNow);
    } else {
      recordFailure(durationNanos, failure, now, knowsNow);
    }
  }

  private void recordFailure(
      long durationNanos, @Nullable Throwable failure, long now, boolean knowsNow) {
    boolean slow = durationNanos > slowNanos;
    Phase p = phase;
    RollingWindow w = counts;
    if (w != null) {
      if (p.state == State.CLOSED || p.state == State.DISABLED) {
        WindowCounts c = w.record(knowsNow ? now : ticker.getAsLong(), true, slow);
        judge(p, c);
      } else if (p.state == State.HALF_OPEN) {
        reopen(p, "a trial call failed");
      }
    }
    if (!onCall.isEmpty()) {
      notifyCall(new CallEvent(name, CallEvent.Kind.FAILURE, nanos(durationNanos), slow, failure));
    }
  }

  /** Opens a closed breaker whose window has reached a threshold. */
  private void judge(Phase p, WindowCounts c) {
    if (p.state != State.CLOSED || c.calls() < minimumCalls) {
      return;
    }
    String last = " in the last " + Durations.format(window);
    String reason;
    if (c.failureRate() >= failureRateThreshold) {
      reason = Durations.percent(c.failureRate()) + " failures" + last;
    } else if (slowNanos != Long.MAX_VALUE && c.slowCallRate() >= slowCallRateThreshold) {
      reason =
          Durations.percent(c.slowCallRate())
              + " of calls slower than "
              + Durations.formatNanos(slowNanos)
              + last;
    } else {
      return;
    }
    transition(
        p, new Phase(State.OPEN, ticker.getAsLong(), reason, c.failureRate(), c.slowCallRate()));
  }

  private void reopen(Phase p, String reason) {
    transition(p, new Phase(State.OPEN, ticker.getAsLong(), reason));
  }

  private Phase closed(String reason) {
    return new Phase(State.CLOSED, 0L, reason);
  }

  /** Moves to {@code target} by hand, from whatever state the breaker is in. */
  private void moveTo(State target, String reason) {
    while (true) {
      Phase p = phase;
      if (p.state == target && target != State.CLOSED) {
        return;
      }
      Phase next = target == State.CLOSED ? closed(reason) : new Phase(target, 0L, reason);
      if (transition(p, next)) {
        return;
      }
    }
  }

  /**
   * Changes the phase from {@code from} to {@code to} if no other thread changed it first, and
   * tells the listeners; the thread that wins is the only one that does.
   */
  private boolean transition(Phase from, Phase to) {
    if (!PHASE.compareAndSet(this, from, to)) {
      return false;
    }
    RollingWindow w = counts;
    if (to.state == State.CLOSED && w != null) {
      w.clear();
    }
    if (from.state != to.state) {
      if (to.state == State.OPEN || to.state == State.FORCED_OPEN) {
        LOG.warn("Breaker '{}' {} -> {} ({})", name, from.state, to.state, to.reason);
      } else {
        LOG.info("Breaker '{}' {} -> {} ({})", name, from.state, to.state, to.reason);
      }
      if (!onStateChange.isEmpty()) {
        StateChange change = new StateChange(name, from.state, to.state, to.reason, metrics());
        for (Consumer<? super StateChange> listener : onStateChange) {
          try {
            listener.accept(change);
          } catch (RuntimeException e) {
            LOG.warn("Breaker '{}': onStateChange listener {} failed", name, listener, e);
          }
        }
      }
    }
    return true;
  }

  private void notifyCall(CallEvent event) {
    for (Consumer<? super CallEvent> listener : onCall) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("Breaker '{}': onCall listener {} failed", name, listener, e);
      }
    }
  }

  private BreakerMetrics metricsOf(WindowCounts c) {
    return new BreakerMetrics(
        c.calls(), c.failures(), c.slowCalls(), c.failureRate(), c.slowCallRate(), window);
  }

  private static Duration nanos(long durationNanos) {
    return Duration.ofNanos(Math.max(0, durationNanos));
  }

  private static boolean matches(List<Class<? extends Throwable>> types, Throwable t) {
    for (Class<? extends Throwable> type : types) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t.getCause();
    while (t instanceof CompletionException && cause != null) {
      t = cause;
      cause = t.getCause();
    }
    return t;
  }

  // ---------------------------------------------------------------- builder

  /** Builds a {@link Breaker}; validates each setting as it is given. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private boolean manual;
    private double failureRateThreshold = 50;
    private double slowCallRateThreshold = 100;
    private boolean slowCallRateSet;
    private int minimumCalls = 20;
    private Duration window = Duration.ofSeconds(10);
    private int buckets = 10;
    private @Nullable Duration slowCallThreshold;
    private Duration openDuration = Duration.ofSeconds(5);
    private int halfOpenCalls = 1;
    private @Nullable Duration halfOpenTimeout;
    private final List<Class<? extends Throwable>> recordOn = new ArrayList<>();
    private final List<Class<? extends Throwable>> ignore = new ArrayList<>();
    private @Nullable Predicate<Object> resultFailure;
    private final List<Consumer<? super StateChange>> onStateChange = new ArrayList<>();
    private final List<Consumer<? super CallEvent>> onCall = new ArrayList<>();
    private LongSupplier ticker = System::nanoTime;
    private boolean writableStackTrace = true;

    private Builder(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must not be blank, was '" + name + "'");
      }
      this.name = name;
    }

    /**
     * Sets the failure rate, in percent of the calls in the window, at which the breaker opens; the
     * default is 50.
     *
     * @param percent in (0, 100]
     * @return this builder
     * @throws IllegalArgumentException if outside (0, 100]
     */
    public Builder failureRateThreshold(double percent) {
      this.failureRateThreshold = percentage(percent, "failureRateThreshold");
      return this;
    }

    /**
     * Sets the rate of slow calls, in percent of the calls in the window, at which the breaker
     * opens; the default is 100. Needs {@link #slowCallThreshold}.
     *
     * @param percent in (0, 100]
     * @return this builder
     * @throws IllegalArgumentException if outside (0, 100]
     */
    public Builder slowCallRateThreshold(double percent) {
      this.slowCallRateThreshold = percentage(percent, "slowCallRateThreshold");
      this.slowCallRateSet = true;
      return this;
    }

    /**
     * Sets how long a call may take before it counts as slow; unset by default, when no call is
     * timed for this purpose.
     *
     * @param threshold positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder slowCallThreshold(Duration threshold) {
      this.slowCallThreshold = positive(threshold, "slowCallThreshold");
      return this;
    }

    /**
     * Sets how many calls the window must hold before the breaker judges their rates; the default
     * is 20.
     *
     * @param calls at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder minimumCalls(int calls) {
      if (calls < 1) {
        throw new IllegalArgumentException("minimumCalls must be >= 1, was " + calls);
      }
      this.minimumCalls = calls;
      return this;
    }

    /**
     * Sets the length of the rolling window the rates are judged over; the default is 10 s.
     *
     * @param window positive, and at least one nanosecond per bucket
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder window(Duration window) {
      this.window = positive(window, "window");
      return this;
    }

    /**
     * Sets how many buckets the window is counted in: a bucket's counts leave the window all at
     * once. The default is 10.
     *
     * @param buckets at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder buckets(int buckets) {
      if (buckets < 1) {
        throw new IllegalArgumentException("buckets must be >= 1, was " + buckets);
      }
      this.buckets = buckets;
      return this;
    }

    /**
     * Sets how long the breaker stays open before it lets trial calls through; the default is 5 s.
     *
     * @param openDuration positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder openDuration(Duration openDuration) {
      this.openDuration = positive(openDuration, "openDuration");
      return this;
    }

    /**
     * Sets how many trial calls the half-open breaker lets through; all must succeed for it to
     * close. The default is 1.
     *
     * @param calls at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder halfOpenCalls(int calls) {
      if (calls < 1) {
        throw new IllegalArgumentException("halfOpenCalls must be >= 1, was " + calls);
      }
      this.halfOpenCalls = calls;
      return this;
    }

    /**
     * Sets how long trial calls may take to report back before their permits count as lost and a
     * fresh set is admitted; the default is the open duration.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder halfOpenTimeout(Duration timeout) {
      this.halfOpenTimeout = positive(timeout, "halfOpenTimeout");
      return this;
    }

    /**
     * Counts only failures of these types (and their subclasses) as failures, in addition to any
     * earlier {@code recordOn}; other exceptions then count as successes.
     *
     * @param types throwable types
     * @return this builder
     */
    @SafeVarargs
    public final Builder recordOn(Class<? extends Throwable>... types) {
      if (types == null) {
        throw new NullPointerException("recordOn");
      }
      for (int i = 0; i < types.length; i++) {
        recordOn.add(Objects.requireNonNull(types[i], "recordOn[" + i + "]"));
      }
      return this;
    }

    /**
     * Records failures of these types (and their subclasses) neither as failures nor as successes,
     * whatever {@code recordOn} says.
     *
     * @param types throwable types
     * @return this builder
     */
    @SafeVarargs
    public final Builder ignore(Class<? extends Throwable>... types) {
      if (types == null) {
        throw new NullPointerException("ignore");
      }
      for (int i = 0; i < types.length; i++) {
        ignore.add(Objects.requireNonNull(types[i], "ignore[" + i + "]"));
      }
      return this;
    }

    /**
     * Counts a call that returns a non-null result of {@code type} that {@code predicate} accepts
     * as a failure; the result is still returned. Several calls add up.
     *
     * @param type the result type the predicate understands; other results are successes
     * @param predicate decides whether a result is a failure
     * @param <R> the result type
     * @return this builder
     */
    public <R> Builder recordResult(Class<R> type, Predicate<? super R> predicate) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(predicate, "predicate");
      Predicate<Object> next = r -> type.isInstance(r) && predicate.test(type.cast(r));
      Predicate<Object> previous = resultFailure;
      resultFailure = previous == null ? next : previous.or(next);
      return this;
    }

    /**
     * Adds a listener told of every state change, once, on the thread that made it; an exception
     * from it is logged and otherwise ignored.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder onStateChange(Consumer<? super StateChange> listener) {
      onStateChange.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Adds a listener told of every call and every rejection, on the calling thread. With one, the
     * breaker times every call and creates an event per call; an exception from it is logged and
     * otherwise ignored.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder onCall(Consumer<? super CallEvent> listener) {
      onCall.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Sets the monotonic clock, in nanoseconds, for the window, the open duration and slow calls;
     * the default is {@code System::nanoTime}.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Sets whether a {@link BreakerOpenException} has a stack trace; the default is true. Without
     * one a rejection is several times cheaper, which matters when an open breaker rejects a flood.
     *
     * @param writable false to skip the stack trace
     * @return this builder
     */
    public Builder writableStackTrace(boolean writable) {
      this.writableStackTrace = writable;
      return this;
    }

    /**
     * Returns the breaker.
     *
     * @return a new, closed breaker
     * @throws IllegalStateException if {@code slowCallRateThreshold} is set without {@code
     *     slowCallThreshold}
     * @throws IllegalArgumentException if the window is shorter than one nanosecond per bucket
     */
    public Breaker build() {
      if (slowCallRateSet && slowCallThreshold == null) {
        throw new IllegalStateException(
            "slowCallRateThreshold is set to "
                + slowCallRateThreshold
                + " but slowCallThreshold is not: set how slow a slow call is");
      }
      if (Durations.toNanosSaturated(window) < buckets) {
        throw new IllegalArgumentException(
            "window must be at least 1 ns per bucket, was " + window + " for " + buckets);
      }
      return new Breaker(this);
    }

    private static double percentage(double percent, String parameter) {
      if (!(percent > 0 && percent <= 100)) {
        throw new IllegalArgumentException(
            parameter + " must be in (0, 100] percent, was " + percent);
      }
      return percent;
    }

    private static Duration positive(Duration d, String parameter) {
      Objects.requireNonNull(d, parameter);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(parameter + " must be positive, was " + d);
      }
      return d;
    }
  }
}
