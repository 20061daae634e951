package io.dyno.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.retry.Sleeper;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.RecordingSleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The small parts of the shop: behaviours, simulated calls, tallies, pages and shoppers. */
class PartsTest {

  /** Far from zero, so that nothing passes for a fresh start by accident. */
  private static final long START = 1_000_000_000_000L;

  private final FakeTicker ticker = FakeTicker.startingAt(START);

  /** A clockwork on the test's ticker, whose sleeper returns at once and moves no time. */
  private final Clockwork frozen = clockwork(RecordingSleeper.create()::sleep);

  private Clockwork clockwork(Sleeper sleeper) {
    return new Clockwork(ticker, sleeper, 42);
  }

  @Test
  void simulatedDependency_sleepsItsLatencyWithinTheJitter_andAnswers() {
    RecordingSleeper sleeper = RecordingSleeper.create();
    SimulatedDependency d =
        SimulatedDependency.create(
            "inventory",
            () -> Behaviour.of(20, 0.0),
            p -> "stock of " + p,
            clockwork(sleeper::sleep));

    for (int i = 0; i < 100; i++) {
      assertThat(d.call("mug")).isEqualTo("stock of mug");
    }

    assertThat(d.calls()).isEqualTo(100);
    assertThat(sleeper.sleeps())
        .allSatisfy(s -> assertThat(s).isBetween(Duration.ofMillis(10), Duration.ofMillis(30)));
    assertThat(d.apply("tin")).isEqualTo("stock of tin");
    assertThat(d).hasToString("SimulatedDependency[inventory]");
  }

  @Test
  void
      simulatedDependency_withALongTail_takesItsFactorLongerForItsShareOfCalls_andSaysWhatItDrew() {
    RecordingSleeper sleeper = RecordingSleeper.create();
    SimulatedDependency d =
        SimulatedDependency.create(
            "personalised",
            () -> new Behaviour(Duration.ofMillis(10), 0, 0).withTail(0.25, 4),
            p -> p,
            clockwork(sleeper::sleep));
    List<Long> drawn = new ArrayList<>();

    for (int i = 0; i < 400; i++) {
      d.call("mug", drawn::add);
    }

    assertThat(sleeper.sleeps())
        .allSatisfy(s -> assertThat(s).isIn(Duration.ofMillis(10), Duration.ofMillis(40)));
    long slow = sleeper.sleeps().stream().filter(s -> s.toMillis() == 40).count();
    // 400 calls at 25 %: within 5 standard deviations (about 43) of 100.
    assertThat(slow).isBetween(57L, 143L);
    assertThat(drawn)
        .containsExactlyElementsOf(sleeper.sleeps().stream().map(Duration::toNanos).toList());
    assertThatThrownBy(() -> Behaviour.of(10, 0).withTail(1.5, 4))
        .hasMessage("tailRate must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> Behaviour.of(10, 0).withTail(0.1, 0.5))
        .hasMessage("tailFactor must be in [1, 1000], was 0.5");
  }

  @Test
  void simulatedDependency_failsAtItsRate_reproduciblyForASeed() {
    int failures = 0;
    List<Boolean> first = outcomes(frozen);
    for (boolean failed : first) {
      failures += failed ? 1 : 0;
    }
    // 1000 calls at 30%: within 5 standard deviations (about 72) of 300.
    assertThat(failures).isBetween(228, 372);
    assertThat(outcomes(frozen)).isEqualTo(first);
  }

  private static List<Boolean> outcomes(Clockwork clockwork) {
    SimulatedDependency d =
        SimulatedDependency.create("pricing", () -> Behaviour.of(1, 0.3), p -> p, clockwork);
    List<Boolean> failed = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      try {
        d.call("x");
        failed.add(false);
      } catch (RemoteException e) {
        assertThat(e).hasMessage("pricing: 503 Service Unavailable (simulated)");
        failed.add(true);
      }
    }
    return failed;
  }

