package io.dyno.breaker;

import io.dyno.breaker.internal.AdaptiveLimit;
import io.dyno.breaker.internal.LimitAlgorithm;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A non-blocking concurrency limit: at most {@link #limit()} calls run at once, and a call beyond
 * that fails at once with {@link LimitExceededException}, without running the work and without
 * waiting. The limit is either fixed, or adaptive: moved by the latency and the losses of the calls
 * that finish, by Gradient2 (the default), Vegas or AIMD.
 *
 * <pre>{@code
 * Limiter limiter = Limiter.of("exports", 4); // at most 4 at once, never waits
 * String report = limiter.call(() -> reports.export(month)); // LimitExceededException when full
 * try (Limiter.Permit p = limiter.acquire()) {
 *   reports.export(month);
 * }
 * Limiter search = Limiter.adaptive("search"); // Gradient2, starts at 20 and finds its level
 * }</pre>
 *
 * <p>The verbs release the permit however the work ends: a result, an exception or an {@link
 * Error}, all of which pass through unchanged. An {@link InterruptedException} of the work passes
 * through the same way, with the interrupt flag as the work left it: the limiter never waits, so it
 * has nothing of its own to stop, as {@link Breaker} explains.
 *
 * <p>An adaptive limiter learns from samples. The verbs and {@link Permit} time the work on the
 * builder's ticker: a result is a success sample with its latency, a failure that {@linkplain
 * LimiterBuilder#droppedWhen matches} is a drop (a loss), and any other failure gives the permit
 * back without a sample. Code that times calls itself pairs {@link #tryAcquire()} with exactly one
 * of {@link #onSuccess(long)}, {@link #onDropped()} or {@link #release()}. A change of the limit is
 * told to the {@linkplain #onChange listeners}; a lower limit lets calls already running finish.
 *
 * <p>Thread-safe. Taking and giving back a permit take no lock and allocate nothing; the limit is
 * updated under a lock that no thread waits for (a thread that finds it taken leaves its sample to
 * the holder).
 */
public final class Limiter {

  private static final Logger LOG = LoggerFactory.getLogger("io.dyno.breaker");

  private final String name;
  private final int permits;
  private final @Nullable AdaptiveLimit adaptive;
  private final LongSupplier ticker;
  private final Predicate<? super Throwable> droppedWhen;
  private final AtomicInteger inUse = new AtomicInteger();
  private final boolean writableStackTrace;
  private final List<Consumer<? super Change>> listeners = new CopyOnWriteArrayList<>();

  private Limiter(
      String name,
      int permits,
      @Nullable LimitAlgorithm algorithm,
      LongSupplier ticker,
      Predicate<? super Throwable> droppedWhen,
      boolean writableStackTrace) {
    this.name = name;
    this.permits = permits;
    this.ticker = ticker;
    this.droppedWhen = droppedWhen;
    this.writableStackTrace = writableStackTrace;
    this.adaptive = algorithm == null ? null : new AdaptiveLimit(algorithm, this::changed);
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
   * Returns an adaptive limiter with the Gradient2 algorithm and its defaults: it starts at 20
   * calls and moves between 20 and 200 by the calls' latency. {@link #builder} chooses another
   * algorithm or other settings.
   *
   * @param name the name shown in messages, not blank
   * @return the limiter
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Limiter adaptive(String name) {
    return builder(name).gradient2().build();
  }

  /**
   * Returns a builder for a limiter with the given name, for which either a number of permits or an
   * adaptive algorithm must be set.
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

  static Limiter create(
      String name,
      int permits,
      @Nullable LimitAlgorithm algorithm,
      LongSupplier ticker,
      Predicate<? super Throwable> droppedWhen,
      boolean writableStackTrace) {
    return new Limiter(name, permits, algorithm, ticker, droppedWhen, writableStackTrace);
  }

  /**
   * A change of an adaptive limiter's limit, told to its {@linkplain Limiter#onChange listeners}.
   *
   * @param name the limiter's name
   * @param previous the limit before
   * @param limit the limit now
   */
  public record Change(String name, int previous, int limit) {}

  /**
   * A permit to run one call, given back by {@link #close()}, {@link #dropped()} or {@link
   * #ignore()}; only the first of them counts. On an adaptive limiter the permit times the call
   * from {@link Limiter#acquire()} on.
   */
  public static final class Permit implements AutoCloseable {
    private final Limiter limiter;
    private final long start;
    private final int inflight;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private Permit(Limiter limiter, long start, int inflight) {
      this.limiter = limiter;
      this.start = start;
      this.inflight = inflight;
    }

    /** Gives the permit back; on an adaptive limiter, a success that took the time since taken. */
    @Override
    public void close() {
      if (open.compareAndSet(true, false)) {
        limiter.succeeded(start, inflight);
      }
    }

    /** Gives the permit back as a loss, such as a timeout or an overload answer. */
    public void dropped() {
      if (open.compareAndSet(true, false)) {
        limiter.leave();
        limiter.lost(inflight);
      }
    }

    /** Gives the permit back without a sample, for a failure that says nothing about capacity. */
    public void ignore() {
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
    int inflight = admit();
    if (inflight == 0) {
      throw full();
    }
    return new Permit(this, start(), inflight);
  }

  /**
   * Takes a permit if one is free, for code that pairs it with exactly one of {@link
   * #onSuccess(long)}, {@link #onDropped()} or {@link #release()}. Takes no lock and allocates
   * nothing.
   *
   * @return whether a permit was taken
   */
  public boolean tryAcquire() {
    return admit() != 0;
  }

  /**
   * Gives back a permit taken by {@link #tryAcquire()} without a sample: for a call that failed in
   * a way that says nothing about the capacity, or on a fixed limiter.
   *
   * @throws IllegalStateException if no permit is in use
   */
  public void release() {
    leave();
  }

  /**
   * Gives back a permit taken by {@link #tryAcquire()} for a call that succeeded after {@code
   * latencyNanos}, the sample an adaptive limiter learns from; a fixed limiter only releases. Takes
   * no lock a caller waits for and allocates nothing unless the limit changes.
   *
   * @param latencyNanos how long the call took, in nanoseconds, at least 0
   * @throws IllegalArgumentException if {@code latencyNanos} is negative; the permit is given back
   * @throws IllegalStateException if no permit is in use
   */
  public void onSuccess(long latencyNanos) {
    int inflight = leave();
    if (latencyNanos < 0) {
      throw new IllegalArgumentException(
          "latencyNanos must be >= 0, was " + latencyNanos + " (limiter '" + name + "')");
    }
    if (adaptive != null) {
      adaptive.sample(latencyNanos, inflight, false);
    }
  }

  /**
   * Gives back a permit taken by {@link #tryAcquire()} for a call that was a loss: it timed out, or
   * the service answered that it is overloaded. An adaptive limiter backs off; a fixed one only
   * releases.
   *
   * @throws IllegalStateException if no permit is in use
   */
  public void onDropped() {
    lost(leave());
  }

  /**
   * Gives back a permit taken by {@link #tryAcquire()} for a call that failed with {@code failure}:
   * a loss, as {@link #onDropped()}, when the builder's {@link LimiterBuilder#droppedWhen
   * droppedWhen} matches it; otherwise the permit is given back without a sample, as {@link
   * #release()} does, since the failure says nothing about the dependency's capacity.
   *
   * @param failure what the call failed with
   * @throws IllegalStateException if no permit is in use
   */
  public void onFailure(Throwable failure) {
    Objects.requireNonNull(failure, "failure must not be null");
    if (adaptive != null && isDrop(failure)) {
      onDropped();
    } else {
      release();
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
    int inflight = admit();
    if (inflight == 0) {
      throw full();
    }
    long start = start();
    T result;
    try {
      result = callable.call();
    } catch (Throwable t) {
      failed(t, inflight);
      throw t;
    }
    succeeded(start, inflight);
    return result;
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
    int inflight = admit();
    if (inflight == 0) {
      throw full();
    }
    long start = start();
    T result;
    try {
      result = supplier.get();
    } catch (Throwable t) {
      failed(t, inflight);
      throw t;
    }
    succeeded(start, inflight);
    return result;
  }

  /**
   * Runs {@code runnable} holding a permit.
   *
   * @param runnable the work
   * @throws LimitExceededException if every permit is in use; the work did not run
   */
  public void run(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    int inflight = admit();
    if (inflight == 0) {
      throw full();
    }
    long start = start();
    try {
      runnable.run();
    } catch (Throwable t) {
      failed(t, inflight);
      throw t;
    }
    succeeded(start, inflight);
  }

  /**
   * Adds a listener told of every change of the limit, after the change and on the thread that made
   * it. One that throws is logged at WARN on the {@code io.dyno.breaker} logger, and the other
   * listeners are still told. A fixed limiter never changes.
   *
   * @param listener the listener
   * @return this limiter
   */
  public Limiter onChange(Consumer<? super Change> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
    return this;
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
   * Returns how many calls may run at once now, as {@link #limit()} does.
   *
   * @return the permits
   */
  public int permits() {
    return limit();
  }

  /**
   * Returns how many calls may run at once now: the permits of a fixed limiter, the current limit
   * of an adaptive one.
   *
   * @return the limit, at least 1
   */
  public int limit() {
    return adaptive == null ? permits : adaptive.limit();
  }

  /**
   * Returns the algorithm that sets the limit: {@code fixed}, {@code gradient2}, {@code vegas} or
   * {@code aimd}.
   *
   * @return the algorithm's name
   */
  public String algorithm() {
    return adaptive == null ? "fixed" : adaptive.algorithm();
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
   * Returns how many calls hold a permit now, as {@link #inUse()} does.
   *
   * @return the calls in flight
   */
  public int inFlight() {
    return inUse.get();
  }

  /**
   * Returns how many permits are free now; 0 while a lowered limit waits for calls to finish.
   *
   * @return the free permits
   */
  public int available() {
    return Math.max(0, limit() - inUse.get());
  }

  /**
   * Returns {@code Limiter[name=exports, inUse=2, permits=4]} for a fixed limiter: the name, the
   * permits in use now and the permits; and {@code Limiter[name=search, inFlight=3, limit=20,
   * algorithm=gradient2]} for an adaptive one.
   *
   * @return the description
   */
  @Override
  public String toString() {
    if (adaptive == null) {
      return "Limiter[name=" + name + ", inUse=" + inUse.get() + ", permits=" + permits + "]";
    }
    return "Limiter[name="
        + name
        + ", inFlight="
        + inUse.get()
        + ", limit="
        + adaptive.limit()
        + ", algorithm="
        + adaptive.algorithm()
        + "]";
  }

  /** Takes a permit; returns the calls in flight with it, itself included, or 0 if full. */
  private int admit() {
    while (true) {
      int n = inUse.get();
      if (n >= limit()) {
        return 0;
      }
      if (inUse.compareAndSet(n, n + 1)) {
        return n + 1;
      }
    }
  }

  /** Gives back a permit; returns the calls that were in flight, itself included. */
  private int leave() {
    while (true) {
      int n = inUse.get();
      if (n == 0) {
        throw new IllegalStateException("Limiter '" + name + "': release without a permit");
      }
      if (inUse.compareAndSet(n, n - 1)) {
        return n;
      }
    }
  }

  private long start() {
    return adaptive == null ? 0L : ticker.getAsLong();
  }

  private void succeeded(long start, int inflight) {
    leave();
    if (adaptive != null) {
      adaptive.sample(ticker.getAsLong() - start, inflight, false);
    }
  }

  /** Feeds a loss to an adaptive limit; the permit was given back already. */
  private void lost(int inflight) {
    if (adaptive != null) {
      adaptive.sample(0L, inflight, true);
    }
  }

  private void failed(Throwable t, int inflight) {
    leave();
    if (adaptive != null && isDrop(t)) {
      lost(inflight);
    }
  }

  private boolean isDrop(Throwable t) {
    try {
      return droppedWhen.test(t);
    } catch (RuntimeException e) {
      LOG.warn("Limiter '{}': droppedWhen failed on {}; counted as no sample", name, t, e);
      t.addSuppressed(e);
      return false;
    }
  }

  private void changed(int previous, int limit) {
    if (listeners.isEmpty()) {
      return;
    }
    Change c = new Change(name, previous, limit);
    for (Consumer<? super Change> listener : listeners) {
      try {
        listener.accept(c);
      } catch (RuntimeException e) {
        LOG.warn("Limiter '{}': onChange listener {} failed", name, listener, e);
      }
    }
  }

  /**
   * Returns the exception the verbs and {@link #acquire()} throw when every permit is in use, with
   * the limit and the calls in flight as they stand now; takes nothing. For code that asks {@link
   * #tryAcquire()} itself and rejects a call the way the verbs do.
   *
   * <pre>{@code
   * if (!search.tryAcquire()) {
   *   throw search.rejection();
   * }
   * }</pre>
   *
   * @return the exception, not thrown
   */
  public LimitExceededException rejection() {
    return full();
  }

  private LimitExceededException full() {
    if (adaptive == null) {
      return new LimitExceededException(name, permits, writableStackTrace);
    }
    return new LimitExceededException(
        name, inUse.get(), adaptive.limit(), adaptive.algorithm(), writableStackTrace);
  }
}
