package io.dyno.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The examples of docs/harness.md, of the README and of the javadoc, compiled and checked. Each
 * snippet in the guide appears here line for line, which dyno-examples' documentation test
 * verifies.
 */
class HarnessExamplesTest {

  /** A connection a pool hands out. */
  record Connection(int id) {}

  /** A price quote. */
  record Quote(String symbol, long cents) {}

  /** A connection pool that fails with the failures it is given, then connects. */
  static final class Pool {
    private final List<IOException> failures = new ArrayList<>();

    void failNextWith(IOException failure) {
      failures.add(failure);
    }

    Connection connect() throws IOException {
      if (!failures.isEmpty()) {
        throw failures.remove(0);
      }
      return new Connection(1);
    }
  }

  /** A quote service. */
  static final class Quotes {
    Quote fetch() {
      return new Quote("ACME", 12_345);
    }

    Quote fetch(String symbol) {
      return new Quote(symbol, 12_345);
    }

    CompletableFuture<Quote> fetchAsync(String symbol) {
      return CompletableFuture.completedFuture(fetch(symbol));
    }
  }

  /** Where alerts go. */
  static final class Alerts {
    final List<Failure> sent = new ArrayList<>();

    void send(Failure failure) {
      sent.add(failure);
    }
  }

  /** A counter per name. */
  static final class Metrics {
    final List<String> incremented = new ArrayList<>();

    void increment(String name) {
      incremented.add(name);
    }
  }

  /** An audit trail. */
  static final class Audit {
    final List<String> records = new ArrayList<>();

    void record(String event) {
      records.add(event);
    }
  }

  private final Pool pool = new Pool();
  private final Quotes quotes = new Quotes();
  private final Alerts alerts = new Alerts();
  private final Metrics metrics = new Metrics();
  private final Audit audit = new Audit();
  private final List<IOException> retries = new ArrayList<>();

  private void retryLater(IOException failure) {
    retries.add(failure);
  }

  @Test
  void quickStart() throws Exception {
    Harness harness = Harness.builder("payments").keepRecent(50).build();
    Connection c = harness.call(() -> pool.connect()); // failures logged once, counted, rethrown
    Supplier<Quote> quote = harness.decorateSupplier(quotes::fetch);
    long failed = harness.failures(); // and failuresByType(), recent()
    List<Failure> last = harness.recent(); // newest last, at most 50

    assertThat(c).isEqualTo(new Connection(1));
    assertThat(quote.get().symbol()).isEqualTo("ACME");
    assertThat(failed).isZero();
    assertThat(last).isEmpty();
  }

  @Test
  void ofName() {
    Harness harness = Harness.of("payments"); // logs to the SLF4J logger io.dyno.harness.payments

    assertThat(harness.logger().getName()).isEqualTo("io.dyno.harness.payments");
  }

