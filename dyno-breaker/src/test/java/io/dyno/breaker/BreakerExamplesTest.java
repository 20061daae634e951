package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The examples of docs/breaker.md, README.md and the javadoc, compiled and run. Each snippet in the
 * guide appears here line for line, which dyno-examples' documentation test verifies.
 */
class BreakerExamplesTest {

  private static final Logger log = LoggerFactory.getLogger(BreakerExamplesTest.class);

  private final FakeTicker ticker = FakeTicker.create();

  /** An order to charge. */
  record Order(String id) {}

  /** A receipt for a charged order. */
  record Receipt(String orderId) {}

  /** A rendered page. */
  record Page(String html) {}

  /** A quote. */
  record Quote(String symbol, double price) {}

  /** A failure of input, which says nothing about the dependency's health. */
  static final class ValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ValidationException(String message) {
      super(message);
    }
  }

  /** A fake payment gateway whose first {@code failures} charges fail. */
  static final class Gateway {
    private final AtomicInteger charges = new AtomicInteger();
    private final int failures;

    Gateway(int failures) {
      this.failures = failures;
    }

    Receipt charge(Order order) throws IOException {
      if (charges.incrementAndGet() <= failures) {
        throw new IOException("gateway timed out charging " + order.id());
      }
      return new Receipt(order.id());
    }

    CompletableFuture<Receipt> chargeAsync(Order order) {
      try {
        return CompletableFuture.completedFuture(charge(order));
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  /** Renders a page the new way or the old way. */
  static final class Checkout {
    Page renderNew(Order order) {
      return new Page("new " + order.id());
    }

    Page renderOld(Order order) {
      return new Page("old " + order.id());
    }
  }

  /** An expensive report. */
  static final class Reports {
    final AtomicInteger exports = new AtomicInteger();

    String export(String month) {
      exports.incrementAndGet();
      return "report " + month;
    }
  }

  private final Gateway gateway = new Gateway(0);
  private final Order order = new Order("o-1");
  private final Checkout checkout = new Checkout();
  private final Reports reports = new Reports();

  @Test
  void quickStart() throws Exception {
    Breaker payments = Breaker.builder("payments").build(); // Hystrix's defaults
    Receipt receipt = payments.call(() -> gateway.charge(order));

    assertThat(receipt.orderId()).isEqualTo("o-1");
  }

  @Test
  void everyOption() throws Exception {
    Breaker payments =
        Breaker.builder("payments")
            .failureRateThreshold(50) // percent of the calls in the window
            .minimumCalls(20) // calls in the window before judging
            .window(Duration.ofSeconds(10)) // rolling, in 10 buckets
            .buckets(10)
            .slowCallThreshold(Duration.ofSeconds(2))
            .slowCallRateThreshold(80) // percent of the calls slower than 2 s
            .openDuration(Duration.ofSeconds(5)) // then HALF_OPEN
            .halfOpenCalls(1) // trial calls let through
            .halfOpenTimeout(Duration.ofSeconds(5)) // a trial that never reports is lost
            .recordOn(IOException.class) // other exceptions count as successes
            .ignore(ValidationException.class) // not counted at all
            .recordResult(Receipt.class, r -> r.orderId().isEmpty()) // a bad result is a failure
            .onStateChange(e -> log.warn("{}", e))
            .onCall(e -> log.debug("{}", e))
            .writableStackTrace(false) // cheaper rejections
            .ticker(System::nanoTime)
            .build();
    Receipt receipt = payments.call(() -> gateway.charge(order));

    assertThat(receipt).isEqualTo(new Receipt("o-1"));
  }

  @Test
  void rejection() throws Exception {
    Breaker payments = Breaker.builder("payments").minimumCalls(2).ticker(ticker).build();
    Gateway down = new Gateway(Integer.MAX_VALUE);
    for (int i = 0; i < 2; i++) {
      try {
        payments.call(() -> down.charge(order));
      } catch (IOException expected) {
        // counted
      }
    }
    String message = "";

    try {
      payments.call(() -> gateway.charge(order));
    } catch (BreakerOpenException e) {
      log.info("{}: retry in {}", e.name(), e.nextTrialIn().orElseThrow());
      message = e.getMessage(); // Breaker 'payments' is OPEN (100.0% failures in the last ...
    }

    assertThat(message)
        .isEqualTo(
            "Breaker 'payments' is OPEN (100.0% failures in the last 10.0 s); call not permitted;"
                + " next trial in 5.00 s");
  }

  @Test
  void featureSwitch() {
    Breakers switches = Breakers.create();
    Breaker newCheckout = switches.breaker("new-checkout"); // a manual fuse, closed
    Page page = newCheckout.isClosed() ? checkout.renderNew(order) : checkout.renderOld(order);
    switches.breaker("new-checkout").trip(); // from an admin endpoint: off at once
    Map<String, Breaker.State> states = switches.states(); // {new-checkout=FORCED_OPEN}
    Page later = newCheckout.isClosed() ? checkout.renderNew(order) : checkout.renderOld(order);
    switches.resetAll(); // every switch on again

    assertThat(page.html()).isEqualTo("new o-1");
    assertThat(states).containsExactly(Map.entry("new-checkout", Breaker.State.FORCED_OPEN));
    assertThat(later.html()).isEqualTo("old o-1");
    assertThat(newCheckout.isClosed()).isTrue();
  }

  @Test
  void abTest() {
    String userId = "u-4";

    Rollout newCheckout = Rollout.of("new-checkout", 50); // A/B: half of the users see B
    Page page =
        newCheckout.choose(
            userId, () -> checkout.renderNew(order), () -> checkout.renderOld(order));
    Rollout.Counts arms = newCheckout.counts(); // Counts[admitted=1, refused=0]: the arms' sizes

    assertThat(page.html()).isEqualTo("new o-1");
    assertThat(arms).isEqualTo(new Rollout.Counts(1, 0));
  }

  @Test
  void gradualRollout() {
    String userId = "u-4";

    Breakers switches = Breakers.create();
    Rollout newSearch = switches.rollout("new-search", 1); // 1 % of the users first
    newSearch.allow("qa-team", "u-19"); // always in, whatever the percentage
    newSearch.deny("u-4"); // never in: the deny list wins over the allow list
    newSearch.onChange(c -> log.warn("{}", c)); // Rollout 'new-search' PERCENT 1.0 -> 25.0 ...
    switches.rollouts().get("new-search").percent(25); // from an admin endpoint: a quarter of them
    String results;
    try {
      results = newSearch.get(userId, () -> "new search results");
    } catch (RolloutRefusedException notYet) { // Rollout 'new-search' refused key 'u-4' (...)
      results = "classic search results";
    }
    newSearch.trip(); // something is wrong: nobody, the allow list included, until reset()

    assertThat(results).isEqualTo("classic search results");
    assertThat(newSearch.isTripped()).isTrue();
    assertThat(newSearch.admit("qa-team")).isFalse();
    newSearch.reset();
    assertThat(newSearch.admit("qa-team")).isTrue();
    assertThat(newSearch.percent()).isEqualTo(25.0);
  }

  @Test
  void sheddingLoad() {
    String month = "2026-11";
    Breaker exports = Breaker.manual("monthly-export");

    exports.trip(); // the database is struggling: shed the expensive reports
    String report;
    try {
      report = exports.get(() -> reports.export(month));
    } catch (BreakerOpenException shed) {
      report = "Reports are paused; try again later";
    }

    assertThat(report).isEqualTo("Reports are paused; try again later");
    assertThat(reports.exports.get()).isZero();
  }

  @Test
  void permissionApi() {
    Breaker payments = Breaker.builder("payments").build();
    Receipt receipt = null;

    Breaker.Permit permit = payments.tryAcquirePermission(); // null when refused
    if (permit != null) {
      long start = System.nanoTime();
      try {
        receipt = gateway.charge(order);
        permit.onResult(System.nanoTime() - start, receipt);
      } catch (IOException e) {
        permit.onFailure(System.nanoTime() - start, e);
      }
    }

    assertThat(receipt).isNotNull();
  }

  @Test
  void async() {
    Breaker payments = Breaker.builder("payments").build();

    CompletableFuture<Receipt> receipt = payments.callAsync(() -> gateway.chargeAsync(order));

    assertThat(receipt.join().orderId()).isEqualTo("o-1");
  }

  @Test
  @SuppressWarnings("try") // the permit is held for the block, not used in it
  void limiter() throws Exception {
    String month = "2026-11";

    Limiter limiter = Limiter.of("exports", 4); // at most 4 at once, never waits
    String report = limiter.call(() -> reports.export(month)); // LimitExceededException when full
    try (Limiter.Permit p = limiter.acquire()) {
      reports.export(month);
    }

    assertThat(report).isEqualTo("report 2026-11");
    assertThat(limiter.inUse()).isZero();
  }

  @Test
  void readme() throws Exception {
    Breaker payments =
        Breaker.builder("payments").failureRateThreshold(50).minimumCalls(20).build();
    Receipt r = payments.call(() -> gateway.charge(order)); // BreakerOpenException when open
    Breaker feature = Breaker.manual("new-checkout"); // a fuse: only trip() and reset() change it
    feature.trip(); // switched off at run time, until feature.reset()

    assertThat(r.orderId()).isEqualTo("o-1");
    assertThat(feature.isClosed()).isFalse();
  }
}
