package io.dyno.metrics.internal;

import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes {@link MetricsSnapshot}s as JSON: in the Hystrix dashboard's {@code HystrixCommand} and
 * {@code HystrixThreadPool} stream formats, and in dyno's own format for {@code /metrics.json}.
 *
 * <p>Stateless and thread-safe.
 */
public final class SnapshotJson {

  /** The {@code latencyExecute} keys of the Hystrix stream, and the percentiles they stand for. */
  private static final List<Double> HYSTRIX_PERCENTILES =
      List.of(0.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 100.0);

  private SnapshotJson() {}

  /**
   * Returns one snapshot as a Hystrix dashboard {@code HystrixCommand} object, with every field the
   * dashboard reads, of the JSON type Hystrix's own stream gives it.
   *
   * <p>The snapshot's {@linkplain MetricsSnapshot#status() status} sets the circuit fields: {@code
   * isCircuitBreakerOpen} is true while the circuit is {@link MetricsStatus.Circuit#OPEN OPEN} or
   * {@link MetricsStatus.Circuit#FORCED_OPEN FORCED_OPEN}, {@code
   * propertyValue_circuitBreakerForceOpen} while it is {@code FORCED_OPEN}, {@code
   * propertyValue_circuitBreakerForceClosed} while it is {@link MetricsStatus.Circuit#DISABLED
   * DISABLED}, and {@code propertyValue_circuitBreakerEnabled} whenever there is a circuit. Calls
   * that run on a pool are reported with the {@code THREAD} isolation strategy, their rejections as
   * {@code rollingCountThreadPoolRejected} and the metric's name as their {@code threadPool}; other
   * calls with the {@code SEMAPHORE} strategy, their rejections as {@code
   * rollingCountSemaphoreRejected} and {@code group} as their {@code threadPool}, so that the
   * dashboard, which shows the rejection count of the strategy, shows them. Latencies are whole
   * milliseconds, rounded half up, as Hystrix sends them. Dyno has no fallback or cache in view
   * here, so those counts are 0 and the other properties carry Hystrix's defaults.
   *
   * @param s the snapshot
   * @param group the command group to report
   * @return the JSON text
   */
  public static String hystrixCommand(MetricsSnapshot s, String group) {
    MetricsStatus status = s.status();
    MetricsStatus.Circuit circuit = status == null ? null : status.circuit();
    boolean pooled = status != null && status.pool() != null;
    JsonWriter w = new JsonWriter().beginObject();
    w.name("type").value("HystrixCommand");
    w.name("name").value(s.name());
    w.name("group").value(group);
    w.name("currentTime").value(s.time().toEpochMilli());
    w.name("isCircuitBreakerOpen").value(circuit != null && circuit.isOpen());
    // Hystrix reports an integer percentage, rounded down.
    w.name("errorPercentage").value((long) s.errorPercentage());
    w.name("errorCount").value(s.errors());
    w.name("requestCount").value(s.requests());
    w.name("rollingCountBadRequests").value(0L);
    w.name("rollingCountCollapsedRequests").value(0L);
    w.name("rollingCountEmit").value(0L);
    w.name("rollingCountExceptionsThrown").value(0L);
    w.name("rollingCountFailure").value(s.failures());
    w.name("rollingCountFallbackEmit").value(0L);
    w.name("rollingCountFallbackFailure").value(0L);
    w.name("rollingCountFallbackMissing").value(0L);
    w.name("rollingCountFallbackRejection").value(0L);
    w.name("rollingCountFallbackSuccess").value(0L);
    w.name("rollingCountResponsesFromCache").value(0L);
    w.name("rollingCountSemaphoreRejected").value(pooled ? 0L : s.rejections());
    w.name("rollingCountShortCircuited").value(s.shortCircuits());
    w.name("rollingCountSuccess").value(s.successes());
    w.name("rollingCountThreadPoolRejected").value(pooled ? s.rejections() : 0L);
    w.name("rollingCountTimeout").value(s.timeouts());
    w.name("currentConcurrentExecutionCount").value(s.inFlight());
    w.name("rollingMaxConcurrentExecutionCount").value(s.maxInFlight());
    w.name("latencyExecute_mean").value(hystrixMillis(s.latencyMean()));
    w.name("latencyExecute");
    hystrixPercentiles(w, s);
    w.name("latencyTotal_mean").value(hystrixMillis(s.latencyMean()));
    w.name("latencyTotal");
    hystrixPercentiles(w, s);
    w.name("propertyValue_circuitBreakerRequestVolumeThreshold").value(20L);
    w.name("propertyValue_circuitBreakerSleepWindowInMilliseconds").value(5000L);
    w.name("propertyValue_circuitBreakerErrorThresholdPercentage").value(50L);
    w.name("propertyValue_circuitBreakerForceOpen")
        .value(circuit == MetricsStatus.Circuit.FORCED_OPEN);
    w.name("propertyValue_circuitBreakerForceClosed")
        .value(circuit == MetricsStatus.Circuit.DISABLED);
    w.name("propertyValue_circuitBreakerEnabled").value(circuit != null);
    w.name("propertyValue_executionIsolationStrategy").value(pooled ? "THREAD" : "SEMAPHORE");
    w.name("propertyValue_executionIsolationThreadTimeoutInMilliseconds").value(1000L);
    w.name("propertyValue_executionTimeoutInMilliseconds").value(1000L);
    w.name("propertyValue_executionIsolationThreadInterruptOnTimeout").value(true);
    w.name("propertyValue_executionIsolationSemaphoreMaxConcurrentRequests").value(10L);
    w.name("propertyValue_fallbackIsolationSemaphoreMaxConcurrentRequests").value(10L);
    w.name("propertyValue_requestCacheEnabled").value(false);
    w.name("propertyValue_requestLogEnabled").value(false);
    w.name("propertyValue_metricsRollingStatisticalWindowInMilliseconds")
        .value(s.window().toMillis());
    w.name("threadPool").value(pooled ? s.name() : group);
    w.name("reportingHosts").value(1L);
    return w.endObject().toString();
  }