  @Test
  void configuration() {
    Harness harness =
        Harness.builder("payments")
            .logger(LoggerFactory.getLogger("billing.payments")) // default io.dyno.harness.payments
            .level(Level.INFO) // for exceptions; errors are always logged at ERROR
            .onFailure(f -> alerts.send(f)) // called with every captured failure
            .keepRecent(50) // default 20; 0 keeps none
            .ignore(CancellationException.class) // passes through, not captured
            .captureIf(t -> !(t instanceof IllegalArgumentException)) // likewise when false
            .summaryInterval(Duration.ofSeconds(30)) // default 1 minute
            .build();

    assertThatThrownBy(() -> harness.run(() -> Sneaky.raise(new CancellationException())))
        .isInstanceOf(CancellationException.class);
    assertThatThrownBy(() -> harness.run(() -> Sneaky.raise(new IllegalArgumentException())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> harness.run(() -> Sneaky.raise(new IllegalStateException())))
        .isInstanceOf(IllegalStateException.class);
    assertThat(harness.failures()).isEqualTo(1);
    assertThat(alerts.sent).hasSize(1);
    assertThat(harness.logger().getName()).isEqualTo("billing.payments");
  }

  @Test
  void verbs() throws Exception {
    Harness harness = Harness.of("payments");
    Connection c = harness.call(() -> pool.connect()); // checked work: throws Exception
    Quote q = harness.get(() -> quotes.fetch()); // unchecked work
    harness.run(() -> audit.record("charged")); // no result
    Callable<Connection> connect = harness.decorateCallable(pool::connect);
    Function<String, Quote> bySymbol = harness.decorateFunction(quotes::fetch);

    assertThat(c).isEqualTo(new Connection(1));
    assertThat(q.symbol()).isEqualTo("ACME");
    assertThat(audit.records).containsExactly("charged");
    assertThat(connect.call()).isEqualTo(new Connection(1));
    assertThat(bySymbol.apply("XYZ").symbol()).isEqualTo("XYZ");
  }

  @Test
  void sameInstance() throws Exception {
    Harness harness = Harness.of("payments");
    IOException refused = new IOException("connection refused");
    pool.failNextWith(refused);

    try {
      harness.call(() -> pool.connect());
    } catch (IOException e) {
      retryLater(e); // the very IOException pool.connect() threw, already logged and counted
    }

    assertThat(retries).containsExactly(refused);
    assertThat(harness.failures()).isEqualTo(1);
  }

  @Test
  void counts() throws Exception {
    Harness harness = Harness.of("payments");
    pool.failNextWith(new IOException("connection refused"));
    pool.failNextWith(new IOException("connection reset"));
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> harness.call(() -> pool.connect())).isInstanceOf(IOException.class);
    }
    Sneaky.failThrough(harness, new TimeoutException("no answer in 2s"));

    long total = harness.failures(); // 3
    Map<Class<? extends Throwable>, Long> byType = harness.failuresByType();
    // {class java.io.IOException=2, class java.util.concurrent.TimeoutException=1}
    for (Failure f : harness.recent()) { // oldest first, newest last
      System.out.println(f.at() + " " + f.thread() + " " + f.throwable());
    }

    assertThat(total).isEqualTo(3);
    assertThat(byType)
        .containsOnly(Map.entry(IOException.class, 2L), Map.entry(TimeoutException.class, 1L));
  }

  @Test
  void summariesOnASchedule() {
    Harness harness = Harness.of("payments");
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      ScheduledFuture<?> summaries =
          scheduler.scheduleAtFixedRate(harness::logSummaries, 1, 1, TimeUnit.MINUTES);
      // ... and once more on shutdown, so that the tail of a storm is logged too:
      harness.logSummaries();

      assertThat(summaries.isDone()).isFalse();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void async() {
    Harness harness = Harness.of("quotes");
    CompletableFuture<Quote> quote = harness.callAsync(() -> quotes.fetchAsync("ACME"));
    Quote q = quote.join(); // throws just what joining the stage itself would throw

    assertThat(q.symbol()).isEqualTo("ACME");
    IOException down = new IOException("quote service down");
    CompletableFuture<Quote> failed =
        harness.callAsync(() -> CompletableFuture.<Quote>failedFuture(down));
    assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class).cause().isSameAs(down);
    assertThat(harness.failures()).isEqualTo(1);
  }

  @Test
  void listeners() {
    Harness harness =
        Harness.builder("payments")
            .onFailure(f -> metrics.increment(f.throwable().getClass().getSimpleName()))
            .onFailure(f -> alerts.send(f)) // still runs if the listener before it throws
            .build();

    Sneaky.failThrough(harness, new IllegalStateException("declined"));
    assertThat(metrics.incremented).containsExactly("IllegalStateException");
    assertThat(alerts.sent).hasSize(1);
  }

  @Test
  void fakeTime() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z")); // from dyno-testing
    Harness harness =
        Harness.builder("payments")
            .ticker(clock.ticker()) // times the summary interval
            .clock(clock) // stamps failures; moves with the ticker
            .build();
    clock.advance(Duration.ofMinutes(1)); // a minute later, without sleeping

    Sneaky.failThrough(harness, new IllegalStateException());
    assertThat(harness.recent().get(0).at()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
  }
}
