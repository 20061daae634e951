package io.dyno.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.breaker.Rollout;
import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsRegistry;
import io.dyno.metrics.MetricsStatus;
import org.junit.jupiter.api.Test;

/**
 * The example of docs/breaker.md that shows a rollout's arms on the dashboard: application code
 * joins dyno-breaker's rollout to dyno-metrics' status, since neither module knows the other.
 */
class RolloutArmsExampleTest {

  @Test
  void armsReachTheMetricsStatus_asTheRolloutCountsThem_untilTheReportIsClosed() {
    MetricsRegistry registry = MetricsRegistry.create();
    Metrics checkoutPages = registry.metrics("checkout-page");
    Rollout newCheckout = Rollout.of("new-checkout", 50);
    // dyno-metrics knows no rollout: hand it the arms' counts, read at each snapshot
    Metrics.StatusReport arms =
        checkoutPages.reportStatus(
            () ->
                MetricsStatus.arms(
                    new MetricsStatus.Arms(
                        newCheckout.name(),
                        newCheckout.percent(),
                        newCheckout.admitted(),
                        newCheckout.refused(),
                        newCheckout.isTripped())));

    int admitted = 0;
    for (int i = 0; i < 100; i++) {
      if (newCheckout.admit("u-" + i)) {
        admitted++;
      }
    }
    newCheckout.percent(60);
    MetricsStatus.Arms now = checkoutPages.snapshot().status().arms();
    newCheckout.trip();
    MetricsStatus.Arms tripped = checkoutPages.snapshot().status().arms();
    arms.close();

    assertThat(now)
        .isEqualTo(new MetricsStatus.Arms("new-checkout", 60, admitted, 100 - admitted, false));
    assertThat(admitted).isBetween(35, 65);
    assertThat(tripped.tripped()).isTrue();
    assertThat(checkoutPages.snapshot().status()).isNull();
  }
}
