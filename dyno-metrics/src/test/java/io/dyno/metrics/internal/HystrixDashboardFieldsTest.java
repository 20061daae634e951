package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field the stock Hystrix dashboard 1.5.18 reads from a {@code HystrixCommand} or {@code
 * HystrixThreadPool} message is in the frames {@link HystrixFrames} writes, with the JSON type
 * Hystrix's own stream gives it, whatever the metric's status: none, each circuit state, a pool.
 *
 * <p>The tables below were taken from the dashboard's war ({@code
 * com.netflix.hystrix:hystrix-dashboard:1.5.18}). Fields the dashboard reads only when present and
 * that Hystrix itself never sends are left out: {@code deleteData} and {@code graphValues} of
 * either message, and the {@code errorPercentage} that {@code hystrixThreadPoolContainer.html}
 * defaults. {@code monitor/monitor.html} reads nothing but hands every message to both monitors,
 * which pick theirs by {@code type}.
 */
class HystrixDashboardFieldsTest {

  /** A JSON type, as Hystrix's stream writes a field. */
  enum JsonType {
    STRING,
    BOOLEAN,
    /** A number written without a fraction or an exponent. */
    INTEGER,
    /** An object whose every member is an {@link #INTEGER}. */
    INTEGERS
  }

  /** Fields of a HystrixCommand message, by the dashboard file that reads them. */
  static final Map<String, Map<String, JsonType>> COMMAND =
      Map.of(
          // components/hystrixCommand/hystrixCommand.js: eventSourceMessageListener, validateData,
          // convertAllAvg and calcRatePerSecond.
          "components/hystrixCommand/hystrixCommand.js",
          Map.ofEntries(
              Map.entry("reportingHosts", JsonType.INTEGER),
              Map.entry("type", JsonType.STRING),
              Map.entry("name", JsonType.STRING),
              Map.entry("group", JsonType.STRING),
              Map.entry("isCircuitBreakerOpen", JsonType.BOOLEAN),
              Map.entry("errorPercentage", JsonType.INTEGER),
              Map.entry("errorCount", JsonType.INTEGER),
              Map.entry("requestCount", JsonType.INTEGER),
              Map.entry("rollingCountCollapsedRequests", JsonType.INTEGER),
              Map.entry("rollingCountExceptionsThrown", JsonType.INTEGER),
              Map.entry("rollingCountFailure", JsonType.INTEGER),
              Map.entry("rollingCountFallbackFailure", JsonType.INTEGER),
              Map.entry("rollingCountFallbackRejection", JsonType.INTEGER),
              Map.entry("rollingCountFallbackSuccess", JsonType.INTEGER),
              Map.entry("rollingCountResponsesFromCache", JsonType.INTEGER),
              Map.entry("rollingCountSemaphoreRejected", JsonType.INTEGER),
              Map.entry("rollingCountShortCircuited", JsonType.INTEGER),
              Map.entry("rollingCountSuccess", JsonType.INTEGER),
              Map.entry("rollingCountThreadPoolRejected", JsonType.INTEGER),
              Map.entry("rollingCountTimeout", JsonType.INTEGER),
              Map.entry("rollingCountBadRequests", JsonType.INTEGER),
              Map.entry("currentConcurrentExecutionCount", JsonType.INTEGER),
              Map.entry("latencyExecute_mean", JsonType.INTEGER),
              Map.entry("latencyExecute", JsonType.INTEGERS),
              Map.entry("propertyValue_circuitBreakerRequestVolumeThreshold", JsonType.INTEGER),
              Map.entry("propertyValue_circuitBreakerSleepWindowInMilliseconds", JsonType.INTEGER),
              Map.entry("propertyValue_circuitBreakerErrorThresholdPercentage", JsonType.INTEGER),
              Map.entry("propertyValue_circuitBreakerForceOpen", JsonType.BOOLEAN),
              Map.entry("propertyValue_circuitBreakerForceClosed", JsonType.BOOLEAN),
              Map.entry("propertyValue_executionIsolationStrategy", JsonType.STRING),
              Map.entry(
                  "propertyValue_executionIsolationThreadTimeoutInMilliseconds", JsonType.INTEGER),
              Map.entry(
                  "propertyValue_executionIsolationThreadInterruptOnTimeout", JsonType.BOOLEAN),
              Map.entry(
                  "propertyValue_executionIsolationSemaphoreMaxConcurrentRequests",
                  JsonType.INTEGER),
              Map.entry(
                  "propertyValue_fallbackIsolationSemaphoreMaxConcurrentRequests",
                  JsonType.INTEGER),
              Map.entry("propertyValue_requestCacheEnabled", JsonType.BOOLEAN),
              Map.entry("propertyValue_requestLogEnabled", JsonType.BOOLEAN),
              Map.entry(
                  "propertyValue_metricsRollingStatisticalWindowInMilliseconds", JsonType.INTEGER)),
          // components/hystrixCommand/templates/hystrixCircuit.html: the counters, the circuit
          // status and the latency table.
          "components/hystrixCommand/templates/hystrixCircuit.html",
          Map.ofEntries(
              Map.entry("errorPercentage", JsonType.INTEGER),
              Map.entry("rollingCountTimeout", JsonType.INTEGER),
              Map.entry("propertyValue_executionIsolationStrategy", JsonType.STRING),
              Map.entry("rollingCountThreadPoolRejected", JsonType.INTEGER),
              Map.entry("rollingCountSemaphoreRejected", JsonType.INTEGER),
              Map.entry("rollingCountFailure", JsonType.INTEGER),
              Map.entry("rollingCountSuccess", JsonType.INTEGER),
              Map.entry("rollingCountShortCircuited", JsonType.INTEGER),
              Map.entry("rollingCountBadRequests", JsonType.INTEGER),
              Map.entry("propertyValue_circuitBreakerForceClosed", JsonType.BOOLEAN),
              Map.entry("propertyValue_circuitBreakerForceOpen", JsonType.BOOLEAN),
              Map.entry("isCircuitBreakerOpen", JsonType.BOOLEAN),
              Map.entry("reportingHosts", JsonType.INTEGER),
              Map.entry("latencyExecute", JsonType.INTEGERS),
              Map.entry("latencyExecute_mean", JsonType.INTEGER)),
          // components/hystrixCommand/templates/hystrixCircuitContainer.html: the card's title.
          "components/hystrixCommand/templates/hystrixCircuitContainer.html",
          Map.of("name", JsonType.STRING));

