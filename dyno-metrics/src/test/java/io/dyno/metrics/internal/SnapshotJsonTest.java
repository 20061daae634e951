package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link SnapshotJson}: the Hystrix stream mapping and dyno's own snapshot format. */
class SnapshotJsonTest {

  static final List<String> LATENCY_KEYS =
      List.of("0", "25", "50", "75", "90", "95", "99", "99.5", "100");

  private static MetricsSnapshot snapshot(String name) {
    SortedMap<Double, Duration> p = new TreeMap<>();
    for (Double q : MetricsSnapshot.PERCENTILES) {
      p.put(q, Duration.ofMillis(q.longValue()).plusNanos(500_000));
    }
    return new MetricsSnapshot(
        name,
        Instant.ofEpochMilli(1_700_000_000_123L),
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        6,
        2,
        1,
        3,
        4,
        5,
        7,
        Map.of("java.io.IOException", 2L),
        9,
        Duration.ofNanos(12_345_678),
        p);
  }

  @Test
  void hystrixCommand_carriesEveryRequiredField_andMapsTheCounts() {
    Map<String, Object> json =
        MiniJson.object(SnapshotJson.hystrixCommand(snapshot("pay\"ments"), "shop"));

    assertThat(json).containsKeys(HystrixFields.REQUIRED.toArray(String[]::new));
    assertThat(json)
        .containsEntry("type", "HystrixCommand")
        .containsEntry("name", "pay\"ments")
        .containsEntry("group", "shop")
        .containsEntry("threadPool", "shop")
        .containsEntry("currentTime", 1_700_000_000_123.0)
        .containsEntry("reportingHosts", 1.0)
        .containsEntry("isCircuitBreakerOpen", false)
        .containsEntry("requestCount", 16.0)
        .containsEntry("errorCount", 10.0)
        .containsEntry("errorPercentage", 62.0) // 10 / 16 = 62.5 %, rounded down as Hystrix does
        .containsEntry("rollingCountSuccess", 6.0)
        .containsEntry("rollingCountFailure", 2.0)
        .containsEntry("rollingCountTimeout", 1.0)
        .containsEntry("rollingCountShortCircuited", 3.0)
        // With no pool the dashboard shows the semaphore's rejections: they are the calls refused.
        .containsEntry("rollingCountThreadPoolRejected", 0.0)
        .containsEntry("rollingCountSemaphoreRejected", 4.0)
        .containsEntry("currentConcurrentExecutionCount", 5.0)
        .containsEntry("rollingMaxConcurrentExecutionCount", 7.0)
        .containsEntry("latencyExecute_mean", 12.0) // 12.345678 ms, whole as Hystrix sends it
        .containsEntry("propertyValue_executionIsolationStrategy", "SEMAPHORE")
        .containsEntry("propertyValue_circuitBreakerForceOpen", false)
        .containsEntry("propertyValue_metricsRollingStatisticalWindowInMilliseconds", 10_000.0);
    @SuppressWarnings("unchecked")
    Map<String, Object> latency = (Map<String, Object>) json.get("latencyExecute");
    assertThat(latency).containsOnlyKeys(LATENCY_KEYS.toArray(String[]::new));
    // Each q ms and a half, rounded half up to whole milliseconds.
    assertThat(latency)
        .containsEntry("0", 1.0)
        .containsEntry("50", 51.0)
        .containsEntry("99.5", 100.0)
        .containsEntry("100", 101.0);
    assertThat(json.get("latencyTotal")).isEqualTo(latency);
    Map<String, Object> exact =
        MiniJson.exact(SnapshotJson.hystrixCommand(snapshot("pay\"ments"), "shop"));
    assertThat(exact.get("latencyExecute_mean")).isEqualTo(12L);
    assertThat(exact.get("latencyTotal_mean")).isEqualTo(12L);
    @SuppressWarnings("unchecked")
    Map<String, Object> exactLatency = (Map<String, Object>) exact.get("latencyExecute");
    assertThat(exactLatency).containsEntry("99.5", 100L);
  }

