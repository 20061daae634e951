package io.dyno.examples;

import io.dyno.utils.RunningStats;
import io.dyno.utils.Stats;
import io.dyno.utils.Summary;
import java.io.PrintStream;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The runnable demo: simulates the latencies of a shop front's remote dependencies, a fixed share
 * of them slowed by spikes, and prints a latency report per dependency with dyno-utils.
 *
 * <p>Run it from the repository root with {@code ./mvnw -q -pl dyno-examples -am compile
 * exec:java}; pass options with {@code -Dexec.args="--samples 50000 --seed 7"}.
 */
public final class Demo {

  /** A simulated remote dependency: typical latency, spread, and how often it spikes. */
  private record Dependency(String name, double typicalMillis, double spread, double spikeChance) {}

  private static final List<Dependency> DEPENDENCIES =
      List.of(
          new Dependency("inventory", 8, 0.35, 0.01),
          new Dependency("pricing", 3, 0.25, 0.002),
          new Dependency("recommendations", 25, 0.6, 0.05),
          new Dependency("payments", 40, 0.3, 0.02));

  private static final String USAGE =
      "usage: Demo [--samples N (1..10000000, default 10000)] [--seed S (default 42)]";

  private Demo() {}

  /**
   * Runs the demo with the given command-line options and prints the report to standard output.
   *
   * @param args {@code --samples N} and {@code --seed S}, both optional
   * @throws IllegalArgumentException if an option is unknown, lacks its value or is out of range
   */
  public static void main(String[] args) {
    run(args, System.out);
  }

  /** Parses the options, simulates and prints the report to {@code out}. */
  static void run(String[] args, PrintStream out) {
    int samples = 10_000;
    long seed = 42;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(option + " needs a value; " + USAGE);
      }
      String value = args[++i];
      switch (option) {
        case "--samples" -> samples = parse(option, value, 1, 10_000_000);
        case "--seed" -> seed = parse(option, value, Long.MIN_VALUE, Long.MAX_VALUE);
        default -> throw new IllegalArgumentException("unknown option " + option + "; " + USAGE);
      }
    }
    report(samples, seed, out);
  }

  private static int parse(String option, String value, int min, int max) {
    return (int) parse(option, value, (long) min, (long) max);
  }

  private static long parse(String option, String value, long min, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a number, was '" + value + "'", e);
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException(
          option + " must be in [" + min + ", " + max + "], was " + parsed);
    }
    return parsed;
  }

  private static void report(int samples, long seed, PrintStream out) {
    SplittableRandom random = new SplittableRandom(seed);
    RunningStats overall = RunningStats.create();
    out.printf(
        "Simulated latency of %d calls per dependency (seed %d), in milliseconds%n", samples, seed);
    out.printf(
        "%-16s %8s %8s %8s %8s %8s %8s %8s%n",
        "dependency", "calls", "mean", "stddev", "p50", "p90", "p99", "max");
    for (Dependency dependency : DEPENDENCIES) {
      double[] latencies = new double[samples];
      for (int i = 0; i < samples; i++) {
        latencies[i] = simulate(dependency, random);
        overall.add(latencies[i]);
      }
      Summary s = Stats.summarize(latencies);
      out.printf(
          "%-16s %8d %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f%n",
          dependency.name(), s.count(), s.mean(), s.stddev(), s.p50(), s.p90(), s.p99(), s.max());
    }
    RunningStats.Snapshot all = overall.snapshot();
    out.printf(
        "%-16s %8d %8.2f %8.2f %8s %8s %8s %8.2f%n",
        "all", all.count(), all.mean(), all.stddev(), "", "", "", all.max());
  }

  /** A log-normal latency around the typical value; a spike adds ten times the typical value. */
  private static double simulate(Dependency d, SplittableRandom random) {
    double latency = d.typicalMillis() * Math.exp(d.spread() * gaussian(random));
    if (random.nextDouble() < d.spikeChance()) {
      latency += 10 * d.typicalMillis();
    }
    return latency;
  }

  /** A standard normal variate by the Box–Muller transform. */
  private static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble(); // in (0, 1], so the logarithm is finite
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
