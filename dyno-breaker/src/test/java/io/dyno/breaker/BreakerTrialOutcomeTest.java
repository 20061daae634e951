package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the listeners and the rejections say as a breaker goes half-open and its trial decides, and
 * from when a failed trial's new open period counts: the failure's end, whether the breaker read
 * the time itself or was handed it.
 */
class BreakerTrialOutcomeTest {

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;

  /** An arbitrary start, so that no reading is mistaken for zero. */
  private static final long START = 1_000 * SECOND;

  private final FakeTicker ticker = FakeTicker.startingAt(START);
  private final List<StateChange> changes = new ArrayList<>();

  private BreakerBuilder builder() {
    return Breaker.builder("catalog")
        .minimumCalls(1)
        .openDuration(Duration.ofMillis(1_500))
        .ticker(ticker)
        .onStateChange(changes::add);
  }

  private void advance(long nanos) {
    ticker.advance(nanos);
  }

  private static BreakerOpenException rejection(Breaker b) {
    return catchThrowableOfType(BreakerOpenException.class, () -> b.run(() -> {}));
  }

  @Test
  void firstCallAfterTheOpenDuration_goesHalfOpen_andTheChangeSaysHowLongItWasOpen() {
    Breaker b = builder().build();
    FailedCall.through(b);
    advance(1_500 * MS);
    b.run(() -> {});
    assertThat(changes)
        .extracting(StateChange::toString)
        .containsExactly(
            "Breaker 'catalog' CLOSED -> OPEN (100.0% failures in the last 10.0 s)",
            "Breaker 'catalog' OPEN -> HALF_OPEN (open for 1.50 s)",
            "Breaker 'catalog' HALF_OPEN -> CLOSED (the trial call succeeded)");
  }

  @Test
  void callWhileTheTrialIsInProgress_isRejectedWithTheTrialsReason() {
    Breaker b = builder().halfOpenTimeout(Duration.ofSeconds(4)).build();
    FailedCall.through(b);
    advance(1_500 * MS);
    assertThat(b.tryAcquirePermission()).isNotNull();
    advance(SECOND);
    BreakerOpenException rejected = rejection(b);
    assertThat(rejected.state()).isEqualTo(Breaker.State.HALF_OPEN);
    assertThat(rejected.nextTrialIn()).contains(Duration.ofSeconds(3));
    assertThat(rejected.getMessage())
        .isEqualTo(
            "Breaker 'catalog' is HALF_OPEN (its trial call is in progress); call not permitted;"
                + " next trial in 3.00 s");
  }

  @Test
  void failedTrial_reopensTheBreakerForAFullOpenDurationFromTheFailure() {
    Breaker b = builder().build();
    FailedCall.through(b);
    advance(1_500 * MS);
    FailedCall.through(b); // the trial
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(changes.get(changes.size() - 1).reason()).isEqualTo("a trial call failed");
    BreakerOpenException rejected = rejection(b);
    assertThat(rejected.nextTrialIn()).contains(Duration.ofMillis(1_500));
    assertThat(rejected.getMessage())
        .isEqualTo(
            "Breaker 'catalog' is OPEN (a trial call failed); call not permitted;"
                + " next trial in 1.50 s");
    advance(1_500 * MS - 1);
    assertThat(rejection(b).nextTrialIn()).contains(Duration.ofNanos(1));
    advance(1);
    b.run(() -> {});
    assertThat(b.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void trialFailureReportedWithItsEndTime_reopensAsOfThatTime() {
    Breaker b = builder().build();
    FailedCall.through(b);
    advance(1_500 * MS);
    Breaker.Permit trial = b.acquirePermission();
    long end = ticker.read();
    advance(SECOND);
    trial.onFailureAt(end, SECOND / 2, new IllegalStateException("down"));
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(rejection(b).nextTrialIn()).contains(Duration.ofMillis(500));
  }

  @Test
  void slowTrialReportedWithItsEndTime_reopensAsOfThatTime_andSaysHowLongItTook() {
    Breaker b = builder().slowCallThreshold(Duration.ofMillis(100)).build();
    FailedCall.through(b);
    advance(1_500 * MS);
    Breaker.Permit trial = b.acquirePermission();
    advance(200 * MS);
    long end = ticker.read();
    advance(SECOND);
    trial.onResultAt(end, 200 * MS, "late");
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(changes.get(changes.size() - 1).reason()).isEqualTo("a trial call took 200 ms");
    assertThat(rejection(b).nextTrialIn()).contains(Duration.ofMillis(500));
  }

  @Test
  void manualBreaker_rejectsWithoutATrialTime() {
    Breaker b = Breaker.manual("fuse");
    b.trip();
    BreakerOpenException rejected = rejection(b);
    assertThat(rejected.nextTrialIn()).isEqualTo(Optional.empty());
    assertThat(rejected.getMessage())
        .isEqualTo("Breaker 'fuse' is FORCED_OPEN (tripped by hand); call not permitted");
  }
}