  @Test
  void simulatedDependency_interruptedWhileWaiting_failsAndKeepsTheFlag() {
    SimulatedDependency d =
        SimulatedDependency.create(
            "payments",
            () -> Behaviour.of(30, 0.0),
            p -> p,
            clockwork(
                s -> {
                  throw new InterruptedException();
                }));

    assertThatThrownBy(() -> d.call("order-1"))
        .isInstanceOf(RemoteException.class)
        .hasMessage("payments: call interrupted after it was given up on");
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void behaviour_rejectsValuesOutOfRange() {
    assertThatThrownBy(() -> new Behaviour(Duration.ofMillis(-1), 0, 0))
        .hasMessage("latency must be >= 0, was PT-0.001S");
    assertThatThrownBy(() -> new Behaviour(Duration.ZERO, 1.5, 0))
        .hasMessage("jitter must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> new Behaviour(Duration.ZERO, 0, Double.NaN))
        .hasMessage("failureRate must be in [0, 1], was NaN");
    assertThatThrownBy(() -> new Behaviour(Duration.ZERO, -0.1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Behaviour(Duration.ZERO, 0, 1.1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tally_keepsAUniformSampleOfLatencies_andCountsFailuresByKind() {
    Tally t = Tally.create("inventory", 100, 7);
    assertThat(t.latencyPercentile(99)).isEmpty();
    for (int i = 1; i <= 10_000; i++) {
      t.recordLatency(i);
    }
    // A uniform sample of 1..10000: its median is near 5000 (seeded, so always the same).
    assertThat(t.latencyPercentile(50).orElseThrow().toNanos()).isBetween(3_500L, 6_500L);
    assertThat(t.latencyPercentile(100).orElseThrow().toNanos()).isLessThanOrEqualTo(10_000L);
    t.recordFailure(new RemoteException("boom"));
    assertThat(t.shortCircuits() + t.timeouts()).isZero();
    assertThat(t).hasToString("Tally[inventory: 0 calls]");
    assertThatThrownBy(() -> Tally.create("x", 0, 1)).hasMessage("capacity must be >= 1, was 0");
  }

  @Test
  void page_isTaggedByItsBody_andKnowsOnly200And304() {
    assertThat(Page.etagOf("a")).isEqualTo(Page.etagOf("a")).isNotEqualTo(Page.etagOf("b"));
    assertThat(Page.etagOf("a")).startsWith("\"").endsWith("\"");
    assertThat(Page.ok("x").withEtag("\"1\"")).isEqualTo(new Page(200, "\"1\"", "x"));
    assertThatThrownBy(() -> new Page(500, "", ""))
        .hasMessage("status must be 200 or 304, was 500");
    assertThatThrownBy(() -> new Request(null, "mug", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("shopper");
    assertThatThrownBy(() -> new Request("shopper-1", null, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("product");
  }

  @Test
  void traffic_requestsPagesUntilStopped() throws InterruptedException {
    CountDownLatch pauses = new CountDownLatch(50);
    Clockwork clockwork = clockwork(d -> pauses.countDown());
    try (Shop shop = Shop.create(Schedule.of(Duration.ofSeconds(10)), frozen, e -> {})) {
      Traffic traffic = Traffic.start(shop, 3, clockwork);

      assertThat(pauses.await(10, TimeUnit.SECONDS)).isTrue();
      traffic.stop();

      assertThat(traffic.isStopped()).isTrue();
      assertThat(shop.pageTotals().pages()).isGreaterThanOrEqualTo(50);
      assertThat(shop.pageTotals().notModified()).isPositive();
    }
  }

  @Test
  void traffic_endsAClientWhosePauseIsInterrupted() throws InterruptedException {
    Clockwork clockwork =
        clockwork(
            d -> {
              throw new InterruptedException();
            });
    try (Shop shop = Shop.create(Schedule.of(Duration.ofSeconds(10)), frozen, e -> {})) {
      Traffic traffic = Traffic.start(shop, 2, clockwork);
      traffic.stop();

      assertThat(traffic.isStopped()).isTrue();
      assertThat(shop.pageTotals().pages()).isBetween(0L, 2L);
    }
  }

  @Test
  void traffic_needsAClient() {
    try (Shop shop = Shop.create(Schedule.of(Duration.ofSeconds(1)), frozen, e -> {})) {
      assertThatThrownBy(() -> Traffic.start(shop, 0, frozen))
          .hasMessage("clients must be >= 1, was 0");
    }
  }
}
