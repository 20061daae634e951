package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import io.dyno.metrics.MetricsTotals;
import io.dyno.metrics.internal.PrometheusText.Format;
import io.dyno.metrics.internal.PrometheusText.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link PrometheusText}: both formats, exactly, the buckets, escaping and negotiation. */
class PrometheusTextTest {

  static MetricsSnapshot snapshot(
      String name, long inFlight, long maxInFlight, @Nullable MetricsStatus status) {
    SortedMap<Double, Duration> p = new TreeMap<>();
    for (Double q : MetricsSnapshot.PERCENTILES) {
      p.put(q, Duration.ZERO);
    }
    return new MetricsSnapshot(
        name,
        Instant.EPOCH,
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        0,
        0,
        0,
        0,
        0,
        inFlight,
        maxInFlight,
        Map.of(),
        0,
        Duration.ZERO,
        p,
        status);
  }

  /** 7 successes, 2 failures, 1 timeout, 3 short-circuits, 4 rejections; 4 latencies. */
  static MetricsTotals totals(String name) {
    return new MetricsTotals(
        name,
        7,
        2,
        1,
        3,
        4,
        Map.of("java.io.IOException", 2L),
        // 1 µs twice (on the first bound), 1.45 ms (on a bound), 2 s (between 1.76 and 2.1).
        new long[] {1_000, 1_450_000, 2_000_000_000},
        new long[] {2, 1, 1});
  }

  static MetricsTotals empty(String name) {
    return new MetricsTotals(name, 0, 0, 0, 0, 0, Map.of(), new long[0], new long[0]);
  }

  /** The bucket lines kept by {@link #someBuckets}; the others are checked apart. */
  private static final Set<String> KEPT_BOUNDS =
      Set.of("0.000001", "0.00122", "0.00145", "1.76", "2.1", "67.1", "+Inf");

  /** The exposition without the bucket lines whose bound is not in {@link #KEPT_BOUNDS}. */
  private static String someBuckets(String text) {
    return text.lines()
        .filter(
            line ->
                !line.startsWith("dyno_call_duration_seconds_bucket")
                    || KEPT_BOUNDS.contains(line.replaceAll(".*le=\"([^\"]*)\".*", "$1")))
        .map(line -> line + "\n")
        .collect(Collectors.joining());
  }

  @Test
  void text_isExact_forOneMetricWithoutStatus() {
    String text =
        PrometheusText.write(
            List.of(new Metric(snapshot("payments", 5, 7, null), totals("payments"))), Format.TEXT);

    assertThat(someBuckets(text))
        .isEqualTo(
            """
            # HELP dyno_calls_total Calls since the metric was created, by outcome: success, \
            failure, timeout, short_circuit (refused by an open circuit breaker), rejection \
            (refused for lack of capacity).
            # TYPE dyno_calls_total counter
            dyno_calls_total{name="payments",outcome="success"} 7
            dyno_calls_total{name="payments",outcome="failure"} 2
            dyno_calls_total{name="payments",outcome="timeout"} 1
            dyno_calls_total{name="payments",outcome="short_circuit"} 3
            dyno_calls_total{name="payments",outcome="rejection"} 4
            # HELP dyno_call_failures_total Failed calls since the metric was created, by the \
            exception's class name; timeouts not included.
            # TYPE dyno_call_failures_total counter
            dyno_call_failures_total{name="payments",exception="java.io.IOException"} 2
            # HELP dyno_call_duration_seconds Latency of the calls that ran since the metric was \
            created, in seconds; short-circuits and rejections never ran.
            # TYPE dyno_call_duration_seconds histogram
            dyno_call_duration_seconds_bucket{name="payments",le="0.000001"} 2
            dyno_call_duration_seconds_bucket{name="payments",le="0.00122"} 2
            dyno_call_duration_seconds_bucket{name="payments",le="0.00145"} 3
            dyno_call_duration_seconds_bucket{name="payments",le="1.76"} 3
            dyno_call_duration_seconds_bucket{name="payments",le="2.1"} 4
            dyno_call_duration_seconds_bucket{name="payments",le="67.1"} 4
            dyno_call_duration_seconds_bucket{name="payments",le="+Inf"} 4
            dyno_call_duration_seconds_sum{name="payments"} 2.001452
            dyno_call_duration_seconds_count{name="payments"} 4
            # HELP dyno_calls_in_flight Calls running now.
            # TYPE dyno_calls_in_flight gauge
            dyno_calls_in_flight{name="payments"} 5
            # HELP dyno_calls_in_flight_max The most calls running at once during the metric's \
            window (10 s by default): a peak of the window, not since creation.
            # TYPE dyno_calls_in_flight_max gauge
            dyno_calls_in_flight_max{name="payments"} 7
            """);
  }

