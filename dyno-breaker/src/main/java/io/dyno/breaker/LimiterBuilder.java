package io.dyno.breaker;

import io.dyno.breaker.internal.AimdAlgorithm;
import io.dyno.breaker.internal.Durations;
import io.dyno.breaker.internal.Gradient2Algorithm;
import io.dyno.breaker.internal.LimitAlgorithm;
import io.dyno.breaker.internal.Names;
import io.dyno.breaker.internal.VegasAlgorithm;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Limiter}, from {@link Limiter#builder(String)}; validates each setting as it is
 * given. Exactly one of {@link #permits} (a fixed limit), {@link #gradient2()}, {@link #vegas()} or
 * {@link #aimd()} (an adaptive one) must be chosen. Not thread-safe.
 *
 * <pre>{@code
 * Limiter db =
 *     Limiter.builder("db")
 *         .gradient2(g -> g.initialLimit(20).minLimit(20).maxLimit(200))
 *         .droppedWhen(t -> t instanceof TimeoutException)
 *         .build();
 * }</pre>
 */
public final class LimiterBuilder {

  private final String name;
  private int permits;
  private @Nullable Gradient2 gradient2;
  private @Nullable Vegas vegas;
  private @Nullable Aimd aimd;
  private LongSupplier ticker = Breaker.systemTicker();
  private Predicate<? super Throwable> droppedWhen = t -> t instanceof TimeoutException;
  private boolean writableStackTrace = true;

  LimiterBuilder(String name) {
    this.name = Names.require(name, "name");
  }

  /**
   * Sets a fixed limit: how many calls may run at once; there is no default.
   *
   * @param permits at least 1
   * @return this builder
   * @throws IllegalArgumentException if below 1
   * @throws IllegalStateException if an adaptive algorithm was chosen
   */
  public LimiterBuilder permits(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be >= 1, was " + permits);
    }
    choose("permits(" + permits + ")", "permits");
    this.permits = permits;
    return this;
  }

  /**
   * Chooses the adaptive Gradient2 algorithm with its defaults, as {@link Limiter#adaptive} does.
   *
   * @return this builder
   * @throws IllegalStateException if permits or another algorithm was chosen
   */
  public LimiterBuilder gradient2() {
    return gradient2(g -> {});
  }

  /**
   * Chooses the adaptive Gradient2 algorithm with the settings {@code settings} makes.
   *
   * @param settings sets the algorithm's settings, given the defaults
   * @return this builder
   * @throws IllegalStateException if permits or another algorithm was chosen
   * @throws IllegalArgumentException if a setting is out of its range
   */
  public LimiterBuilder gradient2(Consumer<Gradient2> settings) {
    Objects.requireNonNull(settings, "settings must not be null");
    choose("gradient2", "gradient2");
    if (gradient2 == null) {
      gradient2 = new Gradient2();
    }
    settings.accept(gradient2);
    return this;
  }

  /**
   * Chooses the adaptive Vegas algorithm with its defaults.
   *
   * @return this builder
   * @throws IllegalStateException if permits or another algorithm was chosen
   */
  public LimiterBuilder vegas() {
    return vegas(v -> {});
  }

  /**
   * Chooses the adaptive Vegas algorithm with the settings {@code settings} makes.
   *
   * @param settings sets the algorithm's settings, given the defaults
   * @return this builder
   * @throws IllegalStateException if permits or another algorithm was chosen
   * @throws IllegalArgumentException if a setting is out of its range
   */
  public LimiterBuilder vegas(Consumer<Vegas> settings) {
    Objects.requireNonNull(settings, "settings must not be null");
    choose("vegas", "vegas");
    if (vegas == null) {
      vegas = new Vegas();
    }
    settings.accept(vegas);
    return this;
  }

  /**
   * Chooses the adaptive AIMD algorithm with its defaults.
   *
   * @return this builder
   * @throws IllegalStateException if permits or another algorithm was chosen
   */
  public LimiterBuilder aimd() {
    return aimd(a -> {});
  }

  /**
   * Chooses the adaptive AIMD algorithm with the settings {@code settings} makes.
   *
   * @param settings sets the algorithm's settings, given the defaults
   * @return this builder
   * @throws IllegalStateException if permits or another algorithm was chosen
   * @throws IllegalArgumentException if a setting is out of its range
   */
  public LimiterBuilder aimd(Consumer<Aimd> settings) {
    Objects.requireNonNull(settings, "settings must not be null");
    choose("aimd", "aimd");
    if (aimd == null) {
      aimd = new Aimd();
    }
    settings.accept(aimd);
    return this;
  }

  /**
   * Sets the monotonic clock, in nanoseconds, on which an adaptive limiter times the calls of its
   * verbs and permits; the default is {@link Breaker#systemTicker()}. A fixed limiter never reads
   * it.
   *
   * @param ticker the ticker
   * @return this builder
   */
  public LimiterBuilder ticker(LongSupplier ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
    return this;
  }

  /**
   * Sets which failures of the verbs' work are a loss (a drop), after which an adaptive limiter
   * backs off; any other failure gives the permit back without a sample. The default is a {@link
   * TimeoutException}. A predicate that throws is logged at WARN, its exception added as suppressed
   * to the failure, and the failure counted as no sample.
   *
   * @param droppedWhen true for a failure that is a loss
   * @return this builder
   */
  public LimiterBuilder droppedWhen(Predicate<? super Throwable> droppedWhen) {
    this.droppedWhen = Objects.requireNonNull(droppedWhen, "droppedWhen must not be null");
    return this;
  }

  /**
   * Sets whether a {@link LimitExceededException} has a stack trace; the default is true. Without
   * one a rejection is several times cheaper, which matters when a full limiter rejects a flood.
   *
   * @param writable false to skip the stack trace
   * @return this builder
   */
  public LimiterBuilder writableStackTrace(boolean writable) {
    this.writableStackTrace = writable;
    return this;
  }

  /**
   * Returns the limiter.
   *
   * @return a new limiter with every permit free
   * @throws IllegalStateException if neither permits nor an algorithm was chosen, or an initial
   *     limit lies outside its minimum and maximum, or Vegas' alpha is not below its beta
   */
  public Limiter build() {
    LimitAlgorithm algorithm;
    if (gradient2 != null) {
      algorithm = gradient2.algorithm(name);
    } else if (vegas != null) {
      algorithm = vegas.algorithm(name);
    } else if (aimd != null) {
      algorithm = aimd.algorithm(name);
    } else if (permits == 0) {
      throw new IllegalStateException(
          "permits is not set for limiter '" + name + "': set how many calls may run at once");
    } else {
      algorithm = null;
    }
    return Limiter.create(name, permits, algorithm, ticker, droppedWhen, writableStackTrace);
  }

  private void choose(String choice, String kind) {
    String chosen =
        permits != 0
            ? "permits(" + permits + ")"
            : gradient2 != null
                ? "gradient2"
                : vegas != null ? "vegas" : aimd != null ? "aimd" : null;
    if (chosen != null && !chosen.startsWith(kind)) {
      throw new IllegalStateException(
          "limiter '" + name + "' already uses " + chosen + ", cannot also use " + choice);
    }
  }

  private static int atLeast(int value, int least, String parameter) {
    if (value < least) {
      throw new IllegalArgumentException(parameter + " must be >= " + least + ", was " + value);
    }
    return value;
  }

  private static double smoothing(double smoothing) {
    if (!(smoothing > 0 && smoothing <= 1)) {
      throw new IllegalArgumentException("smoothing must be in (0, 1], was " + smoothing);
    }
    return smoothing;
  }

  private static void bounds(String name, String algorithm, int initial, int min, int max) {
    if (min > max || initial < min || initial > max) {
      throw new IllegalStateException(
          algorithm
              + " of limiter '"
              + name
              + "' needs minLimit <= initialLimit <= maxLimit, was "
              + min
              + " <= "
              + initial
              + " <= "
              + max);
    }
  }

  /**
   * The settings of the Gradient2 algorithm, with the defaults of Netflix concurrency-limits'
   * {@code Gradient2Limit}. Each setter checks its value. Not thread-safe.
   */
  public static final class Gradient2 {
    private int initialLimit = 20;
    private int minLimit = 20;
    private int maxLimit = 200;
    private int queueSize = 4;
    private double smoothing = 0.2;
    private double rttTolerance = 1.5;
    private int longWindow = 600;

    private Gradient2() {}

    /**
     * Sets the limit before the first sample; the default is 20.
     *
     * @param initialLimit at least 1, and between minLimit and maxLimit
     * @return these settings
     * @throws IllegalArgumentException if below 1
     */
    public Gradient2 initialLimit(int initialLimit) {
      this.initialLimit = atLeast(initialLimit, 1, "initialLimit");
      return this;
    }

    /**
     * Sets the lowest limit; the default is 20.
     *
     * @param minLimit at least 1
     * @return these settings
     * @throws IllegalArgumentException if below 1
     */
    public Gradient2 minLimit(int minLimit) {
      this.minLimit = atLeast(minLimit, 1, "minLimit");
      return this;
    }

    /**
     * Sets the highest limit; the default is 200.
     *
     * @param maxLimit at least 1
     * @return these settings
     * @throws IllegalArgumentException if below 1
     */
    public Gradient2 maxLimit(int maxLimit) {
      this.maxLimit = atLeast(maxLimit, 1, "maxLimit");
      return this;
    }

    /**
     * Sets the allowance added to the limit on every update, which lets it grow while the latency
     * holds; the default is 4.
     *
     * @param queueSize at least 0
     * @return these settings
     * @throws IllegalArgumentException if negative
     */
    public Gradient2 queueSize(int queueSize) {
      this.queueSize = atLeast(queueSize, 0, "queueSize");
      return this;
    }

    /**
     * Sets the weight of each new estimate against the limit before; the default is 0.2.
     *
     * @param smoothing in (0, 1]; 1 takes each estimate as it is
     * @return these settings
     * @throws IllegalArgumentException if outside (0, 1]
     */
    public Gradient2 smoothing(double smoothing) {
      this.smoothing = LimiterBuilder.smoothing(smoothing);
      return this;
    }

    /**
     * Sets how many times slower than the long average a call may be before the limit falls; the
     * default is 1.5.
     *
     * @param rttTolerance at least 1.0, finite
     * @return these settings
     * @throws IllegalArgumentException if below 1.0 or not finite
     */
    public Gradient2 rttTolerance(double rttTolerance) {
      if (!(rttTolerance >= 1.0 && rttTolerance < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "rttTolerance must be finite and >= 1.0, was " + rttTolerance);
      }
      this.rttTolerance = rttTolerance;
      return this;
    }

    /**
     * Sets how many samples the long latency average spans; the default is 600.
     *
     * @param longWindow at least 1
     * @return these settings
     * @throws IllegalArgumentException if below 1
     */
    public Gradient2 longWindow(int longWindow) {
      this.longWindow = atLeast(longWindow, 1, "longWindow");
      return this;
    }

    LimitAlgorithm algorithm(String name) {
      bounds(name, "gradient2", initialLimit, minLimit, maxLimit);
      return new Gradient2Algorithm(
          initialLimit, minLimit, maxLimit, queueSize, smoothing, rttTolerance, longWindow);
    }
  }

  /**
   * The settings of the Vegas algorithm, with the defaults of Netflix concurrency-limits' {@code
   * VegasLimit}. Alpha, beta and threshold follow the limit unless set: 3, 6 and 1 times its
   * base-10 logarithm (at least 1). Each setter checks its value. Not thread-safe.
   */
  public static final class Vegas {
    private int initialLimit = 20;
    private int maxLimit = 1000;
    private double smoothing = 1.0;
    private int alpha = VegasAlgorithm.BY_LIMIT;
    private int beta = VegasAlgorithm.BY_LIMIT;
    private int threshold = VegasAlgorithm.BY_LIMIT;
    private int probeMultiplier = 30;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private Vegas() {}

    /**
     * Sets the limit before the first sample; the default is 20.
     *
     * @param initialLimit at least 1, and at most maxLimit
     * @return these settings
     * @throws IllegalArgumentException if below 1
     */
    public Vegas initialLimit(int initialLimit) {
      this.initialLimit = atLeast(initialLimit, 1, "initialLimit");
      return this;
    }

    /**
     * Sets the highest limit; the default is 1000. The lowest is 1.
     *
     * @param maxLimit at least 1
     * @return these settings
     * @throws IllegalArgumentException if below 1
     */
    public Vegas maxLimit(int maxLimit) {
      this.maxLimit = atLeast(maxLimit, 1, "maxLimit");
      return this;
    }

    /**
     * Sets the weight of each new estimate against the limit before; the default is 1.0.
     *
     * @param smoothing in (0, 1]; 1 takes each estimate as it is
     * @return these settings
     * @throws IllegalArgumentException if outside (0, 1]
     */
    public Vegas smoothing(double smoothing) {
      this.smoothing = LimiterBuilder.smoothing(smoothing);
      return this;
    }

    /**
     * Sets the estimated queue below which the limit grows by its logarithm; the default is 3 times
     * the limit's logarithm.
     *
     * @param alpha at least 1, below beta
     * @return these settings
     * @throws IllegalArgumentException if below 1
     */
    public Vegas alpha(int alpha) {
      this.alpha = atLeast(alpha, 1, "alpha");
      return this;
    }

    /**
     * Sets the estimated queue above which the limit shrinks by its logarithm (and by which it
     * grows while there is no queue); the default is 6 times the limit's logarithm.
     *
     * @param beta at least 1, above alpha
     * @return these settings
     * @throws IllegalArgumentException if below 1
     */
    public Vegas beta(int beta) {
      this.beta = atLeast(beta, 1, "beta");
      return this;
    }

    /**
     * Sets the estimated queue up to which there counts as no queue, so the limit grows by beta;
     * the default is the limit's logarithm.
     *
     * @param threshold at least 0
     * @return these settings
     * @throws IllegalArgumentException if negative
     */
    public Vegas threshold(int threshold) {
      this.threshold = atLeast(threshold, 0, "threshold");
      return this;
    }

    /**
     * Sets how often the no-load latency is measured afresh: after between half and all of {@code
     * probeMultiplier} times the limit samples; the default is 30.
     *
     * @param probeMultiplier at least 1
     * @return these settings
     * @throws IllegalArgumentException if below 1
     */
    public Vegas probeMultiplier(int probeMultiplier) {
      this.probeMultiplier = atLeast(probeMultiplier, 1, "probeMultiplier");
      return this;
    }

    /**
     * Sets the source of the draws that jitter the interval between probes, so that limiters
     * started together do not probe together; the default draws from {@link ThreadLocalRandom}.
     * Pass {@code new SplittableRandom(seed)::nextDouble} for runs that repeat.
     *
     * @param random returns numbers in {@code [0, 1)}
     * @return these settings
     * @throws NullPointerException if null
     */
    public Vegas random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random must not be null");
      return this;
    }

    LimitAlgorithm algorithm(String name) {
      bounds(name, "vegas", initialLimit, 1, maxLimit);
      if (alpha != VegasAlgorithm.BY_LIMIT && beta != VegasAlgorithm.BY_LIMIT && alpha >= beta) {
        throw new IllegalStateException(
            "vegas of limiter '"
                + name
                + "' needs alpha < beta, was alpha "
                + alpha
                + " and beta "
                + beta);
      }
      return new VegasAlgorithm(
          initialLimit,
          maxLimit,
          smoothing,
          alpha,
          beta,
          threshold,
          probeMultiplier,
          jitter(random));
    }

    /** Maps draws in [0, 1) to the probe's jitter in [0.5, 1), whatever the draw returns. */
    private static DoubleSupplier jitter(DoubleSupplier random) {
      return () -> {
        double draw = random.getAsDouble();
        return draw >= 0 && draw < 1 ? 0.5 + draw / 2 : 0.5;
      };
    }
  }

  /**
   * The settings of the AIMD algorithm, with the defaults of Netflix concurrency-limits' {@code
   * AIMDLimit}. Each setter checks its value. Not thread-safe.
   */
  public static final class Aimd {
    private int initialLimit = 20;
    private int minLimit = 20;
    private int maxLimit = 200;
    private double backoffRatio = 0.9;
    private Duration timeout = Duration.ofSeconds(5);

    private Aimd() {}

    /**
     * Sets the limit before the first sample; the default is 20.
     *
     * @param initialLimit at least 1, and between minLimit and maxLimit
     * @return these settings
     * @throws IllegalArgumentException if below 1
     */
    public Aimd initialLimit(int initialLimit) {
      this.initialLimit = atLeast(initialLimit, 1, "initialLimit");
      return this;
    }

    /**
     * Sets the lowest limit; the default is 20.
     *
     * @param minLimit at least 1
     * @return these settings
     * @throws IllegalArgumentException if below 1
     */
    public Aimd minLimit(int minLimit) {
      this.minLimit = atLeast(minLimit, 1, "minLimit");
      return this;
    }

    /**
     * Sets the highest limit; the default is 200.
     *
     * @param maxLimit at least 1
     * @return these settings
     * @throws IllegalArgumentException if below 1
     */
    public Aimd maxLimit(int maxLimit) {
      this.maxLimit = atLeast(maxLimit, 1, "maxLimit");
      return this;
    }

    /**
     * Sets the factor a loss multiplies the limit by; the default is 0.9.
     *
     * @param backoffRatio in [0.5, 1)
     * @return these settings
     * @throws IllegalArgumentException if outside [0.5, 1)
     */
    public Aimd backoffRatio(double backoffRatio) {
      if (!(backoffRatio >= 0.5 && backoffRatio < 1.0)) {
        throw new IllegalArgumentException("backoffRatio must be in [0.5, 1), was " + backoffRatio);
      }
      this.backoffRatio = backoffRatio;
      return this;
    }

    /**
     * Sets how slow a success may be before it counts as a loss; the default is 5 seconds.
     *
     * @param timeout positive
     * @return these settings
     * @throws IllegalArgumentException if zero or negative
     */
    public Aimd timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout must not be null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    LimitAlgorithm algorithm(String name) {
      bounds(name, "aimd", initialLimit, minLimit, maxLimit);
      return new AimdAlgorithm(
          initialLimit, minLimit, maxLimit, backoffRatio, Durations.toNanosSaturated(timeout));
    }
  }
}
