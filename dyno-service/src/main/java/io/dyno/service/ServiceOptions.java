package io.dyno.service;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.Limiter;
import io.dyno.breaker.Throttle;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsRegistry;
import io.dyno.retry.Retry;
import io.dyno.service.internal.Names;
import io.dyno.service.internal.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The options that {@link Service.Builder} and {@link ServiceFunction.Builder} share: where the
 * attempts run and how many at once, the timeout, the retry, the breaker, the throttle, the
 * limiter, the metrics and the context carried onto the attempt's thread.
 *
 * <p>Each call passes its layers in this order, outermost first: fallback, retry, {@link #hedge},
 * breaker, {@link #throttle}, {@link #limiter}, timeout, bulkhead ({@link #pool}), the work. Each
 * attempt of a retry is one hedged group of copies, and each copy passes the breaker, the throttle,
 * the limiter, the timeout and the bulkhead on its own.
 *
 * <p>Not thread-safe: configure a builder on one thread.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ServiceOptions<B extends ServiceOptions<B>> {

  /** The most threads the service's own pool may hold; an executor lifts the bound. */
  private static final int MAX_OWN_THREADS = 1000;

  final String name;
  private int maxConcurrent;
  private @Nullable Executor executor;
  private @Nullable Duration timeout;
  private @Nullable Retry retry;
  private @Nullable Breaker breaker;
  private @Nullable Limiter limiter;
  private @Nullable Throttle throttle;
  private @Nullable Hedge hedge;
  private @Nullable Metrics metrics;
  private @Nullable MetricsRegistry metricsRegistry;
  private @Nullable ScheduledExecutorService scheduler;
  private boolean propagateMdc = true;
  private boolean propagateContextClassLoader = true;
  private final List<UnaryOperator<Runnable>> contextPropagators = new ArrayList<>();

  ServiceOptions(String name) {
    this.name = Names.require(name, "name");
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * Runs each attempt on the service's own threads, at most {@code maxConcurrent} at once (a
   * bulkhead); a call that finds them all busy is rejected at once with a {@link
   * RejectedException}. Together with {@link #executor}, the limit applies to that executor
   * instead, and the service starts no threads of its own.
   *
   * <p>The service's own pool holds at most 1000 threads: {@code build()} refuses a larger {@code
   * maxConcurrent} without an {@link #executor}.
   *
   * @param maxConcurrent how many attempts run at once, at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code maxConcurrent} is below 1
   */
  public B pool(int maxConcurrent) {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("pool must be >= 1, was " + maxConcurrent);
    }
    this.maxConcurrent = maxConcurrent;
    return self();
  }

  /**
   * Runs each attempt on {@code executor}, such as {@code
   * Executors.newVirtualThreadPerTaskExecutor()} on Java 21 and later. Without {@link #pool}, any
   * number of attempts run at once; the service never shuts the executor down.
   *
   * @param executor where attempts run
   * @return this builder
   * @throws NullPointerException if {@code executor} is null
   */
  public B executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor must not be null");
    return self();
  }

  /**
   * Limits each attempt to {@code timeout}: when it runs out, the attempt's thread is interrupted,
   * the call counts as a timeout, and the attempt fails with a {@link ServiceTimeoutException}. The
   * time counts from the moment the attempt is handed to its thread. Needs {@link #pool} or {@link
   * #executor}, since the caller's own thread cannot be taken back.
   *
   * @param timeout the limit per attempt, positive
   * @return this builder
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   */
  public B timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    this.timeout = timeout;
    return self();
  }

  /**
   * Tries a failed attempt again as {@code retry} says; each attempt passes through the breaker,
   * the throttle, the limiter, the timeout and the bulkhead on its own.
   *
   * @param retry the retry
   * @return this builder
   */
  public B retry(Retry retry) {
    this.retry = Objects.requireNonNull(retry, "retry must not be null");
    return self();
  }

  /**
   * Asks {@code breaker} for permission before each attempt and reports each attempt's outcome to
   * it; a refusal is a short-circuit.
   *
   * @param breaker the breaker
   * @return this builder
   */
  public B breaker(Breaker breaker) {
    this.breaker = Objects.requireNonNull(breaker, "breaker must not be null");
    return self();
  }

  /**
   * Asks {@code limiter} for a permit before each attempt, inside the breaker and the {@link
   * #throttle} and outside the timeout and the bulkhead, and gives it back when the attempt ends. A
   * full limiter rejects the attempt at once with a {@link RejectedException} whose {@link
   * RejectedException#reason() reason} is {@code LIMITED} and whose cause is the limiter's {@link
   * io.dyno.breaker.LimitExceededException}: the attempt takes no slot of the bulkhead, the breaker
   * is told nothing (the client protecting itself says nothing about the dependency's health), the
   * metrics count a rejection, and the {@code fallback} gets the exception. A retry sees it as a
   * failure and tries again; {@code Retry.builder(..).abortOn(RejectedException.class)} stops it.
   *
   * <p>The permit goes back with what an adaptive limiter learns from: a success with the latency
   * the metrics measured ({@link Limiter#onSuccess}), a failure as {@link Limiter#onFailure} sorts
   * it (a loss when the limiter's {@code droppedWhen} matches), a timeout as a loss ({@link
   * Limiter#onDropped}) at the moment the attempt times out, and an attempt that the executor
   * refused or that the caller stopped waiting for without a sample ({@link Limiter#release}).
   * Exactly one of them per attempt the limiter let through.
   *
   * <p>While the service is open its metrics' {@linkplain #metrics(Metrics) status} carries the
   * limiter's figures: its name, algorithm, limit and calls in flight.
   *
   * @param limiter the limiter, fixed or adaptive
   * @return this builder
   * @throws NullPointerException if {@code limiter} is null
   */
  public B limiter(Limiter limiter) {
    this.limiter = Objects.requireNonNull(limiter, "limiter must not be null");
    return self();
  }

  /**
   * Asks {@code throttle} before each attempt, inside the breaker and outside the {@link #limiter},
   * the timeout and the bulkhead, whether the attempt may go to the dependency. An attempt it
   * rejects locally fails at once with a {@link RejectedException} whose {@link
   * RejectedException#reason() reason} is {@code THROTTLED}: it reaches neither the limiter nor the
   * bulkhead, the breaker is told nothing, the metrics count a rejection, and the {@code fallback}
   * gets the exception. A retry sees it as a failure and tries again; {@code
   * Retry.builder(..).abortOn(RejectedException.class)} stops it.
   *
   * <p>Each attempt it lets go is reported back: a success is an accept ({@link
   * Throttle#onAccepted}), a failure is reported with {@link Throttle#onFailure}, an accept only
   * when the throttle's {@code accepted} predicate matches it, and a timeout is never an accept. An
   * attempt that the limiter or the bulkhead rejected, or that the executor refused, is a request
   * without an accept.
   *
   * <p>While the service is open its metrics' {@linkplain #metrics(Metrics) status} carries the
   * throttle's figures: its name, probability of a local rejection, requests and accepts.
   *
   * @param throttle the throttle
   * @return this builder
   * @throws NullPointerException if {@code throttle} is null
   */
  public B throttle(Throttle throttle) {
    this.throttle = Objects.requireNonNull(throttle, "throttle must not be null");
    return self();
  }

  /**
   * Sends extra copies of an attempt that has not answered after the {@code hedge}'s delay, and
   * takes the first success (hedged requests). Hedge only idempotent work, such as a read. Needs
   * {@link #pool} or {@link #executor}: each copy runs on a thread of its own.
   *
   * <p>The hedge sits inside the retry and outside the breaker: each retry attempt is one hedged
   * group of copies, and each copy passes the breaker, the {@link #throttle}, the {@link #limiter},
   * the timeout and the bulkhead like any attempt and is timed in the metrics. A copy that cannot
   * start (an open breaker, a rejection, a full bulkhead, a spent budget, a closed service) is not
   * sent, which is neither an error nor a counted rejection. A copy that fails while others run
   * does not fail the attempt: it sends the next copy at once, if one is left. The first success
   * wins and the other copies are interrupted; a result that a losing copy still returns is closed
   * if it is {@link AutoCloseable}. When every copy fails, the attempt fails with the last failure,
   * the others attached as suppressed in the order they failed.
   *
   * <p>The copies run in the caller's context ({@link #contextPropagator}, MDC, class loader),
   * captured on the caller's thread when the first copy turns out slow or failed ({@code call()})
   * or when the attempt starts ({@code callAsync()}), whichever thread then sends them.
   *
   * <p>While the service is open its metrics' {@linkplain #metrics(Metrics) status} carries the
   * hedge's delay, its most extra copies, the copies sent and the attempts a copy won.
   *
   * @param hedge the hedge
   * @return this builder
   * @throws NullPointerException if {@code hedge} is null
   */
  public B hedge(Hedge hedge) {
    this.hedge = Objects.requireNonNull(hedge, "hedge must not be null");
    return self();
  }

  /**
   * Records every attempt in {@code metrics}. Without this, the service creates {@code
   * Metrics.of(name)}.
   *
   * <p>A service with a {@link #breaker}, a {@link #pool} of its own, a {@link #limiter} or a
   * {@link #throttle} also reports their state to its metrics until it is closed: the breaker's
   * state (and, while it is open, the time until its next trial call), the pool's threads, active
   * and queued attempts, the limiter's limit and calls in flight, and the throttle's probability,
   * requests and accepts. Every snapshot carries it as its {@link
   * io.dyno.metrics.MetricsSnapshot#status() status}, and the dashboards show it. A {@link #pool}
   * limit on the user's {@link #executor} is not a pool of the service's and reports no pool
   * figures. Only one owner reports to a metric at a time: {@code build()} fails with an {@link
   * IllegalStateException} while another open service reports to the same metrics, so give each
   * service metrics of its own, or close the first before building the next.
   *
   * @param metrics the metrics
   * @return this builder
   */
  public B metrics(Metrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics must not be null");
    this.metricsRegistry = null;
    return self();
  }

  /**
   * Records every attempt in the metrics that {@code registry} holds under the service's name, so
   * that the registry's dashboard shows the service, with the state of its breaker, pool, limiter
   * and throttle as {@link #metrics(Metrics)} describes. Two open services of the same name with a
   * breaker, a pool, a limiter or a throttle cannot share one registry: the second one's {@code
   * build()} fails.
   *
   * @param registry the registry
   * @return this builder
   */
  public B metrics(MetricsRegistry registry) {
    this.metricsRegistry = Objects.requireNonNull(registry, "registry must not be null");
    this.metrics = null;
    return self();
  }

  /**
   * Uses {@code scheduler} to end attempts that run out of time and to wait between asynchronous
   * retries. Without this, the service starts one daemon thread of its own the first time it needs
   * one, and stops it on {@code close()}; the service never shuts a given scheduler down.
   *
   * @param scheduler the scheduler
   * @return this builder
   */
  public B scheduler(ScheduledExecutorService scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
    return self();
  }

  /**
   * Sets whether the caller's SLF4J MDC is installed on the attempt's thread while it runs; true by
   * default.
   *
   * @param propagate whether to carry the MDC
   * @return this builder
   */
  public B propagateMdc(boolean propagate) {
    this.propagateMdc = propagate;
    return self();
  }

  /**
   * Sets whether the caller's thread context class loader is installed on the attempt's thread
   * while it runs; true by default.
   *
   * @param propagate whether to carry the context class loader
   * @return this builder
   */
  public B propagateContextClassLoader(boolean propagate) {
    this.propagateContextClassLoader = propagate;
    return self();
  }

  /**
   * Adds a carrier of the caller's own context (a tracing span, a security context) onto the
   * attempt's thread. {@code propagator} is called on the caller's thread with the attempt and
   * returns what the attempt's thread runs instead, typically: capture now, install, run, restore.
   *
   * <pre>{@code
   * builder.contextPropagator(attempt -> {
   *   String tenant = Tenant.current(); // on the caller's thread
   *   return () -> Tenant.with(tenant, attempt); // on the attempt's thread
   * });
   * }</pre>
   *
   * Propagators apply in the order added, each wrapping the ones before, inside the MDC and class
   * loader. The {@code Runnable} returned must run the attempt once, on its own thread, before it
   * returns: one that returns without running it fails the call with an {@link
   * IllegalStateException} naming the propagator, rather than leave the caller waiting.
   *
   * @param propagator wraps the attempt
   * @return this builder
   */
  public B contextPropagator(UnaryOperator<Runnable> propagator) {
    contextPropagators.add(Objects.requireNonNull(propagator, "propagator must not be null"));
    return self();
  }

  /** The settings as configured, validated across fields. */
  Settings settings() {
    if (executor == null && maxConcurrent > MAX_OWN_THREADS) {
      // The own pool keeps maxConcurrent core threads, and a pool below its core size starts a
      // thread per task even while others idle: the bound keeps a typo from starting platform
      // threads until the JVM cannot create another.
      throw new IllegalArgumentException(
          "pool must be in [1, "
              + MAX_OWN_THREADS
              + "] for the service's own pool, was "
              + maxConcurrent
              + ": give an executor(e) for a larger limit");
    }
    Duration t = timeout;
    if (t != null && executor == null && maxConcurrent == 0) {
      throw new IllegalArgumentException(
          "timeout "
              + t
              + " needs pool(n) or executor(e): service '"
              + name
              + "' can only interrupt an attempt that runs on a thread of its own");
    }
    Hedge h = hedge;
    if (h != null && executor == null && maxConcurrent == 0) {
      throw new IllegalStateException(
          "hedge "
              + h
              + " needs pool(n) or executor(e): service '"
              + name
              + "' sends its copies on threads of their own, and copies need an executor");
    }
    MetricsRegistry registry = metricsRegistry;
    Metrics m = metrics;
    if (m == null) {
      m = registry == null ? Metrics.of(name) : registry.metrics(name);
    }
    return new Settings(
        name,
        maxConcurrent,
        executor,
        t,
        retry,
        breaker,
        limiter,
        throttle,
        h,
        m,
        scheduler,
        propagateMdc,
        propagateContextClassLoader,
        List.copyOf(contextPropagators));
  }
}
