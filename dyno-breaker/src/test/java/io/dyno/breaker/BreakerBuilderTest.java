package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link BreakerBuilder}: bad input fails at once, naming the parameter and the value. */
class BreakerBuilderTest {

  private final BreakerBuilder b = Breaker.builder("payments");

  @Test
  void name_mustNotBeNullOrBlank() {
    assertThatThrownBy(() -> Breaker.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> Breaker.manual(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
  }

  @Test
  void thresholds_mustBeInZeroToHundred() {
    assertThatThrownBy(() -> b.failureRateThreshold(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failureRateThreshold must be in (0, 100] percent, was 0.0");
    assertThatThrownBy(() -> b.failureRateThreshold(100.5))
        .hasMessage("failureRateThreshold must be in (0, 100] percent, was 100.5");
    assertThatThrownBy(() -> b.failureRateThreshold(Double.NaN))
        .hasMessage("failureRateThreshold must be in (0, 100] percent, was NaN");
    assertThatThrownBy(() -> b.slowCallRateThreshold(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slowCallRateThreshold must be in (0, 100] percent, was -1.0");
    b.failureRateThreshold(100).slowCallRateThreshold(0.1);
  }

  @Test
  void counts_mustBePositive() {
    assertThatThrownBy(() -> b.minimumCalls(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minimumCalls must be >= 1, was 0");
    assertThatThrownBy(() -> b.halfOpenCalls(-2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("halfOpenCalls must be >= 1, was -2");
    assertThatThrownBy(() -> b.buckets(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("buckets must be in [1, 1000], was 0");
  }

  @Test
  void buckets_aboveTheBound_isRejectedBeforeTheWindowIsAllocated() {
    // The window allocates one slot per bucket when the breaker is built: a hundred million would
    // end in an OutOfMemoryError rather than in a message.
    assertThatThrownBy(() -> b.buckets(100_000_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("buckets must be in [1, 1000], was 100000000");
    assertThatThrownBy(() -> b.buckets(Integer.MAX_VALUE))
        .hasMessage("buckets must be in [1, 1000], was 2147483647");
    assertThatThrownBy(() -> b.buckets(1001)).hasMessage("buckets must be in [1, 1000], was 1001");
    Breaker atTheBound = b.buckets(1000).build();
    atTheBound.run(() -> {});
    assertThat(atTheBound.metrics().calls()).isEqualTo(1);
  }

  @Test
  void durations_mustBePositiveAndNotNull() {
    assertThatThrownBy(() -> b.window(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window must be positive, was PT0S");
    assertThatThrownBy(() -> b.openDuration(Duration.ofSeconds(-1)))
        .hasMessage("openDuration must be positive, was PT-1S");
    assertThatThrownBy(() -> b.slowCallThreshold(Duration.ZERO))
        .hasMessage("slowCallThreshold must be positive, was PT0S");
    assertThatThrownBy(() -> b.halfOpenTimeout(Duration.ZERO))
        .hasMessage("halfOpenTimeout must be positive, was PT0S");
    assertThatThrownBy(() -> b.window(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("window must not be null");
    assertThatThrownBy(() -> b.openDuration(null)).hasMessage("openDuration must not be null");
  }

  @Test
  void nulls_areRejected_namingTheParameter() {
    assertThatThrownBy(() -> b.ticker(null)).hasMessage("ticker must not be null");
    assertThatThrownBy(() -> b.onStateChange(null)).hasMessage("listener must not be null");
    assertThatThrownBy(() -> b.onCall(null)).hasMessage("listener must not be null");
    assertThatThrownBy(() -> b.recordResult(null, r -> true)).hasMessage("type must not be null");
    assertThatThrownBy(() -> b.recordResult(String.class, null))
        .hasMessage("predicate must not be null");
    assertThatThrownBy(() -> b.recordOn((Class<? extends Throwable>[]) null))
        .hasMessage("recordOn must not be null");
    assertThatThrownBy(() -> b.ignore(IllegalStateException.class, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ignore[1] must not be null");
  }

  @Test
  void build_checksSettingsThatDependOnEachOther() {
    assertThatThrownBy(() -> Breaker.builder("x").slowCallRateThreshold(80).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "slowCallRateThreshold is set to 80.0 but slowCallThreshold is not: set how slow a"
                + " slow call is");
    assertThatThrownBy(() -> Breaker.builder("x").window(Duration.ofNanos(5)).buckets(10).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window must be at least 1 ns per bucket, was PT0.000000005S for 10");
  }
}
