package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.BreakerOpenException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** The exceptions a service throws for its own reasons: their messages and accessors. */
class ServiceExceptionTest {

  @Test
  void rejectedFull_saysLimitAndIsNotClosed() {
    RejectedException e = RejectedException.full("inventory", 8);

    assertThat(e)
        .isInstanceOf(ServiceException.class)
        .hasMessage("Service 'inventory' rejected the call: all 8 of its concurrent slots are busy")
        .hasNoCause();
    assertThat(e.name()).isEqualTo("inventory");
    assertThat(e.maxConcurrent()).isEqualTo(8);
    assertThat(e.isClosed()).isFalse();
    assertThat(e.reason()).isEqualTo(RejectedException.Reason.FULL);
  }

  @Test
  void rejectedClosed_isClosedWithoutLimit() {
    RejectedException e = RejectedException.closed("inventory");

    assertThat(e).hasMessage("Service 'inventory' rejected the call: it is closed").hasNoCause();
    assertThat(e.isClosed()).isTrue();
    assertThat(e.maxConcurrent()).isZero();
    assertThat(e.reason()).isEqualTo(RejectedException.Reason.CLOSED);
  }

  @Test
  void rejectedRefused_carriesExecutorRefusal() {
    RejectedExecutionException refusal = new RejectedExecutionException("saturated");

    RejectedException e = RejectedException.refused("inventory", refusal);

    assertThat(e)
        .hasMessage(
            "Service 'inventory' rejected the call: its executor refused the task"
                + " (java.util.concurrent.RejectedExecutionException: saturated)")
        .hasCause(refusal);
    assertThat(e.getCause()).isSameAs(refusal);
    assertThat(e.isClosed()).isFalse();
    assertThat(e.maxConcurrent()).isZero();
    assertThat(e.reason()).isEqualTo(RejectedException.Reason.REFUSED);
  }

  @Test
  void rejectedLimitedAndThrottled_nullCause_throwsNamingIt() {
    assertThatThrownBy(() -> RejectedException.limited("inventory", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("cause must not be null");
    assertThatThrownBy(() -> RejectedException.throttled("inventory", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("cause must not be null");
  }

  @Test
  void timeout_saysMillisAndKeepsTimeout() {
    ServiceTimeoutException e = new ServiceTimeoutException("inventory", Duration.ofMillis(1500));

    assertThat(e).hasMessage("Service 'inventory' timed out after 1.50 s").hasNoCause();
    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(e.name()).isEqualTo("inventory");
  }

  @Test
  void shortCircuit_keepsBreakerRefusalAndState() {
    Breaker breaker = Breaker.builder("inventory").build();
    breaker.trip();
    BreakerOpenException open =
        catchThrowableOfType(BreakerOpenException.class, breaker::acquirePermission);

    ShortCircuitException e = new ShortCircuitException("inventory", open);

    assertThat(e).hasMessage("Service 'inventory' short-circuited: " + open.getMessage());
    assertThat(e.getCause()).isSameAs(open);
    assertThat(e.state()).isEqualTo(Breaker.State.FORCED_OPEN);
    assertThat(e.name()).isEqualTo("inventory");
  }

  @Test
  void fallbackFailed_keepsBothFailures() {
    IOException failure = new IOException("down");
    IllegalStateException fallbackFailure = new IllegalStateException("no cache");

    FallbackFailedException e = new FallbackFailedException("inventory", failure, fallbackFailure);

    assertThat(e)
        .hasMessage(
            "Service 'inventory' failed (java.io.IOException: down) and its fallback failed too"
                + " (java.lang.IllegalStateException: no cache)")
        .hasCause(failure);
    assertThat(e.failure()).isSameAs(failure);
    assertThat(e.fallbackFailure()).isSameAs(fallbackFailure);
    assertThat(e.getSuppressed()).containsExactly(fallbackFailure);
    assertThat(e.name()).isEqualTo("inventory");
  }

  @Test
  @SuppressWarnings("NullAway") // the null failure is the point
  void fallbackFailed_withoutCause_givesItselfAsFailure() {
    IllegalStateException fallbackFailure = new IllegalStateException("no cache");

    FallbackFailedException e = new FallbackFailedException("inventory", null, fallbackFailure);

    assertThat(e.failure()).isSameAs(e);
    assertThat(e.fallbackFailure()).isSameAs(fallbackFailure);
  }
}
