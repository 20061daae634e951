package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link Breaker#nextTrialIn()}: the time an open breaker still waits before it lets a trial call
 * through, read on the breaker's own ticker, and nothing in any state that does not wait for time.
 */
class BreakerNextTrialTest {

  private static final long SECOND = 1_000_000_000L;

  /** An arbitrary start, so that no reading is mistaken for zero. */
  private static final long START = 3_000 * SECOND;

  private static final Duration OPEN = Duration.ofSeconds(5);

  private final FakeTicker ticker = FakeTicker.startingAt(START);

  /** A breaker that opens on its first failure, stays open 5 s and then lets 2 trials through. */
  private final Breaker breaker =
      Breaker.builder("orders")
          .minimumCalls(1)
          .openDuration(OPEN)
          .halfOpenCalls(2)
          .ticker(ticker)
          .build();

  private void fail() {
    breaker.acquirePermission().onFailure(0, new IOException("down"));
  }

  @Test
  void closed_hasNoTrialTime() {
    assertThat(breaker.state()).isEqualTo(Breaker.State.CLOSED);

    assertThat(breaker.nextTrialIn()).isEmpty();
  }

  @Test
  void open_givesTheOpenDurationLessTheTimeItHasBeenOpen() {
    fail();
    assertThat(breaker.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(breaker.nextTrialIn()).contains(OPEN);

    ticker.advance(Duration.ofMillis(1_250));
    assertThat(breaker.nextTrialIn()).contains(Duration.ofMillis(3_750));

    ticker.advance(Duration.ofMillis(3_749));
    assertThat(breaker.nextTrialIn()).contains(Duration.ofMillis(1));

    ticker.advance(1);
    assertThat(breaker.nextTrialIn()).contains(Duration.ofNanos(999_999));
  }

  @Test
  void open_onceDue_readsZero_untilTheNextCallMovesItOn() {
    fail();
    ticker.advance(OPEN);
    assertThat(breaker.nextTrialIn()).contains(Duration.ZERO);

    ticker.advance(Duration.ofMinutes(10));
    assertThat(breaker.nextTrialIn()).as("never negative").contains(Duration.ZERO);
    assertThat(breaker.state()).as("reading does not admit a trial").isEqualTo(Breaker.State.OPEN);

    Breaker.Permit trial = breaker.acquirePermission();
    assertThat(breaker.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertThat(breaker.nextTrialIn()).isEmpty();
    trial.release();
  }

  @Test
  void halfOpen_withTrialsFreeOrAllTaken_hasNoTrialTime() {
    fail();
    ticker.advance(OPEN);

    Breaker.Permit first = breaker.acquirePermission();
    assertThat(breaker.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertThat(breaker.nextTrialIn()).as("one trial still free").isEmpty();

    Breaker.Permit second = breaker.acquirePermission();
    assertThat(breaker.tryAcquirePermission()).as("both trials taken").isNull();
    assertThat(breaker.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertThat(breaker.nextTrialIn()).isEmpty();

    first.onSuccess(0);
    second.onSuccess(0);
    assertThat(breaker.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(breaker.nextTrialIn()).isEmpty();
  }

  @Test
  void aFailedTrial_reopens_andTheWaitStartsAgainInFull() {
    fail();
    ticker.advance(OPEN.plusSeconds(2));
    Breaker.Permit trial = breaker.acquirePermission();
    ticker.advance(Duration.ofMillis(300));

    trial.onFailure(0, new IOException("still down"));

    assertThat(breaker.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(breaker.nextTrialIn()).contains(OPEN);
    ticker.advance(SECOND);
    assertThat(breaker.nextTrialIn()).contains(OPEN.minusSeconds(1));
  }

  @Test
  void forcedOpen_waitsForAResetNotForTime() {
    breaker.trip();
    assertThat(breaker.nextTrialIn()).isEmpty();

    ticker.advance(OPEN.multipliedBy(10));
    assertThat(breaker.state()).isEqualTo(Breaker.State.FORCED_OPEN);
    assertThat(breaker.nextTrialIn()).isEmpty();
  }

  @Test
  void trippedWhileOpen_dropsTheTrialTime() {
    fail();
    assertThat(breaker.nextTrialIn()).contains(OPEN);

    breaker.trip();

    assertThat(breaker.nextTrialIn()).isEmpty();
  }

  @Test
  void disabled_hasNoTrialTime() {
    fail();

    breaker.disable();

    assertThat(breaker.state()).isEqualTo(Breaker.State.DISABLED);
    assertThat(breaker.nextTrialIn()).isEmpty();
  }

  @Test
  void manualBreaker_hasNoTrialTimeInAnyOfItsStates() {
    Breaker fuse = Breaker.manual("feature");
    assertThat(fuse.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(fuse.nextTrialIn()).isEmpty();

    fuse.trip();
    assertThat(fuse.state()).isEqualTo(Breaker.State.FORCED_OPEN);
    assertThat(fuse.nextTrialIn()).isEmpty();

    fuse.disable();
    assertThat(fuse.state()).isEqualTo(Breaker.State.DISABLED);
    assertThat(fuse.nextTrialIn()).isEmpty();

    fuse.reset();
    assertThat(fuse.nextTrialIn()).isEmpty();
  }
}
