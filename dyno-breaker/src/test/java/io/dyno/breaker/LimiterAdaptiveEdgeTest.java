package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * {@link Limiter} at the edges of its adaptive part: a {@code droppedWhen} written for the adaptive
 * case on a fixed limiter, a permit given back twice, and AIMD settings made in more than one step.
 */
class LimiterAdaptiveEdgeTest {

  private final FakeTicker ticker = FakeTicker.create();

  /** A {@code droppedWhen} that only understands timeouts, as one written for them might. */
  private static boolean timedOut(Throwable t) {
    return ((TimeoutException) t).getMessage().contains("timed out");
  }

  @Test
  void aFixedLimiter_neverAsksDroppedWhen_soAFailurePassesThroughUnchanged() {
    Limiter exports =
        Limiter.builder("exports")
            .permits(2)
            .droppedWhen(LimiterAdaptiveEdgeTest::timedOut)
            .ticker(ticker)
            .build();
    IOException diskFull = new IOException("disk full");

    assertThatThrownBy(
            () ->
                exports.call(
                    () -> {
                      throw diskFull;
                    }))
        .isSameAs(diskFull);

    assertThat(diskFull.getSuppressed()).isEmpty();
    assertThat(exports.inUse()).isZero();
    assertThat(exports.limit()).isEqualTo(2);
  }

  @Test
  void aFixedLimiter_onFailure_releasesWithoutAskingDroppedWhen() {
    Limiter exports =
        Limiter.builder("exports")
            .permits(2)
            .droppedWhen(LimiterAdaptiveEdgeTest::timedOut)
            .ticker(ticker)
            .build();
    IOException diskFull = new IOException("disk full");

    assertThat(exports.tryAcquire()).isTrue();
    exports.onFailure(diskFull);

    assertThat(diskFull.getSuppressed()).isEmpty();
    assertThat(exports.inUse()).isZero();
    assertThat(exports.available()).isEqualTo(2);
  }

  @Test
  void ignore_twice_givesBackOnePermit_notAnotherCallersToo() {
    Limiter db = Limiter.builder("db").aimd(a -> a.initialLimit(2).minLimit(1)).build();
    Limiter.Permit first = db.acquire();
    Limiter.Permit second = db.acquire();

    first.ignore();
    first.ignore();
    first.close();

    assertThat(db.inFlight()).as("the second call still holds its permit").isEqualTo(1);
    assertThat(db.limit()).as("an ignored permit is no sample").isEqualTo(2);
    second.ignore();
    assertThat(db.inFlight()).isZero();
  }

  @Test
  void aimd_settingsMadeInTwoSteps_bothHold() {
    Limiter db =
        Limiter.builder("db")
            .aimd(a -> a.minLimit(1).initialLimit(10))
            .aimd(a -> a.backoffRatio(0.5))
            .ticker(ticker)
            .build();
    List<Limiter.Change> changes = new ArrayList<>();
    db.onChange(changes::add);

    assertThat(db.limit()).isEqualTo(10);
    assertThat(db.tryAcquire()).isTrue();
    db.onDropped();

    assertThat(db.limit()).isEqualTo(5);
    assertThat(changes).containsExactly(new Limiter.Change("db", 10, 5));
  }
}
