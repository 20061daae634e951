package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.internal.hdr.Histogram;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RollingLatency} when readings arrive late (a value or a reading whose ticker was read
 * before the window last rolled), and when a bucket's sum of latencies passes 2^53 ns.
 */
class RollingLatencyBoundaryTest {

  private static final List<Double> PERCENTILES = List.of(0.0, 50.0, 100.0);
  private static final long BUCKET = 1_000;
  private static final long MAX = RollingLatency.MAX_NANOS;

  /** More values of an hour than doubles add exactly: 2,600 h is past 2^53 ns. */
  private static final int PAST_EXACT = 2_600;

  @Test
  void aValueRecordedWithALateReading_afterASummaryRolledTheWindow_isFiledInTheLiveBucket() {
    RollingLatency latency = new RollingLatency(2 * BUCKET, 2, 0, 2);
    assertThat(latency.summarize(5 * BUCKET, PERCENTILES).count()).isZero();

    latency.record(0, 100);

    LatencySummary s = latency.summarize(5 * BUCKET, PERCENTILES);
    assertThat(s.count()).isEqualTo(1);
    assertThat(s.atPercentile(1)).isEqualTo(100);
    assertThat(latency.summarize(6 * BUCKET, PERCENTILES).count()).isEqualTo(1);
    assertThat(latency.summarize(7 * BUCKET, PERCENTILES).count()).isZero();
  }

  @Test
  void aValueRecordedWithALateReading_afterAMergeRolledTheWindow_isFiledInTheLiveBucket() {
    RollingLatency latency = new RollingLatency(2 * BUCKET, 2, 0, 2, true);
    assertThat(latency.merge(5 * BUCKET).getTotalCount()).isZero();

    latency.record(0, 100);

    assertThat(latency.merge(5 * BUCKET).getTotalCount()).isEqualTo(1);
    assertThat(latency.merge(6 * BUCKET).getTotalCount()).isEqualTo(1);
    assertThat(latency.merge(7 * BUCKET).getTotalCount()).isZero();
  }

  @Test
  void aLateReading_doesNotMoveTheLiveBucketBack() {
    RollingLatency latency = new RollingLatency(2 * BUCKET, 2, 0, 2);
    latency.record(5 * BUCKET, 100);
    assertThat(latency.summarize(4 * BUCKET, PERCENTILES).count()).isEqualTo(1);

    // Still in the live bucket, of period 5, though read in period 4.
    latency.record(4 * BUCKET + 1, 200);

    LatencySummary s = latency.summarize(6 * BUCKET, PERCENTILES);
    assertThat(s.count()).isEqualTo(2);
    assertThat(s.atPercentile(2)).isEqualTo(200);
    assertThat(latency.summarize(7 * BUCKET, PERCENTILES).count()).isZero();
  }

  @Test
  void aReadingOfAnEarlierPeriod_afterTheWindowRolled_countsTheBucketThatClosed() {
    RollingLatency latency = new RollingLatency(2 * BUCKET, 2, 0, 2);
    latency.record(0, 100);
    assertThat(latency.summarize(0, PERCENTILES).count()).isEqualTo(1);
    latency.record(BUCKET, 200);

    // Period 0's bucket is now closed, and period 1's live one is a bucket newer than the reading.
    LatencySummary s = latency.summarize(0, PERCENTILES);

    assertThat(s.count()).isEqualTo(2);
    assertThat(s.atPercentile(0)).isEqualTo(100);
    assertThat(s.atPercentile(2)).isEqualTo(200);
    assertThat(s.mean()).isEqualTo(150.0);
  }

  @Test
  void readingsOfEarlierPeriods_countOnlyTheClosedBucketsInTheirWindow() {
    RollingLatency latency = new RollingLatency(3 * BUCKET, 3, 0, 2);
    latency.record(3 * BUCKET, 300);
    latency.record(4 * BUCKET, 400);
    latency.record(5 * BUCKET, 500);
    assertThat(latency.summarize(5 * BUCKET, PERCENTILES).count()).isEqualTo(3);

    // Read in period 1, only period 3 is less than a window newer than the reading.
    LatencySummary early = latency.summarize(BUCKET, PERCENTILES);

    assertThat(early.count()).isEqualTo(1);
    assertThat(early.atPercentile(0)).isEqualTo(300);
    assertThat(early.atPercentile(2)).isEqualTo(300);
    assertThat(latency.summarize(2 * BUCKET, PERCENTILES).count()).isEqualTo(2);
    assertThat(latency.summarize(5 * BUCKET, PERCENTILES).count()).isEqualTo(3);
  }

  @Test
  void aLatencyOfZero_orBelow_countsAsZero() {
    RollingLatency latency = new RollingLatency(BUCKET, 1, 0, 1, true);
    latency.record(0, 0);
    latency.record(0, -5);

    LatencySummary s = latency.summarize(1, PERCENTILES);

    assertThat(s.count()).isEqualTo(2);
    assertThat(s.mean()).isZero();
    assertThat(s.atPercentile(0)).isZero();
    assertThat(s.atPercentile(2)).isZero();
    assertThat(latency.merge(1).getMaxValue()).isZero();
  }

  @Test
  void aBucketPastTwoToThe53_thatGetsMoreValues_keepsHdrHistogramsMean() {
    RollingLatency latency = new RollingLatency(BUCKET, 1, 0, 1, true);
    for (int i = 0; i < PAST_EXACT; i++) {
      latency.record(0, MAX);
    }
    assertAgrees(latency, 1);

    latency.record(2, 5);

    assertAgrees(latency, 3);
    assertThat(latency.summarize(3, PERCENTILES).atPercentile(0)).isEqualTo(5);
  }

  @Test
  void aClosedBucketPastTwoToThe53_afterOneOfExactSum_keepsHdrHistogramsMean() {
    RollingLatency latency = new RollingLatency(3 * BUCKET, 3, 0, 1, true);
    latency.record(0, 100);
    for (int i = 0; i < PAST_EXACT; i++) {
      latency.record(BUCKET, MAX);
    }
    latency.record(2 * BUCKET, 200);

    assertAgrees(latency, 2 * BUCKET);
  }

  @Test
  void aClosedBucketOfExactSum_afterOnePastTwoToThe53_keepsHdrHistogramsMean() {
    RollingLatency latency = new RollingLatency(3 * BUCKET, 3, 0, 1, true);
    for (int i = 0; i < PAST_EXACT; i++) {
      latency.record(0, MAX);
    }
    latency.record(BUCKET, 100);
    latency.record(2 * BUCKET, 200);

    assertAgrees(latency, 2 * BUCKET);
  }

  private static void assertAgrees(RollingLatency latency, long now) {
    LatencySummary s = latency.summarize(now, PERCENTILES);
    Histogram reference = latency.merge(now);
    assertThat(s.count()).isEqualTo(reference.getTotalCount());
    assertThat(s.mean()).isEqualTo(reference.getMean());
    assertThat(s.atPercentile(0)).isEqualTo(reference.getMinValue());
    assertThat(s.atPercentile(1)).isEqualTo(reference.getValueAtPercentile(50.0));
    assertThat(s.atPercentile(2)).isEqualTo(reference.getMaxValue());
  }
}
