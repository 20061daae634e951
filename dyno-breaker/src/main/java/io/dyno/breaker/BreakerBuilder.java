package io.dyno.breaker;

import io.dyno.breaker.internal.Durations;
import io.dyno.breaker.internal.Names;
import io.dyno.breaker.internal.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Breaker}, from {@link Breaker#builder(String)}; validates each setting as it is
 * given, and the settings together in {@link #build()}. Not thread-safe.
 */
public final class BreakerBuilder {
  /**
   * The most buckets a window may have. The window allocates its ring of buckets when the breaker
   * is built, so an unbounded count could end in an OutOfMemoryError; a thousand buckets, 10 ms
   * each in the default 10 s window, are far finer than any breaker needs and cost a few kilobytes.
   */
  static final int MAX_BUCKETS = 1000;

  private final String name;
  boolean manual;
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
  private LongSupplier ticker = Breaker.systemTicker();
  private boolean writableStackTrace = true;

  BreakerBuilder(String name) {
    this.name = Names.require(name, "name");
  }

  /**
   * Sets the failure rate, in percent of the calls in the window, at which the breaker opens; the
   * default is 50.
   *
   * @param percent in (0, 100]
   * @return this builder
   * @throws IllegalArgumentException if outside (0, 100]
   */
  public BreakerBuilder failureRateThreshold(double percent) {
    this.failureRateThreshold = percentage(percent, "failureRateThreshold");
    return this;
  }

  /**
   * Sets the rate of slow calls, in percent of the calls in the window, at which the breaker opens;
   * the default is 100. Needs {@link #slowCallThreshold}.
   *
   * @param percent in (0, 100]
   * @return this builder
   * @throws IllegalArgumentException if outside (0, 100]
   */
  public BreakerBuilder slowCallRateThreshold(double percent) {
    this.slowCallRateThreshold = percentage(percent, "slowCallRateThreshold");
    this.slowCallRateSet = true;
    return this;
  }

  /**
   * Sets how long a call may take before it counts as slow; unset by default, when no call is timed
   * for this purpose.
   *
   * @param threshold positive
   * @return this builder
   * @throws IllegalArgumentException if not positive
   */
  public BreakerBuilder slowCallThreshold(Duration threshold) {
    this.slowCallThreshold = positive(threshold, "slowCallThreshold");
    return this;
  }

  /**
   * Sets how many calls the window must hold before the breaker judges their rates; the default is
   * 20.
   *
   * @param calls at least 1
   * @return this builder
   * @throws IllegalArgumentException if below 1
   */
  public BreakerBuilder minimumCalls(int calls) {
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
  public BreakerBuilder window(Duration window) {
    this.window = positive(window, "window");
    return this;
  }

  /**
   * Sets how many buckets the window is counted in: a bucket's counts leave the window all at once.
   * The default is 10.
   *
   * @param buckets in [1, 1000]
   * @return this builder
   * @throws IllegalArgumentException if outside [1, 1000]
   */
  public BreakerBuilder buckets(int buckets) {
    if (buckets < 1 || buckets > MAX_BUCKETS) {
      throw new IllegalArgumentException(
          "buckets must be in [1, " + MAX_BUCKETS + "], was " + buckets);
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
  public BreakerBuilder openDuration(Duration openDuration) {
    this.openDuration = positive(openDuration, "openDuration");
    return this;
  }

  /**
   * Sets how many trial calls the half-open breaker lets through; all must succeed for it to close.
   * The default is 1.
   *
   * @param calls at least 1
   * @return this builder
   * @throws IllegalArgumentException if below 1
   */
  public BreakerBuilder halfOpenCalls(int calls) {
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
  public BreakerBuilder halfOpenTimeout(Duration timeout) {
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
  public final BreakerBuilder recordOn(Class<? extends Throwable>... types) {
    if (types == null) {
      throw new NullPointerException("recordOn must not be null");
    }
    for (int i = 0; i < types.length; i++) {
      recordOn.add(Objects.requireNonNull(types[i], "recordOn[" + i + "] must not be null"));
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
  public final BreakerBuilder ignore(Class<? extends Throwable>... types) {
    if (types == null) {
      throw new NullPointerException("ignore must not be null");
    }
    for (int i = 0; i < types.length; i++) {
      ignore.add(Objects.requireNonNull(types[i], "ignore[" + i + "] must not be null"));
    }
    return this;
  }

  /**
   * Counts a call that returns a non-null result of {@code type} that {@code predicate} accepts as
   * a failure; the result is still returned. Several calls add up.
   *
   * @param type the result type the predicate understands; other results are successes
   * @param predicate decides whether a result is a failure
   * @param <R> the result type
   * @return this builder
   */
  public <R> BreakerBuilder recordResult(Class<R> type, Predicate<? super R> predicate) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(predicate, "predicate must not be null");
    Predicate<Object> next = r -> type.isInstance(r) && predicate.test(type.cast(r));
    Predicate<Object> previous = resultFailure;
    resultFailure = previous == null ? next : previous.or(next);
    return this;
  }

  /**
   * Adds a listener told of every state change, once, on the thread that made it; an exception from
   * it is logged and otherwise ignored.
   *
   * @param listener the listener
   * @return this builder
   */
  public BreakerBuilder onStateChange(Consumer<? super StateChange> listener) {
    onStateChange.add(Objects.requireNonNull(listener, "listener must not be null"));
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
  public BreakerBuilder onCall(Consumer<? super CallEvent> listener) {
    onCall.add(Objects.requireNonNull(listener, "listener must not be null"));
    return this;
  }

  /**
   * Sets the monotonic clock, in nanoseconds, for the window, the open duration and slow calls; the
   * default is {@code System::nanoTime}.
   *
   * @param ticker the ticker
   * @return this builder
   */
  public BreakerBuilder ticker(LongSupplier ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
    return this;
  }

  /**
   * Sets whether a {@link BreakerOpenException} has a stack trace; the default is true. Without one
   * a rejection is several times cheaper, which matters when an open breaker rejects a flood.
   *
   * @param writable false to skip the stack trace
   * @return this builder
   */
  public BreakerBuilder writableStackTrace(boolean writable) {
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
    return new Breaker(
        new Settings(
            name,
            manual,
            failureRateThreshold,
            slowCallRateThreshold,
            minimumCalls,
            window,
            buckets,
            slowCallThreshold,
            openDuration,
            halfOpenCalls,
            halfOpenTimeout == null ? openDuration : halfOpenTimeout,
            recordOn,
            ignore,
            resultFailure,
            onStateChange,
            onCall,
            ticker,
            writableStackTrace));
  }

  private static double percentage(double percent, String parameter) {
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException(
          parameter + " must be in (0, 100] percent, was " + percent);
    }
    return percent;
  }

  private static Duration positive(Duration d, String parameter) {
    Objects.requireNonNull(d, parameter + " must not be null");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(parameter + " must be positive, was " + d);
    }
    return d;
  }
}
