package io.dyno.examples;

import io.dyno.examples.shop.Clockwork;
import io.dyno.examples.shop.Incident;
import io.dyno.examples.shop.Schedule;
import io.dyno.examples.shop.Shop;
import io.dyno.examples.shop.SummaryTable;
import io.dyno.examples.shop.Traffic;
import io.dyno.metrics.MetricsRegistry;
import io.dyno.metrics.MetricsServer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The runnable demo: a shop front whose remote dependencies fail, slow down and recover on a
 * schedule, served by every Dyno module, with the live metrics dashboard and a summary table at the
 * end.
 *
 * <p>Run it from the repository root with {@code ./mvnw -q -pl dyno-examples -am compile
 * exec:java}; pass options with {@code -Dexec.args="--seconds 10 --port 0"}. See docs/demo.md.
 */
public final class Demo {

  /** How many shoppers send requests at once. */
  static final int SHOPPERS = 6;

  /** How often the schedule is checked for incidents that are due. */
  private static final Duration TICK = Duration.ofMillis(50);

  private Demo() {}

  /**
   * Runs the demo with the given command-line options, printing to standard output.
   *
   * @param args {@code --seconds N}, {@code --serve}, {@code --port P} and {@code --seed S}, all
   *     optional
   * @throws IllegalArgumentException if an option is unknown, lacks its value or is out of range
   * @throws IllegalStateException if the dashboard's port cannot be bound
   * @throws InterruptedException if interrupted while the shop runs or serves
   */
  public static void main(String[] args) throws InterruptedException {
    run(args, System.out);
  }

  /** Parses the options and runs the shop on real time, printing to {@code out}. */
  static void run(String[] args, PrintStream out) throws InterruptedException {
    Options options = Options.parse(args);
    run(options, Clockwork.system(options.seed()), out);
  }

  /** Runs the shop for the options' length on {@code clockwork}, then prints the summary. */
  static void run(Options options, Clockwork clockwork, PrintStream out)
      throws InterruptedException {
    Schedule schedule = Schedule.of(Duration.ofSeconds(options.seconds()));
    try (Shop shop = Shop.create(schedule, clockwork, out::println);
        MetricsServer server = serve(shop.metrics(), options.port())) {
      String base = "http://localhost:" + server.port() + "/";
      out.println("Dashboard: " + base);
      out.println(
          "Stream:    " + base + "stream (Hystrix format); snapshot: " + base + "metrics.json");
      out.printf(
          Locale.ROOT,
          "Running the shop for %d s: %d shoppers, seed %d, %d incidents%n",
          options.seconds(),
          SHOPPERS,
          options.seed(),
          Incident.values().length);
      Traffic traffic = Traffic.start(shop, SHOPPERS, clockwork);
      try {
        while (shop.elapsed().compareTo(schedule.length()) < 0) {
          shop.advance();
          Duration left = schedule.length().minus(shop.elapsed());
          clockwork.sleeper().sleep(left.compareTo(TICK) < 0 ? left : TICK);
        }
      } finally {
        traffic.stop();
      }
      out.printf(Locale.ROOT, "%nSummary after %d s%n", options.seconds());
      SummaryTable.lines(shop).forEach(out::println);
      shop.slowestPage()
          .ifPresent(
              t -> {
                out.printf("%nThe slowest page, by its timing:%n");
                t.report().lines().forEach(out::println);
              });
      if (options.serve()) {
        out.println("Still serving the dashboard at " + base + "; press Ctrl-C to stop.");
        // Nothing counts this down: the process ends with Ctrl-C.
        new CountDownLatch(1).await();
      }
    }
  }

  /** Starts the dashboard, or explains why it could not be started. */
  private static MetricsServer serve(MetricsRegistry metrics, int port) {
    try {
      return MetricsServer.start(metrics, port);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot serve the dashboard on port "
              + port
              + " ("
              + e.getMessage()
              + "); is it in use? Pass --port 0 to use any free port",
          e);
    }
  }
}
