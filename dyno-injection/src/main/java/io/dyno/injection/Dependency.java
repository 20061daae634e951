package io.dyno.injection;

import io.dyno.injection.internal.Durations;
import io.dyno.injection.internal.Names;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A named value that an {@link Injector} constructs for each call of the function that declares it.
 *
 * <pre>{@code
 * Dependency<Db> db = Dependency.of("db", Db::open).timeout(Timeouts.DC).closeAfterCall();
 * }</pre>
 *
 * <p>A dependency is an immutable value: {@link #timeout}, {@link #orElse}, {@link #orElseGet},
 * {@link #shared} and {@link #closeAfterCall} return a new dependency and leave this one as it was.
 * Dependencies are told apart by identity, so a function asks for exactly the instance it declared.
 * The place in the code where {@link #of} was called is remembered and shown in failure messages.
 * Instances are safe to use from any thread.
 *
 * @param <T> the type of the value
 */
public final class Dependency<T> {

  private final String name;
  private final Supplier<? extends T> supplier;
  private final @Nullable Duration timeout;
  private final @Nullable Supplier<? extends T> fallback;
  private final @Nullable SharedValue<T> shared;
  private final boolean closeAfterCall;
  private final String declaredAt;

  private Dependency(
      String name,
      Supplier<? extends T> supplier,
      @Nullable Duration timeout,
      @Nullable Supplier<? extends T> fallback,
      @Nullable SharedValue<T> shared,
      boolean closeAfterCall,
      String declaredAt) {
    this.name = name;
    this.supplier = supplier;
    this.timeout = timeout;
    this.fallback = fallback;
    this.shared = shared;
    this.closeAfterCall = closeAfterCall;
    this.declaredAt = declaredAt;
  }

  /**
   * Creates a dependency constructed by {@code supplier}, with no timeout, no fallback, constructed
   * anew for every call and never closed by the injector.
   *
   * @param name the name shown in messages, not blank
   * @param supplier constructs the value; it must not return {@code null}
   * @param <T> the type of the value
   * @return the dependency
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static <T> Dependency<T> of(String name, Supplier<? extends T> supplier) {
    Names.require(name, "name");
    Objects.requireNonNull(supplier, "supplier must not be null");
    return new Dependency<>(name, supplier, null, null, null, false, declarationSite());
  }

  /** The first frame outside this class: cheap, since the stack walker is lazy. */
  private static String declarationSite() {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames
                    .filter(f -> !f.getClassName().equals(Dependency.class.getName()))
                    .findFirst()
                    .map(
                        f ->
                            f.getClassName()
                                + "."
                                + f.getMethodName()
                                + "("
                                + f.getFileName()
                                + ":"
                                + f.getLineNumber()
                                + ")")
                    .orElse("an unknown place"));
  }

  /**
   * Returns a dependency whose construction is cancelled, by interrupting it, when it takes longer
   * than {@code timeout} from the start of the call.
   *
   * @param timeout the longest construction, positive
   * @return the new dependency
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   */
  public Dependency<T> timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    return new Dependency<>(name, supplier, timeout, fallback, shared, closeAfterCall, declaredAt);
  }

  /**
   * Returns a dependency that yields {@code value} when its construction fails or times out.
   *
   * @param value the fallback value; the injector never closes it
   * @return the new dependency
   */
  public Dependency<T> orElse(T value) {
    Objects.requireNonNull(value, "value must not be null");
    return orElseGet(() -> value);
  }

  /**
   * Returns a dependency that yields the value of {@code fallback}, called on the calling thread,
   * when its construction fails or times out.
   *
   * @param fallback supplies the fallback value; the injector never closes it
   * @return the new dependency
   */
  public Dependency<T> orElseGet(Supplier<? extends T> fallback) {
    Objects.requireNonNull(fallback, "fallback must not be null");
    return new Dependency<>(name, supplier, timeout, fallback, shared, closeAfterCall, declaredAt);
  }

  /**
   * Returns a dependency constructed once and then shared by every call that declares it, from any
   * thread. Concurrent first calls wait for one construction; a failed construction is not kept, so
   * the next call tries again. A shared value is never closed by the injector.
   *
   * @return the new dependency
   * @throws IllegalStateException if this dependency is closed after each call
   */
  public Dependency<T> shared() {
    if (closeAfterCall) {
      throw new IllegalStateException(
          "Dependency '" + name + "' is closed after each call and cannot be shared");
    }
    return new Dependency<>(
        name, supplier, timeout, fallback, new SharedValue<>(), false, declaredAt);
  }

  /**
   * Returns a dependency whose value, when it is {@link AutoCloseable}, is closed after each call's
   * body returns or throws. A fallback value is not closed.
   *
   * @return the new dependency
   * @throws IllegalStateException if this dependency is shared
   */
  public Dependency<T> closeAfterCall() {
    if (shared != null) {
      throw new IllegalStateException(
          "Dependency '" + name + "' is shared and cannot be closed after each call");
    }
    return new Dependency<>(name, supplier, timeout, fallback, null, true, declaredAt);
  }

  /**
   * Returns the name given at creation.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns where {@link #of} was called, as a stack trace element ({@code
   * Class.method(File:line)}).
   *
   * @return the declaration site
   */
  public String declaredAt() {
    return declaredAt;
  }

  /** Constructs a value on the current thread, through the shared value if there is one. */
  T construct() throws InterruptedException {
    T value = shared != null ? shared.get(supplier) : supplier.get();
    if (value == null) {
      throw new NullPointerException("Dependency '" + name + "' constructed null");
    }
    return value;
  }

  /** The fallback, or {@code null}. */
  @Nullable Supplier<? extends T> fallback() {
    return fallback;
  }

  /** Whether a constructed value is closed after the call's body. */
  boolean closesAfterCall() {
    return closeAfterCall;
  }

  /** The timeout, or {@code null}. */
  @Nullable Duration timeoutOrNull() {
    return timeout;
  }

  /** Whether the injector closes a constructed value when the call does not use it. */
  boolean ownedPerCall() {
    return shared == null;
  }

  /**
   * Returns {@code Dependency 'name'} followed by its options.
   *
   * @return a description of the dependency
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Dependency '").append(name).append('\'');
    if (timeout != null) {
      s.append(" timeout=").append(Durations.format(timeout));
    }
    if (fallback != null) {
      s.append(" withFallback");
    }
    if (shared != null) {
      s.append(" shared");
    }
    if (closeAfterCall) {
      s.append(" closeAfterCall");
    }
    return s.toString();
  }
}