  @Test
  void openMetrics_isExact_withEveryStatusFamily_countersDeclaredWithoutTotal_andEof() {
    MetricsStatus status =
        new MetricsStatus(
            MetricsStatus.Circuit.OPEN,
            Duration.ofMillis(1_500),
            new MetricsStatus.Pool(10, 4, 6, 3, 2, 1_234),
            new MetricsStatus.Arms("new-panel", 12.5, 30, 210, false),
            new MetricsStatus.Limit("search-limit", "gradient2", 48, 37),
            new MetricsStatus.Throttle("search-throttle", 0.12, 4_000, 1_200),
            new MetricsStatus.Hedging(Duration.ofNanos(12_345_600), 2, 41, 17));
    MetricsTotals none = empty("search");

    String text =
        PrometheusText.write(
            List.of(new Metric(snapshot("search", 0, 1, status), none)), Format.OPENMETRICS);

    assertThat(someBuckets(text))
        .isEqualTo(
            """
            # HELP dyno_calls Calls since the metric was created, by outcome: success, \
            failure, timeout, short_circuit (refused by an open circuit breaker), rejection \
            (refused for lack of capacity).
            # TYPE dyno_calls counter
            dyno_calls_total{name="search",outcome="success"} 0
            dyno_calls_total{name="search",outcome="failure"} 0
            dyno_calls_total{name="search",outcome="timeout"} 0
            dyno_calls_total{name="search",outcome="short_circuit"} 0
            dyno_calls_total{name="search",outcome="rejection"} 0
            # HELP dyno_call_duration_seconds Latency of the calls that ran since the metric was \
            created, in seconds; short-circuits and rejections never ran.
            # TYPE dyno_call_duration_seconds histogram
            dyno_call_duration_seconds_bucket{name="search",le="0.000001"} 0
            dyno_call_duration_seconds_bucket{name="search",le="0.00122"} 0
            dyno_call_duration_seconds_bucket{name="search",le="0.00145"} 0
            dyno_call_duration_seconds_bucket{name="search",le="1.76"} 0
            dyno_call_duration_seconds_bucket{name="search",le="2.1"} 0
            dyno_call_duration_seconds_bucket{name="search",le="67.1"} 0
            dyno_call_duration_seconds_bucket{name="search",le="+Inf"} 0
            dyno_call_duration_seconds_sum{name="search"} 0
            dyno_call_duration_seconds_count{name="search"} 0
            # HELP dyno_calls_in_flight Calls running now.
            # TYPE dyno_calls_in_flight gauge
            dyno_calls_in_flight{name="search"} 0
            # HELP dyno_calls_in_flight_max The most calls running at once during the metric's \
            window (10 s by default): a peak of the window, not since creation.
            # TYPE dyno_calls_in_flight_max gauge
            dyno_calls_in_flight_max{name="search"} 1
            # HELP dyno_circuit_state The circuit breaker's state: 1 for the current one, 0 for \
            the others.
            # TYPE dyno_circuit_state gauge
            dyno_circuit_state{name="search",state="closed"} 0
            dyno_circuit_state{name="search",state="open"} 1
            dyno_circuit_state{name="search",state="half_open"} 0
            dyno_circuit_state{name="search",state="forced_open"} 0
            dyno_circuit_state{name="search",state="disabled"} 0
            # HELP dyno_circuit_next_trial_seconds While the circuit is open, the time until it \
            lets a trial call through, in seconds.
            # TYPE dyno_circuit_next_trial_seconds gauge
            dyno_circuit_next_trial_seconds{name="search"} 1.5
            # HELP dyno_pool_threads Threads the pool holds now.
            # TYPE dyno_pool_threads gauge
            dyno_pool_threads{name="search"} 4
            # HELP dyno_pool_threads_max The most threads the pool may hold.
            # TYPE dyno_pool_threads_max gauge
            dyno_pool_threads_max{name="search"} 10
            # HELP dyno_pool_threads_largest The most threads the pool has held at once.
            # TYPE dyno_pool_threads_largest gauge
            dyno_pool_threads_largest{name="search"} 6
            # HELP dyno_pool_threads_active The pool's threads running a task now.
            # TYPE dyno_pool_threads_active gauge
            dyno_pool_threads_active{name="search"} 3
            # HELP dyno_pool_queued_tasks Tasks waiting for a thread.
            # TYPE dyno_pool_queued_tasks gauge
            dyno_pool_queued_tasks{name="search"} 2
            # HELP dyno_pool_completed_tasks Tasks the pool has completed since it started.
            # TYPE dyno_pool_completed_tasks counter
            dyno_pool_completed_tasks_total{name="search"} 1234
            # HELP dyno_rollout_admitted Callers the rollout has admitted.
            # TYPE dyno_rollout_admitted counter
            dyno_rollout_admitted_total{name="search",rollout="new-panel"} 30
            # HELP dyno_rollout_refused Callers the rollout has refused.
            # TYPE dyno_rollout_refused counter
            dyno_rollout_refused_total{name="search",rollout="new-panel"} 210
            # HELP dyno_rollout_admitted_ratio The share of callers the rollout admits, from 0 \
            to 1.
            # TYPE dyno_rollout_admitted_ratio gauge
            dyno_rollout_admitted_ratio{name="search",rollout="new-panel"} 0.125
            # HELP dyno_rollout_tripped 1 while the rollout is tripped, refusing everyone.
            # TYPE dyno_rollout_tripped gauge
            dyno_rollout_tripped{name="search",rollout="new-panel"} 0
            # HELP dyno_limit The calls the concurrency limit lets run at once now, with the \
            algorithm that sets it.
            # TYPE dyno_limit gauge
            dyno_limit{name="search",limiter="search-limit",algorithm="gradient2"} 48
            # HELP dyno_limit_in_flight The calls running under the concurrency limit now; above \
            the limit for a moment after it dropped.
            # TYPE dyno_limit_in_flight gauge
            dyno_limit_in_flight{name="search",limiter="search-limit"} 37
            # HELP dyno_throttle_probability The probability with which the client-side throttle \
            rejects a call now, from 0 to 1.
            # TYPE dyno_throttle_probability gauge
            dyno_throttle_probability{name="search",throttle="search-throttle"} 0.12
            # HELP dyno_throttle_requests The requests the throttle saw over its window: a \
            window's count, not a total.
            # TYPE dyno_throttle_requests gauge
            dyno_throttle_requests{name="search",throttle="search-throttle"} 4000
            # HELP dyno_throttle_accepts The requests the backend accepted over the throttle's \
            window: a window's count, not a total.
            # TYPE dyno_throttle_accepts gauge
            dyno_throttle_accepts{name="search",throttle="search-throttle"} 1200
            # HELP dyno_hedge_delay_seconds How long a hedged call waits now before an extra copy \
            of it is sent, in seconds.
            # TYPE dyno_hedge_delay_seconds gauge
            dyno_hedge_delay_seconds{name="search"} 0.0123456
            # HELP dyno_hedges_sent Extra copies of slow calls sent since the start.
            # TYPE dyno_hedges_sent counter
            dyno_hedges_sent_total{name="search"} 41
            # HELP dyno_hedges_won Calls an extra copy won, answering first, since the start.
            # TYPE dyno_hedges_won counter
            dyno_hedges_won_total{name="search"} 17
            # EOF
            """);
  }

