package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@link Limiter}: a full limiter rejects at once, and permits always come back. */
class LimiterTest {

  @Test
  void fullLimiter_rejectsAtOnce_withoutRunningTheWork() throws Exception {
    Limiter limiter = Limiter.of("exports", 2);
    try (Limiter.Permit a = limiter.acquire();
        Limiter.Permit b = limiter.acquire()) {
      assertThat(a).isNotSameAs(b);
      assertThat(limiter.available()).isZero();
      LimitExceededException e =
          catchThrowableOfType(LimitExceededException.class, () -> limiter.call(() -> "x"));
      assertThat(e.name()).isEqualTo("exports");
      assertThat(e.permits()).isEqualTo(2);
      assertThat(e.getMessage())
          .isEqualTo("Limiter 'exports' is full (2 of 2 permits in use); call not permitted");
      assertThatThrownBy(() -> limiter.get(() -> "x")).isInstanceOf(LimitExceededException.class);
      assertThatThrownBy(() -> limiter.run(() -> {})).isInstanceOf(LimitExceededException.class);
      assertThatThrownBy(limiter::acquire).isInstanceOf(LimitExceededException.class);
      assertThat(limiter.tryAcquire()).isFalse();
      assertThat(limiter.toString()).isEqualTo("Limiter[name=exports, inUse=2, permits=2]");
    }
    assertThat(limiter.inUse()).isZero();
  }

  @Test
  void permits_areReleased_afterSuccessFailureAndErrors() throws Exception {
    Limiter limiter = Limiter.builder("exports").permits(1).writableStackTrace(false).build();
    assertThat(limiter.call(() -> "ok")).isEqualTo("ok");
    assertThat(limiter.get(() -> 1)).isEqualTo(1);
    limiter.run(() -> {});
    IOException failure = new IOException("disk full");
    assertThatThrownBy(
            () ->
                limiter.call(
                    () -> {
                      throw failure;
                    }))
        .isSameAs(failure);
    AssertionError error = new AssertionError("broken");
    assertThatThrownBy(
            () ->
                limiter.run(
                    () -> {
                      throw error;
                    }))
        .isSameAs(error);
    assertThat(limiter.inUse()).isZero();
    assertThat(limiter.permits()).isEqualTo(1);
    assertThat(limiter.name()).isEqualTo("exports");
    LimitExceededException e;
    try (Limiter.Permit p = limiter.acquire()) {
      assertThat(p).isNotNull();
      e = catchThrowableOfType(LimitExceededException.class, limiter::acquire);
    }
    assertThat(e.getStackTrace()).isEmpty();
  }

  @Test
  void builder_makesTheSameLimiterAsOf_withRejectionsThatHaveAStackTraceByDefault() {
    Limiter limiter = Limiter.builder("exports").permits(1).build();
    assertThat(limiter.name()).isEqualTo("exports");
    assertThat(limiter.permits()).isEqualTo(1);
    try (Limiter.Permit p = limiter.acquire()) {
      assertThat(p).isNotNull();
      LimitExceededException e =
          catchThrowableOfType(LimitExceededException.class, limiter::acquire);
      assertThat(e.getStackTrace()).isNotEmpty();
      assertThat(e.name()).isEqualTo(e.limiterName());
    }
  }

  @Test
  void permit_closedTwice_releasesOnce() {
    Limiter limiter = Limiter.of("exports", 2);
    Limiter.Permit held = limiter.acquire();
    Limiter.Permit p = limiter.acquire();
    p.close();
    p.close();
    assertThat(limiter.inUse()).isEqualTo(1);
    held.close();
  }

  @Test
  void release_withoutAPermit_fails() {
    Limiter limiter = Limiter.of("exports", 1);
    assertThatThrownBy(limiter::release)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Limiter 'exports': release without a permit");
    assertThat(limiter.tryAcquire()).isTrue();
    limiter.release();
  }

  @Test
  void badInput_failsAtOnce() {
    assertThatThrownBy(() -> Limiter.of("exports", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permits must be >= 1, was 0");
    assertThatThrownBy(() -> Limiter.of(null, 1)).hasMessage("name must not be null");
    assertThatThrownBy(() -> Limiter.of("", 1)).hasMessage("name must not be blank, was ''");
    assertThatThrownBy(() -> Limiter.builder("exports").permits(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permits must be >= 1, was -1");
    assertThatThrownBy(() -> Limiter.builder("exports").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("permits is not set for limiter 'exports': set how many calls may run at once");
    Limiter limiter = Limiter.of("exports", 1);
    assertThatThrownBy(() -> limiter.call(null)).hasMessage("callable must not be null");
    assertThatThrownBy(() -> limiter.get(null)).hasMessage("supplier must not be null");
    assertThatThrownBy(() -> limiter.run(null)).hasMessage("runnable must not be null");
  }
}
