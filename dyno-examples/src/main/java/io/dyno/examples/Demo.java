package io.dyno.examples;

import io.dyno.examples.shop.Clockwork;
import io.dyno.examples.shop.Schedule;
import io.dyno.examples.shop.Shop;
import io.dyno.examples.shop.SummaryTable;
import io.dyno.examples.shop.Traffic;
import io.dyno.metrics.MetricsRegistry;
import io.dyno.metrics.MetricsServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

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

  /** How many clients send requests at once, each for one shopper's visit after another. */
  static final int CLIENTS = 6;

  /** How often the schedule is checked for incidents that are due. */
  private static final Duration TICK = Duration.ofMillis(50);

  private Demo() {}

  /**
   * Runs the demo with the given command-line options, printing to standard output; a bad option
   * prints what is wrong and the usage to standard error and ends the process with status 2.
   *
   * @param args {@code --seconds N}, {@code --serve}, {@code --port P}, {@code --seed S}, {@code
   *     --instances K}, {@code --chaos on|off} and {@code --redis URL}, all optional; {@code
   *     --help} prints the usage
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

  /**
   * Runs the shops for the options' length on {@code clockwork}, then prints the summaries. With
   * several instances, each shop has its own registry, seed and dashboard, and the first dashboard
   * (on the options' port) shows them all merged in its cluster view. With a Redis server, the
   * shops share their prices through it, on one wall clock that moves with {@code clockwork}'s
   * ticker, and a last line sums the prices the fleet computed.
   */
  static void run(Options options, Clockwork clockwork, PrintStream out)
      throws InterruptedException {
    Schedule schedule =
        Schedule.of(Duration.ofSeconds(options.seconds())).withChaos(options.chaos());
    int count = options.instances();
    List<Shop> shops = new ArrayList<>(count);
    List<MetricsServer> servers = new ArrayList<>(count);
    List<Traffic> traffic = new ArrayList<>(count);
    String redis = options.redis();
    // Expiries shared through Redis are epoch times: every shop reads the same clock.
    Clock wall = clockwork.wallClock();
    try {
      for (int i = 0; i < count; i++) {
        Clockwork own =
            new Clockwork(clockwork.ticker(), clockwork.sleeper(), clockwork.seed() + i);
        String prefix = count == 1 ? "" : "[instance " + (i + 1) + "] ";
        Consumer<String> events = line -> out.println(prefix + line);
        shops.add(
            redis == null
                ? Shop.create(schedule, own, events)
                : Shop.sharingPrices(schedule, own, events, redis, wall));
      }
      // The other instances first, so that the first one's dashboard knows where they are.
      List<URI> peers = new ArrayList<>();
      for (int i = 1; i < count; i++) {
        MetricsServer peer = serve(shops.get(i).metrics(), 0, List.of());
        servers.add(peer);
        peers.add(URI.create("http://localhost:" + peer.port() + "/"));
      }
      MetricsServer server = serve(shops.get(0).metrics(), options.port(), peers);
      servers.add(0, server);
      String base = "http://localhost:" + server.port() + "/";
      out.println("Dashboard: " + base);
      out.println(
          "Stream:    " + base + "stream (Hystrix format); snapshot: " + base + "metrics.json");
      for (int i = 1; i < count; i++) {
        out.printf(
            Locale.ROOT,
            "Instance %d:  %s (the dashboard above shows all %d instances merged)%n",
            i + 1,
            peers.get(i - 1),
            count);
      }
      out.printf(
          Locale.ROOT,
          "Running the shop%s for %d s: %d clients%s for %d shoppers, seed %d, %d incidents,"
              + " chaos %s%s%n",
          count == 1 ? "" : " on " + count + " instances",
          options.seconds(),
          CLIENTS,
          count == 1 ? "" : " each",
          Traffic.SHOPPERS,
          options.seed(),
          schedule.incidents().size(),
          options.chaos() ? "on" : "off",
          redis == null ? "" : "; prices shared through Redis at " + redis);
      if (redis != null
          && shops.stream()
              .anyMatch(s -> s.sharedPrices().map(p -> !p.connected()).orElse(false))) {
        out.println(
            "Redis at "
                + redis
                + " does not answer: each instance computes its own prices (the cache's degraded"
                + " mode) until it does");
      }
      for (Shop shop : shops) {
        traffic.add(Traffic.start(shop, CLIENTS, clockwork));
      }
      Shop first = shops.get(0);
      while (first.elapsed().compareTo(schedule.length()) < 0) {
        for (Shop shop : shops) {
          shop.advance();
        }
        Duration left = schedule.length().minus(first.elapsed());
        clockwork.sleeper().sleep(left.compareTo(TICK) < 0 ? left : TICK);
      }
      for (Traffic t : traffic) {
        t.stop();
      }
      traffic.clear();
      for (int i = 0; i < count; i++) {
        out.printf(
            Locale.ROOT,
            "%nSummary%s after %d s%n",
            count == 1 ? "" : " of instance " + (i + 1),
            options.seconds());
        SummaryTable.lines(shops.get(i)).forEach(out::println);
      }
      Optional<String> fleet = SummaryTable.fleet(shops);
      if (fleet.isPresent()) {
        out.printf(Locale.ROOT, "%nFleet of %d instances after %d s%n", count, options.seconds());
        out.println(fleet.get());
      }
      first
          .slowestPage()
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
    } finally {
      for (Traffic t : traffic) {
        t.stop();
      }
      for (MetricsServer s : servers) {
        s.close();
      }
      for (Shop shop : shops) {
        shop.close();
      }
    }
  }

  /** Starts a dashboard, or explains why it could not be started. */
  private static MetricsServer serve(MetricsRegistry metrics, int port, List<URI> peers) {
    try {
      return MetricsServer.builder(metrics).port(port).cluster(peers).start();
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
