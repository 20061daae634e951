package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A change of state made between the breaker's decision and its move to the decided state, as
 * another thread could make it. The ticker is the seam: the breaker reads it right before it moves,
 * and a ticker armed with an action runs it on that reading, once. Whatever moved first, the
 * breaker ends in a state one of the two moves chose, and each change is told once.
 */
class BreakerInterleavedChangeTest {

  private static final long SECOND = 1_000_000_000L;

  private final FakeTicker ticker = FakeTicker.create();
  private final AtomicReference<@Nullable Runnable> onNextReading = new AtomicReference<>();
  private final List<StateChange> changes = new ArrayList<>();

  /** Reads the fake ticker, first running the armed action (once). */
  private long reading() {
    Runnable action = onNextReading.getAndSet(null);
    if (action != null) {
      action.run();
    }
    return ticker.read();
  }

  private BreakerBuilder builder() {
    return Breaker.builder("search")
        .minimumCalls(1)
        .openDuration(Duration.ofSeconds(5))
        .ticker(this::reading)
        .onStateChange(changes::add);
  }

  private static List<String> transitions(List<StateChange> changes) {
    return changes.stream().map(c -> c.from() + " -> " + c.to()).toList();
  }

  @Test
  void tripWhileAnOpenBreakerAdmitsItsFirstTrial_rejectsTheCallAsForcedOpen() {
    Breaker b = builder().build();
    FailedCall.through(b);
    ticker.advance(5 * SECOND);
    onNextReading.set(b::trip);
    BreakerOpenException rejected =
        catchThrowableOfType(BreakerOpenException.class, () -> b.run(() -> {}));
    assertThat(rejected.state()).isEqualTo(Breaker.State.FORCED_OPEN);
    assertThat(rejected.reason()).isEqualTo("tripped by hand");
    assertThat(b.state()).isEqualTo(Breaker.State.FORCED_OPEN);
    assertThat(transitions(changes)).containsExactly("CLOSED -> OPEN", "OPEN -> FORCED_OPEN");
  }

  @Test
  void resetWhileAnOpenBreakerAdmitsItsFirstTrial_admitsTheCallIntoTheClosedBreaker() {
    Breaker b = builder().build();
    FailedCall.through(b);
    ticker.advance(5 * SECOND);
    onNextReading.set(b::reset);
    Breaker.Permit permit = b.tryAcquirePermission();
    assertThat(permit).isNotNull();
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    permit.onSuccess(0);
    assertThat(b.metrics().calls()).as("counted in the fresh window").isEqualTo(1);
    assertThat(transitions(changes)).containsExactly("CLOSED -> OPEN", "OPEN -> CLOSED");
  }

  @Test
  void tripWhileAHalfOpenBreakerRenewsItsLostTrials_rejectsTheCallAsForcedOpen() {
    Breaker b = builder().halfOpenTimeout(Duration.ofSeconds(2)).build();
    FailedCall.through(b);
    ticker.advance(5 * SECOND);
    assertThat(b.tryAcquirePermission()).as("the trial, never reported").isNotNull();
    ticker.advance(2 * SECOND);
    onNextReading.set(b::trip);
    assertThat(b.tryAcquirePermission()).isNull();
    assertThat(b.state()).isEqualTo(Breaker.State.FORCED_OPEN);
    assertThat(transitions(changes))
        .containsExactly("CLOSED -> OPEN", "OPEN -> HALF_OPEN", "HALF_OPEN -> FORCED_OPEN");
  }

  @Test
  void tripWhileTheBreakerIsBeingReset_isUndoneByTheReset_andBothAreTold() {
    Breaker b = builder().build();
    onNextReading.set(b::trip);
    b.reset();
    assertThat(b.state()).as("the reset, which moved last, wins").isEqualTo(Breaker.State.CLOSED);
    assertThat(transitions(changes))
        .containsExactly("CLOSED -> FORCED_OPEN", "FORCED_OPEN -> CLOSED");
    assertThat(changes)
        .extracting(StateChange::reason)
        .containsExactly("tripped by hand", "reset by hand");
    assertThat(b.tryAcquirePermission()).isNotNull();
  }

  @Test
  void disableWhileTheBreakerIsBeingReset_isUndoneByTheReset() {
    Breaker b = builder().build();
    b.trip();
    onNextReading.set(b::disable);
    b.reset();
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(transitions(changes))
        .containsExactly("CLOSED -> FORCED_OPEN", "FORCED_OPEN -> DISABLED", "DISABLED -> CLOSED");
  }
}
