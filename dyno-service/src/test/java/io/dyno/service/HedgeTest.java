package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.Metrics;
import io.dyno.retry.RetryBudget;
import io.dyno.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The hedge's settings: defaults, withers, named messages and the delay it computes. */
class HedgeTest {

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);
  private final Metrics metrics = TestSupport.metrics("inventory", now);

  /** Records one successful call that took {@code millis}. */
  private void took(long millis) {
    Metrics.Sample s = metrics.start();
    now.advance(Duration.ofMillis(millis));
    s.success();
  }

  @Test
  void after_hasOneExtraCopyAndNoBudget() {
    Hedge h = Hedge.after(Duration.ofMillis(20));

    assertThat(h.fixedDelay()).contains(Duration.ofMillis(20));
    assertThat(h.percentile()).isEmpty();
    assertThat(h.maxExtra()).isEqualTo(1);
    assertThat(h.budget()).isEmpty();
    assertThat(h).hasToString("Hedge[after=20.0 ms, maxExtra=1]");
  }

  @Test
  void afterPercentile_hasTheDefaultFloorCapAndRefresh() {
    Hedge h = Hedge.afterPercentile(95);

    assertThat(h.fixedDelay()).isEmpty();
    assertThat(h.percentile()).hasValue(95);
    assertThat(h.floor()).isEqualTo(Duration.ofMillis(1));
    assertThat(h.cap()).isEqualTo(Duration.ofSeconds(1));
    assertThat(h.refresh()).isEqualTo(Duration.ofSeconds(1));
    assertThat(h)
        .hasToString(
            "Hedge[percentile=95.0, floor=1.00 ms, cap=1.00 s, refresh=1.00 s, maxExtra=1]");
  }

  @Test
  void withers_returnNewHedgesAndLeaveTheOriginal() {
    RetryBudget budget = RetryBudget.ratio(0.1);
    Hedge base = Hedge.afterPercentile(99);

    Hedge h =
        base.maxExtra(3)
            .floor(Duration.ofMillis(5))
            .cap(Duration.ofMillis(200))
            .refresh(Duration.ofMillis(500))
            .budget(budget);

    assertThat(h.maxExtra()).isEqualTo(3);
    assertThat(h.floor()).isEqualTo(Duration.ofMillis(5));
    assertThat(h.cap()).isEqualTo(Duration.ofMillis(200));
    assertThat(h.refresh()).isEqualTo(Duration.ofMillis(500));
    assertThat(h.budget()).containsSame(budget);
    assertThat(h.toString()).contains("maxExtra=3", "budget=" + budget);
    assertThat(base.maxExtra()).isEqualTo(1);
    assertThat(base.budget()).isEmpty();
    assertThat(base.cap()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void after_zeroIsAllowed_negativeIsNamed() {
    assertThat(Hedge.after(Duration.ZERO).fixedDelay()).contains(Duration.ZERO);
    assertThatThrownBy(() -> Hedge.after(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must be >= 0, was PT-0.001S");
    assertThatThrownBy(() -> Hedge.after(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("delay must not be null");
  }

  @Test
  void afterPercentile_outsideTheOpenRange_isNamed() {
    for (double bad : new double[] {0, 100, -1, 101, Double.NaN}) {
      assertThatThrownBy(() -> Hedge.afterPercentile(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("percentile must be between 0 and 100 (both excluded), was " + bad);
    }
    assertThat(Hedge.afterPercentile(0.1).percentile()).hasValue(0.1);
    assertThat(Hedge.afterPercentile(99.9).percentile()).hasValue(99.9);
  }

  @Test
  void maxExtra_outsideOneToTen_isNamed() {
    Hedge h = Hedge.after(Duration.ofMillis(1));
    assertThat(h.maxExtra(1).maxExtra()).isEqualTo(1);
    assertThat(h.maxExtra(10).maxExtra()).isEqualTo(10);
    assertThatThrownBy(() -> h.maxExtra(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxExtra must be between 1 and 10, was 0");
    assertThatThrownBy(() -> h.maxExtra(11))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxExtra must be between 1 and 10, was 11");
  }

  @Test
  void floorCapRefresh_mustBePositive() {
    Hedge h = Hedge.afterPercentile(90);
    assertThatThrownBy(() -> h.floor(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("floor must be positive, was PT0S");
    assertThatThrownBy(() -> h.cap(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cap must be positive, was PT-0.005S");
    assertThatThrownBy(() -> h.refresh(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("refresh must be positive, was PT0S");
    assertThatThrownBy(() -> h.refresh(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("refresh must not be null");
    assertThatThrownBy(() -> h.budget(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("budget must not be null");
  }

  @Test
  void floorAboveCap_namesBothValues() {
    Hedge h = Hedge.afterPercentile(90);
    assertThatThrownBy(() -> h.floor(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("floor must be <= cap, was floor 2.00 s and cap 1.00 s");
    assertThatThrownBy(() -> h.floor(Duration.ofMillis(50)).cap(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("floor must be <= cap, was floor 50.0 ms and cap 10.0 ms");
    Hedge equal = h.floor(Duration.ofMillis(10)).cap(Duration.ofMillis(10));
    assertThat(equal.floor()).isEqualTo(equal.cap());
  }

  @Test
  void floorCapRefresh_onAFixedDelay_sayTheyAreForAfterPercentile() {
    Hedge h = Hedge.after(Duration.ofMillis(20));
    assertThatThrownBy(() -> h.floor(Duration.ofMillis(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("floor is for Hedge.afterPercentile(..); this hedge waits a fixed 20.0 ms");
    assertThatThrownBy(() -> h.cap(Duration.ofMillis(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cap is for Hedge.afterPercentile(..)");
    assertThatThrownBy(() -> h.refresh(Duration.ofMillis(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("refresh is for Hedge.afterPercentile(..)");
  }

  @Test
  void delayFor_fixed_isTheDelayWhateverTheMetrics() {
    took(300);
    assertThat(Hedge.after(Duration.ofMillis(20)).delayFor(metrics))
        .isEqualTo(Duration.ofMillis(20));
  }

  @Test
  void delayFor_withoutLatencyYet_isTheCap() {
    Hedge h = Hedge.afterPercentile(95).cap(Duration.ofMillis(250));
    assertThat(h.delayFor(metrics)).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void delayFor_isTheMetricsLatencyAtThePercentile() {
    for (int i = 1; i <= 100; i++) {
      took(i);
    }
    Hedge h = Hedge.afterPercentile(90);
    assertThat(h.delayFor(metrics)).isEqualTo(metrics.latencyAt(90).orElseThrow());
    assertThat(h.delayFor(metrics)).isBetween(Duration.ofMillis(85), Duration.ofMillis(95));
  }

  @Test
  void delayFor_isClampedToTheFloorAndTheCap() {
    took(2);
    took(2);
    assertThat(Hedge.afterPercentile(50).floor(Duration.ofMillis(10)).delayFor(metrics))
        .isEqualTo(Duration.ofMillis(10));
    took(5_000);
    took(5_000);
    took(5_000);
    assertThat(Hedge.afterPercentile(90).delayFor(metrics)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Hedge.afterPercentile(90).cap(Duration.ofSeconds(10)).delayFor(metrics))
        .isEqualTo(metrics.latencyAt(90).orElseThrow());
  }

  @Test
  void delayFor_readsPastTheCallsALaterCopyWon() {
    for (int i = 1; i <= 100; i++) {
      took(i);
    }
    Hedge h = Hedge.afterPercentile(90);

    assertThat(h.delayFor(metrics, 0.05)).isEqualTo(metrics.latencyAt(95).orElseThrow());
    assertThat(h.delayFor(metrics, 0)).isEqualTo(h.delayFor(metrics));
    assertThat(h.delayFor(metrics, 1)).isEqualTo(metrics.latencyAt(100).orElseThrow());
    assertThat(Hedge.after(Duration.ofMillis(20)).delayFor(metrics, 0.5))
        .isEqualTo(Duration.ofMillis(20));
  }

  @Test
  void delayFor_refusesAShareOutsideZeroToOne() {
    Hedge h = Hedge.afterPercentile(95);

    assertThatThrownBy(() -> h.delayFor(metrics, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("laterWins must be between 0 and 1, was 1.5");
    assertThatThrownBy(() -> h.delayFor(metrics, Double.NaN))
        .hasMessage("laterWins must be between 0 and 1, was NaN");
    assertThatThrownBy(() -> h.delayFor(metrics, -0.1))
        .hasMessage("laterWins must be between 0 and 1, was -0.1");
  }
}
