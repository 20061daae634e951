package io.dyno.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dyno.examples.shop.Clockwork;
import io.dyno.examples.shop.Shop;
import io.dyno.retry.Sleeper;
import io.dyno.testing.RedisProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoTest {

  // ---------------------------------------------------------------- options

  @Test
  void parse_withoutOptions_usesTheDefaults() {
    assertThat(Options.parse()).isEqualTo(new Options(30, false, 8080, 42, 1, true));
  }

  @Test
  void parse_readsEveryOptionInAnyOrder() {
    assertThat(
            Options.parse(
                "--serve",
                "--seed",
                "-7",
                "--instances",
                "4",
                "--chaos",
                "off",
                "--port",
                "0",
                "--seconds",
                "86400"))
        .isEqualTo(new Options(86_400, true, 0, -7, 4, false));
    assertThat(Options.parse("--chaos", "off", "--chaos", "on").chaos()).isTrue();
  }

  @Test
  void parse_rejectsBadOptionsByNameAndValue() {
    assertThatThrownBy(() -> Options.parse("--seconds", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--seconds must be in [1, 86400], was 0");
    assertThatThrownBy(() -> Options.parse("--port", "65536"))
        .hasMessage("--port must be in [0, 65535], was 65536");
    assertThatThrownBy(() -> Options.parse("--seed", "many"))
        .hasMessage("--seed must be a whole number, was 'many'");
    assertThatThrownBy(() -> Options.parse("--seconds", "x"))
        .hasMessage("--seconds must be a whole number, was 'x'");
    assertThatThrownBy(() -> Options.parse("--seconds")).hasMessage("--seconds needs a value");
    assertThatThrownBy(() -> Options.parse("--instances", "5"))
        .hasMessage("--instances must be in [1, 4], was 5");
    assertThatThrownBy(() -> Options.parse("--instances", "0"))
        .hasMessage("--instances must be in [1, 4], was 0");
    assertThatThrownBy(() -> Options.parse("--chaos", "maybe"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--chaos must be on or off, was 'maybe'");
    assertThatThrownBy(() -> Options.parse("--chaos", "OFF"))
        .hasMessage("--chaos must be on or off, was 'OFF'");
    assertThatThrownBy(() -> Options.parse("--chaos")).hasMessage("--chaos needs a value");
    assertThatThrownBy(() -> Options.parse("--colour", "red"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown option '--colour'");
  }

  @Test
  void parse_redis_runsTwoInstancesUnlessTold_andRefusesOne() {
    assertThat(Options.parse("--redis", "redis://127.0.0.1:6379"))
        .isEqualTo(new Options(30, false, 8080, 42, 2, true, "redis://127.0.0.1:6379"));
    assertThat(Options.parse("--instances", "3", "--redis", "redis://cache.local:6380/2"))
        .isEqualTo(new Options(30, false, 8080, 42, 3, true, "redis://cache.local:6380/2"));
    assertThat(Options.parse("--redis", "redis://127.0.0.1:6379", "--instances", "4").instances())
        .isEqualTo(4);
    assertThat(Options.parse("--instances", "1").redis()).isNull();
    assertThatThrownBy(() -> Options.parse("--instances", "1", "--redis", "redis://localhost:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--redis shares prices between instances: --instances must be in [2, 4] with it, was"
                + " 1");
  }

  @Test
  void parse_rejectsABadRedisUri_withTheCachesOwnMessage() {
    assertThatThrownBy(() -> Options.parse("--redis", "localhost:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--redis: uri must be redis://host:port[/db], was 'localhost:6379'");
    assertThatThrownBy(() -> Options.parse("--redis", "redis://localhost:70000"))
        .hasMessage(
            "--redis: uri must be redis://host:port[/db] with a port between 1 and 65535, was"
                + " 'redis://localhost:70000'");
    assertThatThrownBy(() -> Options.parse("--redis")).hasMessage("--redis needs a value");
  }

  @Test
  void run_withABadRedisUri_printsTheProblemAndTheUsage_andExitsWithTwo() throws Exception {
    Lines out = new Lines();
    Lines err = new Lines();

    int status = Demo.run(new String[] {"--redis", "http://x:1"}, out.stream(), err.stream());

    assertThat(status).isEqualTo(2);
    assertThat(out.all()).isEmpty();
    assertThat(err.all().get(0))
        .isEqualTo("demo: --redis: uri must be redis://host:port[/db], was 'http://x:1'");
    assertThat(err.all().get(1)).startsWith("usage: ./demo ");
  }

  @Test
  void run_whenRedisDoesNotAnswer_saysSo_andEachInstanceComputesItsOwnPrices() throws Exception {
    String uri = "redis://127.0.0.1:" + RedisProcess.freePort();
    Lines out = new Lines();

    Demo.run(
        Options.parse("--seconds", "4", "--port", "0", "--seed", "7", "--redis", uri),
        accelerated(5, 7),
        out.stream());

    List<String> lines = out.all();
    assertThat(lines)
        .contains(
            "Redis at "
                + uri
                + " does not answer: each instance computes its own prices (the cache's degraded"
                + " mode) until it does");
    List<String> degraded =
        lines.stream().filter(l -> l.trim().matches("\\d+ stale served, .*")).toList();
    assertThat(degraded).hasSize(2);
    for (String line : degraded) {
      Matcher m = DEGRADED.matcher(line.trim());
      assertThat(m.matches()).as(line).isTrue();
      assertThat(Long.parseLong(m.group(1))).as("degraded loads: " + line).isPositive();
    }
  }

  @Test
  void run_withABadOption_printsTheProblemAndTheUsageToStandardError_andExitsWithTwo()
      throws Exception {
    Lines out = new Lines();
    Lines err = new Lines();

    int status =
        Demo.run(new String[] {"--port", "0", "--seconds", "x"}, out.stream(), err.stream());

    assertThat(status).isEqualTo(2);
    assertThat(out.all()).isEmpty();
    List<String> lines = err.all();
    assertThat(lines.get(0)).isEqualTo("demo: --seconds must be a whole number, was 'x'");
    assertThat(lines.get(1))
        .isEqualTo(
            "usage: ./demo [--seconds N] [--serve] [--port P] [--seed S] [--instances K]"
                + " [--chaos on|off] [--redis URL]");
    assertThat(lines.subList(2, 9))
        .extracting(l -> l.trim().split(" ", -1)[0])
        .containsExactly(
            "--seconds", "--serve", "--port", "--seed", "--instances", "--chaos", "--redis");
    assertThat(lines.get(9))
        .startsWith("Or through Maven")
        .endsWith("exec:java -Dexec.args=\"--seconds 60\"");
    assertThat(lines).hasSize(10);
  }

  @Test
  void run_withHelp_printsTheUsageToStandardOutput_andRunsNothing() throws Exception {
    Lines out = new Lines();
    Lines err = new Lines();

    int status = Demo.run(new String[] {"--seconds", "5", "--help"}, out.stream(), err.stream());

    assertThat(status).isZero();
    assertThat(err.all()).isEmpty();
    assertThat(String.join("\n", out.all()) + "\n")
        .isEqualTo(Options.USAGE.replace(System.lineSeparator(), "\n") + "\n");
  }

  // ---------------------------------------------------------------- runs, in real time

  @Test
  void run_servesTheDashboardWhileRunning_thenPrintsTheSummaryAndLeavesNoThreads()
      throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Lines out = new Lines();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    // Real time, but the run's first wait holds until the test has seen the dashboard: on a loaded
    // machine the one-second run could otherwise end, and close the server, before the request.
    CountDownLatch dashboardSeen = new CountDownLatch(1);
    Sleeper real = Sleeper.system();
    Clockwork clockwork =
        new Clockwork(
            System::nanoTime,
            duration -> {
              if (!dashboardSeen.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never looked at the dashboard");
              }
              real.sleep(duration);
            },
            42);
    Thread demo =
        new Thread(
            () -> {
              try {
                Demo.run(Options.parse("--seconds", "1", "--port", "0"), clockwork, out.stream());
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "demo-under-test");
    demo.start();

    String dashboard = out.await(l -> l.startsWith("Dashboard: ")).substring(11);
    assertThat(dashboard).matches("http://localhost:\\d+/");
    assertThat(status(dashboard)).isEqualTo(200);
    dashboardSeen.countDown();
    demo.join(15_000);

    assertThat(demo.isAlive()).isFalse();
    assertThat(failure.get()).isNull();
    List<String> lines = out.all();
    assertThat(lines.get(1)).startsWith("Stream:    " + dashboard + "stream");
    assertThat(lines.get(2))
        .isEqualTo(
            "Running the shop for 1 s: 6 clients for 1000 shoppers, seed 42, 10 incidents, chaos"
                + " on");
    assertThat(lines).anyMatch(l -> l.endsWith("all dependencies healthy"));
    int header = lines.indexOf("Summary after 1 s") + 1;
    assertThat(lines.get(header)).startsWith("dependency ");
    assertThat(lines.subList(header + 1, header + 5))
        .extracting(l -> l.split("\\s+", -1)[0])
        .containsExactlyElementsOf(Shop.DEPENDENCIES);
    assertThat(lines.get(header + 5)).startsWith("pages ");
    assertThat(lines).anyMatch(l -> l.startsWith("recommendations hedged after p95 ("));
    assertThat(lines).anyMatch(l -> l.startsWith("chaos: 4 filters installed by the incidents"));
    assertThat(lines).anyMatch(l -> l.endsWith("chaos on 'payments': fault at 100 % installed"));
    assertThat(demoThreads(before)).isEmpty();
  }

  @Test
  void run_withServeAndChaosOff_keepsServingAfterACleanRunUntilInterrupted() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Lines out = new Lines();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread demo = startServing(new Options(1, true, 0, 7, 1, false), out, failure);

    String dashboard = out.await(l -> l.startsWith("Dashboard: ")).substring(11);
    out.await(l -> l.startsWith("Still serving the dashboard at " + dashboard));
    assertThat(status(dashboard + "metrics.json")).isEqualTo(200);
    demo.interrupt();
    demo.join(15_000);

    assertThat(demo.isAlive()).isFalse();
    assertThat(failure.get()).isInstanceOf(InterruptedException.class);
    assertThat(out.all())
        .contains(
            "Running the shop for 1 s: 6 clients for 1000 shoppers, seed 7, 4 incidents, chaos off",
            "Summary after 1 s",
            "chaos: off")
        .noneMatch(l -> l.contains("chaos on '"))
        .noneMatch(l -> l.endsWith("payments failing hard: every call fails"));
    assertThat(demoThreads(before)).isEmpty();
  }

  @Test
  void run_withTwoInstances_servesBoth_andTheFirstDashboardMergesThem() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Lines out = new Lines();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread demo = startServing(new Options(1, true, 0, 7, 2, true), out, failure);

    String dashboard = out.await(l -> l.startsWith("Dashboard: ")).substring(11);
    String second = out.await(l -> l.startsWith("Instance 2:  "));
    out.await(l -> l.startsWith("Still serving the dashboard at " + dashboard));
    String other = second.substring(13, second.indexOf(' ', 13));
    String cluster = body(dashboard + "cluster.json");
    demo.interrupt();
    demo.join(15_000);

    assertThat(second).endsWith("(the dashboard above shows all 2 instances merged)");
    assertThat(other).matches("http://localhost:\\d+/").isNotEqualTo(dashboard);
    assertThatThrownBy(() -> status(other + "metrics.json")) // closed with the demo
        .isInstanceOf(IOException.class);
    assertThat(cluster)
        .contains("\"url\":\"" + other + "\",\"self\":false,\"ok\":true")
        .contains("\"self\":true,\"ok\":true")
        .contains("\"hosts\":2");
    assertThat(demo.isAlive()).isFalse();
    assertThat(failure.get()).isInstanceOf(InterruptedException.class);
    List<String> lines = out.all();
    assertThat(lines)
        .contains(
            "Running the shop on 2 instances for 1 s: 6 clients each for 1000 shoppers, seed 7, 10"
                + " incidents, chaos on",
            "Summary of instance 1 after 1 s",
            "Summary of instance 2 after 1 s");
    assertThat(lines).anyMatch(l -> l.startsWith("[instance 1] "));
    assertThat(lines).anyMatch(l -> l.startsWith("[instance 2] "));
    // Each instance installs its chaos on its own board.
    for (String instance : List.of("[instance 1] ", "[instance 2] ")) {
      assertThat(lines)
          .anyMatch(
              l ->
                  l.startsWith(instance)
                      && l.endsWith("chaos on 'payments': fault at 100 % installed"));
    }
    assertThat(demoThreads(before)).isEmpty();
  }

  @Test
  void run_withRedis_twoInstancesShareTheirPrices_andTheFleetComputesFewerThanUnshared()
      throws Exception {
    assumeTrue(
        RedisProcess.installed() || System.getenv("CI") != null,
        "redis-server is not installed at " + RedisProcess.BINARY);
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Lines out = new Lines();
    try (RedisProcess redis = RedisProcess.start()) {
      Demo.run(
          Options.parse("--seconds", "10", "--port", "0", "--seed", "7", "--redis", redis.uri()),
          accelerated(5, 7),
          out.stream());

      List<String> lines = out.all();
      assertThat(lines)
          .contains(
              "Running the shop on 2 instances for 10 s: 6 clients each for 1000 shoppers, seed 7,"
                  + " 10 incidents, chaos on; prices shared through Redis at "
                  + redis.uri(),
              "Summary of instance 1 after 10 s",
              "Summary of instance 2 after 10 s",
              "Fleet of 2 instances after 10 s");
      assertThat(lines.stream().filter(l -> l.startsWith("prices     shared through Redis: ")))
          .hasSize(2);
      String fleet = lines.get(lines.indexOf("Fleet of 2 instances after 10 s") + 1);
      Matcher m = FLEET.matcher(fleet);
      assertThat(m.matches()).as(fleet).isTrue();
      assertThat(m.group(2)).isEqualTo("2");
      long computed = group(m, 1);
      long unshared = group(m, 5);
      assertThat(computed).isPositive().isEqualTo(group(m, 3) + group(m, 4));
      assertThat(unshared).isEqualTo(group(m, 6) + group(m, 7));
      assertThat(group(m, 6)).as("served by instance 1").isPositive();
      assertThat(group(m, 7)).as("served by instance 2").isPositive();
      // Each instance served prices the other computed: the fleet computed fewer than unshared
      // instances, each computing every price it served, would have.
      assertThat(computed).isLessThan(unshared);
    }
    assertThat(demoThreads(before)).isEmpty();
  }

  @Test
  void run_whenThePortIsTaken_saysSoSuggestingPortZero_andExitsWithOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Lines out = new Lines();
      Lines err = new Lines();

      int status =
          Demo.run(new String[] {"--port", String.valueOf(port)}, out.stream(), err.stream());

      assertThat(status).isEqualTo(1);
      assertThat(out.all()).isEmpty();
      assertThat(err.all())
          .singleElement()
          .asString()
          .isEqualTo(
              "demo: cannot serve the dashboard: port "
                  + port
                  + " is in use; stop what listens there, or pass --port 0 to use any free port");
    }
  }

  /** The fleet's line: what the two instances computed, then what they served. */
  private static final Pattern FLEET =
      Pattern.compile(
          "fleet      prices computed (\\d+) times by the (\\d+) instances sharing them through"
              + " Redis \\(instance 1: (\\d+), instance 2: (\\d+)\\); (\\d+) without sharing,"
              + " each computing the prices it served \\(instance 1: (\\d+), instance 2:"
              + " (\\d+)\\)");

  private static long group(Matcher m, int group) {
    return Long.parseLong(m.group(group));
  }

  /**
   * A clockwork whose time runs {@code speed} times as fast as real time: its ticker, and its
   * sleeper, which waits the real time that a simulated duration takes at that speed.
   */
  private static final Pattern DEGRADED =
      Pattern.compile(
          "\\d+ stale served, (\\d+) degraded loads, \\d+ Redis errors, \\d+ load failures");

  private static Clockwork accelerated(int speed, long seed) {
    long origin = System.nanoTime();
    Sleeper real = Sleeper.system();
    return new Clockwork(
        () -> origin + (System.nanoTime() - origin) * speed,
        duration -> real.sleep(duration.dividedBy(speed)),
        seed);
  }

  /**
   * Threads started since {@code before} that are still alive a few seconds on: the demo's own, or
   * any non-daemon one. A pool that was shut down lets its threads finish on their own, so each
   * gets a bounded join first.
   */
  private static List<String> demoThreads(Set<Thread> before) throws InterruptedException {
    List<Thread> left =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> !before.contains(t))
            .filter(
                t ->
                    !t.isDaemon()
                        || t.getName().startsWith("shopper-")
                        || t.getName().startsWith("shop-worker-")
                        || t.getName().startsWith("dyno-"))
            .collect(Collectors.toList());
    List<String> alive = new ArrayList<>();
    for (Thread t : left) {
      t.join(5_000);
      if (t.isAlive()) {
        alive.add(t.getName());
      }
    }
    return alive;
  }

  /**
   * Starts the demo with {@code options} on real time on a thread of its own, its output to {@code
   * out}, what it throws to {@code failure}.
   */
  private static Thread startServing(
      Options options, Lines out, AtomicReference<Throwable> failure) {
    Thread demo =
        new Thread(
            () -> {
              try {
                Demo.run(options, Clockwork.system(options.seed()), out.stream());
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "demo-under-test");
    demo.start();
    return demo;
  }

  /** The body of a GET of {@code url}. */
  private static String body(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setConnectTimeout(30_000);
    c.setReadTimeout(30_000);
    try (var in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }

  private static int status(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    // Generous: a loaded build machine may be slow to answer; a hang still fails the test.
    c.setConnectTimeout(30_000);
    c.setReadTimeout(30_000);
    try {
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }

  /** Standard output of a demo run, line by line, for a test to wait on. */
  private static final class Lines extends OutputStream {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final List<String> all = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> fresh = new LinkedBlockingQueue<>();
    private final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

    PrintStream stream() {
      return stream;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\r') {
        return; // a line ends at '\n' on every platform
      }
      if (b == '\n') {
        String line = partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        all.add(line);
        fresh.add(line);
      } else {
        partial.write(b);
      }
    }

    List<String> all() {
      return new ArrayList<>(all);
    }

    String await(Predicate<String> wanted) throws InterruptedException {
      while (true) {
        String line = fresh.poll(15, TimeUnit.SECONDS);
        if (line == null) {
          throw new UncheckedIOException(new IOException("no wanted line in " + all));
        }
        if (wanted.test(line)) {
          return line;
        }
      }
    }
  }
}