  @Test
  void all_isAnObjectKeyedByName_withEveryComponentAndDerivedValue() {
    Map<String, Object> json =
        MiniJson.object(SnapshotJson.all(List.of(snapshot("a"), snapshot("b<c>"))));

    assertThat(json).containsOnlyKeys("a", "b<c>");
    @SuppressWarnings("unchecked")
    Map<String, Object> a = (Map<String, Object>) json.get("a");
    assertThat(a)
        .containsEntry("name", "a")
        .containsEntry("time", 1_700_000_000_123.0)
        .containsEntry("windowMillis", 10_000.0)
        .containsEntry("latencyWindowMillis", 60_000.0)
        .containsEntry("requests", 16.0)
        .containsEntry("successes", 6.0)
        .containsEntry("failures", 2.0)
        .containsEntry("timeouts", 1.0)
        .containsEntry("shortCircuits", 3.0)
        .containsEntry("rejections", 4.0)
        .containsEntry("errors", 10.0)
        .containsEntry("errorPercentage", 62.5)
        .containsEntry("ratePerSecond", 1.6)
        .containsEntry("inFlight", 5.0)
        .containsEntry("maxInFlight", 7.0)
        .containsEntry("failuresByType", Map.of("java.io.IOException", 2.0))
        .containsEntry("latencyCount", 9.0)
        .containsEntry("latencyMeanMillis", 12.346);
    @SuppressWarnings("unchecked")
    Map<String, Object> latency = (Map<String, Object>) a.get("latencyMillis");
    assertThat(latency).containsKeys("0", "50", "99.5", "99.9", "100").containsEntry("99.9", 99.5);
    assertThat(SnapshotJson.all(List.of())).isEqualTo("{}");
  }

  @Test
  void write_givesTheSameObjectAsAMemberOfAll_withNoLatencyHistogram() {
    MetricsSnapshot s = snapshot("a");
    JsonWriter w = new JsonWriter();

    SnapshotJson.write(w, s);

    Map<String, Object> alone = MiniJson.object(w.toString());
    assertThat(alone).isEqualTo(MiniJson.object(SnapshotJson.all(List.of(s))).get("a"));
    assertThat(alone).containsEntry("name", "a").doesNotContainKey("latencyHistogram");
  }

  /** The {@code "status"} member of one snapshot with {@code status}, as written. */
  private static String statusText(MetricsStatus status) {
    String json = SnapshotJson.all(List.of(snapshot("a").withStatus(status)));
    int at = json.indexOf("\"status\":");
    return json.substring(at + "\"status\":".length(), json.length() - 2);
  }

  @Test
  void status_writesTheArmsAfterThePool_withEveryFigure() {
    MetricsStatus status =
        MetricsStatus.circuit(MetricsStatus.Circuit.OPEN, Duration.ofMillis(2500))
            .withPool(new MetricsStatus.Pool(8, 3, 5, 2, 1, 40))
            .withArms(new MetricsStatus.Arms("new-panel", 12.5, 1234, 4910, false));

    assertThat(statusText(status))
        .isEqualTo(
            "{\"circuit\":\"OPEN\",\"nextTrialInMillis\":2500,"
                + "\"pool\":{\"maxSize\":8,\"size\":3,\"largest\":5,\"active\":2,\"queued\":1,"
                + "\"completed\":40},"
                + "\"arms\":{\"name\":\"new-panel\",\"percent\":12.5,\"admitted\":1234,"
                + "\"refused\":4910,\"tripped\":false},\"limit\":null,\"throttle\":null,\"hedging\":null}");
  }

