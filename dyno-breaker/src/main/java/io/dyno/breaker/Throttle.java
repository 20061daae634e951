package io.dyno.breaker;

import io.dyno.breaker.internal.Durations;
import io.dyno.breaker.internal.Names;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Client-side adaptive throttling, as in the "Handling Overload" chapter of Google's <i>Site
 * Reliability Engineering</i>: a client that sees its backend reject calls starts rejecting some of
 * its own calls locally, before they cost the backend anything.
 *
 * <pre>{@code
 * Throttle search = Throttle.of("search");
 * Result r = search.call(() -> client.search(query)); // ThrottledException if rejected locally
 * }</pre>
 *
 * <p>Over a rolling window (by default 2 minutes in 12 buckets of 10 s) the throttle counts {@link
 * #requests()}, the calls the client attempted, and {@link #accepts()}, the calls the backend
 * accepted. Before each call it rejects the call locally with the probability
 *
 * <pre>
 * max(0, (requests - K * accepts) / (requests + 1))
 * </pre>
 *
 * <p>from the counts before the call, with {@code K = 2} unless the builder sets another. A call
 * rejected locally is counted as a request too, so that a backend that accepts nothing still gets
 * an occasional call and the throttle learns when it recovers. While the backend accepts everything
 * the probability stays 0; when it accepts less, the client sends it about {@code K} calls per call
 * it accepts.
 *
 * <p><b>Use.</b> The verbs {@link #call}, {@link #get} and {@link #run} do the counting: a call
 * that returns is an accept, one that throws is not, unless the builder's {@link Builder#accepted
 * accepted} predicate says the backend accepted it anyway (a 404, a validation error). Without the
 * verbs, ask {@link #tryAcquire()} and, when it answers true, report {@link #onAccepted()} or
 * {@link #onRejected()} once the backend answered.
 *
 * <p><b>Cost.</b> {@link #tryAcquire()} and {@link #onAccepted()} take no lock and allocate nothing
 * but a bucket once per bucket period: they read the ticker, the random for the draw, and the
 * striped counters ({@link LongAdder}) of the window's buckets.
 *
 * <p>Thread-safe.
 */
public final class Throttle {

  /** The default multiplier of the accepts: the book's 2. */
  public static final double DEFAULT_K = 2.0;

  /** The default window: 2 minutes. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);

  /** The default number of buckets of the window: 12, of 10 s each. */
  public static final int DEFAULT_BUCKETS = 12;

  /** The most buckets a window may have, as for a breaker. */
  public static final int MAX_BUCKETS = 1000;

  /** The default random: a draw from the calling thread's {@link ThreadLocalRandom}. */
  private static double threadLocalDraw() {
    return ThreadLocalRandom.current().nextDouble();
  }

  /** What a call rejected locally returns from {@link #decide}: never a probability. */
  private static final double GO = -1.0;

  /** The requests and accepts of one bucket period. */
  private static final class Bucket {
    final long period;
    final LongAdder requests = new LongAdder();
    final LongAdder accepts = new LongAdder();

    Bucket(long period) {
      this.period = period;
    }
  }

  private static final VarHandle CURRENT;

  static {
    try {
      CURRENT = MethodHandles.lookup().findVarHandle(Throttle.class, "current", Bucket.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final double k;
  private final Duration window;
  private final int size;
  private final long bucketNanos;
  private final long origin;
  private final LongSupplier ticker;
  private final DoubleSupplier random;
  private final Predicate<? super Throwable> accepted;
  private final AtomicReferenceArray<Bucket> ring;

  /** The newest bucket; advanced by {@link #CURRENT}. */
  @SuppressWarnings("UnusedVariable") // read and written through CURRENT too
  private volatile Bucket current;

  private Throttle(Builder b) {
    this.name = b.name;
    this.k = b.k;
    this.window = b.window;
    this.size = b.buckets;
    this.bucketNanos = Durations.toNanosSaturated(b.window) / b.buckets;
    this.ticker = b.ticker;
    this.random = b.random;
    this.accepted = b.accepted;
    this.origin = ticker.getAsLong();
    this.ring = new AtomicReferenceArray<>(size);
    Bucket first = new Bucket(0);
    ring.set(0, first);
    this.current = first;
  }

  /**
   * Returns a throttle with the defaults: a 2-minute window in 12 buckets, {@code K = 2}, the
   * system ticker, {@link ThreadLocalRandom}, and every failure counted as not accepted.
   *
   * @param name the name, not blank
   * @return the throttle
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Throttle of(String name) {
    return builder(name).build();
  }

  /**
   * Returns a builder of a throttle named {@code name}.
   *
   * @param name the name, not blank
   * @return the builder
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder builder(String name) {
    return new Builder(Names.require(name, "name"));
  }

  // ---------------------------------------------------------------- deciding

  /**
   * Decides whether a call may go to the backend: false if the throttle rejects it locally. Either
   * way the call counts as a request. After true, report {@link #onAccepted()} or {@link
   * #onRejected()} when the backend has answered. Takes no lock and allocates nothing but a bucket
   * once per bucket period.
   *
   * @return true to make the call, false if it was rejected locally
   */
  public boolean tryAcquire() {
    return decide() == GO;
  }

  /**
   * Counts one request at the ticker's time and draws: returns {@link #GO}, or the probability the
   * call was rejected with.
   */
  private double decide() {
    long now = ticker.getAsLong();
    long newest = newestPeriod(now);
    long requests = sum(newest, true);
    long accepts = sum(newest, false);
    double p = probability(requests, accepts);
    Bucket b = bucketAt(now);
    if (b != null) {
      b.requests.increment();
    }
    return p > 0 && random.getAsDouble() < p ? p : GO;
  }

  /**
   * Reports that the backend accepted a call that {@link #tryAcquire()} let go: counts one accept
   * at the ticker's time. Takes no lock and allocates nothing but a bucket once per bucket period.
   */
  public void onAccepted() {
    Bucket b = bucketAt(ticker.getAsLong());
    if (b != null) {
      b.accepts.increment();
    }
  }

  /**
   * Reports that the backend rejected a call that {@link #tryAcquire()} let go: it was counted as a
   * request already and is not an accept, so nothing more is counted.
   */
  public void onRejected() {
    // The request was counted when it was acquired; a rejection adds no accept.
  }

  // ---------------------------------------------------------------- verbs

  /**
   * Calls {@code work} unless the throttle rejects it locally, and counts the outcome: a result is
   * an accept, and so is an exception the {@link Builder#accepted accepted} predicate matches.
   *
   * @param work the work
   * @param <T> the result type
   * @return the work's result
   * @throws ThrottledException if the call was rejected locally; the work did not run
   * @throws Exception what the work threw, unchanged
   */
  public <T> T call(Callable<T> work) throws Exception {
    Objects.requireNonNull(work, "work must not be null");
    acquireOrThrow();
    T result;
    try {
      result = work.call();
    } catch (Throwable t) {
      onFailure(t);
      throw t;
    }
    onAccepted();
    return result;
  }

  /**
   * Gets a value from {@code work} unless the throttle rejects it locally, and counts the outcome
   * as {@link #call} does.
   *
   * @param work the work
   * @param <T> the result type
   * @return the work's result
   * @throws ThrottledException if the call was rejected locally; the work did not run
   */
  public <T> T get(Supplier<T> work) {
    Objects.requireNonNull(work, "work must not be null");
    acquireOrThrow();
    T result;
    try {
      result = work.get();
    } catch (Throwable t) {
      onFailure(t);
      throw t;
    }
    onAccepted();
    return result;
  }

  /**
   * Runs {@code work} unless the throttle rejects it locally, and counts the outcome as {@link
   * #call} does.
   *
   * @param work the work
   * @throws ThrottledException if the call was rejected locally; the work did not run
   */
  public void run(Runnable work) {
    Objects.requireNonNull(work, "work must not be null");
    acquireOrThrow();
    try {
      work.run();
    } catch (Throwable t) {
      onFailure(t);
      throw t;
    }
    onAccepted();
  }

  /**
   * Returns the exception the verbs throw when the throttle rejects a call locally, with the
   * probability and the window's counts as they stand now; counts nothing. For code that asks
   * {@link #tryAcquire()} itself and reports a rejection the way the verbs do.
   *
   * <pre>{@code
   * if (!search.tryAcquire()) {
   *   throw search.rejection();
   * }
   * }</pre>
   *
   * @return the exception, not thrown
   */
  public ThrottledException rejection() {
    return new ThrottledException(
        name, probability(), requests(), accepts(), Durations.format(window));
  }

  private void acquireOrThrow() {
    double p = decide();
    if (p != GO) {
      throw new ThrottledException(name, p, requests(), accepts(), Durations.format(window));
    }
  }

  /**
   * Reports that a call that {@link #tryAcquire()} let go failed with {@code failure}: an accept if
   * the builder's {@link Builder#accepted accepted} predicate matches it (the backend answered,
   * with an error that says nothing about its load), else the same as {@link #onRejected()}.
   *
   * @param failure what the call failed with
   */
  public void onFailure(Throwable failure) {
    Objects.requireNonNull(failure, "failure must not be null");
    if (accepted.test(failure)) {
      onAccepted();
    } else {
      onRejected();
    }
  }

  // ---------------------------------------------------------------- the window

  /** The newest period as of {@code now}: a reading older than another thread's counts as its. */
  private long newestPeriod(long now) {
    return Math.max(Math.floorDiv(now - origin, bucketNanos), current.period);
  }

  /** The requests or the accepts of the buckets in the window ending at period {@code newest}. */
  private long sum(long newest, boolean requests) {
    long total = 0;
    for (int i = 0; i < size; i++) {
      Bucket b = ring.get(i);
      if (b != null && newest - b.period < size && b.period <= newest) {
        total += (requests ? b.requests : b.accepts).sum();
      }
    }
    return total;
  }

  /** Returns the bucket of the period of {@code now}, or null if that time left the window. */
  private @Nullable Bucket bucketAt(long now) {
    Bucket c = current;
    long period = Math.floorDiv(now - origin, bucketNanos);
    if (period == c.period) {
      return c;
    }
    int slot = (int) Math.floorMod(period, (long) size);
    while (true) {
      Bucket b = ring.get(slot);
      if (b != null && b.period >= period) {
        // A newer bucket holds the slot: this time is at least a window older than the newest.
        return b.period == period ? b : null;
      }
      Bucket fresh = new Bucket(period);
      if (ring.compareAndSet(slot, b, fresh)) {
        c = current;
        while (period > c.period && !CURRENT.compareAndSet(this, c, fresh)) {
          c = current;
        }
        return fresh;
      }
    }
  }

  private double probability(long requests, long accepts) {
    return Math.max(0.0, (requests - k * accepts) / (requests + 1));
  }

  // ---------------------------------------------------------------- reading

  /**
   * Returns the probability with which the next call would be rejected locally, from the window's
   * counts now: {@code max(0, (requests - K * accepts) / (requests + 1))}.
   *
   * @return the probability, in {@code [0, 1)}
   */
  public double probability() {
    long newest = newestPeriod(ticker.getAsLong());
    return probability(sum(newest, true), sum(newest, false));
  }

  /**
   * Returns the requests in the window now: the calls attempted, those rejected locally included.
   *
   * @return the count
   */
  public long requests() {
    return sum(newestPeriod(ticker.getAsLong()), true);
  }

  /**
   * Returns the accepts in the window now: the calls the backend accepted.
   *
   * @return the count
   */
  public long accepts() {
    return sum(newestPeriod(ticker.getAsLong()), false);
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
   * Returns the multiplier {@code K} of the accepts.
   *
   * @return K, at least 1
   */
  public double k() {
    return k;
  }

  /**
   * Returns {@code Throttle[name=search, probability=0.0, requests=0, accepts=0]}: the name, and
   * the probability and counts of the window now.
   *
   * @return the description
   */
  @Override
  public String toString() {
    long newest = newestPeriod(ticker.getAsLong());
    long requests = sum(newest, true);
    long accepts = sum(newest, false);
    return "Throttle[name="
        + name
        + ", probability="
        + probability(requests, accepts)
        + ", requests="
        + requests
        + ", accepts="
        + accepts
        + "]";
  }

  // ---------------------------------------------------------------- builder

  /** Builds a {@link Throttle}. Not thread-safe; each {@link #build()} makes a new throttle. */
  public static final class Builder {

    private final String name;
    private Duration window = DEFAULT_WINDOW;
    private int buckets = DEFAULT_BUCKETS;
    private double k = DEFAULT_K;
    private LongSupplier ticker = Breaker.systemTicker();
    private DoubleSupplier random = Throttle::threadLocalDraw;
    private Predicate<? super Throwable> accepted = t -> false;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Sets the rolling window the requests and accepts are counted over, and how many buckets it is
     * counted in: a bucket's counts leave the window all at once. The default is 2 minutes in 12
     * buckets.
     *
     * @param window positive, and at least one nanosecond per bucket
     * @param buckets in {@code [1, 1000]}
     * @return this builder
     * @throws IllegalArgumentException if {@code window} is not positive, {@code buckets} is
     *     outside {@code [1, 1000]}, or the window is shorter than one nanosecond per bucket
     */
    public Builder window(Duration window, int buckets) {
      Objects.requireNonNull(window, "window must not be null");
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("window must be positive, was " + window);
      }
      if (buckets < 1 || buckets > MAX_BUCKETS) {
        throw new IllegalArgumentException(
            "buckets must be in [1, " + MAX_BUCKETS + "], was " + buckets);
      }
      if (Durations.toNanosSaturated(window) < buckets) {
        throw new IllegalArgumentException(
            "window must be at least 1 ns per bucket, was " + window + " for " + buckets);
      }
      this.window = window;
      this.buckets = buckets;
      return this;
    }

    /**
     * Sets the multiplier {@code K} of the accepts: the client sends the backend about {@code K}
     * calls per call it accepts before it rejects calls locally. The default is 2; lower is more
     * aggressive.
     *
     * @param k at least 1, finite
     * @return this builder
     * @throws IllegalArgumentException if {@code k} is below 1, infinite or NaN
     */
    public Builder k(double k) {
      if (!(k >= 1) || Double.isInfinite(k)) {
        throw new IllegalArgumentException("k must be >= 1 and finite, was " + k);
      }
      this.k = k;
      return this;
    }

    /**
     * Sets the monotonic clock, in nanoseconds, the window's buckets are counted on; the default is
     * {@link Breaker#systemTicker()}.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Sets the source of the draws that decide a local rejection: each call is rejected when a draw
     * is below the probability. The default draws from {@link ThreadLocalRandom}; pass {@code
     * generator::nextDouble} to use a {@link java.util.random.RandomGenerator}.
     *
     * @param random returns numbers in {@code [0, 1)}
     * @return this builder
     */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random must not be null");
      return this;
    }

    /**
     * Sets which failures of the verbs' work still mean the backend accepted the call, such as a
     * not-found answer: they count as accepts. By default none does.
     *
     * @param accepted true for a failure the backend accepted
     * @return this builder
     */
    public Builder accepted(Predicate<? super Throwable> accepted) {
      this.accepted = Objects.requireNonNull(accepted, "accepted must not be null");
      return this;
    }

    /**
     * Builds the throttle; it reads the ticker once, for the origin of its buckets.
     *
     * @return the throttle
     */
    public Throttle build() {
      return new Throttle(this);
    }
  }
}