  @Test
  void text_declaresCountersWithTotal_andHasNoEof() {
    MetricsStatus status =
        new MetricsStatus(
            null,
            null,
            new MetricsStatus.Pool(1, 1, 1, 1, 0, 9),
            new MetricsStatus.Arms("r", 100, 1, 0, true),
            new MetricsStatus.Limit("l", "fixed", 1, 2),
            new MetricsStatus.Throttle("t", 1, 0, 0),
            new MetricsStatus.Hedging(Duration.ofSeconds(2), 1, 5, 0));

    String text =
        PrometheusText.write(
            List.of(new Metric(snapshot("a", 0, 0, status), empty("a"))), Format.TEXT);

    assertThat(text)
        .contains("# TYPE dyno_pool_completed_tasks_total counter\n")
        .contains("# TYPE dyno_rollout_admitted_total counter\n")
        .contains("# TYPE dyno_rollout_refused_total counter\n")
        .contains("dyno_rollout_admitted_ratio{name=\"a\",rollout=\"r\"} 1\n")
        .contains("dyno_rollout_tripped{name=\"a\",rollout=\"r\"} 1\n")
        .contains("# TYPE dyno_limit gauge\n")
        .contains("dyno_limit{name=\"a\",limiter=\"l\",algorithm=\"fixed\"} 1\n")
        .contains("dyno_limit_in_flight{name=\"a\",limiter=\"l\"} 2\n")
        .contains("# TYPE dyno_throttle_requests gauge\n")
        .contains("# TYPE dyno_throttle_accepts gauge\n")
        .contains("dyno_throttle_probability{name=\"a\",throttle=\"t\"} 1\n")
        .contains("dyno_throttle_requests{name=\"a\",throttle=\"t\"} 0\n")
        .doesNotContain("dyno_throttle_requests_total")
        .contains(
            "# HELP dyno_hedges_sent_total Extra copies of slow calls sent since the start.\n")
        .contains("# TYPE dyno_hedges_sent_total counter\n")
        .contains("# TYPE dyno_hedges_won_total counter\n")
        .contains("# TYPE dyno_hedge_delay_seconds gauge\n")
        .contains("dyno_hedge_delay_seconds{name=\"a\"} 2\n")
        .contains("dyno_hedges_sent_total{name=\"a\"} 5\n")
        .contains("dyno_hedges_won_total{name=\"a\"} 0\n")
        .doesNotContain("# EOF")
        .doesNotContain("dyno_circuit");
  }

