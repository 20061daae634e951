package io.dyno.breaker.internal;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.BreakerMetrics;
import io.dyno.breaker.CallEvent;
import io.dyno.breaker.StateChange;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A breaker's state machine: the current {@link Phase}, replaced by compare-and-set, the
 * classification of outcomes, and the listeners. What each state does lives in its phase class;
 * this class only moves between them. {@code Breaker} is a facade over it.
 *
 * <p>Thread-safe. No lock is held while a listener or the user's code runs.
 */
public final class StateMachine {

  private static final Logger LOG = LoggerFactory.getLogger("io.dyno.breaker");

  private final Settings settings;
  private final String name;
  private final LongSupplier ticker;
  private final long windowNanos;
  private final long slowNanos;
  private final long openNanos;
  private final long halfOpenTimeoutNanos;
  private final String inTheLastWindow;
  private final String openedFor;
  private final String trialsLost;
  private final Notifier notifier;

  /** The current phase; replaced only by compare-and-set through {@link #PHASE}. */
  private volatile Phase phase;

  private static final VarHandle PHASE;

  static {
    try {
      PHASE = MethodHandles.lookup().findVarHandle(StateMachine.class, "phase", Phase.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Creates a closed breaker's machine; a counting breaker reads the ticker once, for the start of
   * its window.
   *
   * @param settings the validated configuration
   */
  public StateMachine(Settings settings) {
    this.settings = settings;
    this.name = settings.name();
    this.ticker = settings.ticker();
    this.windowNanos = Durations.toNanosSaturated(settings.window());
    this.slowNanos = settings.slowNanos();
    this.openNanos = Durations.toNanosSaturated(settings.openDuration());
    this.halfOpenTimeoutNanos = Durations.toNanosSaturated(settings.halfOpenTimeout());
    this.inTheLastWindow = " in the last " + Durations.format(settings.window());
    this.openedFor = "open for " + Durations.format(settings.openDuration());
    this.trialsLost =
        "trial calls did not report within " + Durations.format(settings.halfOpenTimeout());
    this.notifier = new Notifier(name, settings.onStateChange());
    this.phase =
        settings.manual()
            ? new Closed(this, null, 0L, "created", null)
            : new Closed(this, null, 0L, "created", newWindow(ticker.getAsLong()));
  }

  // ---------------------------------------------------------------- admission

  /**
   * Admits one call: returns the permit, a phase whose {@code permits()} is true, or the phase that
   * refused it. Reads the ticker only when the breaker is open or its trials are all taken.
   *
   * @return the permit or the refusal
   */
  public Phase admit() {
    while (true) {
      Phase decided = phase.admit();
      if (decided != null) {
        if (!decided.permits() && !settings.onCall().isEmpty()) {
          notifyCall(new CallEvent(name, CallEvent.Kind.REJECTED, Duration.ZERO, false, null));
        }
        return decided;
      }
    }
  }

  // ---------------------------------------------------------------- outcomes

  /**
   * Records a call that returned {@code result}: a failure if the result predicate accepts it, a
   * success otherwise. If the predicate throws, the permit is released and the exception thrown.
   */
  void result(Phase permit, long durationNanos, @Nullable Object result, long now, boolean knows) {
    Predicate<Object> rf = settings.resultFailure();
    boolean failed;
    try {
      failed = rf != null && result != null && rf.test(result);
    } catch (RuntimeException | Error e) {
      permit.released();
      throw e;
    }
    boolean slow = durationNanos > slowNanos;
    if (failed) {
      permit.failed(durationNanos, slow, now, knows);
    } else {
      permit.succeeded(durationNanos, slow, now, knows);
    }
    if (!settings.onCall().isEmpty()) {
      notifyCall(
          new CallEvent(
              name,
              failed ? CallEvent.Kind.FAILURE : CallEvent.Kind.SUCCESS,
              nanos(durationNanos),
              slow,
              null));
    }
  }

  /** Classifies a throwable and records it as a failure, a success or nothing. */
  void thrown(Phase permit, long durationNanos, Throwable failure, long now, boolean knows) {
    boolean slow = durationNanos > slowNanos;
    CallEvent.Kind kind;
    if (failure instanceof InterruptedException
        || failure instanceof CancellationException
        || matches(settings.ignore(), failure)) {
      permit.released();
      kind = CallEvent.Kind.IGNORED;
    } else if (!settings.recordOn().isEmpty() && !matches(settings.recordOn(), failure)) {
      permit.succeeded(durationNanos, slow, now, knows);
      kind = CallEvent.Kind.SUCCESS;
    } else {
      permit.failed(durationNanos, slow, now, knows);
      kind = CallEvent.Kind.FAILURE;
    }
    if (!settings.onCall().isEmpty()) {
      notifyCall(
          new CallEvent(
              name,
              kind,
              nanos(durationNanos),
              slow,
              kind == CallEvent.Kind.SUCCESS ? null : failure));
    }
  }

  // ---------------------------------------------------------------- transitions

  /**
   * Changes the phase from {@code from} to {@code to} if no other thread changed it first, and
   * publishes the change; the thread that wins is the only one that does.
   */
  boolean transition(Phase from, Phase to) {
    if (!PHASE.compareAndSet(this, from, to)) {
      return false;
    }
    if (to.seq != from.seq) {
      notifier.publish(
          to.seq, new StateChange(name, from.state, to.state, to.reason, metricsOf(to)));
    } else if (to.state == Breaker.State.HALF_OPEN) {
      LOG.debug("Breaker '{}': {}; admitting new trial calls", name, to.reason);
    }
    return true;
  }

  /** Opens a half-open breaker whose trial failed. */
  void reopen(HalfOpen from, String reason, long now, boolean knowsNow) {
    long at = knowsNow ? now : now();
    transition(from, new Open(this, from, at, reason, Double.NaN, Double.NaN, from.window));
  }

  /**
   * Moves to {@code target} by hand, from whatever state the breaker is in; {@code CLOSED} always
   * starts an empty window, in the same step.
   *
   * @param target CLOSED, FORCED_OPEN or DISABLED
   * @param reason why, for the listeners
   */
  public void moveTo(Breaker.State target, String reason) {
    while (true) {
      Phase p = phase;
      if (p.state == target && target != Breaker.State.CLOSED) {
        return;
      }
      Phase next =
          switch (target) {
            case CLOSED -> {
              if (settings.manual()) {
                yield new Closed(this, p, 0L, reason, null);
              }
              long now = now();
              yield new Closed(this, p, now, reason, newWindow(now));
            }
            case FORCED_OPEN -> new ForcedOpen(this, p, reason, p.window);
            case DISABLED -> new Disabled(this, p, reason, p.window);
            default ->
                throw new IllegalArgumentException(
                    "target must be CLOSED, FORCED_OPEN or DISABLED, was " + target);
          };
      if (transition(p, next)) {
        return;
      }
    }
  }

  // ---------------------------------------------------------------- reads

  /**
   * Returns the current state.
   *
   * @return the state
   */
  public Breaker.State state() {
    return phase.state;
  }

  /**
   * Returns how long until an open breaker lets a trial call through, zero once due; -1 in any
   * other state.
   *
   * @return nanoseconds, or -1
   */
  public long nextTrialNanos() {
    Phase p = phase;
    return p.state == Breaker.State.OPEN ? p.nextTrialNanos() : -1;
  }

  /**
   * Returns the counts of the window the breaker counts into or shows, now.
   *
   * @return the counts
   */
  public BreakerMetrics metrics() {
    return metricsOf(phase);
  }

  private BreakerMetrics metricsOf(Phase p) {
    RollingWindow w = p.window;
    WindowCounts c = w == null ? WindowCounts.EMPTY : w.counts(now());
    return new BreakerMetrics(
        c.calls(),
        c.failures(),
        c.slowCalls(),
        c.failureRate(),
        c.slowCallRate(),
        settings.window());
  }

  // ---------------------------------------------------------------- for the phases

  Settings settings() {
    return settings;
  }

  String name() {
    return name;
  }

  long now() {
    return ticker.getAsLong();
  }

  long slowNanos() {
    return slowNanos;
  }

  long openNanos() {
    return openNanos;
  }

  long halfOpenTimeoutNanos() {
    return halfOpenTimeoutNanos;
  }

  String inTheLastWindow() {
    return inTheLastWindow;
  }

  String openedFor() {
    return openedFor;
  }

  String trialsLost() {
    return trialsLost;
  }

  RollingWindow newWindow(long now) {
    return new RollingWindow(windowNanos, settings.buckets(), now);
  }

  private void notifyCall(CallEvent event) {
    for (Consumer<? super CallEvent> listener : settings.onCall()) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("Breaker '{}': onCall listener {} failed", name, listener, e);
      }
    }
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
}
