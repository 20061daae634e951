package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.Race;
import io.dyno.testing.ThreadKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Threads that record at once into a window's stripe, or a stripe's page, that does not exist yet:
 * the stripe and the page are created once, and no value goes into a copy that lost the race.
 */
class StripeHistogramRaceTest {

  private static final int THREADS = 2;
  private static final int ROUNDS = 300;

  @Test
  void threadsRecordingTheirFirstValuesAtOnce_intoOneStripe_loseNone() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      // One stripe, so that every thread needs the same stripe and the same page first.
      RollingLatency latency = new RollingLatency(1_000, 1, 0, 1);
      Race.run(
          ThreadKind.PLATFORM,
          THREADS,
          t -> {
            latency.record(0, 1_000_000);
            return null;
          });

      assertThat(latency.summarize(1, List.of(50.0)).count())
          .as("round %d", round)
          .isEqualTo(THREADS);
    }
  }

  @Test
  void threadsRecordingAtOnce_intoAPageNotYetCreated_loseNone() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      StripeHistogram stripe = new StripeHistogram();
      Race.run(
          ThreadKind.PLATFORM,
          THREADS,
          t -> {
            stripe.record(1_000_000);
            return null;
          });

      assertThat(stripe.drainTo((value, count) -> {})).as("round %d", round).isEqualTo(THREADS);
      assertThat(stripe.pagesAllocated()).isEqualTo(1);
    }
  }
}
