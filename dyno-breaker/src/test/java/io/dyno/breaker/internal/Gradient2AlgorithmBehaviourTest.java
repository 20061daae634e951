package io.dyno.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Gradient2Algorithm}, one sample at a time: when it probes for the no-load latency and what
 * limit it publishes meanwhile, how it reads the probe's measurement, how often the limit moves
 * while there is a queue, and how the long average recovers after a spell of high latency.
 */
class Gradient2AlgorithmBehaviourTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  /** The algorithm with its current limit, fed one sample at a time. */
  private static final class Feed {
    final Gradient2Algorithm algorithm;
    int limit;

    Feed(Gradient2Algorithm algorithm) {
      this.algorithm = algorithm;
      this.limit = algorithm.initialLimit();
    }

    int success(long rtt, int inflight) {
      limit = algorithm.update(rtt, inflight, false, limit);
      return limit;
    }

    int drop(int inflight) {
      limit = algorithm.update(1, inflight, true, limit);
      return limit;
    }

    /** Feeds {@code n} successes and checks that each one leaves the limit at {@code expected}. */
    void successes(int n, long rtt, int inflight, int expected) {
      for (int i = 0; i < n; i++) {
        assertThat(success(rtt, inflight)).as("sample %d of %d", i + 1, n).isEqualTo(expected);
      }
    }
  }

  /**
   * Limit 20 (1 to 100), no queue allowance, a tolerance of 3 so that 20 ms against a no-load
   * latency of 10 ms does not lower the limit, and a long window of 5: a probe is due after 10
   * samples.
   */
  private static Feed probing(int minLimit) {
    return new Feed(new Gradient2Algorithm(20, minLimit, 100, 0, 0.5, 3.0, 5));
  }

  /** One call at 10 ms, then nine at 20 ms: the tenth sample starts a probe at half the limit. */
  private static void untilTheFirstProbe(Feed feed) {
    feed.successes(1, 10 * MS, 20, 20);
    feed.successes(8, 20 * MS, 20, 20);
    assertThat(feed.success(20 * MS, 20)).as("the probe's limit").isEqualTo(10);
  }

  /** Drains to the probe's limit, lets one round pass, and measures one round at {@code rtt}. */
  private static int measure(Feed feed, int probeLimit, long rtt) {
    feed.successes(1, 30 * MS, probeLimit, probeLimit);
    feed.successes(probeLimit, 30 * MS, probeLimit, probeLimit);
    feed.successes(probeLimit - 1, rtt, probeLimit, probeLimit);
    return feed.success(rtt, probeLimit);
  }

  // ---------------------------------------------------------------- when a probe starts and ends

  @Test
  void aProbeStartsAfterTwoLongWindows_atHalfTheLimit_andGivesUpAfterItsBudget() {
    Feed feed = probing(1);
    untilTheFirstProbe(feed);

    // The calls in flight never fall to 10: the limit stays at 10 for 4 * (20 + 2 * 10) samples.
    feed.successes(160, 20 * MS, 30, 10);
    assertThat(feed.success(20 * MS, 30)).as("given up").isEqualTo(20);

    // The no-load latency is still 10 ms: two long windows later it probes again.
    feed.successes(9, 20 * MS, 20, 20);
    assertThat(feed.success(20 * MS, 20)).isEqualTo(10);
  }

  @Test
  void aLongAverageExactlyTenPercentAboveTheNoLoadLatency_doesNotProbe_oneAboveDoes() {
    Feed feed = probing(1);
    feed.successes(1, 10 * MS, 20, 20);
    feed.successes(8, 11 * MS, 20, 20);
    // The long average of the ten samples is 11 ms exactly: 10 % above the no-load latency.
    assertThat(feed.success(12 * MS, 20)).isEqualTo(20);

    assertThat(feed.success(20 * MS, 20)).isEqualTo(10);
  }

  @Test
  void aDropDuringAProbe_lowersTheLimitThatFollowsIt_whileTheProbeHoldsItsOwn() {
    Feed feed = probing(1);
    untilTheFirstProbe(feed);

    assertThat(feed.drop(30)).as("still probing").isEqualTo(10);
    // The drop did not count as a probe sample: 160 samples of budget remain.
    feed.successes(160, 20 * MS, 30, 10);
    // Halved by the drop, smoothed by half: 20 * 0.5 + 10 * 0.5.
    assertThat(feed.success(20 * MS, 30)).isEqualTo(15);
  }

  // ---------------------------------------------------------------- reading the measurement

  @Test
  void aLatencyThatFallsWithTheLimit_wasQueueing_andIsMeasuredAgainAtHalf_untilItHolds() {
    Feed feed = probing(1);
    untilTheFirstProbe(feed);

    // 20 ms at 10 calls: above the no-load latency of 10 ms, so measure again at 5.
    assertThat(measure(feed, 10, 20 * MS)).isEqualTo(5);
    // 15 ms at 5 calls: fell by more than 10 %, so measure again at 2.
    assertThat(measure(feed, 5, 15 * MS)).isEqualTo(2);
    // 14 ms at 2 calls: held, so it is the service's own latency; back to the limit.
    assertThat(measure(feed, 2, 14 * MS)).isEqualTo(20);

    // With a no-load latency of 14 ms, 15 ms is no reason to probe.
    feed.successes(30, 15 * MS, 20, 20);
  }

  @Test
  void aLatencyThatFallsByNoMoreThanTenPercentAtHalfTheLimit_hasHeld() {
    Feed feed = probing(1);
    untilTheFirstProbe(feed);

    assertThat(measure(feed, 10, 20 * MS)).isEqualTo(5);
    // 18 ms at 5 calls: exactly 10 % below 20 ms, so it held.
    assertThat(measure(feed, 5, 18 * MS)).isEqualTo(20);
  }

  @Test
  void aMeasurementAtTheLowestLimit_isTheServicesOwnLatency() {
    Feed feed = probing(10);
    untilTheFirstProbe(feed);

    assertThat(measure(feed, 10, 20 * MS)).isEqualTo(20);
    // The service got slower for good: 20 ms is its no-load latency now, nothing to probe.
    feed.successes(30, 20 * MS, 20, 20);
  }

  @Test
  void aMeasurementWithinTenPercentOfTheNoLoadLatency_isTakenAsIt() {
    Feed feed = probing(1);
    untilTheFirstProbe(feed);

    assertThat(measure(feed, 10, 11 * MS)).isEqualTo(20);
  }

  @Test
  void afterAProbeThatGaveUp_theNextProbeStartsAfresh() {
    Feed feed = probing(1);
    untilTheFirstProbe(feed);
    assertThat(measure(feed, 10, 20 * MS)).isEqualTo(5);
    // The calls in flight never fall to 5: given up after 4 * (10 + 2 * 5) samples.
    feed.successes(80, 20 * MS, 30, 5);
    assertThat(feed.success(20 * MS, 30)).isEqualTo(20);

    feed.successes(9, 20 * MS, 20, 20);
    assertThat(feed.success(20 * MS, 20)).isEqualTo(10);
    // 19 ms is within 10 % of the 20 ms the probe that gave up began with, but this probe is a new
    // one: above the no-load latency, so measure again at half.
    assertThat(measure(feed, 10, 19 * MS)).isEqualTo(5);
  }

  // ---------------------------------------------------------------- how often the limit moves

  @Test
  void belowHalfTheLimitInFlight_theLimitHolds_atHalfItGrows() {
    Feed feed = new Feed(new Gradient2Algorithm(20, 1, 100, 4, 1.0, 1.5, 100));

    assertThat(feed.success(10 * MS, 9)).isEqualTo(20);
    assertThat(feed.success(10 * MS, 10)).isEqualTo(24);
  }

  @Test
  void whileThereIsAQueue_theLimitFallsOnlyEveryQuarterOfItsSamplesThatCallForAFall() {
    Feed feed = new Feed(new Gradient2Algorithm(20, 1, 100, 0, 1.0, 1.0, 100));
    feed.successes(1, 10 * MS, 20, 20);
    // A fall is called for: the first of five.
    feed.successes(1, 20 * MS, 20, 20);
    // Samples that call for no fall do not count towards it.
    feed.successes(3, 10 * MS, 20, 20);

    feed.successes(3, 20 * MS, 20, 20);
    // The fifth: the no-load latency over the sample's, 10 / 20.
    assertThat(feed.success(20 * MS, 20)).isEqualTo(10);
  }

  @Test
  void whileThereIsAQueue_theLimitGrowsOnlyEveryQuarterOfItsSamples() {
    Feed feed = new Feed(new Gradient2Algorithm(20, 1, 100, 4, 1.0, 1.0, 100));
    // No queue yet: it grows on every sample.
    assertThat(feed.success(10 * MS, 20)).isEqualTo(24);
    // A call that calls for a fall, not yet due, leaves the long average above the no-load one.
    assertThat(feed.success(20 * MS, 20)).isEqualTo(24);

    feed.successes(5, 10 * MS, 24, 24);
    assertThat(feed.success(10 * MS, 24)).as("the sixth, a quarter of 24").isEqualTo(28);
  }

  // ---------------------------------------------------------------- the long average

  @Test
  void afterALongSpellOfHighLatency_theLongAverageFollowsAFallQuickly() {
    Feed feed = new Feed(new Gradient2Algorithm(4, 1, 4, 0, 1.0, 1.0, 19));
    feed.successes(10, 100 * MS, 4, 4);
    feed.successes(10, 10 * MS, 4, 4);

    // The long average was pulled down to 26 ms: a call at 40 ms takes the limit to 4 * 26 / 40.
    // Left to the smoothing alone it would still be at 40 ms, and the limit would hold.
    assertThat(feed.success(40 * MS, 4)).isEqualTo(2);
  }

  @Test
  void theNoLoadLatency_isTheLowestLongAverage_notTheFirst() {
    Feed feed = new Feed(new Gradient2Algorithm(4, 1, 4, 0, 1.0, 1.0, 9));
    feed.successes(1, 20 * MS, 4, 4);
    // The long average falls to 11 ms, the mean of the ten samples.
    feed.successes(9, 10 * MS, 4, 4);

    // The long average rises to 11.8 ms; the limit falls by the lowest one: 4 * 11 / 15 is 2.93.
    assertThat(feed.success(15 * MS, 4)).isEqualTo(2);
  }

  @Test
  void aLongAverageExactlyTwiceTheSample_isLeftAsItIs() {
    Feed feed = new Feed(new Gradient2Algorithm(4, 1, 4, 0, 1.0, 1.0, 9));
    feed.successes(1, 30 * MS, 4, 4);
    // The long average is 20 ms, twice the sample: it is not pulled down, so it is the no-load
    // latency.
    feed.successes(1, 10 * MS, 4, 4);

    // 4 * 20 / 26 is 3.08; from a long average pulled down to 19 ms it would be 2.92.
    assertThat(feed.success(26 * MS, 4)).isEqualTo(3);
  }
}
