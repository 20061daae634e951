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
import java.net.BindException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The runnable demo: a shop front whose remote dependencies fail, slow down and recover on a
 * schedule, served by every Dyno module, with the live metrics dashboard and a summary table at the
 * end.
 *
 * <p>Run it from the repository root with {@code ./demo --seconds 10 --port 0}, or through Maven
 * with {@code ./mvnw -q -pl dyno-examples -am compile exec:java -Dexec.args="--seconds 10 --port
 * 0"}. See docs/demo.md.
 */
public final class Demo {

  /** How many shoppers send requests at once. */
  static final int SHOPPERS = 6;

  /** How often the schedule is checked for incidents that are due. */
  private static final Duration TICK = Duration.ofMillis(50);

  private Demo() {}

  /**
   * Runs the demo with the given command-line options, printing to standard output; a bad option
   * prints what is wrong and the usage to standard error and ends the process with status 2.
   *
   * @param args {@code --seconds N}, {@code --serve}, {@code --port P} and {@code --seed S}, all
   *     optional; {@code --help} prints the usage
   * @throws InterruptedException if interrupted while the shop runs or serves
   */
  public static void main(String[] args) throws InterruptedException {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Parses the options and runs the shop on real time, printing to {@code out}, or explains to
   * {@code err} why it cannot.
   *
   * @return the process's exit status: 0 after a run or the usage, 1 if the dashboard's port cannot
   *     be bound, 2 for a bad option
   */
  static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      out.println(Options.USAGE);
      return 0;
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("demo: " + e.getMessage());
      err.println(Options.USAGE);
      return 2;
    }
    try {
      run(options, Clockwork.system(options.seed()), out);
      return 0;
    } catch (DashboardUnavailableException e) {
      err.println("demo: " + e.getMessage());
      return 1;
    }
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
    } catch (BindException e) {
      // The library's message names the port and a remedy in its own API's terms; the demo's
      // user passes options, so the remedy here names the option.
      throw new DashboardUnavailableException(
          "cannot serve the dashboard: port "
              + port
              + " is in use; stop what listens there, or pass --port 0 to use any free port",
          e);
    } catch (IOException e) {
      throw new DashboardUnavailableException(
          "cannot serve the dashboard on port " + port + ": " + e.getMessage(), e);
    }
  }

  /** The dashboard's port cannot be bound: a message for the user, not a stack trace. */
  static final class DashboardUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    DashboardUnavailableException(String message, IOException cause) {
      super(message, cause);
    }
  }
}
