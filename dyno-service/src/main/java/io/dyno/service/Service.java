package io.dyno.service;

import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.retry.Retry;
import io.dyno.service.internal.Engine;
import io.dyno.service.internal.Settings;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One remote dependency behind one decorator: a fallback, a retry, a circuit breaker, a throttle, a
 * limiter, a timeout and a bulkhead around a call, every attempt recorded in {@link Metrics}.
 *
 * <pre>{@code
 * Service<Stock> stock =
 *     Service.builder("inventory", () -> client.fetchStock())
 *         .pool(8) // at most 8 at once, on the service's own threads
 *         .timeout(Duration.ofMillis(500)) // interrupts the attempt
 *         .retry(Retry.of("inventory", 3))
 *         .breaker(Breaker.builder("inventory").build())
 *         .metrics(registry) // shown on the registry's dashboard
 *         .fallback(() -> Stock.unknown())
 *         .build();
 * Stock s = stock.call();
 * }</pre>
 *
 * <p><b>Order</b>, outermost first: fallback → retry → hedge → breaker → throttle → limiter →
 * timeout → bulkhead → the work. It is the same as nesting the pieces by hand, {@code
 * fallback(retry.call(() -> hedge.firstSuccessOf(() -> breaker.call(() -> throttle.call(() ->
 * limiter.call(() -> withTimeout(inPool(work))))))))}: each retry attempt is one hedged group of
 * copies (see {@link ServiceOptions#hedge(Hedge)}), and each copy asks the breaker, the throttle
 * and the limiter, has its own timeout and takes its own slot.
 *
 * <p><b>What happens to an attempt</b> (the Hystrix flow): if the breaker refuses it, it is a
 * short-circuit ({@link ShortCircuitException}); if the {@linkplain ServiceOptions#throttle
 * throttle} rejects it locally, the {@linkplain ServiceOptions#limiter limiter} is full or all
 * slots are busy, a rejection ({@link RejectedException}, whose {@link RejectedException#reason()
 * reason} tells which); if it runs out of time, a timeout ({@link ServiceTimeoutException}, its
 * thread interrupted); otherwise it succeeds or fails with the work's own failure. Each is counted
 * as what it is in the metrics, and every attempt that asked the breaker is reported to it (a
 * throttle's or a limiter's rejection without an outcome). When the last attempt fails, the
 * fallback gives the result; without one, the failure leaves the service: the work's own failure
 * unchanged, with the retry's earlier failures attached as suppressed. An {@link Error} is never
 * caught and an interrupted caller gets its {@link InterruptedException}, not the fallback.
 *
 * <p><b>What the metrics show.</b> Besides the outcome of every attempt, a service with a breaker,
 * a pool of its own, a limiter, a throttle or a hedge reports their state to its {@link
 * #metrics()}: the breaker's state, the time until an open breaker's next trial call, the pool's
 * size, active threads and queued attempts, the limiter's limit and calls in flight, the throttle's
 * probability, requests and accepts, and the hedge's delay and copies sent and won. Snapshots carry
 * it as their {@link io.dyno.metrics.MetricsSnapshot#status() status} and the dashboards show it,
 * until the service is closed. One service reports to a metric at a time (see {@link
 * ServiceOptions#metrics(Metrics)}).
 *
 * <p>Thread-safe. A service with a {@link Builder#pool pool} owns threads: {@link #close()} it when
 * done.
 *
 * @param <T> the result type
 */
public final class Service<T> implements Supplier<T>, AutoCloseable {

  private final String name;
  private final Engine<T> engine;
  private final Callable<? extends T> work;
  private final Callable<T> attempts;
  private final @Nullable Function<? super Throwable, ? extends T> fallback;
  private final Settings settings;

  private Service(Builder<T> b) {
    this.settings = b.settings();
    this.name = settings.name();
    this.engine = new Engine<>(settings);
    this.work = b.work;
    this.attempts = engine.attempts(work);
    this.fallback = b.fallback;
  }

  /**
   * Returns a builder for a service that calls {@code work}. Any lambda without arguments fits,
   * whether or not it throws checked exceptions; pass an existing {@code Supplier} as {@code
   * supplier::get}.
   *
   * @param name the service's name, shown in its exceptions and metrics; not blank
   * @param work the remote call
   * @param <T> the result type
   * @return the builder
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static <T> Builder<T> builder(String name, Callable<? extends T> work) {
    return new Builder<>(name, work);
  }

  /**
   * Returns a builder for a service that calls {@code function} with an argument per call.
   *
   * @param name the service's name, shown in its exceptions and metrics; not blank
   * @param function the remote call
   * @param <A> the argument type
   * @param <R> the result type
   * @return the builder
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static <A, R> ServiceFunction.Builder<A, R> function(
      String name, Function<? super A, ? extends R> function) {
    return new ServiceFunction.Builder<>(name, function);
  }

  /**
   * Calls the dependency as the class documentation describes and returns its result or the
   * fallback's.
   *
   * @return the result
   * @throws ShortCircuitException if the breaker refused the last attempt and there is no fallback
   * @throws RejectedException if the last attempt found no free slot and there is no fallback
   * @throws ServiceTimeoutException if the last attempt timed out and there is no fallback
   * @throws FallbackFailedException if the fallback failed too
   * @throws InterruptedException if the caller was interrupted while it waited; the flag stays set
   * @throws Exception the work's own failure, unchanged, when there is no fallback
   */
  public T call() throws Exception {
    return engine.call(attempts, fallback);
  }

  /**
   * Calls the dependency as {@link #call()} does, for code that takes a {@code Supplier}. A checked
   * exception, which cannot leave a {@code Supplier} unchanged, arrives wrapped in an {@link
   * UndeclaredThrowableException}; for an {@link InterruptedException} the interrupt flag stays
   * set.
   *
   * @return the result
   * @throws RuntimeException as {@link #call()} throws it
   */
  @Override
  public T get() {
    try {
      return call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new UndeclaredThrowableException(e);
    }
  }

  /**
   * Calls the dependency without blocking the caller: attempts run on the pool or executor (on the
   * caller's thread without either), waits between retries happen on the scheduler, and the
   * fallback runs on the thread where the last attempt ended. Cancelling the returned future does
   * not interrupt an attempt that is running.
   *
   * @return the result, or the failure as {@link #call()} would throw it
   */
  public CompletableFuture<T> callAsync() {
    return engine.callAsync(work, fallback);
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
   * Returns the metrics that record every attempt and, while the service is open, its breaker's and
   * own pool's status.
   *
   * @return the metrics
   */
  public Metrics metrics() {
    return settings.metrics();
  }

  /**
   * Returns the breaker, if the service has one.
   *
   * @return the breaker
   */
  public Optional<Breaker> breaker() {
    return Optional.ofNullable(settings.breaker());
  }

  /**
   * Returns the retry, if the service has one.
   *
   * @return the retry
   */
  public Optional<Retry> retry() {
    return Optional.ofNullable(settings.retry());
  }

  /**
   * Closes the service: new calls are rejected with a {@link RejectedException} whose {@link
   * RejectedException#isClosed() isClosed()} is true, which does not reach the fallback; calls
   * already accepted run to the end, and this waits for them, then stops the service's own threads.
   * A user's executor or scheduler is left running, and the metrics no longer carry the service's
   * breaker and pool status. Idempotent.
   */
  @Override
  public void close() {
    engine.close();
  }

  /**
   * Returns whether the service was closed.
   *
   * @return true after {@link #close()}
   */
  public boolean isClosed() {
    return engine.isClosed();
  }

  @Override
  public String toString() {
    return "Service[name=" + name + "]";
  }

  /**
   * Configures a {@link Service}; the options it shares with {@link ServiceFunction.Builder} are
   * documented on {@link ServiceOptions}.
   *
   * <p>Not thread-safe.
   *
   * @param <T> the result type
   */
  public static final class Builder<T> extends ServiceOptions<Builder<T>> {

    private final Callable<? extends T> work;
    private @Nullable Function<? super Throwable, ? extends T> fallback;

    Builder(String name, Callable<? extends T> work) {
      super(name);
      this.work = Objects.requireNonNull(work, "work must not be null");
    }

    /**
     * Answers with {@code fallback}'s value when the call fails, whatever the reason, except a call
     * after {@link Service#close()}: its {@link RejectedException} reaches the caller.
     *
     * @param fallback gives the value instead
     * @return this builder
     */
    public Builder<T> fallback(Supplier<? extends T> fallback) {
      Objects.requireNonNull(fallback, "fallback must not be null");
      this.fallback = failure -> fallback.get();
      return this;
    }

    /**
     * Answers with {@code fallback}'s value when the call fails; it is given the failure, so it can
     * answer differently for, say, a short-circuit and a timeout, or rethrow. A call after {@link
     * Service#close()} does not reach it: its {@link RejectedException} reaches the caller.
     *
     * @param fallback gives the value instead, from the failure
     * @return this builder
     */
    public Builder<T> fallback(Function<? super Throwable, ? extends T> fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback must not be null");
      return this;
    }

    /**
     * Builds the service.
     *
     * @return the service
     * @throws IllegalArgumentException if a timeout is set without a pool or an executor, or the
     *     service's own pool would hold more than 1000 threads
     * @throws IllegalStateException if the service has a breaker, a pool of its own, a limiter, a
     *     throttle or a hedge and another open service reports its status to the same metrics (see
     *     {@link ServiceOptions#metrics(Metrics)}), or a hedge without a pool or an executor
     */
    public Service<T> build() {
      return new Service<>(this);
    }
  }
}
