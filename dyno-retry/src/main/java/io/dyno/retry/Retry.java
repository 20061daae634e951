package io.dyno.retry;

import io.dyno.retry.internal.Backoffs;
import io.dyno.retry.internal.Durations;
import io.dyno.retry.internal.Names;
import io.dyno.retry.internal.ThreadRandom;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Runs work again when it fails, waiting between attempts, and when it gives up throws the last
 * failure unchanged with every earlier attempt's failure attached.
 *
 * <pre>{@code
 * Retry connect = Retry.of("connect", 3);                 // 3 attempts, no wait
 * Socket s = connect.call(() -> new Socket(host, port));
 *
 * Retry fetch = Retry.builder("fetch")
 *     .maxAttempts(5)
 *     .maxDuration(Duration.ofSeconds(10))
 *     .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0).withJitter(0.5))
 *     .retryOn(IOException.class)
 *     .abortOn(FileNotFoundException.class)
 *     .budget(RetryBudget.ratio(0.2))
 *     .build();
 * }</pre>
 *
 * <p><b>Which failures are retried.</b> An {@link Error} never is: it leaves at once, untouched.
 * Nor is an {@link InterruptedException}. Of the other exceptions, one that matches {@code abortOn}
 * never is; when {@code retryOn} or {@code retryIf} are set, only one that matches one of them is;
 * otherwise every exception is. {@code retryIfResult} also retries on results.
 *
 * <p><b>When it gives up</b> — the last attempt failed, the next would pass {@code maxDuration},
 * the {@link RetryBudget} is spent, the server's {@link Pushback} said stop, or the failure is not
 * retryable — the last failure is thrown as it is, so it can be caught by its own type. Attached to
 * it with {@code addSuppressed} are first a {@link RetryStoppedException} saying how many attempts
 * ran, for how long and why it stopped, then the earlier attempts' failures, oldest first; {@link
 * CompoundException#of} lists them. With {@code throwCompound()} a {@link CompoundException} is
 * thrown instead. A call that stopped after its first attempt, whatever the reason, throws that
 * failure exactly as it came, with nothing attached and never as a {@code CompoundException}: a
 * retry that never retried leaves no trace. When the last attempt returned a result that {@code
 * retryIfResult} rejected, that result is returned.
 *
 * <p><b>Interruption.</b> An interrupt between attempts stops at once with the interrupt flag set
 * again, whether it cut a wait short or was found set before the next attempt (with a zero delay
 * there is no wait to interrupt): {@link #call} throws the {@link InterruptedException}, with the
 * attempts' failures attached; {@link #get} and {@link #run} throw the last failure (or return the
 * last rejected result), with the flag set for the caller to see.
 *
 * <p><b>Cost.</b> A call that succeeds at once takes no lock, allocates nothing and reads no clock,
 * unless a {@code maxDuration} or budget is set, which read the ticker once per call; a token
 * budget also counts the success with one compare-and-set.
 *
 * <p>Immutable and thread-safe: one instance serves any number of concurrent calls.
 */
public final class Retry {

  /** The settings, built once by the builder and handed to each execution. */
  private final RetryConfig config;

  private Retry(RetryConfig config) {
    this.config = config;
  }

  /**
   * Returns a retry that makes up to {@code maxAttempts} attempts without waiting, retrying on
   * every exception.
   *
   * @param name the name shown in messages and events
   * @param maxAttempts the attempts, counting the first, at least 1
   * @return the retry
   * @throws IllegalArgumentException if {@code name} is blank or {@code maxAttempts} is below 1
   */
  public static Retry of(String name, int maxAttempts) {
    return builder(name).maxAttempts(maxAttempts).build();
  }

  /**
   * Returns a builder for a retry with the given name: 3 attempts, no wait, every exception
   * retried, until changed.
   *
   * @param name the name shown in messages and events, not blank
   * @return the builder
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  // ---------------------------------------------------------------- execution verbs

  /**
   * Calls {@code callable}, again after each retryable failure, and returns its first accepted
   * result.
   *
   * @param callable the work
   * @param <T> the result type
   * @return the result
   * @throws Exception the last failure, unchanged, with the earlier ones attached; or {@link
   *     InterruptedException} if interrupted between attempts
   */
  public <T> T call(Callable<T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable must not be null");
    RetryConfig c = config;
    long start = c.startCall();
    T result;
    try {
      result = callable.call();
    } catch (Exception failure) {
      return retryAfter(callable, start, failure, null, true);
    }
    if (c.resultRejected() != null && c.rejects(result)) {
      return retryAfter(callable, start, null, result, true);
    }
    c.recordSuccess();
    return result;
  }