  @Test
  void status_writesArmsAlone_aTrippedRollout_andNullArmsWhereThereAreNone() {
    MetricsStatus.Arms tripped = new MetricsStatus.Arms("a\"b", 20, 0, Long.MAX_VALUE, true);

    assertThat(statusText(MetricsStatus.arms(tripped)))
        .isEqualTo(
            "{\"circuit\":null,\"nextTrialInMillis\":null,\"pool\":null,"
                + "\"arms\":{\"name\":\"a\\\"b\",\"percent\":20,\"admitted\":0,"
                + "\"refused\":9223372036854775807,\"tripped\":true},"
                + "\"limit\":null,\"throttle\":null,\"hedging\":null}");
    assertThat(statusText(MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null)))
        .isEqualTo(
            "{\"circuit\":\"CLOSED\",\"nextTrialInMillis\":null,\"pool\":null,\"arms\":null,"
                + "\"limit\":null,\"throttle\":null,\"hedging\":null}");
    @SuppressWarnings("unchecked")
    Map<String, Object> read =
        (Map<String, Object>)
            MiniJson.exact(
                    SnapshotJson.all(
                        List.of(snapshot("a").withStatus(MetricsStatus.arms(tripped)))))
                .get("a");
    @SuppressWarnings("unchecked")
    Map<String, Object> arms =
        (Map<String, Object>) ((Map<String, Object>) read.get("status")).get("arms");
    assertThat(arms.keySet()).containsExactly("name", "percent", "admitted", "refused", "tripped");
    assertThat(arms)
        .containsEntry("name", "a\"b")
        .containsEntry("percent", 20L)
        .containsEntry("admitted", 0L)
        .containsEntry("refused", Long.MAX_VALUE)
        .containsEntry("tripped", true);
  }

  @Test
  void aSnapshotWithoutStatus_hasANullStatus() {
    String json = SnapshotJson.all(List.of(snapshot("a")));

    assertThat(json)
        .contains(",\"status\":null}}")
        .doesNotContain("arms")
        .doesNotContain("limit")
        .doesNotContain("throttle")
        .doesNotContain("hedging");
  }

  @Test
  void status_writesTheLimitAndTheThrottleAfterTheArms_withEveryFigure() {
    MetricsStatus status =
        MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null)
            .withArms(new MetricsStatus.Arms("new-panel", 12.5, 1234, 4910, false))
            .withLimit(new MetricsStatus.Limit("search", "gradient2", 48, 37))
            .withThrottle(new MetricsStatus.Throttle("search", 0.12, 4000, 1200));

    assertThat(statusText(status))
        .isEqualTo(
            "{\"circuit\":\"CLOSED\",\"nextTrialInMillis\":null,\"pool\":null,"
                + "\"arms\":{\"name\":\"new-panel\",\"percent\":12.5,\"admitted\":1234,"
                + "\"refused\":4910,\"tripped\":false},"
                + "\"limit\":{\"name\":\"search\",\"algorithm\":\"gradient2\",\"limit\":48,"
                + "\"inFlight\":37},"
                + "\"throttle\":{\"name\":\"search\",\"probability\":0.12,\"requests\":4000,"
                + "\"accepts\":1200},\"hedging\":null}");
  }

  @Test
  void status_writesALimitAlone_andAThrottleAlone_asAReaderSeesThem() {
    MetricsStatus.Limit overLimit = new MetricsStatus.Limit("q\"1", "fixed", 1, 3);
    MetricsStatus.Throttle rejectingAll = new MetricsStatus.Throttle("t", 1, Long.MAX_VALUE, 0);

    assertThat(statusText(MetricsStatus.limit(overLimit)))
        .isEqualTo(
            "{\"circuit\":null,\"nextTrialInMillis\":null,\"pool\":null,\"arms\":null,"
                + "\"limit\":{\"name\":\"q\\\"1\",\"algorithm\":\"fixed\",\"limit\":1,"
                + "\"inFlight\":3},\"throttle\":null,\"hedging\":null}");
    assertThat(statusText(MetricsStatus.throttle(rejectingAll)))
        .isEqualTo(
            "{\"circuit\":null,\"nextTrialInMillis\":null,\"pool\":null,\"arms\":null,"
                + "\"limit\":null,\"throttle\":{\"name\":\"t\",\"probability\":1,"
                + "\"requests\":9223372036854775807,\"accepts\":0},\"hedging\":null}");

    @SuppressWarnings("unchecked")
    Map<String, Object> status =
        (Map<String, Object>)
            ((Map<String, Object>)
                    MiniJson.exact(
                            SnapshotJson.all(
                                List.of(
                                    snapshot("a")
                                        .withStatus(
                                            MetricsStatus.limit(overLimit)
                                                .withThrottle(rejectingAll)))))
                        .get("a"))
                .get("status");
    @SuppressWarnings("unchecked")
    Map<String, Object> limit = (Map<String, Object>) status.get("limit");
    assertThat(limit.keySet()).containsExactly("name", "algorithm", "limit", "inFlight");
    assertThat(limit)
        .containsEntry("name", "q\"1")
        .containsEntry("algorithm", "fixed")
        .containsEntry("limit", 1L)
        .containsEntry("inFlight", 3L);
    @SuppressWarnings("unchecked")
    Map<String, Object> throttle = (Map<String, Object>) status.get("throttle");
    assertThat(throttle.keySet()).containsExactly("name", "probability", "requests", "accepts");
    assertThat(throttle)
        .containsEntry("name", "t")
        .containsEntry("probability", 1L)
        .containsEntry("requests", Long.MAX_VALUE)
        .containsEntry("accepts", 0L);
  }

  @Test
  void status_writesTheHedgingLast_withItsDelayInMillisecondsAndEveryFigure() {
    MetricsStatus status =
        MetricsStatus.circuit(MetricsStatus.Circuit.CLOSED, null)
            .withThrottle(new MetricsStatus.Throttle("search", 0.12, 4000, 1200))
            .withHedging(new MetricsStatus.Hedging(Duration.ofNanos(12_345_678), 2, 41, 17));

    assertThat(statusText(status))
        .isEqualTo(
            "{\"circuit\":\"CLOSED\",\"nextTrialInMillis\":null,\"pool\":null,\"arms\":null,"
                + "\"limit\":null,"
                + "\"throttle\":{\"name\":\"search\",\"probability\":0.12,\"requests\":4000,"
                + "\"accepts\":1200},"
                + "\"hedging\":{\"delayMs\":12.346,\"maxExtra\":2,\"sent\":41,\"won\":17}}");
  }

  @Test
  void status_writesHedgingAlone_asAReaderSeesIt_itsDelayInMillisecondsToTheMicrosecond() {
    MetricsStatus.Hedging hedging =
        new MetricsStatus.Hedging(Duration.ofMillis(250), 10, Long.MAX_VALUE, Long.MAX_VALUE);

    assertThat(statusText(MetricsStatus.hedging(hedging)))
        .isEqualTo(
            "{\"circuit\":null,\"nextTrialInMillis\":null,\"pool\":null,\"arms\":null,"
                + "\"limit\":null,\"throttle\":null,"
                + "\"hedging\":{\"delayMs\":250,\"maxExtra\":10,"
                + "\"sent\":9223372036854775807,\"won\":9223372036854775807}}");
    assertThat(
            statusText(
                MetricsStatus.hedging(new MetricsStatus.Hedging(Duration.ofNanos(1_500), 1, 0, 0))))
        .endsWith("\"hedging\":{\"delayMs\":0.002,\"maxExtra\":1,\"sent\":0,\"won\":0}}");

    @SuppressWarnings("unchecked")
    Map<String, Object> status =
        (Map<String, Object>)
            ((Map<String, Object>)
                    MiniJson.exact(
                            SnapshotJson.all(
                                List.of(snapshot("a").withStatus(MetricsStatus.hedging(hedging)))))
                        .get("a"))
                .get("status");
    @SuppressWarnings("unchecked")
    Map<String, Object> read = (Map<String, Object>) status.get("hedging");
    assertThat(read.keySet()).containsExactly("delayMs", "maxExtra", "sent", "won");
    assertThat(read)
        .containsEntry("delayMs", 250L)
        .containsEntry("maxExtra", 10L)
        .containsEntry("sent", Long.MAX_VALUE)
        .containsEntry("won", Long.MAX_VALUE);
    assertThat(status).containsEntry("throttle", "null").containsEntry("limit", "null");
  }
}
