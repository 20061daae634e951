package io.dyno.timing;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/timing.md, the README and the javadoc, compiled and checked. Each snippet in
 * the guide appears here line for line, which dyno-examples' documentation test verifies.
 */
// Spans and scopes opened by try-with-resources only to be closed, which is their idiom.
@SuppressWarnings("try")
class TimingExamplesTest {

  @Test
  void readme() {
    Timing t = Timing.start("checkout");
    try (Timing.Span s = t.interval("load-cart")) {
      t.mark("cache-miss");
    }
    System.out.println(t.report()); // checkout  started ...  running, 1.20 ms so far

    assertThat(t.records())
        .extracting(Timing.Record::name)
        .containsExactly("checkout", "load-cart", "cache-miss");
  }

  @Test
  void javadoc() {
    Timing t = Timing.start("checkout");
    try (Timing.Span s = t.interval("load-cart")) {
      t.mark("cache-miss");
    }
    t.stop();
    String report = t.report();

    assertThat(report).startsWith("checkout  started ").contains("· cache-miss");
  }

  @Test
  void timingARequest() {
    Timing t = Timing.start("checkout"); // the root interval, running
    try (Timing.Span s = t.interval("load-cart")) { // nests under the innermost open interval
      t.mark("cache-miss"); // an instant, nested under load-cart
    }
    Timing.Span db = t.interval("db"); // explicit stop() works too
    db.stop();
    t.stop();
    System.out.println(t.report()); // the indented tree
    List<Timing.Record> records = t.records(); // the same, as data

    assertThat(records)
        .extracting(Timing.Record::name)
        .containsExactly("checkout", "load-cart", "cache-miss", "db");
    assertThat(records).extracting(Timing.Record::depth).containsExactly(0, 1, 2, 1);
  }

  @Test
  void injectedTime() {
    FakeTicker now = FakeTicker.create(); // nanoseconds, moved by hand (dyno-testing)
    Clock clock = Clock.fixed(Instant.parse("2026-11-27T06:00:00Z"), ZoneOffset.UTC);
    Timing t = Timing.builder("checkout").ticker(now).clock(clock).start();
    now.advance(1_000);
    Timing.Span load = t.interval("load-cart");
    now.advance(1_999_000);
    t.mark("cache-miss");
    now.advance(2_561_000);
    load.stop();
    now.advance(39_000);
    Timing.Span db = t.interval("db");
    now.advance(7_700_000);
    t.stop(); // db is still running
    System.out.println(t.report());

    assertThat(t.report())
        .isEqualTo(
            """
            checkout  started 2026-11-27T06:00:00Z  total 12.3 ms
              +0 ns     12.3 ms  checkout
              +1.00 µs  4.56 ms    load-cart
              +2.00 ms             · cache-miss
              +4.60 ms  running    db  (still running after its parent stopped)""");
    assertThat(db.isRunning()).isTrue();
  }

  @Test
  void records() {
    FakeTicker now = FakeTicker.create();
    Timing t = Timing.builder("checkout").ticker(now).start();
    Timing.Span load = t.interval("load-cart");
    now.advance(4_560_000);
    load.stop();
    t.stop();
    for (Timing.Record r : t.records()) {
      System.out.printf("%s%s took %d ns%n", "  ".repeat(r.depth()), r.name(), r.durationNanos());
    }

    Timing.Record record = t.records().get(1);
    assertThat(record)
        .isEqualTo(
            new Timing.Record(
                1, 0, 1, Timing.Kind.INTERVAL, "load-cart", 0, 4_560_000, false, Set.of()));
  }

  @Test
  void outOfOrder() {
    FakeTicker now = FakeTicker.create();
    Clock clock = Clock.fixed(Instant.parse("2026-11-27T06:00:00Z"), ZoneOffset.UTC);
    Timing t = Timing.builder("job").ticker(now).clock(clock).start();
    Timing.Span parent = t.interval("parent");
    now.advance(1_000);
    Timing.Span child = t.interval("child");
    now.advance(1_000);
    parent.stop(); // the child keeps running
    now.advance(1_000);
    child.stop(); // noted: stopped after its parent
    child.stop(); // noted: stopped twice; the first end is kept
    t.mark("done");
    t.stop();
    System.out.println(t.report());

    assertThat(t.report())
        .isEqualTo(
            """
            job  started 2026-11-27T06:00:00Z  total 3.00 µs
              +0 ns     3.00 µs  job
              +0 ns     2.00 µs    parent
              +1.00 µs  2.00 µs      child  (stopped after its parent, stopped twice)
              +3.00 µs           · done""");
  }

  @Test
  void propagation() {
    Timing t = Timing.start("GET /cart");
    try (Timing.Scope scope = t.activate()) {
      renderCart(); // code below reaches the timing through Timing.current()
    }
    t.stop();

    assertThat(t.records())
        .extracting(Timing.Record::name)
        .containsExactly("GET /cart", "render", "template");
    assertThat(Timing.current().isNoop()).isTrue();
  }

  static void renderCart() {
    Timing timing = Timing.current(); // the no-op timing outside any scope, never null
    try (Timing.Span s = timing.interval("render")) {
      timing.mark("template");
    }
  }

  @Test
  void executors() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      Timing t = Timing.start("GET /cart");
      int stock = fanOut(t, executor);
      t.stop();

      assertThat(stock).isEqualTo(7);
      List<Timing.Record> records = t.records();
      assertThat(records)
          .extracting(Timing.Record::name)
          .containsExactlyInAnyOrder("GET /cart", "fan-out", "stock", "audit");
      assertThat(records)
          .filteredOn(r -> !r.name().startsWith("GET"))
          .allSatisfy(r -> assertThat(r.parent()).isLessThanOrEqualTo(1));
    } finally {
      executor.shutdownNow();
      assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  static int fanOut(Timing t, ExecutorService executor) throws Exception {
    try (Timing.Scope scope = t.activate();
        Timing.Span fanOut = t.interval("fan-out")) {
      Future<Integer> stock = executor.submit(Timing.wrap(() -> queryStock())); // a Callable
      Future<?> audit = executor.submit(Timing.wrap(() -> recordAudit())); // a Runnable
      audit.get(10, TimeUnit.SECONDS);
      return stock.get(10, TimeUnit.SECONDS);
    }
  }

  static void recordAudit() {
    Timing.current().mark("audit");
  }

  static int queryStock() {
    try (Timing.Span s = Timing.current().interval("stock")) {
      return 7;
    }
  }
}