  /**
   * Returns the pool a snapshot's calls run on as a Hystrix dashboard {@code HystrixThreadPool}
   * object, with the fields, order and integer types of Hystrix's own stream. The pool is named
   * after the metric, as its {@link #hystrixCommand} frame's {@code threadPool} says.
   *
   * <p>The current figures are the {@linkplain MetricsStatus.Pool pool's}: its core and maximum
   * size are both {@link MetricsStatus.Pool#maxSize() maxSize}, and its task count is its
   * completed, active and queued tasks. The rolling figures are the snapshot's, over its window:
   * the threads executed are the calls that ran (successes, failures and timeouts), the most active
   * threads are {@link MetricsSnapshot#maxInFlight()} and the rejections are {@link
   * MetricsSnapshot#rejections()}. {@code propertyValue_queueSizeRejectionThreshold} is 0: a call
   * is refused once every thread of the pool is busy, never queued to wait for one.
   *
   * @param s a snapshot whose status has a pool
   * @return the JSON text
   * @throws IllegalArgumentException if {@code s} has no status with a pool
   */
  public static String hystrixThreadPool(MetricsSnapshot s) {
    MetricsStatus status = s.status();
    MetricsStatus.Pool pool = status == null ? null : status.pool();
    if (pool == null) {
      throw new IllegalArgumentException(
          "s must have a status with a pool, was " + status + " for " + s.name());
    }
    JsonWriter w = new JsonWriter().beginObject();
    w.name("type").value("HystrixThreadPool");
    w.name("name").value(s.name());
    w.name("currentTime").value(s.time().toEpochMilli());
    w.name("currentActiveCount").value(pool.active());
    w.name("currentCompletedTaskCount").value(pool.completed());
    w.name("currentCorePoolSize").value(pool.maxSize());
    w.name("currentLargestPoolSize").value(pool.largest());
    w.name("currentMaximumPoolSize").value(pool.maxSize());
    w.name("currentPoolSize").value(pool.size());
    w.name("currentQueueSize").value(pool.queued());
    w.name("currentTaskCount").value(taskCount(pool));
    w.name("rollingCountThreadsExecuted").value(s.successes() + s.failures() + s.timeouts());
    w.name("rollingMaxActiveThreads").value(s.maxInFlight());
    w.name("rollingCountCommandRejections").value(s.rejections());
    w.name("propertyValue_queueSizeRejectionThreshold").value(0L);
    w.name("propertyValue_metricsRollingStatisticalWindowInMilliseconds")
        .value(s.window().toMillis());
    w.name("reportingHosts").value(1L);
    return w.endObject().toString();
  }

