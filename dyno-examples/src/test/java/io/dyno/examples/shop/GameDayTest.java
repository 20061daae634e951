package io.dyno.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.aspect.Aspect;
import io.dyno.aspect.Aspects;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.RecordingSleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The game day: the incidents' chaos filters on a board, installed and removed on time. */
class GameDayTest {

  private final RecordingSleeper sleeper = RecordingSleeper.create();
  private final Clockwork clockwork =
      new Clockwork(FakeTicker.startingAt(1_000_000_000_000L), sleeper::sleep, 42);
  private final Aspects board = Aspects.create();
  private final AtomicInteger remoteCalls = new AtomicInteger();
  private final Aspect<String, String> payments = advertise("payments");
  private final Aspect<String, String> inventory = advertise("inventory");
  private final Aspect<String, String> pricing = advertise("pricing");
  private final GameDay day = GameDay.create(board, clockwork);

  private Aspect<String, String> advertise(String name) {
    return board.advertise(
        name,
        (String request) -> {
          remoteCalls.incrementAndGet();
          return name + " answers " + request;
        });
  }

  @Test
  void paymentsDown_failsEveryCallWithoutReachingIt_untilPaymentsBackRemovesTheFault() {
    List<String> installed = day.start(Incident.PAYMENTS_DOWN, Duration.ofMillis(1_500));

    assertThat(installed).containsExactly("chaos on 'payments': fault at 100 % installed");
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> payments.apply("order-1"))
          .isInstanceOf(RemoteException.class)
          .hasMessage("payments: connection refused (chaos fault)");
    }
    assertThat(remoteCalls).hasValue(0);
    assertThat(inventory.apply("mug")).isEqualTo("inventory answers mug");

    List<String> removed = day.start(Incident.PAYMENTS_BACK, Duration.ofSeconds(4));

    assertThat(removed)
        .containsExactly("chaos on 'payments': fault removed, after 3 calls injected");
    assertThat(payments.apply("order-2")).isEqualTo("payments answers order-2");
    GameDay.Installed fault = day.filters().get(0);
    assertThat(fault.dependency()).isEqualTo("payments");
    assertThat(fault.kind()).isEqualTo("fault");
    assertThat(fault.rate()).isEqualTo(1.0);
    assertThat(fault.from()).isEqualTo(Duration.ofMillis(1_500));
    assertThat(fault.to()).contains(Duration.ofSeconds(4));
    assertThat(fault.injected()).isEqualTo(3);
    assertThat(fault)
        .hasToString("GameDay.Installed[fault on payments at 100 %, 1.5 s to 4.0 s, 3 injected]");
    // Removed once: the second time there is nothing left to remove.
    assertThat(day.start(Incident.PAYMENTS_BACK, Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void inventorySlow_delaysEveryCallPastItsTimeoutThroughTheClockworksSleeper() {
    day.start(Incident.INVENTORY_SLOW, Duration.ofSeconds(3));

    for (int i = 0; i < 100; i++) {
      assertThat(inventory.apply("mug")).isEqualTo("inventory answers mug");
    }

    // 400 ms ± 25 %: every one past the service's 150 ms timeout.
    assertThat(sleeper.sleeps())
        .hasSize(100)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(300), Duration.ofMillis(500)));
    assertThat(day.filters()).singleElement().satisfies(f -> assertThat(f.to()).isEmpty());

    assertThat(day.start(Incident.INVENTORY_BACK, Duration.ofSeconds(5)))
        .containsExactly("chaos on 'inventory': latency removed, after 100 calls injected");
    inventory.apply("mug");
    assertThat(sleeper.sleeps()).hasSize(100);
  }

  @Test
  void pricingFlaky_slowsEveryCall_thenFailsFortyPercent_theSameCallsForTheSameSeed() {
    assertThat(day.start(Incident.PRICING_FLAKY, Duration.ofMillis(5_500)))
        .containsExactly(
            "chaos on 'pricing': latency at 100 % installed",
            "chaos on 'pricing': fault at 40 % installed");

    List<Boolean> failed = outcomes(pricing, 1_000);

    long failures = failed.stream().filter(f -> f).count();
    // 1000 calls at 40%: within 5 standard deviations (about 77) of 400.
    assertThat(failures).isBetween(323L, 477L);
    // The latency is outermost: failed calls were slow too.
    assertThat(sleeper.sleeps())
        .hasSize(1_000)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(50), Duration.ofMillis(150)));
    assertThat(remoteCalls).hasValue((int) (1_000 - failures));

    Aspects other = Aspects.create();
    Aspect<String, String> again = other.advertise("pricing", (String p) -> p);
    GameDay.create(other, clockwork).start(Incident.PRICING_FLAKY, Duration.ZERO);
    assertThat(outcomes(again, 1_000)).isEqualTo(failed);

    assertThat(day.start(Incident.PRICING_BACK, Duration.ofSeconds(8))).hasSize(2);
    assertThat(day.filters())
        .extracting(GameDay.Installed::kind, GameDay.Installed::injected)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("latency", 1_000L),
            org.assertj.core.groups.Tuple.tuple("fault", failures));
  }

  @Test
  void incidentsWithoutChaos_changeNothing() {
    for (Incident incident :
        List.of(
            Incident.HEALTHY,
            Incident.RECOMMENDER_SWAPPED,
            Incident.FEATURE_OFF,
            Incident.FEATURE_ON)) {
      assertThat(incident.chaos()).isFalse();
      assertThat(day.start(incident, Duration.ZERO)).isEmpty();
    }
    assertThat(day.filters()).isEmpty();
    assertThat(day).hasToString("GameDay[0 filters installed]");
    assertThat(payments.apply("order-1")).isEqualTo("payments answers order-1");
    assertThatThrownBy(() -> GameDay.create(null, clockwork))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("board must not be null");
  }

  private static List<Boolean> outcomes(Aspect<String, String> aspect, int calls) {
    List<Boolean> failed = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      try {
        aspect.apply("teapot");
        failed.add(false);
      } catch (RemoteException e) {
        failed.add(true);
      }
    }
    return failed;
  }
}