  /**
   * Gets a value from {@code supplier}, again after each retryable failure.
   *
   * <p>A checked exception thrown past the compiler by the supplier (a "sneaky throw") is never
   * retried: on the first attempt it is not caught and leaves as it is; on a later one it stops the
   * call and, since it cannot leave an unchecked method unchanged, is thrown wrapped in an {@link
   * UndeclaredThrowableException}, the earlier failures attached to it. The same holds for {@link
   * #run} and the decorated suppliers, runnables and functions.
   *
   * @param supplier the work
   * @param <T> the result type
   * @return the result
   * @throws RuntimeException the last failure, unchanged, with the earlier ones attached
   */
  public <T> T get(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return apply(Supplier::get, supplier);
  }

  /**
   * Runs {@code runnable}, again after each retryable failure.
   *
   * @param runnable the work
   * @throws RuntimeException the last failure, unchanged, with the earlier ones attached
   */
  public void run(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    this.<Runnable, @Nullable Void>apply(Retry::runIt, runnable);
  }

  /**
   * Returns {@code callable} wrapped so that each call goes through this retry.
   *
   * @param callable the work
   * @param <T> the result type
   * @return the retried callable
   */
  public <T> Callable<T> decorateCallable(Callable<T> callable) {
    Objects.requireNonNull(callable, "callable must not be null");
    return () -> call(callable);
  }

  /**
   * Returns {@code supplier} wrapped so that each get goes through this retry.
   *
   * @param supplier the work
   * @param <T> the result type
   * @return the retried supplier
   */
  public <T> Supplier<T> decorateSupplier(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    return () -> get(supplier);
  }

