package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * What code that pairs {@link Limiter#tryAcquire()} with its own reports uses: {@link
 * Limiter#onFailure(Throwable)} and {@link Limiter#rejection()}.
 */
class LimiterCallerReportTest {

  private final FakeTicker ticker = FakeTicker.create();

  private Limiter aimd() {
    return Limiter.builder("search")
        .aimd(a -> a.initialLimit(20).minLimit(1).maxLimit(40).backoffRatio(0.5))
        .ticker(ticker)
        .droppedWhen(t -> t instanceof TimeoutException)
        .build();
  }

  @Test
  void aFailureThatDroppedWhenMatches_isALoss_andTheLimitBacksOff() {
    Limiter limiter = aimd();

    assertThat(limiter.tryAcquire()).isTrue();
    limiter.onFailure(new TimeoutException("no answer in 500 ms"));

    assertThat(limiter.limit()).isEqualTo(10);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void anyOtherFailure_givesThePermitBack_withoutMovingTheLimit() {
    Limiter limiter = aimd();

    assertThat(limiter.tryAcquire()).isTrue();
    limiter.onFailure(new IOException("connection reset"));

    assertThat(limiter.limit()).isEqualTo(20);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void onAFixedLimiter_aFailure_onlyGivesThePermitBack() {
    Limiter limiter = Limiter.of("exports", 1);

    assertThat(limiter.tryAcquire()).isTrue();
    limiter.onFailure(new TimeoutException("late"));

    assertThat(limiter.limit()).isEqualTo(1);
    assertThat(limiter.tryAcquire()).isTrue();
  }

  @Test
  void aNullFailure_isRefusedByName_andAFailureWithoutAPermit_isAnError() {
    Limiter limiter = aimd();

    assertThatThrownBy(() -> limiter.onFailure(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("failure must not be null");
    assertThatThrownBy(() -> limiter.onFailure(new IOException("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("release without a permit");
  }

  @Test
  void rejection_namesTheLimitAsItStands_andTakesNothing() {
    Limiter limiter = aimd();
    for (int i = 0; i < 20; i++) {
      assertThat(limiter.tryAcquire()).isTrue();
    }
    assertThat(limiter.tryAcquire()).isFalse();

    LimitExceededException e = limiter.rejection();

    assertThat(e.name()).isEqualTo("search");
    assertThat(e.limit()).isEqualTo(20);
    assertThat(e)
        .hasMessage(
            "Limiter 'search' is full (20 of 20 in flight, adaptive limit 20 by aimd); call not"
                + " permitted");
    assertThat(limiter.inFlight()).isEqualTo(20);
    assertThat(Limiter.of("exports", 4).rejection())
        .hasMessage("Limiter 'exports' is full (4 of 4 permits in use); call not permitted");
  }
}
