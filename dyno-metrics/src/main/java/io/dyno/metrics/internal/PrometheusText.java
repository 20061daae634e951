package io.dyno.metrics.internal;

import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import io.dyno.metrics.MetricsTotals;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Writes metrics in Prometheus's text exposition format 0.0.4 or in OpenMetrics 1.0, for a
 * scraper's {@code GET /metrics}.
 *
 * <p>The families, each written only when it has a sample, every one labelled with the metric's
 * name as {@code name="payments"}, their samples grouped and the metrics in name order:
 *
 * <ul>
 *   <li>{@code dyno_calls_total{outcome}} counter: calls by outcome ({@code success}, {@code
 *       failure}, {@code timeout}, {@code short_circuit}, {@code rejection}) since creation;
 *   <li>{@code dyno_call_failures_total{exception}} counter: failures by exception class name;
 *   <li>{@code dyno_call_duration_seconds} histogram: latencies since creation, in the fixed
 *       {@linkplain #BOUNDS_NANOS bounds}, the same on every instance;
 *   <li>{@code dyno_calls_in_flight}, {@code dyno_calls_in_flight_max} gauges: calls running now,
 *       and the most at once during the snapshot's window;
 *   <li>with a status: {@code dyno_circuit_state{state}} (1 for the current state, 0 for the
 *       others), {@code dyno_circuit_next_trial_seconds}, the pool's {@code dyno_pool_threads},
 *       {@code dyno_pool_threads_max}, {@code dyno_pool_threads_largest}, {@code
 *       dyno_pool_threads_active}, {@code dyno_pool_queued_tasks}, {@code
 *       dyno_pool_completed_tasks_total}, and a rollout's {@code dyno_rollout_admitted_total},
 *       {@code dyno_rollout_refused_total}, {@code dyno_rollout_admitted_ratio}, {@code
 *       dyno_rollout_tripped}, each with {@code rollout="its name"}, a concurrency limit's {@code
 *       dyno_limit{limiter,algorithm}} and {@code dyno_limit_in_flight{limiter}}, and a client-side
 *       throttle's {@code dyno_throttle_probability}, {@code dyno_throttle_requests}, {@code
 *       dyno_throttle_accepts}, each with {@code throttle="its name"} (gauges: the throttle's
 *       requests and accepts are counts over its window, and fall as the window moves on), and
 *       hedging's {@code dyno_hedge_delay_seconds} gauge and {@code dyno_hedges_sent_total} and
 *       {@code dyno_hedges_won_total} counters (totals since the service started).
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class PrometheusText {

  /** The two formats a scraper may ask for. */
  public enum Format {
    /** Prometheus's text format 0.0.4. */
    TEXT("text/plain; version=0.0.4; charset=utf-8"),
    /** OpenMetrics 1.0: counters declared without {@code _total}, and {@code # EOF} at the end. */
    OPENMETRICS("application/openmetrics-text; version=1.0.0; charset=utf-8");

    private final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    /**
     * Returns the {@code Content-Type} of an answer in this format.
     *
     * @return the media type with its version and charset
     */
    public String contentType() {
      return contentType;
    }
  }

  /**
   * One metric's readings: its snapshot (for the in-flight gauges and the status) and its totals.
   *
   * @param snapshot the snapshot
   * @param totals the totals, of the same metric
   */
  public record Metric(MetricsSnapshot snapshot, MetricsTotals totals) {

    /**
     * Checks that both readings are of one metric.
     *
     * @param snapshot the snapshot
     * @param totals the totals, of the same metric
     * @throws IllegalArgumentException if their names differ, naming both
     */
    public Metric {
      Objects.requireNonNull(snapshot, "snapshot must not be null");
      Objects.requireNonNull(totals, "totals must not be null");
      if (!snapshot.name().equals(totals.name())) {
        throw new IllegalArgumentException(
            "totals must be of the snapshot's metric '"
                + snapshot.name()
                + "', were of '"
                + totals.name()
                + "'");
      }
    }
  }

  /** How many finite bucket bounds there are: 1 µs times 2^(k/4) for k from 0 to 104. */
  private static final int BOUNDS = 105;

  /**
   * The latency histogram's upper bounds ({@code le}), in nanoseconds, ascending: 1 µs times
   * 2<sup>k/4</sup> for k from 0 to 104 (about 67 s), each rounded to 3 significant digits, so 1
   * µs, 1.19 µs, 1.41 µs, 1.68 µs, 2 µs, ..., 1.02 ms, ..., 67.1 s, then {@code +Inf}. Consecutive
   * bounds differ by a factor between 1.18 and 1.20, so {@code histogram_quantile}, which
   * interpolates within the bucket that holds the quantile, is never further from the true value
   * than that bucket's width: at most 20 % of the value. Computed from integers with {@link
   * StrictMath}, so that every instance, on any JDK, writes the same {@code le} labels, and sums of
   * buckets across instances are exact.
   */
  static final long[] BOUNDS_NANOS = bounds();

  /** {@link #BOUNDS_NANOS} in seconds, as the {@code le} labels write them. */
  private static final String[] BOUND_LABELS = labels(BOUNDS_NANOS);

  /** A media range's parameter that refuses it: {@code q=0}, {@code q=0.0} and the like. */
  private static final Pattern REFUSED = Pattern.compile("q\\s*=\\s*0(\\.0{0,3})?");

  private static final String COUNTER = "counter";
  private static final String GAUGE = "gauge";
  private static final String HISTOGRAM = "histogram";

  private PrometheusText() {}

  /**
   * Returns the bucket bounds in nanoseconds.
   *
   * @return a fresh copy of {@link #BOUNDS_NANOS}
   */
  public static long[] boundsNanos() {
    return BOUNDS_NANOS.clone();
  }

  /**
   * Returns the format an {@code Accept} header asks for: OpenMetrics when it names {@code
   * application/openmetrics-text} (any version) without {@code q=0}, the text format otherwise, as
   * when there is no header.
   *
   * @param accept the request's {@code Accept} header, or null
   * @return the format to answer in
   */
  public static Format negotiate(@Nullable String accept) {
    if (accept == null) {
      return Format.TEXT;
    }
    for (String range : accept.split(",", -1)) {
      String[] parts = range.split(";", -1);
      if (parts[0].strip().equalsIgnoreCase("application/openmetrics-text") && !refused(parts)) {
        return Format.OPENMETRICS;
      }
    }
    return Format.TEXT;
  }

  private static boolean refused(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      if (REFUSED.matcher(parts[i].strip().toLowerCase(Locale.ROOT)).matches()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Writes the exposition of {@code metrics}.
   *
   * @param metrics the metrics' readings, with distinct names, in any order
   * @param format the format
   * @return the exposition text, each line ended by a newline
   */
  public static String write(List<Metric> metrics, Format format) {
    Objects.requireNonNull(format, "format must not be null");
    List<Metric> sorted = new ArrayList<>(metrics);
    sorted.sort(Comparator.comparing(m -> m.snapshot().name()));

    Family calls =
        new Family(
            "dyno_calls",
            COUNTER,
            "Calls since the metric was created, by outcome: success, failure, timeout,"
                + " short_circuit (refused by an open circuit breaker), rejection (refused for"
                + " lack of capacity).");
    Family failures =
        new Family(
            "dyno_call_failures",
            COUNTER,
            "Failed calls since the metric was created, by the exception's class name; timeouts"
                + " not included.");
    Family duration =
        new Family(
            "dyno_call_duration_seconds",
            HISTOGRAM,
            "Latency of the calls that ran since the metric was created, in seconds;"
                + " short-circuits and rejections never ran.");
    Family inFlight = new Family("dyno_calls_in_flight", GAUGE, "Calls running now.");
    Family inFlightMax =
        new Family(
            "dyno_calls_in_flight_max",
            GAUGE,
            "The most calls running at once during the metric's window (10 s by default): a"
                + " peak of the window, not since creation.");
    for (Metric m : sorted) {
      MetricsTotals t = m.totals();
      String name = m.snapshot().name();
      calls.add("_total", name, "outcome", "success", Long.toString(t.successes()));
      calls.add("_total", name, "outcome", "failure", Long.toString(t.failures()));
      calls.add("_total", name, "outcome", "timeout", Long.toString(t.timeouts()));
      calls.add("_total", name, "outcome", "short_circuit", Long.toString(t.shortCircuits()));
      calls.add("_total", name, "outcome", "rejection", Long.toString(t.rejections()));
      for (Map.Entry<String, Long> e : t.failuresByType().entrySet()) {
        failures.add("_total", name, "exception", e.getKey(), e.getValue().toString());
      }
      long[] atOrBelow = t.latencyCountsAtOrBelow(BOUNDS_NANOS);
      for (int i = 0; i < BOUNDS_NANOS.length; i++) {
        duration.add("_bucket", name, "le", BOUND_LABELS[i], Long.toString(atOrBelow[i]));
      }
      duration.add("_bucket", name, "le", "+Inf", Long.toString(t.latencyCount()));
      duration.add("_sum", name, seconds(t.latencySum().toNanos()));
      duration.add("_count", name, Long.toString(t.latencyCount()));
      inFlight.add("", name, Long.toString(m.snapshot().inFlight()));
      inFlightMax.add("", name, Long.toString(m.snapshot().maxInFlight()));
    }
    StringBuilder out = new StringBuilder();
    for (Family f : List.of(calls, failures, duration, inFlight, inFlightMax)) {
      f.writeTo(out, format);
    }
    writeStatus(out, sorted, format);
    if (format == Format.OPENMETRICS) {
      out.append("# EOF\n");
    }
    return out.toString();
  }

  /**
   * The families of the metrics' statuses: the circuit, the pool, the rollout, the limit, the
   * throttle and the hedging.
   */
  private static void writeStatus(StringBuilder out, List<Metric> metrics, Format format) {
    Family state =
        new Family(
            "dyno_circuit_state",
            GAUGE,
            "The circuit breaker's state: 1 for the current one, 0 for the others.");
    Family nextTrial =
        new Family(
            "dyno_circuit_next_trial_seconds",
            GAUGE,
            "While the circuit is open, the time until it lets a trial call through, in"
                + " seconds.");
    Family threads = new Family("dyno_pool_threads", GAUGE, "Threads the pool holds now.");
    Family threadsMax =
        new Family("dyno_pool_threads_max", GAUGE, "The most threads the pool may hold.");
    Family threadsLargest =
        new Family(
            "dyno_pool_threads_largest", GAUGE, "The most threads the pool has held at once.");
    Family threadsActive =
        new Family("dyno_pool_threads_active", GAUGE, "The pool's threads running a task now.");
    Family queued = new Family("dyno_pool_queued_tasks", GAUGE, "Tasks waiting for a thread.");
    Family completed =
        new Family(
            "dyno_pool_completed_tasks", COUNTER, "Tasks the pool has completed since it started.");
    Family admitted =
        new Family("dyno_rollout_admitted", COUNTER, "Callers the rollout has admitted.");
    Family refused =
        new Family("dyno_rollout_refused", COUNTER, "Callers the rollout has refused.");
    Family ratio =
        new Family(
            "dyno_rollout_admitted_ratio",
            GAUGE,
            "The share of callers the rollout admits, from 0 to 1.");
    Family tripped =
        new Family(
            "dyno_rollout_tripped", GAUGE, "1 while the rollout is tripped, refusing everyone.");
    Family limit =
        new Family(
            "dyno_limit",
            GAUGE,
            "The calls the concurrency limit lets run at once now, with the algorithm that sets"
                + " it.");
    Family limitInFlight =
        new Family(
            "dyno_limit_in_flight",
            GAUGE,
            "The calls running under the concurrency limit now; above the limit for a moment"
                + " after it dropped.");
    Family probability =
        new Family(
            "dyno_throttle_probability",
            GAUGE,
            "The probability with which the client-side throttle rejects a call now, from 0 to"
                + " 1.");
    Family requests =
        new Family(
            "dyno_throttle_requests",
            GAUGE,
            "The requests the throttle saw over its window: a window's count, not a total.");
    Family accepts =
        new Family(
            "dyno_throttle_accepts",
            GAUGE,
            "The requests the backend accepted over the throttle's window: a window's count, not"
                + " a total.");
    Family hedgeDelay =
        new Family(
            "dyno_hedge_delay_seconds",
            GAUGE,
            "How long a hedged call waits now before an extra copy of it is sent, in seconds.");
    Family hedgesSent =
        new Family("dyno_hedges_sent", COUNTER, "Extra copies of slow calls sent since the start.");
    Family hedgesWon =
        new Family(
            "dyno_hedges_won",
            COUNTER,
            "Calls an extra copy won, answering first, since the start.");
    for (Metric m : metrics) {
      MetricsStatus status = m.snapshot().status();
      if (status == null) {
        continue;
      }
      String name = m.snapshot().name();
      MetricsStatus.Circuit circuit = status.circuit();
      if (circuit != null) {
        for (MetricsStatus.Circuit c : MetricsStatus.Circuit.values()) {
          state.add("", name, "state", c.name().toLowerCase(Locale.ROOT), c == circuit ? "1" : "0");
        }
      }
      Duration untilTrial = status.nextTrialIn();
      if (untilTrial != null) {
        nextTrial.add("", name, seconds(untilTrial.toNanos()));
      }
      MetricsStatus.Pool pool = status.pool();
      if (pool != null) {
        threads.add("", name, Integer.toString(pool.size()));
        threadsMax.add("", name, Integer.toString(pool.maxSize()));
        threadsLargest.add("", name, Integer.toString(pool.largest()));
        threadsActive.add("", name, Integer.toString(pool.active()));
        queued.add("", name, Integer.toString(pool.queued()));
        completed.add("_total", name, Long.toString(pool.completed()));
      }
      MetricsStatus.Arms arms = status.arms();
      if (arms != null) {
        admitted.add("_total", name, "rollout", arms.name(), Long.toString(arms.admitted()));
        refused.add("_total", name, "rollout", arms.name(), Long.toString(arms.refused()));
        ratio.add(
            "",
            name,
            "rollout",
            arms.name(),
            BigDecimal.valueOf(arms.percent())
                .movePointLeft(2)
                .stripTrailingZeros()
                .toPlainString());
        tripped.add("", name, "rollout", arms.name(), arms.tripped() ? "1" : "0");
      }
      MetricsStatus.Limit l = status.limit();
      if (l != null) {
        limit.add(
            name, Integer.toString(l.limit()), "limiter", l.name(), "algorithm", l.algorithm());
        limitInFlight.add("", name, "limiter", l.name(), Integer.toString(l.inFlight()));
      }
      MetricsStatus.Throttle t = status.throttle();
      if (t != null) {
        probability.add(
            "",
            name,
            "throttle",
            t.name(),
            BigDecimal.valueOf(t.probability()).stripTrailingZeros().toPlainString());
        requests.add("", name, "throttle", t.name(), Long.toString(t.requests()));
        accepts.add("", name, "throttle", t.name(), Long.toString(t.accepts()));
      }
      MetricsStatus.Hedging h = status.hedging();
      if (h != null) {
        hedgeDelay.add("", name, seconds(h.delay()));
        hedgesSent.add("_total", name, Long.toString(h.sent()));
        hedgesWon.add("_total", name, Long.toString(h.won()));
      }
    }
    for (Family f :
        List.of(
            state,
            nextTrial,
            threads,
            threadsMax,
            threadsLargest,
            threadsActive,
            queued,
            completed,
            admitted,
            refused,
            ratio,
            tripped,
            limit,
            limitInFlight,
            probability,
            requests,
            accepts,
            hedgeDelay,
            hedgesSent,
            hedgesWon)) {
      f.writeTo(out, format);
    }
  }

  /** Nanoseconds as seconds, exactly: {@code 1500000} gives {@code 0.0015}, 0 gives {@code 0}. */
  static String seconds(long nanos) {
    return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
  }

  /** A duration as seconds, exactly and at any length: {@code PT0.0123S} gives {@code 0.0123}. */
  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.getSeconds())
        .add(BigDecimal.valueOf(d.getNano(), 9))
        .stripTrailingZeros()
        .toPlainString();
  }

  /**
   * Appends {@code value} as a label value: backslash, double quote and newline escaped, as both
   * formats require.
   */
  static void escape(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  private static long[] bounds() {
    long[] out = new long[BOUNDS];
    for (int k = 0; k < BOUNDS; k++) {
      out[k] = threeDigits(1_000 * StrictMath.pow(2, k / 4.0));
    }
    return out;
  }

  /** {@code x} rounded to 3 significant digits, half up. */
  static long threeDigits(double x) {
    return new BigDecimal(x).round(new MathContext(3, RoundingMode.HALF_UP)).longValueExact();
  }

  private static String[] labels(long[] boundsNanos) {
    String[] out = new String[boundsNanos.length];
    for (int i = 0; i < boundsNanos.length; i++) {
      out[i] = seconds(boundsNanos[i]);
    }
    return out;
  }

  /** One family's declaration and its samples, written only when it has a sample. */
  private static final class Family {

    private final String name;
    private final String type;
    private final String help;
    private final StringBuilder samples = new StringBuilder();

    Family(String name, String type, String help) {
      this.name = name;
      this.type = type;
      this.help = help;
    }

    /** A sample labelled with the metric's name alone. */
    void add(String suffix, String metric, String value) {
      start(suffix, metric).append("} ").append(value).append('\n');
    }

    /** A sample labelled with the metric's name and one more label. */
    void add(String suffix, String metric, String label, String labelValue, String value) {
      StringBuilder s = start(suffix, metric).append(',').append(label).append("=\"");
      escape(s, labelValue);
      s.append("\"} ").append(value).append('\n');
    }

    /** A sample with no suffix labelled with the metric's name and two more labels. */
    void add(
        String metric, String value, String label1, String value1, String label2, String value2) {
      StringBuilder s = start("", metric).append(',').append(label1).append("=\"");
      escape(s, value1);
      s.append("\",").append(label2).append("=\"");
      escape(s, value2);
      s.append("\"} ").append(value).append('\n');
    }

    private StringBuilder start(String suffix, String metric) {
      samples.append(name).append(suffix).append("{name=\"");
      escape(samples, metric);
      return samples.append('"');
    }

    void writeTo(StringBuilder out, Format format) {
      if (samples.length() == 0) {
        return;
      }
      // The text format declares a counter by its samples' name; OpenMetrics by the family's.
      String declared = type.equals(COUNTER) && format == Format.TEXT ? name + "_total" : name;
      out.append("# HELP ").append(declared).append(' ').append(help).append('\n');
      out.append("# TYPE ").append(declared).append(' ').append(type).append('\n');
      out.append(samples);
    }
  }
}