  /**
   * Returns {@code runnable} wrapped so that each run goes through this retry.
   *
   * @param runnable the work
   * @return the retried runnable
   */
  public Runnable decorateRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable must not be null");
    return () -> run(runnable);
  }

  /**
   * Returns {@code function} wrapped so that each application goes through this retry, with the
   * same argument on every attempt.
   *
   * @param function the work
   * @param <A> the argument type
   * @param <R> the result type
   * @return the retried function
   */
  public <A, R> Function<A, R> decorateFunction(Function<A, R> function) {
    Objects.requireNonNull(function, "function must not be null");
    return argument -> apply(function, argument);
  }

  /**
   * Starts asynchronous work, again after each retryable failure, waiting between attempts on
   * {@code scheduler} so that no thread blocks.
   *
   * <p>The returned future completes with the first accepted result, or exceptionally with the last
   * failure (a {@link java.util.concurrent.CompletionException} from a stage is unwrapped to its
   * cause before it is judged), with the earlier ones attached as for {@link #call}; or, with
   * {@code throwCompound()}, with a {@link CompoundException}. A supplier that throws instead of
   * returning a stage counts as a failed attempt; an {@link Error} completes the future at once.
   * Cancelling the future stops the retrying: no further attempt starts. If {@code scheduler}
   * refuses the next attempt, the future fails with its {@link
   * java.util.concurrent.RejectedExecutionException}, every failure so far attached.
   *
   * <p>The future completes exactly once, whatever the code the retry calls throws: when a {@code
   * retryIf} or {@code retryIfResult} predicate, the backoff, a {@code pushback} extractor, a
   * listener's {@link Error}, the ticker or the budget throws, the call ends at once and the future
   * fails with that throwable, as it would leave {@link #call}. Nothing is thrown by this method
   * but a {@link NullPointerException} for a null argument.
   *
   * @param supplier starts one attempt
   * @param scheduler waits between attempts and starts the later ones
   * @param <T> the result type
   * @return the result of the first accepted attempt
   */
  public <T> CompletableFuture<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier, ScheduledExecutorService scheduler) {
    Objects.requireNonNull(supplier, "supplier must not be null");
    Objects.requireNonNull(scheduler, "scheduler must not be null");
    return new AsyncExecution<>(config, supplier, scheduler).start();
  }

  // ---------------------------------------------------------------- configuration

  /**
   * Returns the name.
   *
   * @return the name
   */
  public String name() {
    return config.name();
  }

  /**
   * Returns the most attempts a call makes, counting the first.
   *
   * @return the maximum attempts
   */
  public int maxAttempts() {
    return config.maxAttempts();
  }

  /**
   * Returns the time after the start of a call past which no attempt starts, if set.
   *
   * @return the maximum duration
   */
  public Optional<Duration> maxDuration() {
    return Optional.ofNullable(config.maxDuration());
  }

  /**
   * Returns the wait between attempts.
   *
   * @return the backoff
   */
  public Backoff backoff() {
    return config.backoff();
  }

  /**
   * Returns the budget shared by all calls, if set.
   *
   * @return the budget
   */
  public Optional<RetryBudget> budget() {
    return Optional.ofNullable(config.budget());
  }

  @Override
  public String toString() {
    Duration maxDuration = config.maxDuration();
    RetryBudget budget = config.budget();
    return "Retry[name="
        + config.name()
        + ", maxAttempts="
        + config.maxAttempts()
        + (maxDuration != null ? ", maxDuration=" + Durations.format(maxDuration) : "")
        + ", backoff="
        + config.backoff()
        + (budget != null ? ", budget=" + budget : "")
        + "]";
  }

  // ---------------------------------------------------------------- the slow path

  /** {@link #run}'s work as a function, so that it shares {@link #apply}. */
  private static @Nullable Void runIt(Runnable runnable) {
    runnable.run();
    return null;
  }

  /**
   * The unchecked verbs: applies {@code work} to {@code argument}, retrying as configured. The
   * first attempt allocates nothing: {@code get} and {@code run} pass constant functions.
   */
  private <A, R extends @Nullable Object> R apply(
      Function<? super A, ? extends R> work, A argument) {
    RetryConfig c = config;
    long start = c.startCall();
    R result;
    try {
      result = work.apply(argument);
    } catch (RuntimeException failure) {
      return unchecked(() -> retryAfter(() -> work.apply(argument), start, failure, null, false));
    }
    if (c.resultRejected() != null && c.rejects(result)) {
      R rejected = result;
      return unchecked(() -> retryAfter(() -> work.apply(argument), start, null, rejected, false));
    }
    c.recordSuccess();
    return result;
  }

  /**
   * Retries after the first attempt failed or returned a rejected result; returns the accepted
   * result or the last rejected one, or throws as the class documentation says.
   */
  private <T extends @Nullable Object> T retryAfter(
      Callable<T> work,
      long start,
      @Nullable Exception firstFailure,
      @Nullable T firstResult,
      boolean mayThrowInterrupted)
      throws Exception {
    Execution execution = new Execution(config, start, !mayThrowInterrupted);
    @Nullable Exception failure = firstFailure;
    @Nullable T result = firstResult;
    while (execution.next(failure, failure == null ? result : null)) {
      InterruptedException interrupt;
      boolean paused = false;
      try {
        interrupt = pause(execution.delay(), execution.attempts() + 1);
        paused = true;
      } finally {
        if (!paused) {
          // The sleeper threw something else than an interrupt: no further attempt is made.
          execution.giveBackRetry();
        }
      }
      if (interrupt != null) {
        Thread.currentThread().interrupt();
        execution.interrupted();
        if (mayThrowInterrupted) {
          throw execution.giveUp(interrupt, failure, result);
        }
        break;
      }
      if (!execution.startNextAttempt()) {
        break;
      }
      failure = null;
      try {
        result = work.call();
      } catch (Exception e) {
        failure = e;
        result = null;
        continue;
      }
      // Outside the try: an exception from the predicate is not the work failing, so it is not
      // retried, exactly as on the first attempt.
      if (!config.rejects(result)) {
        config.recordSuccess();
        return result;
      }
    }
    if (failure instanceof InterruptedException) {
      // The work itself was interrupted: stop, and keep the interrupt visible to the caller.
      Thread.currentThread().interrupt();
    }
    if (failure == null) {
      config.notifyExhausted(execution.exhaustedEvent(null, result));
      // Only a rejected result ends here, and rejects() is never true for null.
      return nonNull(result);
    }
    throw execution.giveUp(failure, failure, null);
  }

  /**
   * Waits {@code delay} before attempt {@code next}; returns the interrupt that cut the wait short,
   * or null.
   */
  private @Nullable InterruptedException pause(Duration delay, int next) {
    // A zero delay never calls the sleeper, and a fake sleeper may ignore the flag: look at it
    // here, so that an interrupted thread stops between attempts however the retry waits, instead
    // of spinning through every attempt left.
    if (Thread.currentThread().isInterrupted()) {
      return new InterruptedException(
          "Retry '" + config.name() + "' was interrupted before attempt " + next);
    }
    if (!delay.isZero()) {
      try {
        config.sleeper().sleep(delay);
      } catch (InterruptedException interrupt) {
        return interrupt;
      }
    }
    return null;
  }

  /** Runs the slow path of an unchecked verb, which can only end in an unchecked exception. */
  private static <T extends @Nullable Object> T unchecked(Callable<T> slowPath) {
    try {
      return slowPath.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // A checked exception thrown past the compiler (a "sneaky throw") from a Supplier or
      // Runnable: it cannot leave an unchecked verb as it is.
      throw new UndeclaredThrowableException(e);
    }
  }

  @SuppressWarnings("NullAway") // see the caller: the value is known to be non-null
  private static <T extends @Nullable Object> T nonNull(@Nullable T value) {
    return value;
  }

  // ---------------------------------------------------------------- builder

  /** Builds a {@link Retry}; validates each setting as it is given. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private int maxAttempts = 3;
    private @Nullable Duration maxDuration;
    private Backoff backoff = Backoff.none();
    private final List<Class<? extends Throwable>> retryOn = new ArrayList<>();
    private final List<Predicate<? super Throwable>> retryIf = new ArrayList<>();
    private final List<Class<? extends Throwable>> abortOn = new ArrayList<>();
    private @Nullable Predicate<Object> resultRejected;
    private @Nullable RetryBudget budget;
    private @Nullable Function<? super Throwable, Pushback> pushback;
    private final List<Consumer<? super RetryEvent>> onRetry = new ArrayList<>();
    private final List<Consumer<? super ExhaustedEvent>> onExhausted = new ArrayList<>();
    private LongSupplier ticker = System::nanoTime;
    private Sleeper sleeper = Sleeper.system();
    private RandomGenerator random = ThreadRandom.INSTANCE;
    private boolean throwCompound;

    private Builder(String name) {
      this.name = Names.require(name, "name");
    }

    /**
     * Sets the most attempts a call makes, counting the first; 1 means no retry.
     *
     * @param maxAttempts at least 1
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Sets the time after the start of a call past which no attempt starts: a retry never waits
     * past it. Attempts themselves are not cut short (a timeout does that).
     *
     * @param maxDuration positive
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxDuration(Duration maxDuration) {
      this.maxDuration = Backoffs.requirePositive(maxDuration, "maxDuration");
      return this;
    }

    /**
     * Sets the wait between attempts; the default is {@link Backoff#none()}.
     *
     * @param backoff the backoff
     * @return this builder
     */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff must not be null");
      return this;
    }

    /**
     * Retries failures of these types (and their subclasses), in addition to any earlier {@code
     * retryOn} or {@code retryIf}; once either is set, other failures are not retried.
     *
     * @param types exception types, not {@link Error}s, which are never retried
     * @return this builder
     * @throws IllegalArgumentException if a type is an {@code Error}
     */
    @SafeVarargs
    public final Builder retryOn(Class<? extends Throwable>... types) {
      if (types == null) {
        throw new NullPointerException("retryOn must not be null");
      }
      for (int i = 0; i < types.length; i++) {
        retryOn.add(exceptionType(types[i], i, "retryOn"));
      }
      return this;
    }

    /**
     * Retries failures that {@code predicate} accepts, in addition to any {@code retryOn}; {@link
     * Error}s are never offered to it.
     *
     * @param predicate decides whether a failure is retried
     * @return this builder
     */
    public Builder retryIf(Predicate<? super Throwable> predicate) {
      retryIf.add(Objects.requireNonNull(predicate, "predicate must not be null"));
      return this;
    }

    /**
     * Never retries failures of these types (and their subclasses), whatever else matches.
     *
     * @param types exception types
     * @return this builder
     */
    @SafeVarargs
    public final Builder abortOn(Class<? extends Throwable>... types) {
      if (types == null) {
        throw new NullPointerException("abortOn must not be null");
      }
      for (int i = 0; i < types.length; i++) {
        abortOn.add(exceptionType(types[i], i, "abortOn"));
      }
      return this;
    }

    /**
     * Retries when an attempt returns a non-null result of {@code type} that {@code predicate}
     * accepts. When the attempts run out, the last such result is returned rather than a failure
     * thrown. Several calls add up: a result is retried if any predicate accepts it.
     *
     * @param type the result type the predicate understands; other results are accepted
     * @param predicate decides whether a result is retried
     * @param <R> the result type
     * @return this builder
     */
    public <R> Builder retryIfResult(Class<R> type, Predicate<? super R> predicate) {
      Objects.requireNonNull(type, "type must not be null");
      Objects.requireNonNull(predicate, "predicate must not be null");
      Predicate<Object> next = r -> type.isInstance(r) && predicate.test(type.cast(r));
      Predicate<Object> previous = resultRejected;
      resultRejected = previous == null ? next : previous.or(next);
      return this;
    }

    /**
     * Limits retries across all calls through this retry.
     *
     * @param budget the budget, possibly shared with other retries
     * @return this builder
     */
    public Builder budget(RetryBudget budget) {
      this.budget = Objects.requireNonNull(budget, "budget must not be null");
      return this;
    }

    /**
     * Reads a server's hint from each failure the retry would retry, when an attempt is left: a
     * {@code Retry-After} header carried by the exception, say. {@link Pushback#after} makes the
     * next attempt wait exactly that long instead of the backoff (a wait that would end past {@code
     * maxDuration} stops the call with {@link StopReason#MAX_DURATION}, and the budget is asked as
     * usual); {@link Pushback#stop()} stops with {@link StopReason#PUSHBACK}, the call failing with
     * that failure as for any other stop; {@link Pushback#none()} waits as the backoff says. The
     * extractor is not asked for a failure that is not retryable, for a rejected result, or after
     * the last attempt.
     *
     * <p>An extractor that throws, or returns null, ends the call at once with its exception (a
     * {@link NullPointerException} for null), the attempt's failure attached to it as suppressed;
     * {@code callAsync} fails its future with it.
     *
     * @param extractor reads the hint from a failure; thread-safe
     * @return this builder
     */
    public Builder pushback(Function<? super Throwable, Pushback> extractor) {
      this.pushback = Objects.requireNonNull(extractor, "extractor must not be null");
      return this;
    }

    /**
     * Adds a listener told before each wait between attempts. It runs on the calling thread (or the
     * stage's, for {@code callAsync}); an exception from it is logged and otherwise ignored, while
     * an {@link Error} is not caught: it ends the call.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder onRetry(Consumer<? super RetryEvent> listener) {
      onRetry.add(Objects.requireNonNull(listener, "listener must not be null"));
      return this;
    }

    /**
     * Adds a listener told when a call gives up, after a retry or a stop, even at its first attempt
     * (maxAttempts 1, a spent budget, a passed maxDuration); not for a first failure that is not
     * retryable. An exception from it is logged and otherwise ignored; an {@link Error} is not
     * caught.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder onExhausted(Consumer<? super ExhaustedEvent> listener) {
      onExhausted.add(Objects.requireNonNull(listener, "listener must not be null"));
      return this;
    }

    /**
     * Throws a {@link CompoundException} holding every failure when giving up, instead of the last
     * failure itself.
     *
     * @return this builder
     */
    public Builder throwCompound() {
      this.throwCompound = true;
      return this;
    }

    /**
     * Sets the monotonic clock, in nanoseconds, for {@code maxDuration}, the budget and the elapsed
     * times in messages; the default is {@code System::nanoTime}.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder ticker(LongSupplier ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
      return this;
    }

    /**
     * Sets how the blocking verbs wait; the default is {@link Sleeper#system()}.
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
      return this;
    }

    /**
     * Sets the source of randomness for jitter and random backoffs; by default each draw comes from
     * the calling thread's {@link ThreadLocalRandom}. One retry draws from it on many threads at
     * once, so it must be thread-safe unless only one thread uses the retry.
     *
     * @param random the generator
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random must not be null");
      return this;
    }

    /**
     * Returns the retry.
     *
     * @return a new, immutable retry
     */
    public Retry build() {
      return new Retry(
          new RetryConfig(
              name,
              maxAttempts,
              maxDuration,
              maxDuration == null ? 0 : Durations.toNanosSaturated(maxDuration),
              backoff,
              List.copyOf(retryOn),
              List.copyOf(retryIf),
              List.copyOf(abortOn),
              resultRejected,
              budget,
              pushback,
              List.copyOf(onRetry),
              List.copyOf(onExhausted),
              ticker,
              sleeper,
              random,
              throwCompound,
              maxDuration != null || budget != null));
    }

    private static Class<? extends Throwable> exceptionType(
        Class<? extends Throwable> type, int index, String parameter) {
      if (type == null) {
        throw new NullPointerException(parameter + "[" + index + "] must not be null");
      }
      if (Error.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(
            parameter + " takes exception types; Errors are never retried, was " + type.getName());
      }
      return type;
    }
  }
}
