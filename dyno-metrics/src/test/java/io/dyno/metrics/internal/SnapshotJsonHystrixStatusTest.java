package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import io.dyno.metrics.MetricsStatus.Circuit;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SnapshotJson#hystrixCommand} and {@link SnapshotJson#hystrixThreadPool} with a status:
 * what the stock Hystrix dashboard shows of each circuit state and of a pool.
 */
class SnapshotJsonHystrixStatusTest {

  private static MetricsSnapshot snapshot(@Nullable MetricsStatus status) {
    SortedMap<Double, Duration> p = new TreeMap<>();
    for (Double q : MetricsSnapshot.PERCENTILES) {
      p.put(q, Duration.ofMillis(q.longValue()));
    }
    return new MetricsSnapshot(
        "payments",
        Instant.ofEpochMilli(1_700_000_000_123L),
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        17,
        3,
        2,
        4,
        5,
        1,
        6,
        Map.of(),
        22,
        Duration.ofMillis(3),
        p,
        status);
  }

  private static Map<String, Object> command(@Nullable MetricsStatus status) {
    return MiniJson.exact(SnapshotJson.hystrixCommand(snapshot(status), "shop"));
  }

  /**
   * The circuit status line as components/hystrixCommand/templates/hystrixCircuit.html writes it
   * for one reporting host, from the fields it reads.
   */
  private static String dashboardShows(Map<String, Object> m) {
    String shown =
        Boolean.TRUE.equals(m.get("propertyValue_circuitBreakerForceClosed"))
            ? "[ Forced Closed ] "
            : "";
    if (Boolean.TRUE.equals(m.get("propertyValue_circuitBreakerForceOpen"))) {
      return shown + "Circuit Forced Open";
    }
    // isCircuitBreakerOpen == reportingHosts: true == 1 in JavaScript; false == 0.
    return shown
        + (Boolean.TRUE.equals(m.get("isCircuitBreakerOpen")) ? "Circuit Open" : "Circuit Closed");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "no breaker, false, false, false, false, Circuit Closed",
    "CLOSED,      false, false, false, true,  Circuit Closed",
    "OPEN,        true,  false, false, true,  Circuit Open",
    "HALF_OPEN,   false, false, false, true,  Circuit Closed",
    "FORCED_OPEN, true,  true,  false, true,  Circuit Forced Open",
    "DISABLED,    false, false, true,  true,  [ Forced Closed ] Circuit Closed",
  })
  void eachCircuitState_setsTheCircuitFields_andTheDashboardShowsIt(
      String state,
      boolean open,
      boolean forceOpen,
      boolean forceClosed,
      boolean enabled,
      String shown) {
    MetricsStatus status =
        state.equals("no breaker")
            ? null
            : MetricsStatus.circuit(
                Circuit.valueOf(state), state.equals("OPEN") ? Duration.ofSeconds(2) : null);

    Map<String, Object> m = command(status);

    assertThat(m)
        .containsEntry("isCircuitBreakerOpen", open)
        .containsEntry("propertyValue_circuitBreakerForceOpen", forceOpen)
        .containsEntry("propertyValue_circuitBreakerForceClosed", forceClosed)
        .containsEntry("propertyValue_circuitBreakerEnabled", enabled)
        // No pool: the calls are isolated as by a semaphore, and counted as its rejections.
        .containsEntry("propertyValue_executionIsolationStrategy", "SEMAPHORE")
        .containsEntry("rollingCountSemaphoreRejected", 5L)
        .containsEntry("rollingCountThreadPoolRejected", 0L)
        .containsEntry("threadPool", "shop");
    assertThat(dashboardShows(m)).isEqualTo(shown);
  }

  @Test
  void callsOnAPool_areThreadIsolated_onAPoolNamedAfterTheMetric() {
    MetricsStatus status =
        MetricsStatus.circuit(Circuit.OPEN, null)
            .withPool(new MetricsStatus.Pool(8, 3, 5, 2, 1, 40));

    Map<String, Object> m = command(status);

    assertThat(m)
        .containsEntry("isCircuitBreakerOpen", true)
        .containsEntry("propertyValue_executionIsolationStrategy", "THREAD")
        // The THREAD strategy makes the dashboard show the thread pool's rejections.
        .containsEntry("rollingCountThreadPoolRejected", 5L)
        .containsEntry("rollingCountSemaphoreRejected", 0L)
        .containsEntry("threadPool", "payments")
        .containsEntry("group", "shop");
  }

  @Test
  void hystrixThreadPool_showsThePoolsFigures_andTheWindowsCounts() {
    MetricsSnapshot s = snapshot(MetricsStatus.pool(new MetricsStatus.Pool(8, 3, 5, 2, 1, 40)));

    Map<String, Object> m = MiniJson.exact(SnapshotJson.hystrixThreadPool(s));

    assertThat(m)
        .containsExactlyEntriesOf(
            orderedOf(
                "type", "HystrixThreadPool",
                "name", "payments",
                "currentTime", 1_700_000_000_123L,
                "currentActiveCount", 2L,
                "currentCompletedTaskCount", 40L,
                "currentCorePoolSize", 8L,
                "currentLargestPoolSize", 5L,
                "currentMaximumPoolSize", 8L,
                "currentPoolSize", 3L,
                "currentQueueSize", 1L,
                "currentTaskCount", 43L, // completed, active and queued
                "rollingCountThreadsExecuted", 22L, // 17 successes, 3 failures, 2 timeouts
                "rollingMaxActiveThreads", 6L,
                "rollingCountCommandRejections", 5L,
                "propertyValue_queueSizeRejectionThreshold", 0L,
                "propertyValue_metricsRollingStatisticalWindowInMilliseconds", 10_000L,
                "reportingHosts", 1L));
  }

  @Test
  void hystrixThreadPool_countsTasksUpToLongMaxValue() {
    MetricsSnapshot s =
        snapshot(MetricsStatus.pool(new MetricsStatus.Pool(8, 8, 8, 8, 7, Long.MAX_VALUE - 3)));

    assertThat(MiniJson.exact(SnapshotJson.hystrixThreadPool(s)))
        .containsEntry("currentTaskCount", Long.MAX_VALUE);
  }

  @Test
  void hystrixThreadPool_ofAnIdlePool_countsNoTasks_andReachesLongMaxValueExactly() {
    MetricsSnapshot idle = snapshot(MetricsStatus.pool(new MetricsStatus.Pool(1, 0, 0, 0, 0, 0)));
    MetricsSnapshot full =
        snapshot(MetricsStatus.pool(new MetricsStatus.Pool(8, 8, 8, 8, 7, Long.MAX_VALUE - 15)));

    assertThat(MiniJson.exact(SnapshotJson.hystrixThreadPool(idle)))
        .containsEntry("currentTaskCount", 0L);
    assertThat(MiniJson.exact(SnapshotJson.hystrixThreadPool(full)))
        .containsEntry("currentTaskCount", Long.MAX_VALUE);
  }

  @Test
  void hystrixThreadPool_ofCallsOnNoPool_isRefused_namingTheMetric() {
    assertThatThrownBy(
            () ->
                SnapshotJson.hystrixThreadPool(snapshot(MetricsStatus.circuit(Circuit.OPEN, null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("s must have a status with a pool")
        .hasMessageContaining("payments");
    assertThatThrownBy(() -> SnapshotJson.hystrixThreadPool(snapshot(null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was null");
  }

  private static Map<String, Object> orderedOf(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
