package io.dyno.injection;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Wraps functions so that every call first constructs the dependencies they declare.
 *
 * <pre>{@code
 * Injector injector = Injector.parallel(executor);
 * Function<String, String> greet =
 *     injector.inject(List.of(DB), (deps, who) -> deps.get(DB).greeting() + who);
 * }</pre>
 *
 * <p>A {@linkplain #parallel parallel} injector starts every construction on its executor at once
 * and waits for them, each under its own timeout, so that N dependencies that each take L are ready
 * in about L. A {@linkplain #sequential sequential} injector constructs them in turn on the calling
 * thread. Then the body runs with a {@link Deps} view of the values; its exceptions pass through
 * unchanged.
 *
 * <p>When a dependency without a fallback fails or times out, the call throws {@link
 * DependencyException}: the other constructions are cancelled and every {@link AutoCloseable} value
 * constructed for the call, now or later, is closed. When the calling thread is interrupted while
 * waiting, the constructions are cancelled the same way, the interrupt flag is restored and the
 * call throws a {@link DependencyException} whose cause is the {@link InterruptedException}.
 *
 * <p>Injectors are immutable and safe to use from any thread; the functions they make may be called
 * concurrently.
 */
public final class Injector {

  private final @Nullable Executor executor;
  private final IdentityHashMap<Dependency<?>, Object> overrides;
  private final LongSupplier ticker;

  private Injector(
      @Nullable Executor executor,
      IdentityHashMap<Dependency<?>, Object> overrides,
      LongSupplier ticker) {
    this.executor = executor;
    this.overrides = overrides;
    this.ticker = ticker;
  }

  /**
   * Creates an injector that constructs a call's dependencies in parallel on {@code executor}. A
   * timeout interrupts the construction, so the executor's threads must be interruptible; any
   * executor works, including a virtual-thread one.
   *
   * @param executor runs the constructions
   * @return the injector
   */
  public static Injector parallel(Executor executor) {
    return builder().executor(executor).build();
  }

  /**
   * Creates an injector that constructs a call's dependencies one after another on the calling
   * thread. It cannot interrupt a construction: one that returns after its timeout is treated as
   * timed out and its value closed.
   *
   * @return the injector
   */
  public static Injector sequential() {
    return builder().build();
  }

  /**
   * Returns a builder for an injector: sequential unless given an {@link Builder#executor
   * executor}, reading time from {@code System::nanoTime} unless given a {@link Builder#ticker
   * ticker}.
   *
   * <pre>{@code
   * Injector injector = Injector.builder().executor(executor).ticker(ticker).build();
   * }</pre>
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns an injector that uses {@code value} for {@code dependency} instead of constructing it,
   * for tests. The override is never closed by the injector.
   *
   * @param dependency the dependency to replace, the same instance the function declares
   * @param value the value to use
   * @param <T> the type of the value
   * @return the new injector
   */
  public <T> Injector withOverride(Dependency<T> dependency, T value) {
    Objects.requireNonNull(dependency, "dependency must not be null");
    Objects.requireNonNull(value, "value must not be null");
    IdentityHashMap<Dependency<?>, Object> copy = new IdentityHashMap<>(overrides);
    copy.put(dependency, value);
    return new Injector(executor, copy, ticker);
  }

  /**
   * Returns a function whose every call constructs {@code dependencies} and then runs {@code body}
   * with them and its argument.
   *
   * @param dependencies the dependencies the body may ask for, without duplicates
   * @param body the work, given the dependencies and the argument
   * @param <A> the argument type
   * @param <R> the result type
   * @return the function
   * @throws IllegalArgumentException if a dependency is listed twice
   */
  public <A, R> Function<A, R> inject(
      List<? extends Dependency<?>> dependencies, BiFunction<Deps, ? super A, ? extends R> body) {
    Objects.requireNonNull(body, "body must not be null");
    Call call = call(dependencies);
    return arg -> call.run(deps -> body.apply(deps, arg));
  }

  /**
   * Returns a supplier whose every call constructs {@code dependencies} and then runs {@code body}
   * with them.
   *
   * @param dependencies the dependencies the body may ask for, without duplicates
   * @param body the work, given the dependencies
   * @param <R> the result type
   * @return the supplier
   * @throws IllegalArgumentException if a dependency is listed twice
   */
  public <R> Supplier<R> injectSupplier(
      List<? extends Dependency<?>> dependencies, Function<Deps, ? extends R> body) {
    Objects.requireNonNull(body, "body must not be null");
    Call call = call(dependencies);
    return () -> call.run(body);
  }

  private Call call(List<? extends Dependency<?>> dependencies) {
    Objects.requireNonNull(dependencies, "dependencies must not be null");
    List<Dependency<?>> list = List.copyOf(dependencies);
    IdentityHashMap<Dependency<?>, Boolean> seen = new IdentityHashMap<>();
    for (Dependency<?> d : list) {
      if (seen.put(d, Boolean.TRUE) != null) {
        throw new IllegalArgumentException("Dependency '" + d.name() + "' is listed twice");
      }
    }
    return new Call(list, executor, overrides, ticker);
  }

  /**
   * Returns {@code Injector[parallel]} or {@code Injector[sequential]} with the overridden
   * dependencies.
   *
   * @return a description
   */
  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder("Injector[").append(executor == null ? "sequential" : "parallel");
    for (Dependency<?> d : overrides.keySet()) {
      s.append(", override '").append(d.name()).append('\'');
    }
    return s.append(']').toString();
  }

  /**
   * Builds an {@link Injector}. Each setter validates its argument at once; {@code build()} may be
   * called more than once.
   *
   * <p>Not thread-safe: configure a builder on one thread.
   */
  public static final class Builder {

    private @Nullable Executor executor;
    private LongSupplier ticker = System::nanoTime;

    private Builder() {}

    /**
     * Makes the injector parallel: it starts every construction of a call on {@code executor} at
     * once. A timeout interrupts the construction, so the executor's threads must be interruptible.
     * Without an executor the injector is sequential.
     *
     * @param executor runs the constructions
     * @return this builder
     * @throws NullPointerException if {@code executor} is null
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor must not be null");
      return this;
    }

    /**
     * Sets the time source (monotonic nanoseconds; {@code System::nanoTime} by default) for
     * timeouts and the elapsed times in failures. A parallel injector still waits in real time, for
     * at most the time left by the ticker's reckoning; a sequential one judges its timeouts by the
     * ticker alone, so tests can move it by hand.
     *
     * @param ticker the ticker
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Returns a new injector with this configuration and no overrides.
     *
     * @return the injector
     */
    public Injector build() {
      return new Injector(executor, new IdentityHashMap<>(), ticker);
    }
  }
}