  @Test
  void buckets_areEveryBound_cumulative_andInfIsTheCount() {
    // 100 s is past the last finite bound (67.1 s): it is only in +Inf.
    MetricsTotals t =
        new MetricsTotals(
            "x",
            5,
            0,
            0,
            0,
            0,
            Map.of(),
            new long[] {999, 1_000, 1_001, 30_000_000, 100_000_000_000L},
            new long[] {1, 1, 1, 1, 1});

    String text =
        PrometheusText.write(List.of(new Metric(snapshot("x", 0, 0, null), t)), Format.TEXT);

    List<String> buckets =
        text.lines().filter(l -> l.startsWith("dyno_call_duration_seconds_bucket")).toList();
    assertThat(buckets).hasSize(106);
    List<Long> counts = new ArrayList<>();
    List<String> bounds = new ArrayList<>();
    for (String line : buckets) {
      bounds.add(line.replaceAll(".*le=\"([^\"]*)\".*", "$1"));
      counts.add(Long.parseLong(line.substring(line.lastIndexOf(' ') + 1)));
    }
    assertThat(bounds)
        .startsWith("0.000001", "0.00000119", "0.00000141", "0.00000168", "0.000002")
        .endsWith("47.5", "56.4", "67.1", "+Inf");
    assertThat(counts).isSorted();
    // 999 ns and 1 µs at or below 1 µs; 1001 ns in the next bucket; 30 ms below 32.8 ms.
    assertThat(counts.subList(0, 2)).containsExactly(2L, 3L);
    assertThat(counts.get(bounds.indexOf("0.0276"))).isEqualTo(3);
    assertThat(counts.get(bounds.indexOf("0.0328"))).isEqualTo(4);
    assertThat(counts.get(104)).isEqualTo(4);
    assertThat(counts.get(105)).isEqualTo(5);
    assertThat(text)
        .contains("dyno_call_duration_seconds_count{name=\"x\"} 5\n")
        .contains("dyno_call_duration_seconds_sum{name=\"x\"} 100.030003\n");
  }

  @Test
  void bounds_areAGeometricSeriesOfRatio2ToTheQuarter_inThreeDigits_andACopy() {
    long[] b = PrometheusText.boundsNanos();

    assertThat(b).hasSize(105).startsWith(1_000, 1_190, 1_410, 1_680, 2_000, 2_380);
    assertThat(b[40]).isEqualTo(1_020_000); // 2^10 µs
    assertThat(b[104]).isEqualTo(67_100_000_000L); // 2^26 µs
    for (int i = 1; i < b.length; i++) {
      assertThat((double) b[i] / b[i - 1]).isBetween(1.18, 1.20);
    }
    b[0] = 7;
    assertThat(PrometheusText.boundsNanos()[0]).isEqualTo(1_000);
  }

