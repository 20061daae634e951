package io.dyno.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@link VegasAlgorithm}, sample by sample: the estimated queue, limit × (1 − no-load latency /
 * short average), picks the move once a round of calls; alpha, beta and threshold follow the
 * limit's logarithm unless set; a probe cuts the limit to half, measures the no-load latency and
 * gives up after its budget; smoothing blends each move with the limit before.
 */
class VegasAlgorithmBehaviourTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final int BY_LIMIT = VegasAlgorithm.BY_LIMIT;

  /** A Vegas at {@code initialLimit} that does not probe within a test's samples. */
  private static VegasAlgorithm vegas(int initialLimit, int alpha, int beta, int threshold) {
    return new VegasAlgorithm(
        initialLimit, 1000, 1.0, alpha, beta, threshold, 1_000_000, () -> 0.5);
  }

  private static VegasAlgorithm vegas(int initialLimit) {
    return vegas(initialLimit, BY_LIMIT, BY_LIMIT, BY_LIMIT);
  }

  /** Draws {@code first}, then 0.99 ever after. */
  private static DoubleSupplier drawing(double first) {
    boolean[] drawn = {false};
    return () -> {
      if (drawn[0]) {
        return 0.99;
      }
      drawn[0] = true;
      return first;
    };
  }

  /** Feeds {@code n} successes of {@code rtt} with {@code inflight} calls; returns each limit. */
  private static List<Integer> feed(VegasAlgorithm vegas, int n, long rtt, int inflight) {
    List<Integer> limits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      limits.add(vegas.update(rtt, inflight, false, 0));
    }
    return limits;
  }

  private static List<Integer> times(int n, int limit) {
    return Collections.nCopies(n, limit);
  }

  private static List<Integer> then(List<Integer> before, int last) {
    List<Integer> all = new ArrayList<>(before);
    all.add(last);
    return all;
  }

  /**
   * The latency at which the estimated queue at {@code limit} over a 10 ms no-load is {@code q}.
   */
  private static long queueOf(int limit, int q) {
    return Math.round(10 * MS / (1 - (q - 0.5) / limit));
  }

  /**
   * Sets the no-load latency to 10 ms, then settles the short average at {@code rtt} with one call
   * in flight (which moves nothing), and returns the limits of the next round, the whole limit in
   * flight.
   */
  private static List<Integer> roundAt(VegasAlgorithm vegas, int limit, long rtt) {
    assertThat(feed(vegas, 1, 10 * MS, 1)).containsExactly(limit);
    assertThat(feed(vegas, 5000, rtt, 1)).containsOnly(limit);
    return feed(vegas, limit, rtt, limit);
  }

  // ---------------------------------------------------------------- the round

  @Test
  void theLimit_movesOnlyAtTheEndOfARound_ofTheLimitsWorthOfSamples() {
    VegasAlgorithm vegas = vegas(10);

    assertThat(feed(vegas, 1, 10 * MS, 10)).containsExactly(10); // the no-load latency
    // No queue: a round later the limit grows by beta, 6 times log10(10).
    assertThat(feed(vegas, 10, 10 * MS, 10)).isEqualTo(then(times(9, 10), 16));
    assertThat(feed(vegas, 16, 10 * MS, 10)).isEqualTo(then(times(15, 16), 22));
  }

  @Test
  void onlyAnApplicationUsingAtLeastHalfItsLimit_movesIt() {
    VegasAlgorithm half = vegas(10);
    VegasAlgorithm less = vegas(10);

    assertThat(roundAt(half, 10, 10 * MS)).isEqualTo(then(times(9, 10), 16));
    feed(less, 1, 10 * MS, 1);
    assertThat(feed(less, 30, 10 * MS, 4)).containsOnly(10);
    assertThat(feed(half, 16, 10 * MS, 8)).isEqualTo(then(times(15, 16), 22));
  }

  // ---------------------------------------------------------------- the queue's classes

  @Test
  void atTen_aQueueUpToTheThresholdGrowsByBeta_belowAlphaByOne_aboveBetaShrinksByOne() {
    // log10(10) = 1: threshold 1, alpha 3, beta 6.
    assertThat(roundAt(vegas(10), 10, queueOf(10, 1))).endsWith(16);
    assertThat(roundAt(vegas(10), 10, queueOf(10, 2))).endsWith(11);
    assertThat(roundAt(vegas(10), 10, queueOf(10, 3))).containsOnly(10);
    assertThat(roundAt(vegas(10), 10, queueOf(10, 6))).containsOnly(10);
    assertThat(roundAt(vegas(10), 10, queueOf(10, 7))).endsWith(9);
  }

  @Test
  void atAHundred_theDefaultsFollowTheLimitsLogarithm() {
    // log10(100) = 2: threshold 2, alpha 6, beta 12; the limit moves by 12 or by 2.
    assertThat(roundAt(vegas(100), 100, 10 * MS)).endsWith(112);
    assertThat(roundAt(vegas(100), 100, queueOf(100, 2))).endsWith(112);
    assertThat(roundAt(vegas(100), 100, queueOf(100, 4))).endsWith(102);
    assertThat(roundAt(vegas(100), 100, queueOf(100, 8))).containsOnly(100);
    assertThat(roundAt(vegas(100), 100, queueOf(100, 12))).containsOnly(100);
    assertThat(roundAt(vegas(100), 100, queueOf(100, 13))).endsWith(98);
  }

  @Test
  void alphaBetaAndThreshold_whenSet_replaceTheLogarithmsDefaults() {
    // alpha 10, beta 20, threshold 5 at a limit of 100.
    assertThat(roundAt(vegas(100, 10, 20, 5), 100, queueOf(100, 5))).endsWith(120);
    assertThat(roundAt(vegas(100, 10, 20, 5), 100, queueOf(100, 8))).endsWith(102);
    assertThat(roundAt(vegas(100, 10, 20, 5), 100, queueOf(100, 15))).containsOnly(100);
    assertThat(roundAt(vegas(100, 10, 20, 5), 100, queueOf(100, 21))).endsWith(98);
  }

  // ---------------------------------------------------------------- latencies

  @Test
  void aLowerLatency_becomesTheNoLoadLatency_andLaterQueuesAreJudgedAgainstIt() {
    VegasAlgorithm vegas = vegas(10);

    assertThat(feed(vegas, 1, 20 * MS, 1)).containsExactly(10);
    assertThat(feed(vegas, 5000, 10 * MS, 1)).containsOnly(10);
    // 15 ms over a no-load 10 ms is a queue of 4 at 10: between alpha and beta, the limit holds.
    assertThat(feed(vegas, 30, 15 * MS, 10)).containsOnly(10);
  }

  @Test
  void theQueue_isJudgedOnAnAverageOverAboutARound() {
    VegasAlgorithm vegas = vegas(2);

    // After 10 ms, two samples of 30 ms average about 27.8 ms: a queue of 2 at 2, below alpha.
    assertThat(feed(vegas, 1, 10 * MS, 2)).containsExactly(2);
    assertThat(feed(vegas, 2, 30 * MS, 2)).containsExactly(2, 3);
  }

  @Test
  void smoothing_blendsEachMove_withTheLimitBefore() {
    VegasAlgorithm vegas =
        new VegasAlgorithm(10, 1000, 0.5, BY_LIMIT, BY_LIMIT, BY_LIMIT, 1_000_000, () -> 0.5);

    // A drop aims at 10 - 1 = 9; half of it: 9.5.
    assertThat(vegas.update(0, 10, true, 10)).isEqualTo(9);
    // Then 9.5 - 1 = 8.5, blended to 9.0.
    assertThat(vegas.update(0, 10, true, 9)).isEqualTo(9);
    assertThat(vegas.update(0, 10, true, 9)).isEqualTo(8);
  }

  // ---------------------------------------------------------------- probes

  @Test
  void aProbe_startsAfterJitterTimesMultiplierTimesTheLimitSamples_atHalfTheLimit() {
    // 0.5 x 2 x 10 = 10 samples.
    VegasAlgorithm vegas =
        new VegasAlgorithm(10, 1000, 1.0, BY_LIMIT, BY_LIMIT, BY_LIMIT, 2, drawing(0.5));

    assertThat(feed(vegas, 10, 10 * MS, 1)).isEqualTo(then(times(9, 10), 5));
  }

  @Test
  void aProbe_measuresTheNoLoadLatency_afterTheQueueDrainedAndARoundPassed() {
    VegasAlgorithm vegas =
        new VegasAlgorithm(10, 1000, 1.0, BY_LIMIT, BY_LIMIT, BY_LIMIT, 2, drawing(0.5));
    feed(vegas, 10, 10 * MS, 1);

    assertThat(feed(vegas, 3, 20 * MS, 10)).containsOnly(5); // the queue drains
    assertThat(feed(vegas, 1, 20 * MS, 5)).containsOnly(5); // drained
    assertThat(feed(vegas, 5, 20 * MS, 5)).containsOnly(5); // the calls sent before the cut
    // The mean of the round after is the no-load latency, and the limit comes back.
    assertThat(feed(vegas, 5, 20 * MS, 5)).isEqualTo(then(times(4, 5), 10));
    // 20 ms is now no queue: a round later the limit grows by beta.
    assertThat(feed(vegas, 10, 20 * MS, 10)).isEqualTo(then(times(9, 10), 16));
  }

  @Test
  void aProbeThatNeverDrains_givesUpAfterItsBudget_keepingTheNoLoadLatencyItHad() {
    VegasAlgorithm vegas =
        new VegasAlgorithm(10, 1000, 1.0, BY_LIMIT, BY_LIMIT, BY_LIMIT, 2, drawing(0.5));
    feed(vegas, 10, 10 * MS, 1);

    // A budget of 4 x (10 + 2 x 5) = 80 samples.
    assertThat(feed(vegas, 80, 10 * MS, 10)).containsOnly(5);
    assertThat(feed(vegas, 1, 10 * MS, 10)).containsExactly(10);
    // 15 ms is still a queue of 3 to 4 over the 10 ms from before: the limit holds.
    assertThat(feed(vegas, 15, 15 * MS, 10)).containsOnly(10);
  }
}