  /** The percentiles hystrixCircuit.html shows of {@code latencyExecute}. */
  static final List<String> SHOWN_PERCENTILES = List.of("50", "90", "99", "99.5");

  /** Fields of a HystrixThreadPool message, by the dashboard file that reads them. */
  static final Map<String, Map<String, JsonType>> THREAD_POOL =
      Map.of(
          // components/hystrixThreadPool/hystrixThreadPool.js: eventSourceMessageListener,
          // validateData, converAllAvg, calcRatePerSecond and displayThreadPool.
          "components/hystrixThreadPool/hystrixThreadPool.js",
          Map.ofEntries(
              Map.entry("type", JsonType.STRING),
              Map.entry("name", JsonType.STRING),
              Map.entry("currentActiveCount", JsonType.INTEGER),
              Map.entry("currentCompletedTaskCount", JsonType.INTEGER),
              Map.entry("currentCorePoolSize", JsonType.INTEGER),
              Map.entry("currentLargestPoolSize", JsonType.INTEGER),
              Map.entry("currentMaximumPoolSize", JsonType.INTEGER),
              Map.entry("currentPoolSize", JsonType.INTEGER),
              Map.entry("currentQueueSize", JsonType.INTEGER),
              Map.entry("currentTaskCount", JsonType.INTEGER),
              Map.entry("rollingCountThreadsExecuted", JsonType.INTEGER),
              Map.entry("rollingMaxActiveThreads", JsonType.INTEGER),
              Map.entry("reportingHosts", JsonType.INTEGER),
              Map.entry("propertyValue_queueSizeRejectionThreshold", JsonType.INTEGER),
              Map.entry(
                  "propertyValue_metricsRollingStatisticalWindowInMilliseconds", JsonType.INTEGER)),
          // components/hystrixThreadPool/templates/hystrixThreadPool.html: the pool's table.
          "components/hystrixThreadPool/templates/hystrixThreadPool.html",
          Map.ofEntries(
              Map.entry("currentActiveCount", JsonType.INTEGER),
              Map.entry("rollingMaxActiveThreads", JsonType.INTEGER),
              Map.entry("currentQueueSize", JsonType.INTEGER),
              Map.entry("rollingCountThreadsExecuted", JsonType.INTEGER),
              Map.entry("currentPoolSize", JsonType.INTEGER),
              Map.entry("propertyValue_queueSizeRejectionThreshold", JsonType.INTEGER)),
          // components/hystrixThreadPool/templates/hystrixThreadPoolContainer.html: the title.
          "components/hystrixThreadPool/templates/hystrixThreadPoolContainer.html",
          Map.of("name", JsonType.STRING));

  /**
   * The members of a HystrixThreadPool message in the order Hystrix's own stream writes them
   * (HystrixMetricsStreamServlet, SerialHystrixDashboardData), all numbers integers.
   */
  static final List<String> HYSTRIX_THREAD_POOL_MEMBERS =
      List.of(
          "type",
          "name",
          "currentTime",
          "currentActiveCount",
          "currentCompletedTaskCount",
          "currentCorePoolSize",
          "currentLargestPoolSize",
          "currentMaximumPoolSize",
          "currentPoolSize",
          "currentQueueSize",
          "currentTaskCount",
          "rollingCountThreadsExecuted",
          "rollingMaxActiveThreads",
          "rollingCountCommandRejections",
          "propertyValue_queueSizeRejectionThreshold",
          "propertyValue_metricsRollingStatisticalWindowInMilliseconds",
          "reportingHosts");