  @Test
  void threeDigits_roundsHalfUp() {
    assertThat(PrometheusText.threeDigits(1_189.207)).isEqualTo(1_190);
    assertThat(PrometheusText.threeDigits(1_185)).isEqualTo(1_190);
    assertThat(PrometheusText.threeDigits(1_184.9)).isEqualTo(1_180);
    assertThat(PrometheusText.threeDigits(67_108_864_000.0)).isEqualTo(67_100_000_000L);
  }

  @Test
  void seconds_areExactDecimals() {
    assertThat(PrometheusText.seconds(0)).isEqualTo("0");
    assertThat(PrometheusText.seconds(1)).isEqualTo("0.000000001");
    assertThat(PrometheusText.seconds(1_500_000)).isEqualTo("0.0015");
    assertThat(PrometheusText.seconds(67_100_000_000L)).isEqualTo("67.1");
    assertThat(PrometheusText.seconds(3_000_000_000L)).isEqualTo("3");
  }

  @Test
  void labelValues_escapeBackslashQuoteAndNewline_inNamesExceptionsAndRollouts() {
    String name = "a\"b\\c\nd";
    MetricsTotals t =
        new MetricsTotals(
            name, 0, 1, 0, 0, 0, Map.of("x.Odd\"Error", 1L), new long[0], new long[0]);
    MetricsStatus status =
        MetricsStatus.arms(new MetricsStatus.Arms("r\\1\n", 50, 0, 0, false))
            .withLimit(new MetricsStatus.Limit("l\"1", "v\\2\n", 3, 0))
            .withThrottle(new MetricsStatus.Throttle("t\n\"", 0, 0, 0));

    String text =
        PrometheusText.write(List.of(new Metric(snapshot(name, 0, 0, status), t)), Format.TEXT);

    assertThat(text)
        .contains("dyno_calls_in_flight{name=\"a\\\"b\\\\c\\nd\"} 0\n")
        .contains(
            "dyno_call_failures_total{name=\"a\\\"b\\\\c\\nd\",exception=\"x.Odd\\\"Error\"} 1\n")
        .contains("dyno_rollout_tripped{name=\"a\\\"b\\\\c\\nd\",rollout=\"r\\\\1\\n\"} 0\n")
        .contains(
            "dyno_limit{name=\"a\\\"b\\\\c\\nd\",limiter=\"l\\\"1\",algorithm=\"v\\\\2\\n\"} 3\n")
        .contains("dyno_throttle_probability{name=\"a\\\"b\\\\c\\nd\",throttle=\"t\\n\\\"\"} 0\n");
    // Every line is one sample or one comment: no raw newline inside a value.
    assertThat(text.lines()).allMatch(l -> l.startsWith("#") || l.startsWith("dyno_"));
  }

  @Test
  void statusFamilies_areAbsentWithoutAStatus_andEachOnlyWithItsPart() {
    String none =
        PrometheusText.write(
            List.of(new Metric(snapshot("a", 0, 0, null), empty("a"))), Format.OPENMETRICS);
    assertThat(none)
        .doesNotContain("dyno_circuit")
        .doesNotContain("dyno_pool")
        .doesNotContain("dyno_rollout")
        .doesNotContain("dyno_limit")
        .doesNotContain("dyno_throttle")
        .doesNotContain("dyno_hedge")
        .doesNotContain("dyno_call_failures")
        .endsWith("# EOF\n");

    // An open circuit whose next trial is unknown: the state, no next-trial gauge.
    String circuitOnly =
        PrometheusText.write(
            List.of(
                new Metric(
                    snapshot("a", 0, 0, MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, null)),
                    empty("a"))),
            Format.TEXT);
    assertThat(circuitOnly)
        .contains("dyno_circuit_state{name=\"a\",state=\"open\"} 1\n")
        .doesNotContain("dyno_circuit_next_trial_seconds")
        .doesNotContain("dyno_pool")
        .doesNotContain("dyno_rollout");