  /**
   * The tasks a pool has been given, as {@link
   * java.util.concurrent.ThreadPoolExecutor#getTaskCount} counts them: completed, running and
   * waiting; {@link Long#MAX_VALUE} past it.
   */
  static long taskCount(MetricsStatus.Pool pool) {
    long running = (long) pool.active() + pool.queued();
    // Both are at least 0: a sum past Long.MAX_VALUE wraps to a negative.
    long tasks = pool.completed() + running;
    return tasks < 0 ? Long.MAX_VALUE : tasks;
  }

  /**
   * A duration in whole milliseconds, as the Hystrix stream shows latencies: rounded to the
   * nearest, a half up (toward positive infinity).
   */
  static long hystrixMillis(Duration d) {
    long nanos = d.toNanos();
    return Math.floorDiv(nanos, 1_000_000L)
        + (Math.floorMod(nanos, 1_000_000L) >= 500_000L ? 1 : 0);
  }

  /**
   * Returns snapshots as one JSON object keyed by name, in dyno's own format (see {@link
   * #write(JsonWriter, MetricsSnapshot)}).
   *
   * @param snapshots the snapshots, with distinct names
   * @return the JSON text
   */
  public static String all(List<MetricsSnapshot> snapshots) {
    return all(snapshots, List.of());
  }

  /**
   * Returns snapshots as one JSON object keyed by name, with an entry {@code {"name": ..., "error":
   * "snapshot failed"}} for each metric that could not be read. The cause stays in the log, never
   * in the answer.
   *
   * @param snapshots the snapshots, with distinct names
   * @param failed the names of the metrics whose snapshot failed
   * @return the JSON text
   */
  public static String all(List<MetricsSnapshot> snapshots, List<String> failed) {
    return all(snapshots, failed, Map.of());
  }

  /**
   * Returns snapshots as {@link #all(List, List)} does, each metric named in {@code
   * latencyHistograms} also carrying its {@code "latencyHistogram"} member (see {@link
   * #write(JsonWriter, MetricsSnapshot, String)}).
   *
   * @param snapshots the snapshots, with distinct names
   * @param failed the names of the metrics whose snapshot failed
   * @param latencyHistograms by metric name, the latency window's histogram as {@link
   *     HistogramCodec#encode} gives it
   * @return the JSON text
   */
  public static String all(
      List<MetricsSnapshot> snapshots, List<String> failed, Map<String, String> latencyHistograms) {
    JsonWriter w = new JsonWriter().beginObject();
    for (MetricsSnapshot s : snapshots) {
      w.name(s.name());
      write(w, s, latencyHistograms.get(s.name()));
    }
    for (String name : failed) {
      w.name(name).beginObject();
      w.name("name").value(name);
      w.name("error").value("snapshot failed");
      w.endObject();
    }
    return w.endObject().toString();
  }

