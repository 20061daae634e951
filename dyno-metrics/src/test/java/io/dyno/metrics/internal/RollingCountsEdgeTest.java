package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link RollingCounts} at the edges of its buckets, with readings that arrive late, and the peak
 * of calls in flight.
 */
class RollingCountsEdgeTest {

  private static final long BUCKET = 1_000;

  @Test
  void anEventExactlyAtABucketsEnd_countsInTheNextBucket() {
    RollingCounts counts = new RollingCounts(2 * BUCKET, 2, 0);
    counts.rejection(0);
    counts.rejection(BUCKET - 1);
    counts.rejection(BUCKET);

    assertThat(counts.sum(BUCKET).rejections()).isEqualTo(3);
    assertThat(counts.sum(2 * BUCKET - 1).rejections()).isEqualTo(3);
    assertThat(counts.sum(2 * BUCKET).rejections()).isEqualTo(1);
    assertThat(counts.sum(3 * BUCKET).rejections()).isZero();
  }

  @Test
  void anEventBucketsLaterThanTheNewest_countsInItsOwnBucket() {
    RollingCounts counts = new RollingCounts(2 * BUCKET, 2, 0);
    counts.shortCircuit(0);
    counts.shortCircuit(5 * BUCKET + 10);

    assertThat(counts.sum(5 * BUCKET).shortCircuits()).isEqualTo(1);
    assertThat(counts.sum(6 * BUCKET).shortCircuits()).isEqualTo(1);
    assertThat(counts.sum(7 * BUCKET).shortCircuits()).isZero();
  }

  @Test
  void aLateEvent_afterANewerBucket_countsInTheBucketOfItsOwnReading() {
    RollingCounts counts = new RollingCounts(2 * BUCKET, 2, 0);
    counts.rejection(BUCKET + 500);
    counts.rejection(500);

    assertThat(counts.sum(BUCKET).rejections()).isEqualTo(2);
    // Period 0 has left the window; period 1 has not.
    assertThat(counts.sum(2 * BUCKET).rejections()).isEqualTo(1);
  }

  @Test
  void anEventReadBeforeTheOrigin_countsInThePeriodBeforeIt() {
    long origin = 10 * BUCKET;
    RollingCounts counts = new RollingCounts(3 * BUCKET, 3, origin);
    counts.rejection(origin + BUCKET + BUCKET / 2);
    counts.rejection(origin - BUCKET / 2);

    assertThat(counts.sum(origin + BUCKET).rejections()).isEqualTo(2);
    // The period before the origin has left a window read in period 2; period 1 has not.
    assertThat(counts.sum(origin + 2 * BUCKET).rejections()).isEqualTo(1);
  }

  @Test
  void aBucketAWholeWindowNewerThanTheReading_doesNotCount() {
    RollingCounts counts = new RollingCounts(3 * BUCKET, 3, 0);
    counts.rejection(5 * BUCKET);

    assertThat(counts.sum(2 * BUCKET).rejections()).isZero();
    assertThat(counts.sum(3 * BUCKET).rejections()).isEqualTo(1);
    assertThat(counts.sum(5 * BUCKET).rejections()).isEqualTo(1);
  }

  @Test
  void thePeak_isNotLowered_whenCallsEnterAgainAtALowerLevel() {
    RollingCounts counts = new RollingCounts(2 * BUCKET, 2, 0);
    counts.enter(0);
    counts.enter(0);
    counts.enter(0);
    counts.success(1);
    counts.success(1);

    counts.enter(2);

    RollingCounts.Counts sum = counts.sum(3);
    assertThat(sum.inFlight()).isEqualTo(2);
    assertThat(sum.maxInFlight()).isEqualTo(3);
    assertThat(sum.successes()).isEqualTo(2);
  }
}