    String poolOnly =
        PrometheusText.write(
            List.of(
                new Metric(
                    snapshot(
                        "a", 0, 0, MetricsStatus.pool(new MetricsStatus.Pool(2, 0, 0, 0, 0, 0))),
                    empty("a"))),
            Format.TEXT);
    assertThat(poolOnly)
        .contains("dyno_pool_threads_max{name=\"a\"} 2\n")
        .doesNotContain("dyno_circuit")
        .doesNotContain("dyno_rollout")
        .doesNotContain("dyno_limit")
        .doesNotContain("dyno_throttle");

    String limitOnly =
        PrometheusText.write(
            List.of(
                new Metric(
                    snapshot(
                        "a",
                        0,
                        0,
                        MetricsStatus.limit(new MetricsStatus.Limit("l", "vegas", 20, 20))),
                    empty("a"))),
            Format.TEXT);
    assertThat(limitOnly)
        .contains("dyno_limit{name=\"a\",limiter=\"l\",algorithm=\"vegas\"} 20\n")
        .contains("dyno_limit_in_flight{name=\"a\",limiter=\"l\"} 20\n")
        .doesNotContain("dyno_throttle")
        .doesNotContain("dyno_pool")
        .doesNotContain("dyno_circuit");

    String throttleOnly =
        PrometheusText.write(
            List.of(
                new Metric(
                    snapshot(
                        "a",
                        0,
                        0,
                        MetricsStatus.throttle(new MetricsStatus.Throttle("t", 0.5, 10, 5))),
                    empty("a"))),
            Format.TEXT);
    assertThat(throttleOnly)
        .contains("dyno_throttle_probability{name=\"a\",throttle=\"t\"} 0.5\n")
        .contains("dyno_throttle_accepts{name=\"a\",throttle=\"t\"} 5\n")
        .doesNotContain("dyno_limit")
        .doesNotContain("dyno_rollout")
        .doesNotContain("dyno_hedge");

