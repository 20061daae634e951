package io.dyno.benchmarks;

import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsTotals;
import io.dyno.retry.RetryBudget;
import io.dyno.service.Hedge;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * A discrete-event simulation of hedged requests, modelled on dyno-service's hedge: a call sends
 * its first copy; if no answer has come after the hedge's delay, it sends another (at most one
 * more); a copy that fails brings the next one forward; the first success wins and the other copies
 * are cancelled, which frees their server at once. Every copy after the first asks the budget, if
 * there is one ({@link RetryBudget#tryAcquire}), and a copy it refuses is not sent.
 *
 * <p>The model, on a simulated nanosecond clock ({@link SimulatedClock}), single-threaded and
 * seeded:
 *
 * <ul>
 *   <li>Backend: {@value #SERVERS} servers and a FIFO queue. A copy's service time is log-normal
 *       (median 10 ms, σ = 0.25 of its logarithm), and with probability 1 % it is 50 times as long
 *       (a garbage-collection pause, a bad disk), drawn for each copy independently, as another
 *       replica would.
 *   <li>Clients: Poisson arrivals for 120 s; the first 20 s are a warm-up, left out of every
 *       figure. Each call's first service time is drawn from its own stream, so that every
 *       contender sees the same arrivals and the same first copies.
 *   <li>The service's metrics: a real dyno-metrics {@link Metrics} on the simulated clock (its
 *       default windows), which times every copy as an attempt: a success or a timeout records its
 *       latency; a cancelled copy records nothing. A percentile hedge reads its delay from them
 *       every second, as dyno-service's refresh does: {@code Hedge.delayFor(metrics, laterWins)},
 *       with {@code laterWins} the share of the calls answered since the last refresh that a later
 *       copy won.
 * </ul>
 *
 * <p>First scenario, at 40 % of the backend's capacity: no hedge, a hedge after a fixed 20 ms
 * (twice the median, a user's guess), a hedge after the 95th percentile, and a timeout of 20 ms
 * followed by one retry. Second scenario, overload: the same arrivals, every copy 5 times slower
 * (twice what the slowed backend can serve), a 100 ms timeout on every copy, and a retry of up to 3
 * attempts around the percentile hedge: with no budget, with one {@code RetryBudget.ratio(0.1)} and
 * with one {@code RetryBudget.tokens(100, 0.1)} shared by the retry and the hedge; and, for
 * reference, the timeout alone.
 *
 * <p>Run: {@code java -cp dyno-benchmarks/target/benchmarks.jar io.dyno.benchmarks.HedgeSimulation
 * [--seed N]} (default seed 42).
 *
 * <p>Not thread-safe: one simulation runs on the calling thread.
 */
public final class HedgeSimulation {

  /** The backend's servers: the copies it serves at a time. */
  static final int SERVERS = 50;

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private static final long MEDIAN_SERVICE = 10 * MS;
  private static final double SIGMA = 0.25;
  private static final double SLOW_CHANCE = 0.01;
  private static final double SLOW_FACTOR = 50;

  /** The mean service time: the log-normal's mean, times the slow copies' share of the work. */
  private static final double MEAN_SERVICE =
      MEDIAN_SERVICE * Math.exp(SIGMA * SIGMA / 2) * (1 - SLOW_CHANCE + SLOW_CHANCE * SLOW_FACTOR);

  private static final double CAPACITY_PER_SECOND = SERVERS * (double) SECOND / MEAN_SERVICE;

  private static final int RUN_SECONDS = 120;
  private static final int WARM_UP_SECONDS = 20;

  /** How long after the last arrival the run goes on, for the calls still running to end. */
  private static final int DRAIN_SECONDS = 10;

  private static final double LOAD = 0.4;
  private static final long FIXED_DELAY = 20 * MS;

  // Hedge.afterPercentile(95)'s settings: its percentile, floor, cap and refresh period.
  private static final double PERCENTILE = 95;
  private static final long FLOOR = MS;
  private static final long CAP = SECOND;
  private static final long REFRESH = SECOND;

  /** How many times slower every copy is in the overload scenario. */
  private static final int SLOWDOWN = 5;

  private static final long OVERLOAD_TIMEOUT = 100 * MS;
  private static final int OVERLOAD_ATTEMPTS = 3;
  private static final double BUDGET_RATIO = 0.1;
  private static final int BUDGET_TOKENS = 100;

  /** The goal: at least this many times shorter p99.9 than without a hedge... */
  private static final double GOAL_CUT = 10;

  /** ...for at most this share of extra calls. */
  private static final double GOAL_EXTRA = 0.05;

  private HedgeSimulation() {}

  /**
   * Runs the simulation and prints its tables as markdown.
   *
   * @param args {@code --seed N} (default 42)
   */
  public static void main(String[] args) {
    long seed = 42;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      if (!args[i].equals("--seed")) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; expected --seed");
      }
      seed = Long.parseLong(value);
    }
    long began = System.nanoTime();
    printHedges(seed);
    printOverload(seed);
    System.out.printf(
        Locale.ROOT,
        "%nSeed %d; %.1f s of wall time.%n",
        seed,
        (System.nanoTime() - began) / (double) SECOND);
  }

  /** The percentile hedge, whose delay rule the runs use as dyno-service's refresh does. */
  private static final Hedge PERCENTILE_HEDGE =
      Hedge.afterPercentile(PERCENTILE)
          .floor(Duration.ofNanos(FLOOR))
          .cap(Duration.ofNanos(CAP))
          .refresh(Duration.ofNanos(REFRESH));

  // ---------------------------------------------------------------- contenders

  /** How a contender hedges. */
  private enum Hedging {
    NONE,
    FIXED,
    PERCENTILE
  }

  /** The budget a retry and a hedge share. */
  private enum Budget {
    NONE,
    RATIO,
    TOKENS;

    @Nullable RetryBudget create() {
      return switch (this) {
        case NONE -> null;
        case RATIO -> RetryBudget.ratio(BUDGET_RATIO);
        case TOKENS -> RetryBudget.tokens(BUDGET_TOKENS, BUDGET_RATIO);
      };
    }
  }

  /**
   * One way of calling the backend: a hedge, a timeout on each copy (0 for none), the attempts of a
   * retry (1 for none), and the budget the retry and the hedge share.
   */
  private record Contender(
      String name, Hedging hedging, long timeout, int maxAttempts, Budget budget) {}

  private static List<Contender> hedgeContenders() {
    return List.of(
        new Contender("no hedge", Hedging.NONE, 0, 1, Budget.NONE),
        new Contender("Hedge.after(20 ms)", Hedging.FIXED, 0, 1, Budget.NONE),
        new Contender("Hedge.afterPercentile(95)", Hedging.PERCENTILE, 0, 1, Budget.NONE),
        new Contender("timeout 20 ms, 1 retry", Hedging.NONE, FIXED_DELAY, 2, Budget.NONE));
  }

  private static List<Contender> overloadContenders() {
    return List.of(
        new Contender("timeout only", Hedging.NONE, OVERLOAD_TIMEOUT, 1, Budget.NONE),
        new Contender(
            "retry + hedge, no budget",
            Hedging.PERCENTILE,
            OVERLOAD_TIMEOUT,
            OVERLOAD_ATTEMPTS,
            Budget.NONE),
        new Contender(
            "retry + hedge, RetryBudget.ratio(0.1)",
            Hedging.PERCENTILE,
            OVERLOAD_TIMEOUT,
            OVERLOAD_ATTEMPTS,
            Budget.RATIO),
        new Contender(
            "retry + hedge, RetryBudget.tokens(100, 0.1)",
            Hedging.PERCENTILE,
            OVERLOAD_TIMEOUT,
            OVERLOAD_ATTEMPTS,
            Budget.TOKENS));
  }

  // ---------------------------------------------------------------- one run

  /** What one run measured, over the calls that arrived after the warm-up. */
  private static final class Result {
    final Histogram waited = new Histogram(TimeUnit.SECONDS.toMicros(600), 3);
    long calls;
    long succeeded;
    long failed;
    long copies;
    long hedges;
    long retries;
    long busyNanos;

    /** Calls won by a copy other than an attempt's first. */
    long hedgesWon;

    /** Calls won by an attempt other than the first. */
    long retriesWon;

    long delays;
    double delaySum;
    long delayMin = Long.MAX_VALUE;
    long delayMax;

    double ms(double percentile) {
      return waited.getValueAtPercentile(percentile) / 1000.0;
    }

    double perCall(long count) {
      return calls == 0 ? 0 : count / (double) calls;
    }
  }

  private enum State {
    QUEUED,
    SERVING,
    DONE,
    CANCELLED
  }

  /** One call of a client: its attempts, one hedged group each. */
  private static final class Call {
    final long arrivedAt;
    final long firstService;
    final boolean measured;
    int attempts;

    Call(long arrivedAt, long firstService) {
      this.arrivedAt = arrivedAt;
      this.firstService = firstService;
      this.measured = arrivedAt >= WARM_UP_SECONDS * SECOND;
    }
  }

  /** One attempt of a call: its copies, the first and the hedges. */
  private static final class Group {
    final Call call;
    final List<Copy> copies = new ArrayList<>(2);

    /** Copies sent or being sent. */
    int launches;

    int failures;

    /** No further copy is sent: the budget refused one. */
    boolean stopped;

    boolean done;

    Group(Call call) {
      this.call = call;
    }
  }

  /** One copy on the backend. */
  private static final class Copy {
    final Group group;
    final int number;
    final long service;
    final Metrics.Sample sample;
    State state = State.QUEUED;
    long startedAt;

    Copy(Group group, int number, long service, Metrics.Sample sample) {
      this.group = group;
      this.number = number;
      this.service = service;
      this.sample = sample;
    }
  }

  /** One contender at one load, from one seed. */
  private static final class Run {
    private final Contender contender;
    private final SimulatedClock clock = new SimulatedClock();
    private final SplittableRandom arrivals;
    private final SplittableRandom firstServices;
    private final SplittableRandom otherServices;
    private final Metrics metrics;
    private final @Nullable RetryBudget budget;
    private final Result r = new Result();
    private final ArrayDeque<Copy> queue = new ArrayDeque<>();
    private final double meanGap;
    private final double slowdown;
    private final double mu = Math.log((double) MEDIAN_SERVICE);
    private final int maxCopies;
    private int busy;
    private long delay;

    // The refresh's view of the calls a later copy won, as dyno-service's engine keeps it.
    private long allLaterWins;
    private long refreshedAnswered;
    private long refreshedWins;
    private double laterWins;

    Run(Contender contender, long seed, double slowdown) {
      this.contender = contender;
      SplittableRandom root = new SplittableRandom(seed);
      this.arrivals = root.split();
      this.firstServices = root.split();
      this.otherServices = root.split();
      this.metrics = Metrics.builder("backend").ticker(clock).build();
      this.budget = contender.budget().create();
      this.meanGap = SECOND / (LOAD * CAPACITY_PER_SECOND);
      this.slowdown = slowdown;
      this.maxCopies = contender.hedging() == Hedging.NONE ? 1 : 2;
      this.delay = contender.hedging() == Hedging.FIXED ? FIXED_DELAY : CAP;
    }

    Result run() {
      clock.at(gap(), this::arrive);
      if (contender.hedging() == Hedging.PERCENTILE) {
        clock.at(REFRESH, this::refresh);
      }
      clock.runUntil((RUN_SECONDS + DRAIN_SECONDS) * SECOND);
      return r;
    }

    private long gap() {
      return Math.max(1, (long) (-Math.log(1 - arrivals.nextDouble()) * meanGap));
    }

    private long service(SplittableRandom random) {
      double nanos = slowdown * Math.exp(mu + SIGMA * random.nextGaussian());
      if (random.nextDouble() < SLOW_CHANCE) {
        nanos *= SLOW_FACTOR;
      }
      return (long) nanos;
    }

    /** The hedge's periodic refresh, as the service's scheduler runs it. */
    private void refresh() {
      long now = clock.getAsLong();
      MetricsTotals totals = metrics.totals();
      long answered = totals.successes() + totals.failures() + totals.timeouts();
      long calls = answered - refreshedAnswered;
      if (calls > 0) {
        laterWins = Math.min(1, Math.max(0, (allLaterWins - refreshedWins) / (double) calls));
      }
      refreshedAnswered = answered;
      refreshedWins = allLaterWins;
      delay = PERCENTILE_HEDGE.delayFor(metrics, laterWins).toNanos();
      if (now >= WARM_UP_SECONDS * SECOND && now < RUN_SECONDS * SECOND) {
        r.delays++;
        r.delaySum += delay;
        r.delayMin = Math.min(r.delayMin, delay);
        r.delayMax = Math.max(r.delayMax, delay);
      }
      clock.at(now + REFRESH, this::refresh);
    }

    private boolean retrySharesBudget() {
      return budget != null && contender.maxAttempts() > 1;
    }

    // -------------------------------------------------------------- the client

    private void arrive() {
      long now = clock.getAsLong();
      Call call = new Call(now, service(firstServices));
      if (call.measured) {
        r.calls++;
      }
      RetryBudget b = budget;
      if (b != null && retrySharesBudget()) {
        b.recordCall(now);
      }
      attempt(call);
      long next = now + gap();
      if (next < RUN_SECONDS * SECOND) {
        clock.at(next, this::arrive);
      }
    }

    private void attempt(Call call) {
      call.attempts++;
      if (call.attempts > 1 && call.measured) {
        r.retries++;
      }
      Group group = new Group(call);
      RetryBudget b = budget;
      if (b != null && !retrySharesBudget()) {
        // A hedge that does not share its budget with a retry counts each attempt as a call.
        b.recordCall(clock.getAsLong());
      }
      group.launches = 1;
      launch(group, 1);
    }

    /** Sends the next copy unless one was sent since {@code seen} copies were counted. */
    private void fire(Group group, int seen) {
      if (group.done || group.stopped || group.launches != seen || group.launches >= maxCopies) {
        return;
      }
      group.launches++;
      launch(group, group.launches);
    }

    /** Sends copy number {@code n} of {@code group}, counted already in its launches. */
    private void launch(Group group, int n) {
      long now = clock.getAsLong();
      RetryBudget b = budget;
      if (n > 1 && b != null && !b.tryAcquire(now)) {
        // The copy cannot start: no hedge, and the attempt waits on the copies it has.
        group.launches--;
        group.stopped = true;
        settleIfAllFailed(group);
        return;
      }
      Call call = group.call;
      long service = n == 1 && call.attempts == 1 ? call.firstService : service(otherServices);
      Copy copy = new Copy(group, n, service, metrics.start());
      group.copies.add(copy);
      if (call.measured) {
        r.copies++;
        if (n > 1) {
          r.hedges++;
        }
      }
      submit(copy);
      if (contender.timeout() > 0) {
        clock.at(now + contender.timeout(), () -> timedOut(copy));
      }
      if (!group.done && group.launches == n && n < maxCopies) {
        clock.at(now + delay, () -> fire(group, n));
      }
    }

    private void succeeded(Copy copy) {
      copy.sample.success();
      Group group = copy.group;
      reportToBudget(copy, true);
      group.done = true;
      for (Copy other : group.copies) {
        if (other != copy) {
          // Another copy won: cancelled, it records nothing.
          cancel(other);
        }
      }
      Call call = group.call;
      RetryBudget b = budget;
      if (b != null && retrySharesBudget()) {
        b.recordSuccess();
      }
      if (copy.number > 1) {
        allLaterWins++;
      }
      if (call.measured) {
        r.succeeded++;
        r.waited.recordValue((clock.getAsLong() - call.arrivedAt) / 1000);
        r.hedgesWon += copy.number > 1 ? 1 : 0;
        r.retriesWon += call.attempts > 1 ? 1 : 0;
      }
    }

    private void timedOut(Copy copy) {
      if (copy.state == State.DONE || copy.state == State.CANCELLED) {
        return;
      }
      cancel(copy);
      copy.sample.timeout();
      reportToBudget(copy, false);
      Group group = copy.group;
      group.failures++;
      if (!group.stopped && group.launches < maxCopies) {
        // A failed copy brings the next one forward.
        group.launches++;
        launch(group, group.launches);
      } else {
        settleIfAllFailed(group);
      }
    }

    /** The outcome of a copy, to the budget that copy drew from (a hedge's own copies too). */
    private void reportToBudget(Copy copy, boolean success) {
      RetryBudget b = budget;
      if (b == null || (copy.number == 1 && retrySharesBudget())) {
        return;
      }
      if (success) {
        b.recordSuccess();
      } else {
        b.recordFailure();
      }
    }

    private void settleIfAllFailed(Group group) {
      if (group.done
          || group.failures == 0
          || group.failures < group.launches
          || (!group.stopped && group.launches < maxCopies)) {
        return;
      }
      group.done = true;
      Call call = group.call;
      RetryBudget b = budget;
      if (retrySharesBudget() && b != null) {
        // The retry counts a failure it would retry, whether or not an attempt is left.
        b.recordFailure();
      }
      if (call.attempts < contender.maxAttempts()
          && (b == null || !retrySharesBudget() || b.tryAcquire(clock.getAsLong()))) {
        attempt(call);
        return;
      }
      if (call.measured) {
        r.failed++;
        r.waited.recordValue((clock.getAsLong() - call.arrivedAt) / 1000);
      }
    }

    // -------------------------------------------------------------- the backend

    private void submit(Copy copy) {
      if (busy < SERVERS) {
        start(copy);
      } else {
        queue.add(copy);
      }
    }

    private void start(Copy copy) {
      busy++;
      copy.state = State.SERVING;
      copy.startedAt = clock.getAsLong();
      clock.at(copy.startedAt + copy.service, () -> served(copy));
    }

    private void served(Copy copy) {
      if (copy.state != State.SERVING) {
        return; // cancelled while it was served
      }
      copy.state = State.DONE;
      busy--;
      busyFor(copy, copy.service);
      succeeded(copy);
      drain();
    }

    /** Stops a copy: the backend drops it from its queue, or stops serving it at once. */
    private void cancel(Copy copy) {
      if (copy.state == State.SERVING) {
        busy--;
        busyFor(copy, clock.getAsLong() - copy.startedAt);
        copy.state = State.CANCELLED;
        drain();
      } else if (copy.state == State.QUEUED) {
        copy.state = State.CANCELLED; // left in the queue, skipped when its turn comes
      }
    }

    private void busyFor(Copy copy, long nanos) {
      if (copy.group.call.measured) {
        r.busyNanos += nanos;
      }
    }

    private void drain() {
      while (busy < SERVERS && !queue.isEmpty()) {
        Copy next = queue.poll();
        if (next.state == State.QUEUED) {
          start(next);
        }
      }
    }
  }

  // ---------------------------------------------------------------- the tables

  private static void printHedges(long seed) {
    System.out.printf(
        Locale.ROOT,
        "## Hedged requests%n%n"
            + "Backend: %d servers, FIFO queue, log-normal service time (median %d ms, sigma %.2f),"
            + " %.0f %% of copies %.0fx slower; mean %.2f ms, capacity %.0f calls/s. Poisson"
            + " arrivals at %.0f %% of capacity (%.0f calls/s) for %d s, the first %d s left out."
            + "%n%n",
        SERVERS,
        MEDIAN_SERVICE / MS,
        SIGMA,
        100 * SLOW_CHANCE,
        SLOW_FACTOR,
        MEAN_SERVICE / MS,
        CAPACITY_PER_SECOND,
        100 * LOAD,
        LOAD * CAPACITY_PER_SECOND,
        RUN_SECONDS,
        WARM_UP_SECONDS);
    System.out.println(
        "| contender | p50 ms | p99 ms | p99.9 ms | max ms | extra copies | extra busy time |"
            + " won by a later copy | failed |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    Result none = null;
    Result percentile = null;
    for (Contender c : hedgeContenders()) {
      Result r = new Run(c, seed, 1).run();
      if (none == null) {
        none = r;
      }
      if (c.hedging() == Hedging.PERCENTILE) {
        percentile = r;
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %.1f | %.1f | %.1f | %.1f | %.2f %% | %.2f %% | %d (%.2f %%) | %d |%n",
          c.name(),
          r.ms(50),
          r.ms(99),
          r.ms(99.9),
          r.ms(100),
          100 * (r.perCall(r.copies) - 1),
          100 * (r.busyNanos / (double) none.busyNanos - 1),
          r.hedgesWon + r.retriesWon,
          100 * r.perCall(r.hedgesWon + r.retriesWon),
          r.failed);
    }
    if (none == null || percentile == null) {
      throw new IllegalStateException("the contenders must include no hedge and a percentile");
    }
    System.out.printf(
        Locale.ROOT,
        "%nCalls measured: %d. Hedge.afterPercentile(95)'s delay, read every second from 20 s:"
            + " mean %.2f ms, from %.2f to %.2f ms; the p95 of what the caller waited without a"
            + " hedge: %.2f ms.%n",
        percentile.calls,
        percentile.delaySum / percentile.delays / MS,
        percentile.delayMin / (double) MS,
        percentile.delayMax / (double) MS,
        none.ms(95));
    double cut = none.ms(99.9) / percentile.ms(99.9);
    double extra = percentile.perCall(percentile.copies) - 1;
    System.out.printf(
        Locale.ROOT,
        "%nGoal, p99.9 cut >= %.0fx against no hedge with <= %.0f %% extra calls:"
            + " p99.9 %.1f -> %.1f ms (%.1fx), extra calls %.2f %%: %s.%n",
        GOAL_CUT,
        100 * GOAL_EXTRA,
        none.ms(99.9),
        percentile.ms(99.9),
        cut,
        100 * extra,
        cut >= GOAL_CUT && extra <= GOAL_EXTRA
            ? "met"
            : cut >= GOAL_CUT ? "not met (the cut holds, the extra calls exceed 5 %)" : "not met");
  }

  private static void printOverload(long seed) {
    System.out.printf(
        Locale.ROOT,
        "%n## Retries and hedges under overload%n%n"
            + "The same arrivals (%.0f calls/s), but every copy takes %d times as long (median %d"
            + " ms), so the backend's capacity falls to %.0f calls/s and the load is %.0f %% of it."
            + " Every copy times out after %d ms (the backend stops it); a retry of up to %d"
            + " attempts (no backoff) around Hedge.afterPercentile(95); the budget, when there is"
            + " one, shared by both.%n%n",
        LOAD * CAPACITY_PER_SECOND,
        SLOWDOWN,
        SLOWDOWN * MEDIAN_SERVICE / MS,
        CAPACITY_PER_SECOND / SLOWDOWN,
        100 * LOAD * SLOWDOWN,
        OVERLOAD_TIMEOUT / MS,
        OVERLOAD_ATTEMPTS);
    System.out.println(
        "| contender | retries per call | hedges per call | extra per call | budget's bound |"
            + " backend copies/s | goodput/s | failed | p50 ms | p99 ms | hedge delay ms |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    double seconds = RUN_SECONDS - WARM_UP_SECONDS;
    List<String> goals = new ArrayList<>();
    for (Contender c : overloadContenders()) {
      Result r = new Run(c, seed, SLOWDOWN).run();
      double extra = r.perCall(r.retries + r.hedges);
      // A ratio budget allows ratio x calls plus its floor of retries per second; a token budget
      // is held against its token ratio.
      double bound =
          switch (c.budget()) {
            case NONE -> Double.NaN;
            case RATIO ->
                BUDGET_RATIO
                    + RetryBudget.ratio(BUDGET_RATIO).minRetriesPerSecond() * seconds / r.calls;
            case TOKENS -> BUDGET_RATIO;
          };
      System.out.printf(
          Locale.ROOT,
          "| %s | %.3f | %.3f | %.3f | %s | %.0f | %.0f | %.1f %% | %.1f | %.1f | %s |%n",
          c.name(),
          r.perCall(r.retries),
          r.perCall(r.hedges),
          extra,
          Double.isNaN(bound) ? "-" : String.format(Locale.ROOT, "%.3f", bound),
          r.copies / seconds,
          r.succeeded / seconds,
          100 * r.perCall(r.failed),
          r.ms(50),
          r.ms(99),
          r.delays == 0
              ? "-"
              : String.format(
                  Locale.ROOT,
                  "%.1f (%.1f to %.1f)",
                  r.delaySum / r.delays / MS,
                  r.delayMin / (double) MS,
                  r.delayMax / (double) MS));
      if (!Double.isNaN(bound)) {
        goals.add(
            String.format(
                Locale.ROOT,
                "Goal, %s: extra attempts per call %.3f <= %.3f: %s.",
                c.name(),
                extra,
                bound,
                extra <= bound ? "met" : "not met"));
      } else if (c.maxAttempts() > 1) {
        goals.add(
            String.format(
                Locale.ROOT,
                "Without a budget (the storm): %.3f extra attempts per call, %.2fx the calls sent"
                    + " to the backend.",
                extra,
                r.perCall(r.copies)));
      }
    }
    System.out.println();
    goals.forEach(System.out::println);
  }
}
