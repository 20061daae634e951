package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** {@link Limiter#onFailure(Throwable)}: a failure reported by code that times its own calls. */
class LimiterOnFailureTest {

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
}