  /**
   * Writes one snapshot in dyno's own format: every record component (durations in milliseconds,
   * the time in epoch milliseconds), the derived values, and latency percentiles keyed as in the
   * Hystrix stream.
   *
   * @param w the writer, where a value may go
   * @param s the snapshot
   */
  public static void write(JsonWriter w, MetricsSnapshot s) {
    write(w, s, null);
  }

  /**
   * Writes one snapshot as {@link #write(JsonWriter, MetricsSnapshot)} does, followed, when given,
   * by {@code "latencyHistogram"}: the latency window's histogram in HdrHistogram's compressed
   * encoding (V2, as {@code encodeIntoCompressedByteBuffer} writes it), values in nanoseconds at 3
   * significant digits, in base64. Any HdrHistogram implementation (Java, Go, Python, JavaScript,
   * ...) decodes it, and histograms of several instances add up to their union.
   *
   * @param w the writer, where a value may go
   * @param s the snapshot
   * @param latencyHistogram the encoded histogram, or null for none
   */
  public static void write(JsonWriter w, MetricsSnapshot s, @Nullable String latencyHistogram) {
    w.beginObject();
    w.name("name").value(s.name());
    w.name("time").value(s.time().toEpochMilli());
    w.name("windowMillis").value(s.window().toMillis());
    w.name("latencyWindowMillis").value(s.latencyWindow().toMillis());
    w.name("requests").value(s.requests());
    w.name("successes").value(s.successes());
    w.name("failures").value(s.failures());
    w.name("timeouts").value(s.timeouts());
    w.name("shortCircuits").value(s.shortCircuits());
    w.name("rejections").value(s.rejections());
    w.name("errors").value(s.errors());
    w.name("errorPercentage").value(s.errorPercentage());
    w.name("ratePerSecond").value(s.ratePerSecond());
    w.name("inFlight").value(s.inFlight());
    w.name("maxInFlight").value(s.maxInFlight());
    w.name("failuresByType").beginObject();
    for (Map.Entry<String, Long> e : s.failuresByType().entrySet()) {
      w.name(e.getKey()).value(e.getValue().longValue());
    }
    w.endObject();
    w.name("latencyCount").value(s.latencyCount());
    w.name("latencyMeanMillis").value(millis(s.latencyMean()));
    w.name("latencyMillis").beginObject();
    for (Map.Entry<Double, Duration> e : s.latencyPercentiles().entrySet()) {
      w.name(key(e.getKey())).value(millis(e.getValue()));
    }
    w.endObject();
    w.name("status");
    writeStatus(w, s.status());
    if (latencyHistogram != null) {
      w.name("latencyHistogram").value(latencyHistogram);
    }
    w.endObject();
  }

  /**
   * Writes the members {@code "latencyCount"}, {@code "latencyMeanMillis"} and {@code
   * "latencyMillis"} of {@code summary}, made for {@link MetricsSnapshot#PERCENTILES}, exactly as
   * {@link #write(JsonWriter, MetricsSnapshot)} writes those of a snapshot made from it.
   *
   * @param w the writer, where a member name may go
   * @param summary the summary, of {@link MetricsSnapshot#PERCENTILES}
   */
  public static void writeLatency(JsonWriter w, LatencySummary summary) {
    w.name("latencyCount").value(summary.count());
    // As Metrics rounds the mean into a snapshot's Duration.
    w.name("latencyMeanMillis").value(millis(Duration.ofNanos(Math.round(summary.mean()))));
    w.name("latencyMillis").beginObject();
    List<Double> percentiles = MetricsSnapshot.PERCENTILES;
    for (int k = 0; k < percentiles.size(); k++) {
      w.name(key(percentiles.get(k))).value(millis(Duration.ofNanos(summary.atPercentile(k))));
    }
    w.endObject();
  }

