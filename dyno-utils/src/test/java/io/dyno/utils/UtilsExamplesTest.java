package io.dyno.utils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/utils.md and of the javadoc, compiled and checked. Each snippet in the guide
 * appears here line for line, which dyno-examples' documentation test verifies.
 */
class UtilsExamplesTest {

  @Test
  void basicStatistics() {
    double[] latencies = {12, 15, 11, 40, 13};
    double mean = Stats.mean(latencies); // 18.2
    double sd = Stats.stddev(latencies); // 12.28 (sample, n - 1)
    double median = Stats.median(latencies); // 13.0
    double p90 = Stats.percentile(latencies, 90); // 30.0, interpolated as numpy does

    assertThat(mean).isCloseTo(18.2, within(1e-12));
    assertThat(sd).isCloseTo(12.2760, within(1e-4));
    assertThat(median).isEqualTo(13.0);
    assertThat(p90).isCloseTo(30.0, within(1e-12));
    assertThat(latencies).as("never reordered").containsExactly(12, 15, 11, 40, 13);
  }

  @Test
  void percentileMethods() {
    double[] latencies = {12, 15, 11, 40, 13};
    double linear = Stats.percentile(latencies, 90); // 30.0
    double rank = Stats.percentile(latencies, 90, Percentile.NEAREST_RANK); // 40.0
    double lower = Stats.percentile(latencies, 90, Percentile.LOWER); // 15.0

    assertThat(linear).isCloseTo(30.0, within(1e-12));
    assertThat(rank).isEqualTo(40.0);
    assertThat(lower).isEqualTo(15.0);
  }

  @Test
  void otherInputTypes() {
    long[] nanos = {1_200_000, 950_000, 3_400_000};
    List<Integer> sizes = List.of(512, 2048, 1024, 4096);
    long slowest = Stats.max(nanos); // 3400000, exact for long
    double typical = Stats.median(sizes); // 1536.0

    assertThat(slowest).isEqualTo(3_400_000L);
    assertThat(typical).isEqualTo(1536.0);
  }

  @Test
  void summary() {
    double[] latencies = {12, 15, 11, 40, 13};
    Summary s = Stats.summarize(latencies);
    System.out.printf(
        "n=%d mean=%.1f p50=%.1f p99=%.1f max=%.1f%n",
        s.count(), s.mean(), s.p50(), s.p99(), s.max());
    // n=5 mean=18.2 p50=13.0 p99=39.0 max=40.0

    assertThat(s.count()).isEqualTo(5);
    assertThat(s.p99()).isCloseTo(39.0, within(1e-12));
  }

  @Test
  void runningStats() {
    RunningStats latency = RunningStats.create(); // thread-safe, keeps no values
    latency.add(12.0);
    latency.add(15.0);
    double mean = latency.mean(); // 13.5

    RunningStats other = RunningStats.create();
    other.add(30.0);
    latency.merge(other); // as if 30.0 had been added here
    RunningStats.Snapshot s = latency.snapshot(); // count 3, mean 19.0, consistent at one moment

    assertThat(mean).isEqualTo(13.5);
    assertThat(s.count()).isEqualTo(3);
    assertThat(s.mean()).isCloseTo(19.0, within(1e-12));
  }
}
