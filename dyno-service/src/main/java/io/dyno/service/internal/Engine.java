package io.dyno.service.internal;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.BreakerOpenException;
import io.dyno.breaker.Limiter;
import io.dyno.breaker.Throttle;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsStatus;
import io.dyno.metrics.MetricsTotals;
import io.dyno.metrics.internal.CallTimer;
import io.dyno.retry.Retry;
import io.dyno.retry.RetryBudget;
import io.dyno.service.FallbackFailedException;
import io.dyno.service.Hedge;
import io.dyno.service.RejectedException;
import io.dyno.service.ServiceTimeoutException;
import io.dyno.service.ShortCircuitException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service's calls: fallback, then retry, then hedge, then breaker, then throttle, then
 * limiter, then timeout, then bulkhead, then the work, outermost first. {@code Service} and {@code
 * ServiceFunction} are thin fronts over one engine each.
 *
 * <p>With neither a pool nor an executor, an attempt runs on the caller's thread and a successful
 * one takes no lock and allocates nothing: the breaker's permission, two ticker reads for the
 * metrics (whose latency the breaker also gets), and the work. A throttle and a limiter add their
 * own checks and reports, which allocate nothing either; the limiter learns the metrics' latency,
 * with no clock read of its own.
 *
 * <p>With a hedge, an attempt is a group of copies ({@link HedgeGroup}). A synchronous attempt
 * whose first copy answers within the delay waits on it with a timed wait instead of an untimed one
 * and allocates no group and no timer; an asynchronous one sets a timer on the scheduler. Without a
 * hedge, an attempt pays one null check for it.
 *
 * <p>An engine with a breaker, a pool of its own, a limiter, a throttle or a hedge reports their
 * state to its metrics (see {@link Metrics#reportStatus}) from construction until {@link #close()};
 * the report is read by snapshots alone and adds nothing to a call.
 *
 * <p>Thread-safe.
 *
 * @param <R> the result type
 */
public final class Engine<R> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private final Settings settings;
  private final String name;
  private final Metrics metrics;

  /** Times attempts without a sample object; each start is ended once, by this engine. */
  private final CallTimer timer;

  private final @Nullable Breaker breaker;

  /** Whether the breaker reads the metrics' clock, so that it can be given their readings. */
  private final boolean shareClock;

  private final @Nullable Limiter limiter;
  private final @Nullable Throttle throttle;
  private final @Nullable Retry retry;
  private final @Nullable Executor executor;
  private final @Nullable ThreadPoolExecutor ownPool;
  private final @Nullable Semaphore slots;

  /** The report of the breaker's and own pool's state to the metrics, or null with neither. */
  private final Metrics.@Nullable StatusReport statusReport;

  private final long timeoutNanos;

  /** The hedge, or null: then none of the hedging fields below is used. */
  private final @Nullable Hedge hedge;

  /** The budget every copy after the first draws from, or null. */
  private final @Nullable RetryBudget hedgeBudget;

  /**
   * The hedge's budget when the retry does not share it: the hedge then counts each attempt as a
   * call and reports the first copy's outcome too. Null otherwise.
   */
  private final @Nullable RetryBudget ownBudget;

  /** The wait before the next copy: fixed, or refreshed from the metrics by a periodic task. */
  private volatile long hedgeDelayNanos;

  private final LongAdder hedgesSent = new LongAdder();
  private final LongAdder hedgesWon = new LongAdder();
  private volatile @Nullable Future<?> hedgeRefresh;

  // Read and written by the periodic refresh alone, one run after another.
  private long refreshedAnswered;
  private long refreshedWon;
  private double laterWins;

  private final ContextCarrier carrier;
  private final ReentrantLock schedulerLock = new ReentrantLock();
  private volatile @Nullable ScheduledExecutorService scheduler;
  private @Nullable ScheduledThreadPoolExecutor ownScheduler;
  private volatile boolean closed;

  /**
   * Creates the engine of one service.
   *
   * @param settings the validated configuration
   * @throws IllegalStateException if the service has a breaker or a pool of its own and its metrics
   *     already report another owner's status, naming the metrics and the service
   */
  public Engine(Settings settings) {
    this.settings = settings;
    this.name = settings.name();
    this.metrics = settings.metrics();
    this.timer = CallTimer.of(metrics);
    Breaker b = settings.breaker();
    this.breaker = b;
    this.shareClock =
        b != null
            && (b.ticker() == metrics.ticker()
                || (b.ticker() == Breaker.systemTicker()
                    && metrics.ticker() == Metrics.systemTicker()));
    this.limiter = settings.limiter();
    this.throttle = settings.throttle();
    this.retry = settings.retry();
    int limit = settings.maxConcurrent();
    this.slots = limit > 0 ? new Semaphore(limit) : null;
    Executor given = settings.executor();
    if (given == null && limit > 0) {
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              limit,
              limit,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              threads("dyno-service-" + name + "-"));
      // An idle service holds no threads.
      pool.allowCoreThreadTimeOut(true);
      this.ownPool = pool;
      this.executor = pool;
    } else {
      this.ownPool = null;
      this.executor = given;
    }
    Duration t = settings.timeout();
    this.timeoutNanos = t == null ? 0 : Durations.toNanosSaturated(t);
    this.scheduler = settings.scheduler();
    this.carrier = new ContextCarrier(settings);
    Hedge h = settings.hedge();
    this.hedge = h;
    RetryBudget hb = h == null ? null : h.budget().orElse(null);
    this.hedgeBudget = hb;
    Retry r = retry;
    this.ownBudget = hb != null && (r == null || r.budget().orElse(null) != hb) ? hb : null;
    this.hedgeDelayNanos = h == null ? 0 : Durations.toNanosSaturated(h.delayFor(metrics));
    this.statusReport =
        report(name, metrics, b, ownPool, limiter, throttle, h == null ? null : this::hedging);
    if (h != null && h.percentile().isPresent()) {
      scheduleRefresh(h);
    }
  }

  /** Reads the percentile hedge's delay again every {@code refresh}, on the scheduler. */
  private void scheduleRefresh(Hedge h) {
    long every = Durations.toNanosSaturated(h.refresh());
    try {
      hedgeRefresh =
          scheduler()
              .scheduleWithFixedDelay(this::refreshDelay, every, every, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException refused) {
      LOG.warn(
          "Service '{}' cannot refresh its hedge's delay: the scheduler refused the task; the delay"
              + " stays {}",
          name,
          Durations.format(hedgeDelayNanos),
          refused);
    }
  }

  private void refreshDelay() {
    Hedge h = hedge;
    if (h == null) {
      return;
    }
    try {
      // The share of the calls answered since the last refresh that a later copy won: the
      // metrics hold that copy's latency for them, not the slower first copy's.
      MetricsTotals totals = metrics.totals();
      long answered = totals.successes() + totals.failures() + totals.timeouts();
      long won = hedgesWon.sum();
      long calls = answered - refreshedAnswered;
      if (calls > 0) {
        laterWins = Math.min(1, Math.max(0, (won - refreshedWon) / (double) calls));
      }
      refreshedAnswered = answered;
      refreshedWon = won;
      hedgeDelayNanos = Durations.toNanosSaturated(h.delayFor(metrics, laterWins));
    } catch (RuntimeException e) {
      // Thrown on, a periodic task would never run again: the delay keeps its last value.
      LOG.warn("Service '{}' could not refresh its hedge's delay", name, e);
    }
  }

  /** The hedging figures of the status: the delay now, the most extra copies, sent and won. */
  private MetricsStatus.Hedging hedging() {
    Hedge h = hedge;
    long won = hedgesWon.sum(); // read first, so that won never exceeds sent
    return new MetricsStatus.Hedging(
        Duration.ofNanos(hedgeDelayNanos),
        h == null ? 1 : h.maxExtra(),
        Math.max(hedgesSent.sum(), won),
        won);
  }

  /**
   * Makes the service the reporter of its metrics' status when it has a breaker, a pool of its own,
   * a limiter, a throttle or a hedge; a limit on the user's executor is no pool of the service's
   * and is not reported.
   */
  private static Metrics.@Nullable StatusReport report(
      String name,
      Metrics metrics,
      @Nullable Breaker breaker,
      @Nullable ThreadPoolExecutor pool,
      @Nullable Limiter limiter,
      @Nullable Throttle throttle,
      @Nullable Supplier<MetricsStatus.Hedging> hedging) {
    if (breaker == null && pool == null && limiter == null && throttle == null && hedging == null) {
      return null;
    }
    try {
      return metrics.reportStatus(
          new StatusSource(name, breaker, pool, limiter, throttle, hedging));
    } catch (IllegalStateException taken) {
      if (pool != null) {
        pool.shutdown(); // it has started no thread yet
      }
      throw new IllegalStateException(
          "Service '"
              + name
              + "' cannot report the state of its breaker, pool, limiter, throttle or hedge to"
              + " metrics '"
              + metrics.name()
              + "', which another owner reports to already (see the cause): close the service"
              + " that uses metrics '"
              + metrics.name()
              + "' first, or give this service metrics of another name",
          taken);
    }
  }

  /**
   * Returns the work with the retry around its attempts, built once per work so that a call does
   * not allocate it again.
   *
   * @param work the user's work
   * @return one call's attempts
   */
  public Callable<R> attempts(Callable<? extends R> work) {
    Callable<R> once = () -> attempt(work);
    Retry r = retry;
    return r == null ? once : r.decorateCallable(once);
  }

  /**
   * Makes the attempts of work that comes with each call, such as a function's argument, through
   * the engine's retry as it was built: nothing is decorated again per call.
   *
   * @param work the user's work for this call
   * @return the result of the accepted attempt
   * @throws Exception the last attempt's failure, as the retry leaves it
   */
  public R attemptAll(Callable<? extends R> work) throws Exception {
    Retry r = retry;
    return r == null ? attempt(work) : r.call(() -> attempt(work));
  }

  /**
   * Makes one call: the attempts and then, on failure, the fallback. A call refused because the
   * service is closed never reaches the fallback: the fallback answers for the dependency, and a
   * call after close is the caller's mistake, not the dependency's.
   *
   * @param attempts what {@link #attempts} returned
   * @param fallback given the failure, or null for none
   * @return the result
   * @throws Exception the failure, when there is no fallback or the service is closed
   */
  public R call(Callable<R> attempts, @Nullable Function<? super Throwable, ? extends R> fallback)
      throws Exception {
    if (closed) {
      // Refused before the retry: a closed service neither retries nor waits out a backoff.
      throw refuseClosed();
    }
    if (fallback == null) {
      return attempts.call();
    }
    try {
      return attempts.call();
    } catch (InterruptedException e) {
      // The caller was interrupted: it is leaving, not failing over.
      throw e;
    } catch (Exception failure) {
      if (isClosedRefusal(failure)) {
        throw failure; // closed while the call was under way
      }
      return fallBack(failure, fallback);
    }
  }

  /**
   * Makes one call without blocking: attempts on the executor (or the caller's thread without one),
   * retries waiting on the scheduler, the fallback run where the last attempt ended.
   *
   * @param work the user's work
   * @param fallback given the failure, or null for none
   * @return the result
   */
  public CompletableFuture<R> callAsync(
      Callable<? extends R> work, @Nullable Function<? super Throwable, ? extends R> fallback) {
    CompletableFuture<R> outcome = outcomeAsync(work);
    if (fallback == null) {
      return outcome;
    }
    CompletableFuture<R> result = new CompletableFuture<>();
    // The fallback's outcome goes to result, so the future whenComplete returns has nothing more.
    CompletableFuture<?> unused =
        outcome.whenComplete(
            (value, thrown) -> {
              if (thrown == null) {
                result.complete(value);
                return;
              }
              Throwable failure = unwrap(thrown);
              if (failure instanceof Error || isClosedRefusal(failure)) {
                result.completeExceptionally(failure);
                return;
              }
              try {
                result.complete(fallBack(failure, fallback));
              } catch (Exception | Error e) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }

  /** The attempts of one asynchronous call, or its refusal by a closed service. */
  private CompletableFuture<R> outcomeAsync(Callable<? extends R> work) {
    if (closed) {
      // Refused before the retry, so that a closed service creates no scheduler and starts no
      // timer thread for a backoff that could only end in the same refusal.
      return CompletableFuture.failedFuture(refuseClosed());
    }
    Retry r = retry;
    if (r == null) {
      return attemptAsync(work);
    }
    ScheduledExecutorService s;
    try {
      s = scheduler();
    } catch (RejectedExecutionException closedMeanwhile) {
      return CompletableFuture.failedFuture(refuseClosed());
    }
    return r.callAsync(() -> attemptAsync(work), s);
  }

  private static boolean isClosedRefusal(Throwable failure) {
    return failure instanceof RejectedException r && r.isClosed();
  }

  /** Counts and returns the refusal of a call made after {@link #close()}. */
  private RejectedException refuseClosed() {
    metrics.recordRejection();
    return RejectedException.closed(name);
  }

  private R fallBack(Throwable failure, Function<? super Throwable, ? extends R> fallback)
      throws Exception {
    try {
      return fallback.apply(failure);
    } catch (Error e) {
      throw e;
    } catch (Throwable fallbackFailure) {
      if (fallbackFailure == failure && failure instanceof Exception same) {
        throw same; // the fallback passed the failure on: it leaves unchanged
      }
      throw new FallbackFailedException(name, failure, fallbackFailure);
    }
  }

  // ---------------------------------------------------------------- one attempt

  private R attempt(Callable<? extends R> work) throws Exception {
    Breaker.Permit b = permit();
    Executor e = executor;
    if (e == null) {
      admit(b);
      return direct(work, b);
    }
    if (hedge != null) {
      return hedged(work, b, e);
    }
    return await(hand(work, b, e));
  }

  /**
   * One hedged attempt on the caller's thread: the first copy as any attempt, then a timed wait of
   * the delay only while it has not answered; a group of copies only once it is slow or failed.
   */
  private R hedged(Callable<? extends R> work, Breaker.@Nullable Permit b, Executor e)
      throws Exception {
    PooledAttempt<R> first = hand(work, b, e);
    RetryBudget own = ownBudget;
    if (own != null) {
      own.recordCall(first.start());
    }
    CompletableFuture<R> f = first.result();
    boolean slow = false;
    if (!f.isDone()) {
      try {
        return f.get(hedgeDelayNanos, TimeUnit.NANOSECONDS);
      } catch (TimeoutException late) {
        slow = true;
      } catch (ExecutionException failed) {
        // The first copy failed: the group sends the next one at once.
      } catch (InterruptedException stop) {
        first.endEarly(stop);
        Thread.currentThread().interrupt();
        throw stop;
      }
    } else if (!f.isCompletedExceptionally()) {
      return f.join();
    }
    HedgeGroup<R> group = new HedgeGroup<>(this, work, maxExtra(), false);
    group.adopt(first);
    if (slow) {
      group.fire(1);
    }
    return group.await();
  }

  /** One hedged attempt without blocking: the delays run on the scheduler. */
  private CompletableFuture<R> hedgedAsync(
      Callable<? extends R> work, Breaker.@Nullable Permit b, Executor e) {
    PooledAttempt<R> first = hand(work, b, e);
    RetryBudget own = ownBudget;
    if (own != null) {
      own.recordCall(first.start());
    }
    CompletableFuture<R> f = first.result();
    if (f.isDone() && !f.isCompletedExceptionally()) {
      return f;
    }
    HedgeGroup<R> group = new HedgeGroup<>(this, work, maxExtra(), true);
    group.adopt(first);
    return group.outcome();
  }

  private int maxExtra() {
    Hedge h = hedge;
    return h == null ? 1 : h.maxExtra();
  }

  /** The wait before the next copy, in nanoseconds. */
  long hedgeDelayNanos() {
    return hedgeDelayNanos;
  }

  /**
   * Starts one more copy of a hedged attempt, or returns null when it cannot start: a closed
   * service, a spent budget, an open breaker, a rejection by the throttle or the limiter, a full
   * bulkhead or a refusing executor. None of them is counted: not sending a copy is no failure.
   *
   * @param work the user's work
   * @param slot what the copy's context, captured on the caller's thread, runs
   * @param launcher that context around {@code slot}
   */
  @Nullable PooledAttempt<R> copy(
      Callable<? extends R> work, HedgeGroup.Slot slot, Runnable launcher) {
    Executor e = executor;
    if (closed || e == null) {
      return null;
    }
    Breaker.Permit b = null;
    Breaker breaker = this.breaker;
    if (breaker != null) {
      try {
        b = breaker.acquirePermission();
      } catch (BreakerOpenException open) {
        return null;
      }
    }
    // Asked after the breaker, so that an open breaker spends none of the budget, and before the
    // throttle, which counts every request it lets through.
    RetryBudget budget = hedgeBudget;
    if (budget != null && !budget.tryAcquire(metrics.ticker().getAsLong())) {
      if (b != null) {
        b.release();
      }
      return null;
    }
    PooledAttempt<R> attempt = new PooledAttempt<>(this, work, b, true);
    slot.target = attempt.body();
    attempt.launchIn(launcher);
    Throttle t = throttle;
    Limiter l = limiter;
    Semaphore s = slots;
    boolean admitted = t == null || t.tryAcquire();
    admitted = admitted && (l == null || l.tryAcquire());
    if (admitted && s != null && !s.tryAcquire()) {
      releaseLimiter();
      admitted = false;
    }
    if (!admitted) {
      if (b != null) {
        b.release();
      }
      return null;
    }
    attempt.begin(timer.begin());
    try {
      e.execute(attempt);
    } catch (RuntimeException | Error refused) {
      attempt.endEarly(CopyCancelled.notStarted());
      release();
      if (refused instanceof Error error) {
        throw error;
      }
      return null;
    }
    hedgesSent.increment();
    startTimeout(attempt);
    return attempt;
  }

  /**
   * Wraps {@code task} in the calling thread's context, as an attempt's is: the caller captures the
   * context of the copies a hedged attempt may send, whichever thread sends them.
   *
   * @throws RuntimeException a context propagator's failure
   */
  Runnable captureContext(Runnable task) {
    return carrier.capture(task);
  }

  /** Schedules {@code fire} after {@code delayNanos}, or returns null if the scheduler refuses. */
  @Nullable Future<?> scheduleHedge(Runnable fire, long delayNanos) {
    try {
      return scheduler().schedule(fire, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException refused) {
      return null;
    }
  }

  void hedgeWon() {
    hedgesWon.increment();
  }

  /** Closes the result of a copy that lost to another, if it holds a resource. */
  void discard(@Nullable Object value) {
    if (value instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        LOG.warn("Service '{}' could not close the result of a copy that lost: {}", name, c, e);
      } catch (Exception e) {
        LOG.warn("Service '{}' could not close the result of a copy that lost: {}", name, c, e);
      }
    }
  }

  private CompletableFuture<R> attemptAsync(Callable<? extends R> work) {
    try {
      Breaker.Permit b = permit();
      Executor e = executor;
      if (e == null) {
        admit(b);
        return CompletableFuture.completedFuture(direct(work, b));
      }
      if (hedge != null) {
        return hedgedAsync(work, b, e);
      }
      return hand(work, b, e).result();
    } catch (Throwable failure) {
      // As for dyno-retry's callAsync, an Error fails the future rather than the caller.
      return CompletableFuture.failedFuture(failure);
    }
  }

  /** The breaker's permit (null when there is no breaker), or the short-circuit. */
  private Breaker.@Nullable Permit permit() {
    if (closed) {
      throw refuseClosed();
    }
    Breaker b = breaker;
    if (b == null) {
      return null;
    }
    try {
      return b.acquirePermission();
    } catch (BreakerOpenException open) {
      metrics.recordShortCircuit();
      throw new ShortCircuitException(name, open);
    }
  }

  /**
   * Passes the throttle and then the limiter, or rejects the attempt: a rejection is counted, the
   * breaker's permit is given back without an outcome (the client protecting itself says nothing
   * about the dependency's health), and a throttle's rejection never reaches the limiter.
   */
  private void admit(Breaker.@Nullable Permit b) {
    Throttle t = throttle;
    if (t != null && !t.tryAcquire()) {
      throw rejected(b, RejectedException.throttled(name, t.rejection()));
    }
    Limiter l = limiter;
    if (l != null && !l.tryAcquire()) {
      throw rejected(b, RejectedException.limited(name, l.rejection()));
    }
  }

  private RejectedException rejected(Breaker.@Nullable Permit b, RejectedException rejection) {
    metrics.recordRejection();
    if (b != null) {
      b.release();
    }
    return rejection;
  }

  /** Tells the limiter and the throttle that the attempt returned after {@code took}. */
  private void succeeded(long took) {
    Limiter l = limiter;
    if (l != null) {
      l.onSuccess(took);
    }
    Throttle t = throttle;
    if (t != null) {
      t.onAccepted();
    }
  }

  /** Tells the limiter and the throttle that the attempt's work failed with {@code failure}. */
  private void failed(Throwable failure) {
    Limiter l = limiter;
    if (l != null) {
      l.onFailure(failure);
    }
    Throttle t = throttle;
    if (t != null) {
      t.onFailure(failure);
    }
  }

  /** Gives the limiter's permit back without a sample, for an attempt whose work did not end. */
  private void releaseLimiter() {
    Limiter l = limiter;
    if (l != null) {
      l.release();
    }
  }

  /** Tells the breaker's permit that the attempt returned, at the metrics' reading if shared. */
  private void returned(Breaker.@Nullable Permit p, long start, long took, @Nullable Object value) {
    if (p != null) {
      if (shareClock) {
        p.onResultAt(start + took, took, value);
      } else {
        p.onResult(took, value);
      }
    }
  }

  /** Tells the breaker's permit that the attempt failed, at the metrics' reading if shared. */
  private void threw(Breaker.@Nullable Permit p, long start, long took, Throwable failure) {
    if (p != null) {
      if (shareClock) {
        p.onFailureAt(start + took, took, failure);
      } else {
        p.onFailure(took, failure);
      }
    }
  }

  /** Runs the work on the caller's thread. */
  private R direct(Callable<? extends R> work, Breaker.@Nullable Permit b) throws Exception {
    long start = timer.begin();
    R result;
    try {
      result = work.call();
    } catch (Throwable failure) {
      long took = timer.failure(start, failure);
      threw(b, start, took, failure);
      failed(failure);
      if (failure instanceof InterruptedException) {
        // The work gave up because this thread was interrupted: keep the flag for the caller.
        Thread.currentThread().interrupt();
      }
      throw failure;
    }
    long took = timer.success(start);
    returned(b, start, took, result);
    succeeded(took);
    return result;
  }

  /** Hands the work to the executor, past the throttle and the limiter, within the bulkhead. */
  private PooledAttempt<R> hand(
      Callable<? extends R> work, Breaker.@Nullable Permit b, Executor e) {
    PooledAttempt<R> attempt = new PooledAttempt<>(this, work, b, false);
    try {
      // The user's propagators run first, so that one that fails has taken nothing but the
      // breaker's permission.
      attempt.launchIn(carrier.capture(attempt.body()));
    } catch (RuntimeException | Error failure) {
      if (b != null) {
        b.release();
      }
      throw failure;
    }
    admit(b);
    Semaphore s = slots;
    if (s != null && !s.tryAcquire()) {
      metrics.recordRejection();
      RuntimeException full = RejectedException.full(name, settings.maxConcurrent());
      releaseLimiter();
      if (b != null) {
        // As in Hystrix, a full pool counts against the dependency's health.
        b.onFailure(0, full);
      }
      throw full;
    }
    attempt.begin(timer.begin());
    try {
      e.execute(attempt);
    } catch (RuntimeException | Error refused) {
      // A RejectedExecutionException, or a thread that could not be started: the work never runs.
      RuntimeException rejected =
          closed ? RejectedException.closed(name) : RejectedException.refused(name, refused);
      attempt.endEarly(rejected);
      release();
      if (refused instanceof Error error) {
        throw error;
      }
      throw rejected;
    }
    startTimeout(attempt);
    return attempt;
  }

  /** Starts the timer that ends {@code attempt} when its time runs out, if there is a timeout. */
  private void startTimeout(PooledAttempt<R> attempt) {
    Duration timeout = settings.timeout();
    if (timeout != null) {
      try {
        attempt.setTimer(
            scheduler()
                .schedule(
                    () -> attempt.endEarly(new ServiceTimeoutException(name, timeout)),
                    timeoutNanos,
                    TimeUnit.NANOSECONDS));
      } catch (RejectedExecutionException refused) {
        // No timer means no timeout: end the attempt now rather than let it run unbounded.
        attempt.endEarly(
            closed ? RejectedException.closed(name) : RejectedException.refused(name, refused));
      }
    }
  }

  private R await(PooledAttempt<R> attempt) throws Exception {
    try {
      return attempt.result().get();
    } catch (ExecutionException wrapped) {
      throw unwrapped(wrapped);
    } catch (InterruptedException stop) {
      attempt.endEarly(stop);
      Thread.currentThread().interrupt();
      throw stop;
    }
  }

  /** The failure inside {@code wrapped}, to be thrown as it is; an Error is thrown from here. */
  static Exception unwrapped(ExecutionException wrapped) {
    Throwable failure = wrapped.getCause();
    if (failure instanceof Exception e) {
      return e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    return wrapped;
  }

  // ---------------------------------------------------------------- outcomes of pooled attempts

  /** Records an attempt whose work finished, on the work's thread. */
  void finished(PooledAttempt<R> attempt, @Nullable R value, @Nullable Throwable failure) {
    Breaker.Permit b = attempt.permit();
    if (failure == null) {
      long took = timer.success(attempt.start());
      returned(b, attempt.start(), took, value);
      succeeded(took);
      RetryBudget budget = attempt.isCopy() ? hedgeBudget : ownBudget;
      if (budget != null) {
        budget.recordSuccess();
      }
      attempt.result().complete(value);
    } else {
      long took = timer.failure(attempt.start(), failure);
      threw(b, attempt.start(), took, failure);
      failed(failure);
      RetryBudget budget = attempt.isCopy() ? hedgeBudget : ownBudget;
      if (budget != null) {
        budget.recordFailure();
      }
      attempt.result().completeExceptionally(failure);
    }
  }

  /**
   * Records an attempt ended before its work finished: a timeout, a refusal or a caller gone. The
   * limiter's permit goes back here and not when the work returns later, since only one of the
   * engine's outcome calls runs per attempt; a timeout is a loss to the limiter and no accept to
   * the throttle.
   */
  void endedEarly(PooledAttempt<R> attempt, Throwable reason) {
    Breaker.Permit b = attempt.permit();
    if (reason instanceof CopyCancelled) {
      // A hedged copy that lost to another, or never started: no outcome, no latency.
      timer.cancelled(attempt.start());
      if (b != null) {
        b.release();
      }
      releaseLimiter();
    } else if (reason instanceof InterruptedException || reason instanceof RejectedException) {
      // The caller stopped waiting, or the executor never took the work: neither says anything
      // about the dependency.
      timer.failure(attempt.start(), reason);
      if (b != null) {
        b.release();
      }
      releaseLimiter();
    } else {
      long took = timer.timeout(attempt.start());
      threw(b, attempt.start(), took, reason);
      Limiter l = limiter;
      if (l != null) {
        l.onDropped();
      }
      RetryBudget budget = attempt.isCopy() ? hedgeBudget : ownBudget;
      if (budget != null) {
        budget.recordFailure();
      }
    }
    attempt.result().completeExceptionally(reason);
  }

  /** The failure of an attempt that a context propagator returned without running. */
  IllegalStateException attemptNotRun() {
    return new IllegalStateException(carrier.attemptNotRun());
  }

  void release() {
    Semaphore s = slots;
    if (s != null) {
      s.release();
    }
  }

  // ---------------------------------------------------------------- lifecycle

  private ScheduledExecutorService scheduler() {
    ScheduledExecutorService s = scheduler;
    if (s != null) {
      return s;
    }
    schedulerLock.lock();
    try {
      s = scheduler;
      if (s == null) {
        // Checked under the lock that close() takes, so that no scheduler is created after close()
        // has looked for one to shut down: it would never be shut down.
        if (closed) {
          throw new RejectedExecutionException("Service '" + name + "' is closed");
        }
        ScheduledThreadPoolExecutor own =
            new ScheduledThreadPoolExecutor(1, threads("dyno-service-" + name + "-timer-"));
        own.setRemoveOnCancelPolicy(true);
        ownScheduler = own;
        scheduler = own;
        s = own;
      }
      return s;
    } finally {
      schedulerLock.unlock();
    }
  }

  /**
   * Returns whether {@link #close()} was called.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Refuses new calls, lets the accepted ones finish on the service's own pool, waits for them, and
   * stops the service's own threads. An interrupt ends the wait early and stays set. The status
   * report ends last, so that the metrics show the pool draining until it has.
   */
  @Override
  public void close() {
    try {
      shutDown();
    } finally {
      Metrics.StatusReport r = statusReport;
      if (r != null) {
        r.close();
      }
    }
  }

  private void shutDown() {
    closed = true;
    Future<?> refresh = hedgeRefresh;
    if (refresh != null) {
      refresh.cancel(false);
    }
    ThreadPoolExecutor pool = ownPool;
    if (pool != null) {
      pool.shutdown();
      try {
        while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
          // Accepted calls are still running; their timeouts (if any) need the scheduler.
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    schedulerLock.lock();
    try {
      ScheduledThreadPoolExecutor own = ownScheduler;
      if (own != null) {
        own.shutdown();
      }
    } finally {
      schedulerLock.unlock();
    }
  }

  /**
   * Answers a snapshot's question about the service's breaker, own pool, limiter and throttle, from
   * what they hold; named after the service in the metrics' messages.
   */
  private static final class StatusSource implements Supplier<MetricsStatus> {

    private final String name;
    private final @Nullable Breaker breaker;
    private final @Nullable ThreadPoolExecutor pool;
    private final @Nullable Limiter limiter;
    private final @Nullable Throttle throttle;
    private final @Nullable Supplier<MetricsStatus.Hedging> hedging;

    StatusSource(
        String name,
        @Nullable Breaker breaker,
        @Nullable ThreadPoolExecutor pool,
        @Nullable Limiter limiter,
        @Nullable Throttle throttle,
        @Nullable Supplier<MetricsStatus.Hedging> hedging) {
      this.name = name;
      this.breaker = breaker;
      this.pool = pool;
      this.limiter = limiter;
      this.throttle = throttle;
      this.hedging = hedging;
    }

    @Override
    public MetricsStatus get() {
      MetricsStatus.Circuit circuit = null;
      Duration nextTrialIn = null;
      Breaker b = breaker;
      if (b != null) {
        circuit = circuit(b.state());
        if (circuit == MetricsStatus.Circuit.OPEN) {
          // Read after the state: a breaker that has moved on since gives no time, and a status
          // that says OPEN without one is still true.
          nextTrialIn = b.nextTrialIn().orElse(null);
        }
      }
      ThreadPoolExecutor p = pool;
      MetricsStatus.Pool figures =
          p == null
              ? null
              : new MetricsStatus.Pool(
                  p.getMaximumPoolSize(),
                  p.getPoolSize(),
                  p.getLargestPoolSize(),
                  p.getActiveCount(),
                  p.getQueue().size(),
                  p.getCompletedTaskCount());
      Limiter l = limiter;
      MetricsStatus.Limit limit =
          l == null
              ? null
              : new MetricsStatus.Limit(l.name(), l.algorithm(), l.limit(), l.inFlight());
      Throttle t = throttle;
      MetricsStatus.Throttle throttled =
          t == null
              ? null
              : new MetricsStatus.Throttle(t.name(), t.probability(), t.requests(), t.accepts());
      Supplier<MetricsStatus.Hedging> h = hedging;
      return new MetricsStatus(
          circuit, nextTrialIn, figures, null, limit, throttled, h == null ? null : h.get());
    }

    private static MetricsStatus.Circuit circuit(Breaker.State state) {
      return switch (state) {
        case CLOSED -> MetricsStatus.Circuit.CLOSED;
        case OPEN -> MetricsStatus.Circuit.OPEN;
        case HALF_OPEN -> MetricsStatus.Circuit.HALF_OPEN;
        case FORCED_OPEN -> MetricsStatus.Circuit.FORCED_OPEN;
        case DISABLED -> MetricsStatus.Circuit.DISABLED;
      };
    }

    @Override
    public String toString() {
      return "Service[name=" + name + "]";
    }
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t.getCause();
    return t instanceof CompletionException && cause != null ? cause : t;
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public String toString() {
    return "Service[name=" + name + "]";
  }
}