    String hedgingOnly =
        PrometheusText.write(
            List.of(
                new Metric(
                    snapshot(
                        "a",
                        0,
                        0,
                        MetricsStatus.hedging(new MetricsStatus.Hedging(Duration.ZERO, 1, 3, 1))),
                    empty("a"))),
            Format.OPENMETRICS);
    assertThat(hedgingOnly)
        .contains("dyno_hedge_delay_seconds{name=\"a\"} 0\n")
        .contains("# TYPE dyno_hedges_sent counter\n")
        .contains("dyno_hedges_sent_total{name=\"a\"} 3\n")
        .contains("dyno_hedges_won_total{name=\"a\"} 1\n")
        .doesNotContain("dyno_throttle")
        .doesNotContain("dyno_limit")
        .doesNotContain("dyno_circuit")
        .doesNotContain("dyno_pool");
  }

  @Test
  void hedgeDelay_isExactSeconds_atAnyLength() {
    assertThat(PrometheusText.seconds(Duration.ofNanos(12_345_678))).isEqualTo("0.012345678");
    assertThat(PrometheusText.seconds(Duration.ofMillis(250))).isEqualTo("0.25");
    assertThat(PrometheusText.seconds(Duration.ZERO)).isEqualTo("0");
    assertThat(PrometheusText.seconds(Duration.ofDays(365L * 400).plusNanos(1)))
        .isEqualTo("12614400000.000000001");
  }

  @ParameterizedTest
  @EnumSource(MetricsStatus.Circuit.class)
  void circuitState_isOneForTheCurrentState_andZeroForEveryOther(MetricsStatus.Circuit circuit) {
    String text =
        PrometheusText.write(
            List.of(
                new Metric(snapshot("c", 0, 0, MetricsStatus.circuit(circuit, null)), empty("c"))),
            Format.TEXT);

    List<String> states = text.lines().filter(l -> l.startsWith("dyno_circuit_state{")).toList();
    assertThat(states).hasSize(5);
    for (MetricsStatus.Circuit c : MetricsStatus.Circuit.values()) {
      String state = c.name().toLowerCase(java.util.Locale.ROOT);
      assertThat(states)
          .contains(
              "dyno_circuit_state{name=\"c\",state=\"" + state + "\"} " + (c == circuit ? 1 : 0));
    }
  }

  @Test
  void metrics_areSortedByName_andEachFamilysSamplesKeptTogether() {
    List<Metric> reversed =
        List.of(
            new Metric(snapshot("b", 1, 1, null), totals("b")),
            new Metric(snapshot("a", 2, 2, null), totals("a")));

    String text = PrometheusText.write(reversed, Format.TEXT);

    List<String> lines = text.lines().toList();
    List<String> families =
        lines.stream()
            .filter(l -> !l.startsWith("#"))
            .map(l -> l.substring(0, l.indexOf('{')))
            // A histogram's buckets, sum and count are one family, written metric by metric.
            .map(n -> n.replaceAll("^(dyno_call_duration_seconds)_.*", "$1"))
            .toList();
    // Each family in one run: a family's samples are never split by another's.
    List<String> runs = new ArrayList<>();
    for (String f : families) {
      if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(f)) {
        runs.add(f);
      }
    }
    assertThat(runs).doesNotHaveDuplicates();
    assertThat(lines)
        .containsSubsequence(
            "dyno_calls_in_flight{name=\"a\"} 2", "dyno_calls_in_flight{name=\"b\"} 1");
    assertThat(lines.indexOf("dyno_calls_total{name=\"a\",outcome=\"rejection\"} 4"))
        .isLessThan(lines.indexOf("dyno_calls_total{name=\"b\",outcome=\"success\"} 7"));
  }

  @Test
  void anEmptyList_isEmptyText_orOnlyEof() {
    assertThat(PrometheusText.write(List.of(), Format.TEXT)).isEmpty();
    assertThat(PrometheusText.write(List.of(), Format.OPENMETRICS)).isEqualTo("# EOF\n");
  }

  @Test
  void metric_refusesTotalsOfAnotherMetric_namingBoth() {
    MetricsSnapshot s = snapshot("a", 0, 0, null);
    assertThatThrownBy(() -> new Metric(s, empty("b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("totals must be of the snapshot's metric 'a', were of 'b'");
    assertThatThrownBy(() -> new Metric(null, empty("b"))).hasMessage("snapshot must not be null");
    assertThatThrownBy(() -> new Metric(s, null)).hasMessage("totals must not be null");
    assertThatThrownBy(() -> PrometheusText.write(List.of(), null))
        .hasMessage("format must not be null");
  }

  @Test
  void contentTypes_areThoseOfTheFormats() {
    assertThat(Format.TEXT.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(Format.OPENMETRICS.contentType())
        .isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
  }

  @Test
  void negotiate_picksOpenMetricsWhenAskedFor_andTextOtherwise() {
    // What Prometheus 2.42 sends.
    assertThat(
            PrometheusText.negotiate(
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                    + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"))
        .isEqualTo(Format.OPENMETRICS);
    assertThat(PrometheusText.negotiate("text/plain, Application/OpenMetrics-Text ; q=0.5"))
        .isEqualTo(Format.OPENMETRICS);
    assertThat(PrometheusText.negotiate("application/openmetrics-text;q=0.001"))
        .isEqualTo(Format.OPENMETRICS);
    assertThat(PrometheusText.negotiate(null)).isEqualTo(Format.TEXT);
    assertThat(PrometheusText.negotiate("")).isEqualTo(Format.TEXT);
    assertThat(PrometheusText.negotiate("*/*")).isEqualTo(Format.TEXT);
    assertThat(PrometheusText.negotiate("text/plain;version=0.0.4")).isEqualTo(Format.TEXT);
    assertThat(PrometheusText.negotiate("application/openmetrics-text-x")).isEqualTo(Format.TEXT);
    assertThat(PrometheusText.negotiate("application/openmetrics-text;version=1.0.0;q=0"))
        .isEqualTo(Format.TEXT);
    assertThat(PrometheusText.negotiate("application/openmetrics-text; Q = 0.000, text/plain"))
        .isEqualTo(Format.TEXT);
  }

  @Test
  void failuresByType_areWrittenInNameOrder() {
    MetricsTotals t =
        new MetricsTotals(
            "a", 0, 3, 0, 0, 0, Map.of("z.Z", 1L, "a.A", 2L), new long[0], new long[0]);

    String text =
        PrometheusText.write(List.of(new Metric(snapshot("a", 0, 0, null), t)), Format.TEXT);

    assertThat(text.lines().filter(l -> l.startsWith("dyno_call_failures_total")).toList())
        .containsExactly(
            "dyno_call_failures_total{name=\"a\",exception=\"a.A\"} 2",
            "dyno_call_failures_total{name=\"a\",exception=\"z.Z\"} 1");
    assertThat(Arrays.asList(text.split("\n", -1))).last().isEqualTo("");
  }
}
