package io.dyno.aspect;

import io.dyno.aspect.internal.Durations;
import io.dyno.aspect.internal.Names;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Around filters that inject trouble into a share of the calls, to see how the code around an
 * aspect copes: a failure, a delay, a wrong result, or some extra work.
 *
 * <pre>{@code
 * Aspect<String, String> page = Aspect.of("page", path -> "<h1>" + path + "</h1>");
 * // one call in ten fails as a dropped connection would
 * Registration drops =
 *     page.around(Chaos.fault(0.1, () -> new IOException("connection reset by chaos")));
 * // ...
 * drops.remove();
 * }</pre>
 *
 * <ul>
 *   <li>{@link #fault fault}: throws the supplied throwable instead of calling the function;
 *   <li>{@link #latency(double, Duration) latency}: sleeps, then calls the function;
 *   <li>{@link #outcome outcome}: calls the function, then replaces its result;
 *   <li>{@link #behaviour behaviour}: runs something, then calls the function.
 * </ul>
 *
 * <p>Each call draws once: the filter injects when {@code random.nextDouble() < rate}. A rate of 0
 * never injects and a rate of 1 always does, neither of them drawing. When the filter's {@linkplain
 * Filter#enabled enabled} switch is off, the call goes straight on, without a draw.
 *
 * <p>A {@link Filter} is an {@link Aspect.Around}: {@code aspect.around(filter)} installs it and
 * the returned {@link Registration} removes it, from any thread, while calls run.
 */
public final class Chaos {

  private Chaos() {}

  /**
   * How a latency filter waits: {@link #system()} really sleeps; tests give one that returns at
   * once or blocks until told.
   */
  @FunctionalInterface
  public interface Sleeper {

    /**
     * Blocks the calling thread for {@code duration}.
     *
     * @param duration how long, positive
     * @throws InterruptedException if the thread is interrupted while it waits
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Returns the sleeper that really waits, with {@link TimeUnit#sleep}: the default.
     *
     * @return the system sleeper
     */
    static Sleeper system() {
      return SYSTEM_SLEEPER;
    }
  }

  private static final Sleeper SYSTEM_SLEEPER =
      duration -> TimeUnit.NANOSECONDS.sleep(Durations.toNanosSaturated(duration));

  /**
   * Returns a filter that, in a share {@code rate} of the calls, throws the throwable {@code fault}
   * supplies instead of calling the rest of the pipeline. The throwable is thrown as it is, checked
   * ones included, so that the caller sees exactly what a real failure would be.
   *
   * @param rate the share of the calls to inject into, from 0 to 1
   * @param fault supplies the throwable to throw, a new one or the same each time, not null
   * @param <A> the argument type
   * @param <R> the result type
   * @return the filter, named {@code fault}
   * @throws IllegalArgumentException if {@code rate} is not between 0 and 1
   */
  public static <A, R> Filter<A, R> fault(double rate, Supplier<? extends Throwable> fault) {
    Objects.requireNonNull(fault, "fault must not be null");
    return new Filter<>(Kind.FAULT, rate, new Fault<>(fault));
  }

  /**
   * Returns a filter that, in a share {@code rate} of the calls, sleeps {@code delay} before it
   * calls the rest of the pipeline.
   *
   * @param rate the share of the calls to inject into, from 0 to 1
   * @param delay how long to sleep, zero or positive
   * @param <A> the argument type
   * @param <R> the result type
   * @return the filter, named {@code latency}
   * @throws IllegalArgumentException if {@code rate} is not between 0 and 1, or {@code delay} is
   *     negative
   */
  public static <A, R> Filter<A, R> latency(double rate, Duration delay) {
    Objects.requireNonNull(delay, "delay must not be null");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, was " + delay);
    }
    return new Filter<>(Kind.LATENCY, rate, new Latency<>(() -> delay));
  }

  /**
   * Returns a filter that, in a share {@code rate} of the calls, sleeps as long as {@code delays}
   * says, asked anew each time, before it calls the rest of the pipeline.
   *
   * @param rate the share of the calls to inject into, from 0 to 1
   * @param delays supplies each delay, zero or positive; a null or negative one fails the call with
   *     an {@link IllegalStateException} naming the filter and the value
   * @param <A> the argument type
   * @param <R> the result type
   * @return the filter, named {@code latency}
   * @throws IllegalArgumentException if {@code rate} is not between 0 and 1
   */
  public static <A, R> Filter<A, R> latency(double rate, Supplier<Duration> delays) {
    Objects.requireNonNull(delays, "delays must not be null");
    return new Filter<>(Kind.LATENCY, rate, new Latency<>(delays));
  }

  /**
   * Returns a filter that, in a share {@code rate} of the calls, calls the rest of the pipeline and
   * returns what {@code outcome} makes of its result instead.
   *
   * @param rate the share of the calls to inject into, from 0 to 1
   * @param outcome given the real result, returns the one to use instead, not null
   * @param <A> the argument type
   * @param <R> the result type
   * @return the filter, named {@code outcome}
   * @throws IllegalArgumentException if {@code rate} is not between 0 and 1
   */
  public static <A, R> Filter<A, R> outcome(double rate, Function<? super R, ? extends R> outcome) {
    Objects.requireNonNull(outcome, "outcome must not be null");
    return new Filter<>(Kind.OUTCOME, rate, new Outcome<>(outcome));
  }

  /**
   * Returns a filter that, in a share {@code rate} of the calls, runs {@code behaviour} and then
   * calls the rest of the pipeline. If {@code behaviour} throws, the call fails with that,
   * unchanged.
   *
   * @param rate the share of the calls to inject into, from 0 to 1
   * @param behaviour what to run before the call, such as using up memory or a connection
   * @param <A> the argument type
   * @param <R> the result type
   * @return the filter, named {@code behaviour}
   * @throws IllegalArgumentException if {@code rate} is not between 0 and 1
   */
  public static <A, R> Filter<A, R> behaviour(double rate, Runnable behaviour) {
    Objects.requireNonNull(behaviour, "behaviour must not be null");
    return new Filter<>(Kind.BEHAVIOUR, rate, new Behaviour<>(behaviour));
  }

  /**
   * A chaos filter: an {@link Aspect.Around} that injects into a share of the calls and lets the
   * others through untouched. Made by {@link Chaos}'s factories; each wither returns a new filter
   * with fresh counts, and leaves this one as it is.
   *
   * <p>Its settings are immutable, and it may serve any number of threads at once (given a {@link
   * #random random} generator that may too); its counts are {@link LongAdder}s, so a call takes no
   * lock.
   *
   * @param <A> the argument type
   * @param <R> the result type
   */
  public static final class Filter<A, R> implements Aspect.Around<A, R> {

    private final Kind kind;
    private final double rate;
    private final Injection<A, R> injection;
    private final String name;
    // Null: each thread's own ThreadLocalRandom, looked up on each draw.
    private final @Nullable RandomGenerator random;
    private final Sleeper sleeper;
    private final BooleanSupplier enabled;
    private final LongAdder injected = new LongAdder();
    private final LongAdder passed = new LongAdder();

    Filter(Kind kind, double rate, Injection<A, R> injection) {
      this(kind, checkRate(rate), injection, kind.label, null, SYSTEM_SLEEPER, Chaos::always);
    }

    private Filter(
        Kind kind,
        double rate,
        Injection<A, R> injection,
        String name,
        @Nullable RandomGenerator random,
        Sleeper sleeper,
        BooleanSupplier enabled) {
      this.kind = kind;
      this.rate = rate;
      this.injection = injection;
      this.name = name;
      this.random = random;
      this.sleeper = sleeper;
      this.enabled = enabled;
    }

    private static double checkRate(double rate) {
      // Written so that NaN fails too.
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("rate must be between 0 and 1, was " + rate);
      }
      return rate;
    }

    /**
     * Returns a filter like this one that draws from {@code random}: a seeded one makes a
     * single-threaded run reproducible. The default is each thread's own {@link ThreadLocalRandom}.
     * A generator shared by threads must be thread-safe.
     *
     * @param random the generator
     * @return the new filter, with counts at zero
     */
    public Filter<A, R> random(RandomGenerator random) {
      Objects.requireNonNull(random, "random must not be null");
      return new Filter<>(kind, rate, injection, name, random, sleeper, enabled);
    }

    /**
     * Returns a filter like this one that waits with {@code sleeper}. Only a latency filter waits;
     * the default is {@link Sleeper#system()}.
     *
     * @param sleeper the sleeper
     * @return the new filter, with counts at zero
     */
    public Filter<A, R> sleeper(Sleeper sleeper) {
      Objects.requireNonNull(sleeper, "sleeper must not be null");
      return new Filter<>(kind, rate, injection, name, random, sleeper, enabled);
    }

    /**
     * Returns a filter like this one that injects only while {@code enabled} says so, such as
     * {@code flag::get} of an {@code AtomicBoolean} an operator flips. It is read once at the start
     * of each call; when false, the call goes straight on, without a draw. The default is always
     * true.
     *
     * @param enabled the switch, read on each call; it must be cheap and must not throw
     * @return the new filter, with counts at zero
     */
    public Filter<A, R> enabled(BooleanSupplier enabled) {
      Objects.requireNonNull(enabled, "enabled must not be null");
      return new Filter<>(kind, rate, injection, name, random, sleeper, enabled);
    }

    /**
     * Returns a filter like this one named {@code name}, for its messages and {@link #toString()}.
     * The default is its kind: {@code fault}, {@code latency}, {@code outcome} or {@code
     * behaviour}.
     *
     * @param name the name, not blank
     * @return the new filter, with counts at zero
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Filter<A, R> name(String name) {
      Names.require(name, "name");
      return new Filter<>(kind, rate, injection, name, random, sleeper, enabled);
    }

    /**
     * Returns this filter's name.
     *
     * @return the name
     */
    public String name() {
      return name;
    }

    /**
     * Returns the share of the calls this filter injects into, from 0 to 1.
     *
     * @return the rate
     */
    public double rate() {
      return rate;
    }

    /**
     * Returns how many calls this filter has injected into: counted when the draw picks a call,
     * before the injection runs.
     *
     * @return the number of calls injected into
     */
    public long injected() {
      return injected.sum();
    }

    /**
     * Returns how many calls this filter has let through untouched, whether because the draw spared
     * them or because the filter was not enabled.
     *
     * @return the number of calls let through
     */
    public long passed() {
      return passed.sum();
    }

    /**
     * Injects into this call or lets it through, as the enabled switch and one draw decide.
     *
     * @param arg the argument
     * @param next the rest of the pipeline
     * @return the result of {@code next}, or with an outcome filter, what the outcome made of it
     */
    @Override
    public R apply(A arg, Function<A, R> next) {
      if (!enabled.getAsBoolean() || !draw()) {
        passed.increment();
        return next.apply(arg);
      }
      injected.increment();
      return injection.inject(this, arg, next);
    }

    private boolean draw() {
      if (rate == 0) {
        return false;
      }
      if (rate == 1) {
        return true;
      }
      RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
      return r.nextDouble() < rate;
    }

    /**
     * Returns {@code Chaos.Filter[name=slow payments, kind=latency, rate=0.3, injected=12,
     * passed=28]}.
     *
     * @return the description
     */
    @Override
    public String toString() {
      return "Chaos.Filter[name="
          + name
          + ", kind="
          + kind.label
          + ", rate="
          + rate
          + ", injected="
          + injected()
          + ", passed="
          + passed()
          + "]";
    }

    private String describe() {
      return "chaos filter '" + name + "'";
    }
  }

  /** The four kinds of filter, by the label of their default name. */
  enum Kind {
    FAULT("fault"),
    LATENCY("latency"),
    OUTCOME("outcome"),
    BEHAVIOUR("behaviour");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** What a filter does to a call it injects into. */
  private interface Injection<A, R> {
    R inject(Filter<A, R> filter, A arg, Function<A, R> next);
  }

  private static final class Fault<A, R> implements Injection<A, R> {
    private final Supplier<? extends Throwable> fault;

    Fault(Supplier<? extends Throwable> fault) {
      this.fault = fault;
    }

    @Override
    public R inject(Filter<A, R> filter, A arg, Function<A, R> next) {
      Throwable t = fault.get();
      if (t == null) {
        throw new NullPointerException("fault of " + filter.describe() + " returned null");
      }
      throw Chaos.<RuntimeException>rethrow(t);
    }
  }

  private static final class Latency<A, R> implements Injection<A, R> {
    private final Supplier<Duration> delays;

    Latency(Supplier<Duration> delays) {
      this.delays = delays;
    }

    @Override
    public R inject(Filter<A, R> filter, A arg, Function<A, R> next) {
      Duration delay = delays.get();
      if (delay == null) {
        throw new IllegalStateException("delays of " + filter.describe() + " returned null");
      }
      if (delay.isNegative()) {
        throw new IllegalStateException(
            "delays of " + filter.describe() + " returned " + delay + ", a negative delay");
      }
      if (!delay.isZero()) {
        try {
          filter.sleeper.sleep(delay);
        } catch (InterruptedException e) {
          // Stop at once, as dyno does on an interrupt: the call ends with the exception as it is
          // and the flag set again, so that whatever interrupted the call sees it stop.
          Thread.currentThread().interrupt();
          throw Chaos.<RuntimeException>rethrow(e);
        }
      }
      return next.apply(arg);
    }
  }

  private static final class Outcome<A, R> implements Injection<A, R> {
    private final Function<? super R, ? extends R> outcome;

    Outcome(Function<? super R, ? extends R> outcome) {
      this.outcome = outcome;
    }

    @Override
    public R inject(Filter<A, R> filter, A arg, Function<A, R> next) {
      R result = outcome.apply(next.apply(arg));
      if (result == null) {
        throw new NullPointerException("outcome of " + filter.describe() + " returned null");
      }
      return result;
    }
  }

  private static final class Behaviour<A, R> implements Injection<A, R> {
    private final Runnable behaviour;

    Behaviour(Runnable behaviour) {
      this.behaviour = behaviour;
    }

    @Override
    public R inject(Filter<A, R> filter, A arg, Function<A, R> next) {
      behaviour.run();
      return next.apply(arg);
    }
  }

  /** The default of the enabled switch. */
  private static boolean always() {
    return true;
  }

  /**
   * Throws {@code t} as it is, checked or not: {@code T} is inferred as {@link RuntimeException},
   * which the compiler lets through, and the cast does nothing at run time.
   */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
    throw (T) t;
  }
}
