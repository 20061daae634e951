package io.dyno.breaker;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A non-blocking concurrency limit: at most {@code permits} calls run at once, and a call beyond
 * that fails at once with {@link LimitExceededException}, without running the work and without
 * waiting.
 *
 * <pre>{@code
 * Limiter limiter = Limiter.of("exports", 4); // at most 4 at once, never waits
 * String report = limiter.call(() -> reports.export(month)); // LimitExceededException when full
 * try (Limiter.Permit p = limiter.acquire()) {
 *   reports.export(month);
 * }
 * }</pre>
 *
 * <p>The verbs release the permit however the work ends: a result, an exception or an {@link
 * Error}, all of which pass through unchanged. An {@link InterruptedException} of the work passes
 * through the same way, with the interrupt flag as the work left it: the limiter never waits, so it
 * has nothing of its own to stop, as {@link Breaker} explains. Thread-safe and lock-free.
 */
public final class Limiter {

  private final String name;
  private final int permits;
  private final AtomicInteger inUse = new AtomicInteger();
  private final boolean writableStackTrace;

  private Limiter(String name, int permits, boolean writableStackTrace) {
    this.name = name;
    this.permits = permits;
    this.writableStackTrace = writableStackTrace;
  }

  /**
   * Returns a limiter that lets at most {@code permits} calls run at once; {@link #builder} sets
   * more.
   *
   * @param name the name shown in messages, not blank
   * @param permits at least 1
   * @return the limiter
   * @throws IllegalArgumentException if {@code name} is blank or {@code permits} is below 1
   */
  public static Limiter of(String name, int permits) {
    return builder(name).permits(permits).build();
  }

  /**
   * Returns a builder for a limiter with the given name, whose number of permits must be set.
   *
   * <pre>{@code
   * Limiter exports = Limiter.builder("exports").permits(4).writableStackTrace(false).build();
   * }</pre>
   *
   * @param name the name shown in messages, not blank
   * @return the builder
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static LimiterBuilder builder(String name) {
    return new LimiterBuilder(name);
  }

  static Limiter create(String name, int permits, boolean writableStackTrace) {
    return new Limiter(name, permits, writableStackTrace);
  }

  /** A permit to run one call, given back by {@link #close()}; closing it again does nothing. */
  public static final class Permit implements AutoCloseable {
    private final Limiter limiter;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private Permit(Limiter limiter) {
      this.limiter = limiter;
    }

    /** Gives the permit back; only the first close counts. */
    @Override
    public void close() {
      if (open.compareAndSet(true, false)) {
        limiter.release();
      }
    }
  }

  /**
   * Takes a permit, to be closed when the work is done, best in a try-with-resources statement.
   *
   * @return the permit
   * @throws LimitExceededException if every permit is in use
   */
  public Permit acquire() {
    if (!tryAcquire()) {
      throw full();
    }
    return new Permit(this);
  }

  /**
   * Takes a permit if one is free, for code that pairs it with {@link #release()} itself.
   *
   * @return whether a permit was taken
   */
  public boolean tryAcquire() {
    while (true) {
      int n = inUse.get();
      if (n >= permits) {
        return false;
      }
      if (inUse.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /**
   * Gives back a permit taken by {@link #tryAcquire()}.
   *
   * @throws IllegalStateException if no permit is in use
   */
  public void release() {
    while (true) {
      int n = inUse.get();
      if (n == 0) {
        throw new IllegalStateException("Limiter '" + name + "': release without a permit");
      }
      if (inUse.compareAndSet(n, n - 1)) {
        return;
      }
    }
  }

  /**
   * Calls {@code callable} holding a permit.
   *
   * @param callable the work
   * @param <T> the result type
   * @return the result
   * @throws LimitExceededException if every permit is in use; the work did not run
   * @throws Exception what the work threw, unchanged
   */
  public <T> T call(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable must not be null");
    if (!tryAcquire()) {
      throw full();
    }
    try {
      return callable.call();
    } finally {
      release();
    }
  }

  /**
   * Gets a value from {@code supplier} holding a permit.
   *
   * @param supplier the work
   * @param <T> the result type
   * @return the result
   * @throws LimitExceededException if every permit is in use; the work did not run
   */
  public <T> T get(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    if (!tryAcquire()) {
      throw full();
    }
    try {
      return supplier.get();
    } finally {
      release();
    }
  }

  /**
   * Runs {@code runnable} holding a permit.
   *
   * @param runnable the work
   * @throws LimitExceededException if every permit is in use; the work did not run
   */
  public void run(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    if (!tryAcquire()) {
      throw full();
    }
    try {
      runnable.run();
    } finally {
      release();
    }
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
   * Returns how many calls may run at once.
   *
   * @return the permits
   */
  public int permits() {
    return permits;
  }

  /**
   * Returns how many permits are taken now.
   *
   * @return the permits in use
   */
  public int inUse() {
    return inUse.get();
  }

  /**
   * Returns how many permits are free now.
   *
   * @return the free permits
   */
  public int available() {
    return permits - inUse.get();
  }

  /**
   * Returns {@code Limiter[name=exports, inUse=2, permits=4]}: the name, the permits in use now and
   * the permits.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "Limiter[name=" + name + ", inUse=" + inUse.get() + ", permits=" + permits + "]";
  }

  private LimitExceededException full() {
    return new LimitExceededException(name, permits, writableStackTrace);
  }
}
