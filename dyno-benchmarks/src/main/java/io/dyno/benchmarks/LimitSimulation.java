package io.dyno.benchmarks;

import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.dyno.breaker.Limiter;
import io.dyno.breaker.Throttle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * A discrete-event simulation of a client in front of an overloaded backend, with each concurrency
 * limiter in turn between them: none, a fixed limit, and dyno's and Netflix concurrency-limits'
 * adaptive limits (gradient2, vegas, aimd) with the same settings. It runs on a simulated
 * nanosecond clock that both libraries read (dyno through {@code ticker}, the peer through {@code
 * nanoClock}), single-threaded and seeded, so that a run is repeatable and takes seconds.
 *
 * <p>The model:
 *
 * <ul>
 *   <li>Backend: {@value #CAPACITY} calls at a time, each a log-normal service time with a mean of
 *       10 ms (σ = 0.1 of its logarithm, {@code --sigma}); further calls wait in a FIFO queue, so a
 *       call's latency is its queueing plus its service. Its capacity is {@code 20 / 10 ms} = 2,000
 *       calls/s. From 30 s to 60 s of the 90 s run it serves only 10 calls at a time (1,000
 *       calls/s), then 20 again.
 *   <li>Client: Poisson arrivals at 0.5, 1, 2 and 5 times the capacity. Each call asks the limiter
 *       first; a rejected call is counted and not sent. The client gives up after 500 ms: the call
 *       is a timeout (the limiter is told it was dropped), but the backend still does its work when
 *       it reaches it, as a real server does.
 *   <li>The limiter hears of every answer: a success with its latency (dyno's caller-timed {@code
 *       onSuccess(nanos)}, the peer's {@code listener.onSuccess()} on the same clock), a timeout as
 *       dropped.
 * </ul>
 *
 * <p>Per load and contender it prints goodput, latency, rejections, timeouts and the time each
 * takes to settle after the capacity halves and after it comes back; then, at 2x and 5x, the same
 * run with a backend that gets {@value #SLOWDOWN} times slower from 30 s to 60 s at unchanged
 * concurrency; then {@link Throttle} in front of a backend that can take a tenth of the calls.
 * dyno's vegas draws its probe jitter from a random split off the seed; the peer's from {@code
 * ThreadLocalRandom}, which cannot be seeded.
 *
 * <p>Run: {@code java -cp dyno-benchmarks/target/benchmarks.jar io.dyno.benchmarks.LimitSimulation
 * [--seed N]} (default seed 42).
 *
 * <p>Not thread-safe: one simulation runs on the calling thread.
 */
public final class LimitSimulation {

  /** The backend's concurrent calls at full capacity. */
  static final int CAPACITY = 20;

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long MEAN_SERVICE = 10 * MS;
  private static final double DEFAULT_SIGMA = 0.1;
  private static final long TIMEOUT = 500 * MS;
  private static final int RUN_SECONDS = 90;
  private static final int HALVED_FROM = 30;
  private static final int HALVED_UNTIL = 60;

  /** The measured steady window before the change: [10 s, 30 s). */
  private static final int STEADY_FROM = 10;

  private static final double[] LOADS = {0.5, 1, 2, 5};
  private static final double CAPACITY_PER_SECOND = CAPACITY * (double) SECOND / MEAN_SERVICE;

  // ---------------------------------------------------------------- settings, the same on both

  private static final int G2_INITIAL = 20;
  private static final int G2_MIN = 5;
  private static final int G2_MAX = 200;
  private static final int G2_QUEUE = 4;
  private static final double G2_SMOOTHING = 0.2;
  private static final double G2_TOLERANCE = 1.5;
  private static final int G2_LONG_WINDOW = 600;

  private static final int VEGAS_INITIAL = 20;
  private static final int VEGAS_MAX = 1000;
  private static final double VEGAS_SMOOTHING = 1.0;

  private static final int AIMD_INITIAL = 20;
  private static final int AIMD_MIN = 5;
  private static final int AIMD_MAX = 200;
  private static final double AIMD_BACKOFF = 0.9;

  /**
   * AIMD's timeout is the latency it tolerates, and its p99 ends close to it: a little below the
   * latency goal of twice the unloaded p99 (2 × 12.6 ms).
   */
  private static final long AIMD_TIMEOUT_MS = 20;

  /** How many times slower the service gets in the slowdown scenario, at unchanged capacity. */
  private static final int SLOWDOWN = 3;

  private LimitSimulation() {}

  /**
   * Runs the simulation and prints its tables as markdown.
   *
   * @param args {@code --seed N} (default 42), {@code --sigma S}: the standard deviation of the
   *     logarithm of the service time (default 0.1)
   */
  public static void main(String[] args) {
    long seed = 42;
    double sigma = DEFAULT_SIGMA;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--seed" -> seed = Long.parseLong(value);
        case "--sigma" -> sigma = Double.parseDouble(value);
        default ->
            throw new IllegalArgumentException(
                "unknown option " + args[i] + "; expected --seed or --sigma");
      }
    }
    if (!(sigma >= 0 && sigma <= 2)) {
      throw new IllegalArgumentException("sigma must be between 0 and 2, was " + sigma);
    }
    long began = System.nanoTime();
    printLimits(seed, sigma);
    printSlowdown(seed, sigma);
    printThrottle(seed);
    System.out.printf(
        Locale.ROOT,
        "%nSeed %d; %.1f s of wall time.%n",
        seed,
        (System.nanoTime() - began) / (double) SECOND);
  }

  // ---------------------------------------------------------------- the model

  /** One call sent to the backend. */
  private static final class Call {
    final long sentAt;
    final Permit permit;

    /** Answered or given up on: whatever comes later is ignored. */
    boolean over;

    Call(long sentAt, Permit permit) {
      this.sentAt = sentAt;
      this.permit = permit;
    }
  }

  /** What a call admitted by a contender reports: exactly one of the two. */
  private interface Permit {
    void success(long latencyNanos);

    void dropped();
  }

  /** A contender's limiter, on the simulated clock. */
  private interface Gate {
    /** Returns the permit of an admitted call, or null if the call is rejected. */
    @Nullable Permit admit();

    /** The current limit, or -1 for none. */
    int limit();
  }

  /**
   * The backend: {@code capacity} calls at a time, the others wait in a FIFO queue, or are rejected
   * at once if it has no queue. Calls whose client gave up are still served.
   */
  private static final class Backend {
    private final SimulatedClock engine;
    private final SplittableRandom random;
    private final boolean queues;
    private final ArrayDeque<Call> waiting = new ArrayDeque<>();
    private final double sigma;
    private final double mu;
    private final Consumer<Call> answer;
    private int capacity;
    private int busy;
    private double slowdown = 1;

    Backend(
        SimulatedClock engine,
        SplittableRandom random,
        double sigma,
        int capacity,
        boolean queues,
        Consumer<Call> answer) {
      this.engine = engine;
      this.random = random;
      this.sigma = sigma;
      this.mu = Math.log((double) MEAN_SERVICE) - sigma * sigma / 2;
      this.capacity = capacity;
      this.queues = queues;
      this.answer = answer;
    }

    /** Takes a call: false if it was rejected at once. */
    boolean submit(Call call) {
      if (busy < capacity) {
        start(call);
        return true;
      }
      if (queues) {
        waiting.add(call);
        return true;
      }
      return false;
    }

    void slowdown(double slowdown) {
      this.slowdown = slowdown;
    }

    void capacity(int capacity) {
      this.capacity = capacity;
      drain();
    }

    private void start(Call call) {
      busy++;
      long service = (long) (slowdown * Math.exp(mu + sigma * random.nextGaussian()));
      engine.at(
          engine.getAsLong() + service,
          () -> {
            busy--;
            answer.accept(call);
            drain();
          });
    }

    private void drain() {
      while (busy < capacity && !waiting.isEmpty()) {
        start(waiting.poll());
      }
    }
  }

  // ---------------------------------------------------------------- contenders

  private static final Permit NO_PERMIT =
      new Permit() {
        @Override
        public void success(long latencyNanos) {}

        @Override
        public void dropped() {}
      };

  private record Contender(String name, BiFunction<LongSupplier, SplittableRandom, Gate> gate) {}

  private static List<Contender> contenders() {
    List<Contender> list = new ArrayList<>();
    list.add(new Contender("no limit", (clock, random) -> unlimited()));
    list.add(new Contender("fixed " + CAPACITY, (clock, random) -> fixed()));
    list.add(
        new Contender(
            "dyno gradient2",
            (clock, random) ->
                dyno(
                    Limiter.builder("gradient2")
                        .gradient2(
                            g ->
                                g.initialLimit(G2_INITIAL)
                                    .minLimit(G2_MIN)
                                    .maxLimit(G2_MAX)
                                    .queueSize(G2_QUEUE)
                                    .smoothing(G2_SMOOTHING)
                                    .rttTolerance(G2_TOLERANCE)
                                    .longWindow(G2_LONG_WINDOW))
                        .ticker(clock)
                        .build())));
    list.add(
        new Contender(
            "peer gradient2",
            (clock, random) ->
                peer(
                    Gradient2Limit.newBuilder()
                        .initialLimit(G2_INITIAL)
                        .minLimit(G2_MIN)
                        .maxConcurrency(G2_MAX)
                        .queueSize(G2_QUEUE)
                        .smoothing(G2_SMOOTHING)
                        .rttTolerance(G2_TOLERANCE)
                        .longWindow(G2_LONG_WINDOW)
                        .build(),
                    clock)));
    list.add(
        new Contender(
            "dyno vegas",
            (clock, random) ->
                dyno(
                    Limiter.builder("vegas")
                        .vegas(
                            v ->
                                v.initialLimit(VEGAS_INITIAL)
                                    .maxLimit(VEGAS_MAX)
                                    .smoothing(VEGAS_SMOOTHING)
                                    .random(random::nextDouble))
                        .ticker(clock)
                        .build())));
    list.add(
        new Contender(
            "peer vegas",
            (clock, random) ->
                peer(
                    VegasLimit.newBuilder()
                        .initialLimit(VEGAS_INITIAL)
                        .maxConcurrency(VEGAS_MAX)
                        .smoothing(VEGAS_SMOOTHING)
                        .build(),
                    clock)));
    list.add(
        new Contender(
            "dyno aimd",
            (clock, random) ->
                dyno(
                    Limiter.builder("aimd")
                        .aimd(
                            a ->
                                a.initialLimit(AIMD_INITIAL)
                                    .minLimit(AIMD_MIN)
                                    .maxLimit(AIMD_MAX)
                                    .backoffRatio(AIMD_BACKOFF)
                                    .timeout(Duration.ofMillis(AIMD_TIMEOUT_MS)))
                        .ticker(clock)
                        .build())));
    list.add(
        new Contender(
            "peer aimd",
            (clock, random) ->
                peer(
                    AIMDLimit.newBuilder()
                        .initialLimit(AIMD_INITIAL)
                        .minLimit(AIMD_MIN)
                        .maxLimit(AIMD_MAX)
                        .backoffRatio(AIMD_BACKOFF)
                        .timeout(AIMD_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                        .build(),
                    clock)));
    return list;
  }

  private static Gate unlimited() {
    return new Gate() {
      @Override
      public Permit admit() {
        return NO_PERMIT;
      }

      @Override
      public int limit() {
        return -1;
      }
    };
  }

  private static Gate fixed() {
    Limiter limiter = Limiter.of("fixed", CAPACITY);
    Permit permit =
        new Permit() {
          @Override
          public void success(long latencyNanos) {
            limiter.release();
          }

          @Override
          public void dropped() {
            limiter.release();
          }
        };
    return new Gate() {
      @Override
      public @Nullable Permit admit() {
        return limiter.tryAcquire() ? permit : null;
      }

      @Override
      public int limit() {
        return limiter.permits();
      }
    };
  }

  private static Gate dyno(Limiter limiter) {
    Permit permit =
        new Permit() {
          @Override
          public void success(long latencyNanos) {
            limiter.onSuccess(latencyNanos);
          }

          @Override
          public void dropped() {
            limiter.onDropped();
          }
        };
    return new Gate() {
      @Override
      public @Nullable Permit admit() {
        return limiter.tryAcquire() ? permit : null;
      }

      @Override
      public int limit() {
        return limiter.limit();
      }
    };
  }

  private static Gate peer(com.netflix.concurrency.limits.Limit limit, LongSupplier clock) {
    SimpleLimiter<String> limiter =
        SimpleLimiter.newBuilder().named("peer").limit(limit).nanoClock(clock).build();
    return new Gate() {
      @Override
      public @Nullable Permit admit() {
        Optional<com.netflix.concurrency.limits.Limiter.Listener> acquired =
            limiter.acquire("call");
        if (acquired.isEmpty()) {
          return null;
        }
        com.netflix.concurrency.limits.Limiter.Listener listener = acquired.get();
        return new Permit() {
          @Override
          public void success(long latencyNanos) {
            listener.onSuccess();
          }

          @Override
          public void dropped() {
            listener.onDropped();
          }
        };
      }

      @Override
      public int limit() {
        return limiter.getLimit();
      }
    };
  }

  // ---------------------------------------------------------------- one run

  /** What one run of one contender at one load measured. */
  private static final class Result {
    final long[] arrivals = new long[RUN_SECONDS];
    final long[] rejected = new long[RUN_SECONDS];
    final long[] good = new long[RUN_SECONDS];
    final Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    final Histogram halvedLatency = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    final int[] limits = new int[3];
    long timeouts;
    long wasted;

    double goodput() {
      return sum(good, STEADY_FROM, HALVED_FROM) / (double) (HALVED_FROM - STEADY_FROM);
    }

    double rejectedShare() {
      long a = sum(arrivals, STEADY_FROM, HALVED_FROM);
      return a == 0 ? 0 : sum(rejected, STEADY_FROM, HALVED_FROM) / (double) a;
    }

    double p50() {
      return latency.getValueAtPercentile(50) / 1000.0;
    }

    double p99() {
      return latency.getValueAtPercentile(99) / 1000.0;
    }
  }

  private static Result run(
      double load, Contender contender, long seed, double sigma, boolean slow) {
    SimulatedClock engine = new SimulatedClock();
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom arrivals = root.split();
    SplittableRandom services = root.split();
    Gate gate = contender.gate().apply(engine, root.split());
    Result r = new Result();
    Backend backend =
        new Backend(
            engine,
            services,
            sigma,
            CAPACITY,
            true,
            call -> {
              if (call.over) {
                r.wasted++;
                return;
              }
              call.over = true;
              long latency = engine.getAsLong() - call.sentAt;
              call.permit.success(latency);
              r.good[second(engine.getAsLong())]++;
              record(r, call.sentAt, latency);
            });
    double meanGap = SECOND / (load * CAPACITY_PER_SECOND);
    Runnable[] arrive = new Runnable[1];
    arrive[0] =
        () -> {
          long now = engine.getAsLong();
          int s = second(now);
          r.arrivals[s]++;
          Permit permit = gate.admit();
          if (permit == null) {
            r.rejected[s]++;
          } else {
            Call call = new Call(now, permit);
            backend.submit(call);
            engine.at(
                now + TIMEOUT,
                () -> {
                  if (!call.over) {
                    call.over = true;
                    call.permit.dropped();
                    r.timeouts++;
                    record(r, call.sentAt, TIMEOUT);
                  }
                });
          }
          engine.at(now + gap(arrivals, meanGap), arrive[0]);
        };
    engine.at(gap(arrivals, meanGap), arrive[0]);
    engine.runUntil(HALVED_FROM * SECOND);
    r.limits[0] = gate.limit();
    if (slow) {
      backend.slowdown(SLOWDOWN);
    } else {
      backend.capacity(CAPACITY / 2);
    }
    engine.runUntil(HALVED_UNTIL * SECOND);
    r.limits[1] = gate.limit();
    backend.slowdown(1);
    backend.capacity(CAPACITY);
    engine.runUntil(RUN_SECONDS * SECOND);
    r.limits[2] = gate.limit();
    return r;
  }

  /** An exponential gap between Poisson arrivals, at least 1 ns. */
  private static long gap(SplittableRandom random, double mean) {
    return Math.max(1, (long) (-Math.log(1 - random.nextDouble()) * mean));
  }

  private static int second(long nanos) {
    return (int) Math.min(RUN_SECONDS - 1, nanos / SECOND);
  }

  /**
   * Records what the client waited for a call sent at {@code sentAt}: in the steady window before
   * the change, or in the last 20 s of the halved capacity.
   */
  private static void record(Result r, long sentAt, long waited) {
    if (sentAt >= STEADY_FROM * SECOND && sentAt < HALVED_FROM * SECOND) {
      r.latency.recordValue(waited / 1000);
    } else if (sentAt >= (HALVED_FROM + 10) * SECOND && sentAt < HALVED_UNTIL * SECOND) {
      r.halvedLatency.recordValue(waited / 1000);
    }
  }

  private static long sum(long[] bins, int from, int to) {
    long total = 0;
    for (int i = from; i < to; i++) {
      total += bins[i];
    }
    return total;
  }

  /**
   * The seconds after {@code from} until the goodput settles: the first bin {@code b} in [from, to)
   * such that every bin from {@code b} to the phase's end is within 10 % of the mean of the phase's
   * last 10 bins, minus {@code from}; -1 if that mean is below half of what the backend could
   * answer ({@code possible}: the load or the capacity, the smaller), nothing to settle to.
   */
  private static int settle(long[] good, int from, int to, double possible) {
    double mean = sum(good, to - 10, to) / 10.0;
    if (mean < possible / 2) {
      return -1;
    }
    int b = to;
    while (b > from && Math.abs(good[b - 1] - mean) <= 0.1 * mean) {
      b--;
    }
    return b - from;
  }

  // ---------------------------------------------------------------- the limit tables

  private static void printLimits(long seed, double sigma) {
    List<Contender> contenders = contenders();
    System.out.printf(
        Locale.ROOT,
        "## Limiters under overload%n%n"
            + "Backend: %d concurrent calls, log-normal service time (mean 10 ms, sigma %.2f), FIFO"
            + " queue, capacity %.0f calls/s; halved (%d calls) from %d s to %d s of %d s. Client"
            + " timeout %d ms. Poisson arrivals.%n%n",
        CAPACITY,
        sigma,
        CAPACITY_PER_SECOND,
        CAPACITY / 2,
        HALVED_FROM,
        HALVED_UNTIL,
        RUN_SECONDS,
        TIMEOUT / MS);
    System.out.printf(
        Locale.ROOT,
        "Settings, the same on both sides: gradient2 initialLimit %d, minLimit %d, maxLimit %d,"
            + " queueSize %d, smoothing %.1f, rttTolerance %.1f, longWindow %d; vegas initialLimit"
            + " %d, maxLimit %d, smoothing %.1f; aimd initialLimit %d, minLimit %d, maxLimit %d,"
            + " backoffRatio %.1f, timeout %d ms.%n%n",
        G2_INITIAL,
        G2_MIN,
        G2_MAX,
        G2_QUEUE,
        G2_SMOOTHING,
        G2_TOLERANCE,
        G2_LONG_WINDOW,
        VEGAS_INITIAL,
        VEGAS_MAX,
        VEGAS_SMOOTHING,
        AIMD_INITIAL,
        AIMD_MIN,
        AIMD_MAX,
        AIMD_BACKOFF,
        AIMD_TIMEOUT_MS);
    System.out.println(
        "| load | contender | goodput/s | of capacity | p50 ms | p99 ms | rejected | timeouts"
            + " | wasted | p99 ms halved | settle after halving | settle after restore | limit at 30/60/90 s |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    double yardstick = 0;
    List<String> goals = new ArrayList<>();
    List<String> versus = new ArrayList<>();
    for (double load : LOADS) {
      Map<String, Result> results = new HashMap<>();
      for (Contender c : contenders) {
        Result r = run(load, c, seed, sigma, false);
        results.put(c.name(), r);
        if (load == 0.5 && c.name().equals("no limit")) {
          yardstick = r.p99();
        }
        double offered = load * CAPACITY_PER_SECOND;
        int down =
            settle(r.good, HALVED_FROM, HALVED_UNTIL, Math.min(offered, CAPACITY_PER_SECOND / 2));
        int up = settle(r.good, HALVED_UNTIL, RUN_SECONDS, Math.min(offered, CAPACITY_PER_SECOND));
        double share = r.goodput() / CAPACITY_PER_SECOND;
        System.out.printf(
            Locale.ROOT,
            "| %sx | %s | %.0f | %.1f %% | %.1f | %.1f | %.1f %% | %d | %d | %.1f | %s | %s | %s |%n",
            format(load),
            c.name(),
            r.goodput(),
            100 * share,
            r.p50(),
            r.p99(),
            100 * r.rejectedShare(),
            r.timeouts,
            r.wasted,
            r.halvedLatency.getValueAtPercentile(99) / 1000.0,
            seconds(down),
            seconds(up),
            limit(r.limits[0]) + " / " + limit(r.limits[1]) + " / " + limit(r.limits[2]));
        if (load >= 2) {
          goals.add(
              String.format(
                  Locale.ROOT,
                  "| %sx | %s | %s | %s | %s |",
                  format(load),
                  c.name(),
                  share >= 0.9 ? "yes" : "no",
                  r.p99() <= 2 * yardstick ? "yes" : "no",
                  down >= 0 && down <= 10 && up >= 0 && up <= 10 ? "yes" : "no"));
        }
      }
      for (String algorithm : List.of("gradient2", "vegas", "aimd")) {
        Result dyno = results.get("dyno " + algorithm);
        Result peer = results.get("peer " + algorithm);
        if (dyno != null && peer != null) {
          versus.add(
              String.format(
                  Locale.ROOT,
                  "| %sx | %s | %.1f / %.1f | %.2f / %.2f | %s | %s |",
                  format(load),
                  algorithm,
                  dyno.goodput(),
                  peer.goodput(),
                  dyno.p99(),
                  peer.p99(),
                  dyno.goodput() >= peer.goodput() ? "yes" : "no",
                  dyno.p99() <= peer.p99() ? "yes" : "no"));
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%nUnloaded p99 (0.5x, no limit): %.1f ms; the goal is p99 <= %.1f ms.%n%n",
        yardstick,
        2 * yardstick);
    System.out.println(
        "| load | contender | goodput >= 0.9 capacity | p99 <= 2x unloaded | settled within 10 s |");
    System.out.println("|---|---|---|---|---|");
    goals.forEach(System.out::println);
    System.out.println();
    System.out.println(
        "| load | algorithm | goodput/s dyno / peer | p99 ms dyno / peer | dyno goodput >= peer"
            + " | dyno p99 <= peer |");
    System.out.println("|---|---|---|---|---|---|");
    versus.forEach(System.out::println);
  }

  private static void printSlowdown(long seed, double sigma) {
    System.out.printf(
        Locale.ROOT,
        "%n## Limiters when the service slows%n%n"
            + "The same backend, but from %d s to %d s each call takes %d times as long (mean %d ms)"
            + " at unchanged concurrency, so it answers %.0f calls/s; then it is fast again.%n%n",
        HALVED_FROM,
        HALVED_UNTIL,
        SLOWDOWN,
        SLOWDOWN * MEAN_SERVICE / MS,
        CAPACITY_PER_SECOND / SLOWDOWN);
    System.out.println(
        "| load | contender | goodput/s slowed | of slowed capacity | p99 ms slowed | settle after"
            + " slowing | settle after restore | limit at 30/60/90 s |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    double slowed = CAPACITY_PER_SECOND / SLOWDOWN;
    for (double load : new double[] {2, 5}) {
      for (Contender c : contenders()) {
        if (c.name().equals("no limit")) {
          continue;
        }
        Result r = run(load, c, seed, sigma, true);
        double offered = load * CAPACITY_PER_SECOND;
        int down = settle(r.good, HALVED_FROM, HALVED_UNTIL, Math.min(offered, slowed));
        int up = settle(r.good, HALVED_UNTIL, RUN_SECONDS, Math.min(offered, CAPACITY_PER_SECOND));
        double goodput = sum(r.good, HALVED_FROM + 10, HALVED_UNTIL) / 20.0;
        System.out.printf(
            Locale.ROOT,
            "| %sx | %s | %.0f | %.1f %% | %.1f | %s | %s | %s |%n",
            format(load),
            c.name(),
            goodput,
            100 * goodput / slowed,
            r.halvedLatency.getValueAtPercentile(99) / 1000.0,
            seconds(down),
            seconds(up),
            limit(r.limits[0]) + " / " + limit(r.limits[1]) + " / " + limit(r.limits[2]));
      }
    }
  }

  private static String format(double load) {
    return load == Math.rint(load) ? Long.toString((long) load) : Double.toString(load);
  }

  private static String seconds(int settle) {
    return settle < 0 ? "never (collapsed)" : settle + " s";
  }

  private static String limit(int limit) {
    return limit < 0 ? "-" : Integer.toString(limit);
  }

  // ---------------------------------------------------------------- the throttle

  private static final double THROTTLE_LOAD = 10;
  private static final int THROTTLE_SECONDS = 60;
  private static final int THROTTLE_LAST = 10;
  private static final double RANDOM_ACCEPTS = 0.1;

  /** What one throttle run counted over the run, and in its last 10 s. */
  private static final class Counts {
    long offered;
    long sent;
    long accepted;
    long lastOffered;
    long lastSent;
  }

  private static Counts throttleRun(boolean loadDependent, boolean throttled, long seed) {
    SimulatedClock engine = new SimulatedClock();
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom arrivals = root.split();
    SplittableRandom services = root.split();
    SplittableRandom draws = root.split();
    SplittableRandom backendDraws = root.split();
    Throttle throttle =
        Throttle.builder("backend").ticker(engine).random(draws::nextDouble).build();
    Counts counts = new Counts();
    Backend backend =
        new Backend(
            engine,
            services,
            DEFAULT_SIGMA,
            loadDependent ? CAPACITY : Integer.MAX_VALUE,
            false,
            call -> {
              call.permit.success(engine.getAsLong() - call.sentAt);
              counts.accepted++;
            });
    Permit toThrottle =
        new Permit() {
          @Override
          public void success(long latencyNanos) {
            if (throttled) {
              throttle.onAccepted();
            }
          }

          @Override
          public void dropped() {
            if (throttled) {
              throttle.onRejected();
            }
          }
        };
    double meanGap = SECOND / (THROTTLE_LOAD * CAPACITY_PER_SECOND);
    Runnable[] arrive = new Runnable[1];
    arrive[0] =
        () -> {
          long now = engine.getAsLong();
          boolean last = now >= (THROTTLE_SECONDS - THROTTLE_LAST) * SECOND;
          counts.offered++;
          counts.lastOffered += last ? 1 : 0;
          if (!throttled || throttle.tryAcquire()) {
            counts.sent++;
            counts.lastSent += last ? 1 : 0;
            Call call = new Call(now, toThrottle);
            boolean taken =
                loadDependent
                    ? backend.submit(call)
                    : backendDraws.nextDouble() < RANDOM_ACCEPTS && backend.submit(call);
            if (!taken) {
              toThrottle.dropped();
            }
          }
          engine.at(now + gap(arrivals, meanGap), arrive[0]);
        };
    engine.at(gap(arrivals, meanGap), arrive[0]);
    engine.runUntil(THROTTLE_SECONDS * SECOND);
    return counts;
  }

  private static void printThrottle(long seed) {
    System.out.printf(
        Locale.ROOT,
        "%n## Throttle%n%n"
            + "Offered load %.0f calls/s for %d s, counted over the whole run; Throttle with its defaults"
            + " (K = %.0f, a 2-minute window of 12 buckets). A load-dependent backend serves %d"
            + " calls at a time (%.0f calls/s, a tenth of the load) and rejects at once what it"
            + " cannot take; an independent backend rejects %.0f %% of calls at random.%n%n",
        THROTTLE_LOAD * CAPACITY_PER_SECOND,
        THROTTLE_SECONDS,
        Throttle.DEFAULT_K,
        CAPACITY,
        CAPACITY_PER_SECOND,
        100 * (1 - RANDOM_ACCEPTS));
    System.out.println(
        "| backend | throttle | backend calls/s | accepted/s | backend calls / accepted | local"
            + " rejection | local rejection, last 10 s | backend rejection |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (boolean loadDependent : new boolean[] {true, false}) {
      for (boolean throttled : new boolean[] {false, true}) {
        Counts c = throttleRun(loadDependent, throttled, seed);
        double secs = THROTTLE_SECONDS;
        System.out.printf(
            Locale.ROOT,
            "| %s | %s | %.1f | %.1f | %.2f | %.1f %% | %.2f %% | %.1f %% |%n",
            loadDependent ? "capacity 10 % of load" : "rejects 90 % at random",
            throttled ? "yes" : "no",
            c.sent / secs,
            c.accepted / secs,
            c.sent / (double) Math.max(1, c.accepted),
            100.0 * (c.offered - c.sent) / c.offered,
            100.0 * (c.lastOffered - c.lastSent) / c.lastOffered,
            100.0 * (c.sent - c.accepted) / Math.max(1, c.sent));
      }
    }
  }
}