  /**
   * Writes a status, or {@code null}: {@code {"circuit": "OPEN" or null, "nextTrialInMillis": ms or
   * null, "pool": {...} or null, "arms": {...} or null, "limit": {...} or null, "throttle": {...}
   * or null, "hedging": {...} or null}}, the arms as {@code {"name": "new-panel", "percent": 12.5,
   * "admitted": n, "refused": n, "tripped": false}}, the limit as {@code {"name": "search",
   * "algorithm": "gradient2", "limit": n, "inFlight": n}}, the throttle as {@code {"name":
   * "search", "probability": 0.12, "requests": n, "accepts": n}} and the hedging as {@code
   * {"delayMs": 12.3, "maxExtra": n, "sent": n, "won": n}}, its delay in milliseconds with
   * microsecond precision.
   */
  private static void writeStatus(JsonWriter w, @Nullable MetricsStatus status) {
    if (status == null) {
      w.nullValue();
      return;
    }
    w.beginObject();
    MetricsStatus.Circuit circuit = status.circuit();
    w.name("circuit");
    if (circuit == null) {
      w.nullValue();
    } else {
      w.value(circuit.name());
    }
    Duration nextTrial = status.nextTrialIn();
    w.name("nextTrialInMillis");
    if (nextTrial == null) {
      w.nullValue();
    } else {
      w.value(millis(nextTrial));
    }
    MetricsStatus.Pool pool = status.pool();
    w.name("pool");
    if (pool == null) {
      w.nullValue();
    } else {
      w.beginObject();
      w.name("maxSize").value(pool.maxSize());
      w.name("size").value(pool.size());
      w.name("largest").value(pool.largest());
      w.name("active").value(pool.active());
      w.name("queued").value(pool.queued());
      w.name("completed").value(pool.completed());
      w.endObject();
    }
    MetricsStatus.Arms arms = status.arms();
    w.name("arms");
    if (arms == null) {
      w.nullValue();
    } else {
      w.beginObject();
      w.name("name").value(arms.name());
      w.name("percent").value(arms.percent());
      w.name("admitted").value(arms.admitted());
      w.name("refused").value(arms.refused());
      w.name("tripped").value(arms.tripped());
      w.endObject();
    }
    MetricsStatus.Limit limit = status.limit();
    w.name("limit");
    if (limit == null) {
      w.nullValue();
    } else {
      w.beginObject();
      w.name("name").value(limit.name());
      w.name("algorithm").value(limit.algorithm());
      w.name("limit").value(limit.limit());
      w.name("inFlight").value(limit.inFlight());
      w.endObject();
    }
    MetricsStatus.Throttle throttle = status.throttle();
    w.name("throttle");
    if (throttle == null) {
      w.nullValue();
    } else {
      w.beginObject();
      w.name("name").value(throttle.name());
      w.name("probability").value(throttle.probability());
      w.name("requests").value(throttle.requests());
      w.name("accepts").value(throttle.accepts());
      w.endObject();
    }
    MetricsStatus.Hedging hedging = status.hedging();
    w.name("hedging");
    if (hedging == null) {
      w.nullValue();
    } else {
      w.beginObject();
      w.name("delayMs").value(millis(hedging.delay()));
      w.name("maxExtra").value(hedging.maxExtra());
      w.name("sent").value(hedging.sent());
      w.name("won").value(hedging.won());
      w.endObject();
    }
    w.endObject();
  }

  private static void hystrixPercentiles(JsonWriter w, MetricsSnapshot s) {
    w.beginObject();
    for (Double p : HYSTRIX_PERCENTILES) {
      w.name(key(p)).value(hystrixMillis(s.latencyPercentile(p)));
    }
    w.endObject();
  }

  /** "50" for 50.0 and "99.5" for 99.5, as Hystrix keys its percentiles. */
  private static String key(double p) {
    return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
  }

  /** Milliseconds with microsecond precision: sub-millisecond calls still show. */
  private static double millis(Duration d) {
    return Math.round(d.toNanos() / 1_000.0) / 1_000.0;
  }
}
