package io.dyno.benchmarks;

import io.dyno.injection.Dependency;
import io.dyno.injection.Injector;
import io.dyno.utils.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The parallelism check of dyno-injection: 8 dependencies that each take 20 ms to construct, built
 * per call by a parallel injector on 8 threads and by a sequential one. The parallel call should
 * take about 20 ms, the sequential one about 160 ms.
 *
 * <p>Prints a markdown table with the median and p99 of the call latency per injector.
 *
 * <p>Run: {@code java -cp dyno-benchmarks/target/benchmarks.jar io.dyno.benchmarks.InjectionHarness
 * [calls]} (default 50 calls per injector, after 5 warm-up calls).
 *
 * <p>Not thread-safe: {@link #main} runs the injectors one at a time.
 */
public final class InjectionHarness {

  private static final int DEPENDENCIES = 8;
  private static final long CONSTRUCTION_MS = 20;
  private static final int WARM_UP = 5;

  private InjectionHarness() {}

  /**
   * Runs the harness.
   *
   * @param args optionally the number of measured calls per injector
   * @throws InterruptedException if interrupted while shutting the executor down
   */
  public static void main(String[] args) throws InterruptedException {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    List<Dependency<Integer>> deps = new ArrayList<>();
    for (int i = 0; i < DEPENDENCIES; i++) {
      int n = i;
      deps.add(Dependency.of("dep" + i, () -> slow(n)));
    }
    ExecutorService executor = Executors.newFixedThreadPool(DEPENDENCIES);
    try {
      System.out.printf(
          Locale.ROOT,
          "%d dependencies of %d ms each, %d calls per injector%n%n",
          DEPENDENCIES,
          CONSTRUCTION_MS,
          calls);
      System.out.println("| injector | median (ms) | p99 (ms) |");
      System.out.println("|---|---:|---:|");
      row("parallel (8 threads)", Injector.parallel(executor), deps, calls);
      row("sequential", Injector.sequential(), deps, calls);
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static void row(
      String label, Injector injector, List<Dependency<Integer>> deps, int calls) {
    Supplier<Integer> call =
        injector.injectSupplier(
            deps,
            d -> {
              int sum = 0;
              for (Dependency<Integer> dep : deps) {
                sum += d.get(dep);
              }
              return sum;
            });
    long blackhole = 0;
    for (int i = 0; i < WARM_UP; i++) {
      blackhole += call.get();
    }
    double[] millis = new double[calls];
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      blackhole += call.get();
      millis[i] = (System.nanoTime() - t0) / 1e6;
    }
    System.out.printf(
        Locale.ROOT,
        "| %s | %.1f | %.1f |%n",
        label,
        Stats.median(millis),
        Stats.percentile(millis, 99));
    if (blackhole == 42) {
      System.out.println();
    }
  }

  private static int slow(int n) {
    try {
      Thread.sleep(CONSTRUCTION_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return n;
  }
}
