package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link MetricsTotals} as a value: its validation, its sums and its cumulative latency counts. */
class MetricsTotalsTest {

  private static MetricsTotals latencies(long[] values, long[] counts) {
    return new MetricsTotals("t", 0, 0, 0, 0, 0, Map.of(), values, counts);
  }

  @Test
  void counts_areKept_andRequestsAreTheirSum() {
    Map<String, Long> byType = new HashMap<>();
    byType.put("b.Second", 2L);
    byType.put("a.First", 3L);

    MetricsTotals t =
        new MetricsTotals(
            "payments", 11, 5, 4, 3, 2, byType, new long[] {10, 20}, new long[] {1, 2});
    byType.put("c.Later", 1L);

    assertThat(t.name()).isEqualTo("payments");
    assertThat(t.successes()).isEqualTo(11);
    assertThat(t.failures()).isEqualTo(5);
    assertThat(t.timeouts()).isEqualTo(4);
    assertThat(t.shortCircuits()).isEqualTo(3);
    assertThat(t.rejections()).isEqualTo(2);
    assertThat(t.requests()).isEqualTo(25);
    assertThat(t.failuresByType())
        .containsExactly(Map.entry("a.First", 3L), Map.entry("b.Second", 2L));
    assertThatThrownBy(() -> t.failuresByType().put("x", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(t.latencyCount()).isEqualTo(3);
    assertThat(t.latencySum()).isEqualTo(Duration.ofNanos(50));
  }

  @Test
  void toString_namesTheMetricItsRequestsAndItsLatencies() {
    MetricsTotals t =
        new MetricsTotals("payments", 1, 2, 3, 4, 5, Map.of(), new long[] {7}, new long[] {6});

    assertThat(t).hasToString("MetricsTotals[payments, requests=15, latencies=6]");
  }

  @Test
  void theLatencyArrays_areCopied() {
    long[] values = {1, 2};
    long[] counts = {1, 1};
    MetricsTotals t = latencies(values, counts);
    values[1] = 1_000;
    counts[1] = 1_000;

    assertThat(t.latencyCount()).isEqualTo(2);
    assertThat(t.latencyCountsAtOrBelow(new long[] {2})).containsExactly(2);
  }

  @Test
  void noLatencies_countNothingAtAnyBound() {
    MetricsTotals t = latencies(new long[0], new long[0]);

    assertThat(t.latencyCount()).isZero();
    assertThat(t.latencySum()).isEqualTo(Duration.ZERO);
    assertThat(t.latencyCountsAtOrBelow(new long[] {0, 5, Long.MAX_VALUE}))
        .containsExactly(0, 0, 0);
    assertThat(t.latencyCountsAtOrBelow(new long[0])).isEmpty();
  }

  @Test
  void latencyCountsAtOrBelow_areCumulative_belowAtBetweenAndAboveTheValues() {
    MetricsTotals t = latencies(new long[] {0, 10, 20, 30}, new long[] {1, 2, 3, 4});

    assertThat(t.latencyCountsAtOrBelow(new long[] {-1, 0, 9, 10, 11, 25, 30, 1_000}))
        .containsExactly(0, 1, 1, 3, 3, 6, 10, 10);
    assertThat(t.latencyCountsAtOrBelow(new long[] {30})).containsExactly(10);
    assertThat(t.latencyCountsAtOrBelow(new long[] {29})).containsExactly(6);
  }

  @Test
  void boundsThatDoNotAscend_areRefused() {
    MetricsTotals t = latencies(new long[] {10}, new long[] {1});

    assertThatThrownBy(() -> t.latencyCountsAtOrBelow(new long[] {5, 5}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("boundsNanos must ascend, was [5, 5]");
    assertThatThrownBy(() -> t.latencyCountsAtOrBelow(new long[] {1, 9, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("boundsNanos must ascend, was [1, 9, 3]");
  }

  @Test
  void aNegativeCount_isRefused_namingIt() {
    long[] none = {};
    assertThatThrownBy(() -> new MetricsTotals("t", -1, 0, 0, 0, 0, Map.of(), none, none))
        .hasMessage("successes must be >= 0, was -1");
    assertThatThrownBy(() -> new MetricsTotals("t", 0, -2, 0, 0, 0, Map.of(), none, none))
        .hasMessage("failures must be >= 0, was -2");
    assertThatThrownBy(() -> new MetricsTotals("t", 0, 0, -3, 0, 0, Map.of(), none, none))
        .hasMessage("timeouts must be >= 0, was -3");
    assertThatThrownBy(() -> new MetricsTotals("t", 0, 0, 0, -4, 0, Map.of(), none, none))
        .hasMessage("shortCircuits must be >= 0, was -4");
    assertThatThrownBy(() -> new MetricsTotals("t", 0, 0, 0, 0, -5, Map.of(), none, none))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rejections must be >= 0, was -5");
  }

  @Test
  void zeroCounts_andAZeroLatency_areAccepted() {
    MetricsTotals t =
        new MetricsTotals("t", 0, 0, 0, 0, 0, Map.of(), new long[] {0}, new long[] {1});

    assertThat(t.requests()).isZero();
    assertThat(t.latencyCount()).isEqualTo(1);
    assertThat(t.latencyCountsAtOrBelow(new long[] {0})).containsExactly(1);
  }

  @Test
  void aNullName_isRefused() {
    long[] none = {};
    assertThatThrownBy(() -> new MetricsTotals(null, 0, 0, 0, 0, 0, Map.of(), none, none))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
  }

  @Test
  void latencyArraysOfDifferentLengths_areRefused() {
    assertThatThrownBy(() -> latencies(new long[] {1, 2}, new long[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latencyValues and latencyCounts must have one length, were 2 and 1");
  }

  @Test
  void latencyValuesThatDoNotAscend_areRefused() {
    assertThatThrownBy(() -> latencies(new long[] {1, 5, 5}, new long[] {1, 1, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latencyValues must ascend, was 5 then 5 at 2");
    assertThatThrownBy(() -> latencies(new long[] {7, 3}, new long[] {1, 1}))
        .hasMessage("latencyValues must ascend, was 7 then 3 at 1");
  }

  @Test
  void aNegativeLatency_orACountBelowOne_isRefused() {
    assertThatThrownBy(() -> latencies(new long[] {-1}, new long[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latency -1 ns counted 1 times at 0; values must be >= 0 and counts >= 1");
    assertThatThrownBy(() -> latencies(new long[] {1, 2}, new long[] {1, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("latency 2 ns counted 0 times at 1; values must be >= 0 and counts >= 1");
  }
}
