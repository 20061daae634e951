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
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Service} whose call takes an argument, such as a lookup by id; made by {@link
 * Service#function}. Everything {@link Service} documents holds for each call.
 *
 * <pre>{@code
 * ServiceFunction<String, Price> prices =
 *     Service.function("pricing", (String sku) -> client.price(sku))
 *         .retry(Retry.of("pricing", 2))
 *         .fallback((sku, failure) -> Price.unknown(sku))
 *         .build();
 * Price p = prices.apply("sku-1");
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @param <A> the argument type
 * @param <R> the result type
 */
public final class ServiceFunction<A, R> implements Function<A, R>, AutoCloseable {

  private final Settings settings;
  private final Engine<R> engine;
  private final Function<? super A, ? extends R> function;
  private final @Nullable BiFunction<? super A, ? super Throwable, ? extends R> fallback;

  private ServiceFunction(Builder<A, R> b) {
    this.settings = b.settings();
    this.engine = new Engine<>(settings);
    this.function = b.function;
    this.fallback = b.fallback;
  }

  /**
   * Calls the dependency with {@code argument}, as {@link Service#call()} does.
   *
   * @param argument the argument
   * @return the result
   * @throws InterruptedException if the caller was interrupted while it waited; the flag stays set
   * @throws RuntimeException as {@link Service#call()} throws it
   */
  public R call(A argument) throws Exception {
    return engine.call(() -> engine.attemptAll(work(argument)), fallbackFor(argument));
  }

  /**
   * Calls the dependency with {@code argument}, as {@link Service#get()} does.
   *
   * @param argument the argument
   * @return the result
   * @throws RuntimeException as {@link Service#get()} throws it
   */
  @Override
  public R apply(A argument) {
    try {
      return call(argument);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new UndeclaredThrowableException(e);
    }
  }

  /**
   * Calls the dependency with {@code argument} without blocking, as {@link Service#callAsync()}
   * does.
   *
   * @param argument the argument
   * @return the result
   */
  public CompletableFuture<R> callAsync(A argument) {
    return engine.callAsync(work(argument), fallbackFor(argument));
  }

  private Callable<R> work(A argument) {
    return () -> function.apply(argument);
  }

  private @Nullable Function<Throwable, R> fallbackFor(A argument) {
    BiFunction<? super A, ? super Throwable, ? extends R> f = fallback;
    return f == null ? null : failure -> f.apply(argument, failure);
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
   * Returns the metrics that record every attempt and, while the function is open, its breaker's
   * and own pool's status.
   *
   * @return the metrics
   */
  public Metrics metrics() {
    return settings.metrics();
  }

  /**
   * Returns the breaker, if the function has one.
   *
   * @return the breaker
   */
  public Optional<Breaker> breaker() {
    return Optional.ofNullable(settings.breaker());
  }

  /**
   * Returns the retry, if the function has one.
   *
   * @return the retry
   */
  public Optional<Retry> retry() {
    return Optional.ofNullable(settings.retry());
  }

  /**
   * Closes the function as {@link Service#close()} does: a later call fails with a {@link
   * RejectedException} that does not reach the fallback.
   */
  @Override
  public void close() {
    engine.close();
  }

  /**
   * Returns whether the function was closed.
   *
   * @return true after {@link #close()}
   */
  public boolean isClosed() {
    return engine.isClosed();
  }

  @Override
  public String toString() {
    return "ServiceFunction[name=" + settings.name() + "]";
  }

  /**
   * Configures a {@link ServiceFunction}; the options it shares with {@link Service.Builder} are
   * documented on {@link ServiceOptions}.
   *
   * <p>Not thread-safe.
   *
   * @param <A> the argument type
   * @param <R> the result type
   */
  public static final class Builder<A, R> extends ServiceOptions<Builder<A, R>> {

    private final Function<? super A, ? extends R> function;
    private @Nullable BiFunction<? super A, ? super Throwable, ? extends R> fallback;

    Builder(String name, Function<? super A, ? extends R> function) {
      super(name);
      this.function = Objects.requireNonNull(function, "function must not be null");
    }

    /**
     * Answers with {@code fallback}'s value for the call's argument when the call fails, except a
     * call after {@link ServiceFunction#close()}: its {@link RejectedException} reaches the caller.
     *
     * @param fallback gives the value instead, from the argument
     * @return this builder
     */
    public Builder<A, R> fallback(Function<? super A, ? extends R> fallback) {
      Objects.requireNonNull(fallback, "fallback must not be null");
      this.fallback = (argument, failure) -> fallback.apply(argument);
      return this;
    }

    /**
     * Answers with {@code fallback}'s value for the call's argument and failure when the call
     * fails, except a call after {@link ServiceFunction#close()}: its {@link RejectedException}
     * reaches the caller.
     *
     * @param fallback gives the value instead, from the argument and the failure
     * @return this builder
     */
    public Builder<A, R> fallback(BiFunction<? super A, ? super Throwable, ? extends R> fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback must not be null");
      return this;
    }

    /**
     * Builds the function.
     *
     * @return the function
     * @throws IllegalArgumentException if a timeout is set without a pool or an executor, or the
     *     service's own pool would hold more than 1000 threads
     * @throws IllegalStateException if the function has a breaker, a pool of its own, a limiter, a
     *     throttle or a hedge and another open service reports its status to the same metrics (see
     *     {@link ServiceOptions#metrics(Metrics)}), or a hedge without a pool or an executor
     */
    public ServiceFunction<A, R> build() {
      return new ServiceFunction<>(this);
    }
  }
}
