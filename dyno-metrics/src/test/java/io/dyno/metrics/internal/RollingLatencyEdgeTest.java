package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link RollingLatency} at the edges of its buckets, and its stripe count. */
class RollingLatencyEdgeTest {

  private static final List<Double> PERCENTILES = List.of(0.0, 50.0, 100.0);
  private static final long BUCKET = 1_000;

  @Test
  void aValueRecordedExactlyAtABucketsEnd_belongsToTheNextBucket() {
    RollingLatency latency = new RollingLatency(2 * BUCKET, 2, 0, 2);
    latency.record(BUCKET - 1, 10);
    latency.record(BUCKET, 20);

    // Two buckets later the first has left the window and the second is the oldest still in it.
    LatencySummary s = latency.summarize(2 * BUCKET, PERCENTILES);

    assertThat(s.count()).isEqualTo(1);
    assertThat(s.atPercentile(0)).isEqualTo(20);
    assertThat(latency.summarize(3 * BUCKET - 1, PERCENTILES).count()).isEqualTo(1);
    assertThat(latency.summarize(3 * BUCKET, PERCENTILES).count()).isZero();
  }

  @Test
  void aValueRecordedJustBeforeABucketsEnd_leavesWithThatBucket() {
    RollingLatency latency = new RollingLatency(2 * BUCKET, 2, 0, 2, true);
    latency.record(BUCKET - 1, 10);

    assertThat(latency.summarize(2 * BUCKET - 1, PERCENTILES).count()).isEqualTo(1);
    assertThat(latency.merge(2 * BUCKET - 1).getTotalCount()).isEqualTo(1);
    assertThat(latency.summarize(2 * BUCKET, PERCENTILES).count()).isZero();
    assertThat(latency.merge(2 * BUCKET).getTotalCount()).isZero();
  }

  @Test
  void aReadingSlightlyOlderThanTheNewestBucket_stillCountsIt() {
    // A racing thread may read the ticker before another files a value a bucket later.
    RollingLatency latency = new RollingLatency(3 * BUCKET, 3, 0, 2, true);
    latency.record(2 * BUCKET, 5);
    latency.record(4 * BUCKET + 10, 7);

    assertThat(latency.summarize(2 * BUCKET, PERCENTILES).count()).isEqualTo(2);
    assertThat(latency.merge(2 * BUCKET).getTotalCount()).isEqualTo(2);
  }

  @Test
  void aBucketAWholeWindowNewerThanTheReading_doesNotCount() {
    RollingLatency latency = new RollingLatency(3 * BUCKET, 3, 0, 2, true);
    latency.record(5 * BUCKET, 7);

    assertThat(latency.summarize(2 * BUCKET, PERCENTILES).count()).isZero();
    assertThat(latency.merge(2 * BUCKET).getTotalCount()).isZero();
    assertThat(latency.summarize(5 * BUCKET, PERCENTILES).count()).isEqualTo(1);
  }

  @Test
  void closedBuckets_areMergedWithTheLiveOne_andLeaveTheWindowOneByOne() {
    RollingLatency latency = new RollingLatency(3 * BUCKET, 3, 0, 2);
    latency.record(0, 100);
    latency.record(BUCKET, 200);
    latency.record(BUCKET + 1, 200);
    latency.record(2 * BUCKET, 300);

    LatencySummary all = latency.summarize(2 * BUCKET, PERCENTILES);
    assertThat(all.count()).isEqualTo(4);
    assertThat(all.mean()).isEqualTo(200.0);
    assertThat(all.atPercentile(0)).isEqualTo(100);
    assertThat(all.atPercentile(1)).isEqualTo(200);
    assertThat(all.atPercentile(2)).isEqualTo(300);

    LatencySummary later = latency.summarize(3 * BUCKET, PERCENTILES);
    assertThat(later.count()).isEqualTo(3);
    assertThat(later.atPercentile(0)).isEqualTo(200);
    assertThat(latency.summarize(4 * BUCKET, PERCENTILES).count()).isEqualTo(1);
    assertThat(latency.summarize(5 * BUCKET, PERCENTILES).count()).isZero();
  }

  @Test
  void aSummaryOfTheSameWindow_isReadAgainAfterTheWindowMoves() {
    RollingLatency latency = new RollingLatency(2 * BUCKET, 2, 0, 2);
    latency.record(0, 100);
    LatencySummary first = latency.summarize(1, PERCENTILES);

    LatencySummary nextBucket = latency.summarize(BUCKET, PERCENTILES);

    assertThat(nextBucket.count()).isEqualTo(1);
    assertThat(latency.summarize(2 * BUCKET, PERCENTILES).count()).isZero();
    assertThat(first.count()).isEqualTo(1);
  }

  @Test
  void manyDistinctValuesInOneBucket_areEachCounted() {
    RollingLatency latency = new RollingLatency(BUCKET, 1, 0, 1);
    for (int round = 0; round < 3; round++) {
      for (long v = 1; v <= 40; v++) {
        latency.record(round, v * 3 + round);
      }
      latency.summarize(round, PERCENTILES);
    }

    LatencySummary s = latency.summarize(5, PERCENTILES);

    assertThat(s.count()).isEqualTo(120);
    assertThat(s.atPercentile(0)).isEqualTo(3);
    assertThat(s.atPercentile(2)).isEqualTo(122);
    assertThat(s.mean()).isEqualTo(62.5);
  }

  @Test
  void aReusedBucket_forgetsTheValuesOfItsEarlierPeriod() {
    RollingLatency latency = new RollingLatency(3 * BUCKET, 3, 0, 2);
    latency.record(0, 100);
    latency.record(0, 200);
    latency.record(0, 300);
    assertThat(latency.summarize(0, PERCENTILES).count()).isEqualTo(3);
    // Period 3 reuses period 0's slot with fewer values; periods 4 and 5 hold the values it lost.
    latency.record(3 * BUCKET, 100);
    latency.record(4 * BUCKET, 200);
    latency.record(4 * BUCKET, 300);
    latency.record(5 * BUCKET, 50);

    LatencySummary s = latency.summarize(5 * BUCKET, PERCENTILES);

    assertThat(s.count()).isEqualTo(4);
    assertThat(s.mean()).isEqualTo(162.5);
    assertThat(s.atPercentile(0)).isEqualTo(50);
    assertThat(s.atPercentile(2)).isEqualTo(300);
  }

  @Test
  void merge_leavesTheWindowFreeForAReaderOnAnotherThread() throws Exception {
    RollingLatency latency = new RollingLatency(2 * BUCKET, 2, 0, 2, true);
    latency.record(0, 100);
    assertThat(latency.merge(1).getTotalCount()).isEqualTo(1);

    long count =
        CompletableFuture.supplyAsync(() -> latency.summarize(2, PERCENTILES).count())
            .get(10, TimeUnit.SECONDS);

    assertThat(count).isEqualTo(1);
  }

  @Test
  void defaultStripes_isThePowerOfTwoAtOrAboveTwiceTheProcessors_atMostSixteen() {
    int target = Math.min(16, 2 * Runtime.getRuntime().availableProcessors());
    int expected = 2;
    while (expected < target) {
      expected *= 2;
    }

    assertThat(RollingLatency.defaultStripes()).isEqualTo(expected);
  }
}