  private static final MetricsStatus.Pool POOL = new MetricsStatus.Pool(10, 4, 6, 3, 2, 1_234);

  /** No status, each circuit state alone, a pool alone, and a pool behind each circuit state. */
  static Stream<Arguments> statuses() {
    List<Arguments> all = new ArrayList<>();
    all.add(Arguments.of("no status", null));
    all.add(Arguments.of("neither circuit nor pool", new MetricsStatus(null, null, null)));
    for (MetricsStatus.Circuit c : MetricsStatus.Circuit.values()) {
      Duration next = c == MetricsStatus.Circuit.OPEN ? Duration.ofMillis(1_500) : null;
      all.add(Arguments.of(c.name(), new MetricsStatus(c, next, null)));
      all.add(Arguments.of(c.name() + " on a pool", new MetricsStatus(c, next, POOL)));
    }
    all.add(Arguments.of("a pool", MetricsStatus.pool(POOL)));
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statuses")
  void everyFieldTheDashboardReads_isThere_withHystrixsType(
      String label, @Nullable MetricsStatus status) {
    // Twice: a frame written anew, then one copied from the last emission.
    HystrixFrames frames = new HystrixFrames("dyno");
    frames.write(List.of(snapshot(1_000, status)));
    List<Map<String, Object>> messages = messages(frames.write(List.of(snapshot(2_000, status))));

    boolean pooled = status != null && status.pool() != null;
    assertThat(messages).hasSize(pooled ? 2 : 1);
    Map<String, Object> command = messages.get(0);
    assertThat(command.get("type")).isEqualTo("HystrixCommand");
    assertCarries(command, COMMAND);
    @SuppressWarnings("unchecked")
    Map<String, Object> latency = (Map<String, Object>) command.get("latencyExecute");
    assertThat(latency).containsKeys(SHOWN_PERCENTILES.toArray(String[]::new));
    if (pooled) {
      Map<String, Object> pool = messages.get(1);
      assertThat(pool.get("type")).isEqualTo("HystrixThreadPool");
      assertThat(pool.get("name")).isEqualTo(command.get("name"));
      assertCarries(pool, THREAD_POOL);
      assertThat(pool.keySet()).containsExactlyElementsOf(HYSTRIX_THREAD_POOL_MEMBERS);
      assertThat(pool.values())
          .filteredOn(v -> v instanceof Number)
          .allSatisfy(v -> assertThat(v).isInstanceOf(Long.class));
    }
  }

  private static void assertCarries(
      Map<String, Object> message, Map<String, Map<String, JsonType>> table) {
    table.forEach(
        (file, fields) ->
            fields.forEach(
                (field, type) -> {
                  Object value = message.get(field);
                  String where = field + " (read by " + file + ")";
                  assertThat(value).as(where).isNotNull();
                  switch (type) {
                    case STRING -> assertThat(value).as(where).isInstanceOf(String.class);
                    case BOOLEAN -> assertThat(value).as(where).isInstanceOf(Boolean.class);
                    case INTEGER -> assertThat(value).as(where).isInstanceOf(Long.class);
                    case INTEGERS -> {
                      assertThat(value).as(where).isInstanceOf(Map.class);
                      assertThat(((Map<?, ?>) value).values())
                          .as(where)
                          .isNotEmpty()
                          .allSatisfy(v -> assertThat(v).isInstanceOf(Long.class));
                    }
                  }
                }));
  }

  /** The messages of an emission, each parsed keeping how its numbers are written. */
  static List<Map<String, Object>> messages(byte[] emission) {
    List<Map<String, Object>> messages = new ArrayList<>();
    for (String frame : frames(new String(emission, StandardCharsets.UTF_8))) {
      assertThat(frame).startsWith("data: ");
      messages.add(MiniJson.exact(frame.substring("data: ".length())));
    }
    return messages;
  }

  /** The frames of an emission, each without the blank line that ends it. */
  static List<String> frames(String emission) {
    List<String> frames = new ArrayList<>();
    int from = 0;
    for (int end = emission.indexOf("\n\n"); end >= 0; end = emission.indexOf("\n\n", from)) {
      frames.add(emission.substring(from, end));
      from = end + 2;
    }
    assertThat(emission.substring(from)).as("after the last frame").isEmpty();
    return frames;
  }

  /** Calls of every outcome, with latencies in fractions of a millisecond. */
  private static MetricsSnapshot snapshot(long time, @Nullable MetricsStatus status) {
    SortedMap<Double, Duration> p = new TreeMap<>();
    for (Double q : MetricsSnapshot.PERCENTILES) {
      p.put(q, Duration.ofNanos(1_234_567 + q.longValue() * 100_001));
    }
    return new MetricsSnapshot(
        "payments",
        Instant.ofEpochMilli(time),
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        17,
        3,
        2,
        4,
        5,
        1,
        3,
        Map.of("java.io.IOException", 3L),
        22,
        Duration.ofNanos(7_654_321),
        p,
        status);
  }
}
