package io.dyno.metrics.internal;

import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.internal.hdr.Histogram;
import io.dyno.metrics.internal.hdr.HistogramIterationValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Merges the {@code /metrics.json?histograms=true} answers of several instances into one view,
 * metric by metric (metrics of one name across instances are one service's):
 *
 * <ul>
 *   <li>{@code successes}, {@code failures}, {@code timeouts}, {@code shortCircuits}, {@code
 *       rejections}, {@code inFlight}, {@code maxInFlight}, each {@code failuresByType} entry and
 *       {@code ratePerSecond} are summed; {@code requests} and {@code errors} are the sums of their
 *       parts, and {@code errorPercentage} is recomputed from those sums, never averaged;
 *   <li>{@code latencyCount}, {@code latencyMeanMillis} and every key of {@code latencyMillis} come
 *       from the union of the instances' latency histograms (HdrHistogram's {@code add}), computed
 *       exactly as one instance computes its own: a cluster of one gives that instance's values;
 *   <li>{@code windowMillis} and {@code latencyWindowMillis} are the instances' windows, the
 *       largest where they differ; {@code time} is the newest;
 *   <li>{@code status} is null when no instance reports one; otherwise its {@code circuit} is the
 *       most severe of the instances' (FORCED_OPEN, then OPEN, HALF_OPEN, CLOSED, DISABLED, then
 *       states unknown here by name), its {@code nextTrialInMillis} the smallest among the
 *       instances whose circuit is OPEN, its {@code pool} every figure summed (null when no
 *       instance has a pool), and its {@code arms} (null when no instance reports arms) the first
 *       instance's {@code name}, in the instances' order, {@code percent} the lowest of the
 *       instances' percents and {@code percentMax} the highest (they differ while a change of
 *       percentage reaches the instances), {@code admitted} and {@code refused} summed, and {@code
 *       tripped} true when any instance's is; an instance whose status has no {@code arms} member
 *       (an older one) reports none;
 *   <li>the status's {@code limit} (null when no instance reports a limit) has the first instance's
 *       {@code name}, the instances' {@code algorithm} when they all report the same one and {@code
 *       "mixed"} otherwise, and {@code limit} and {@code inFlight} summed (the cluster's capacity
 *       and load); its {@code throttle} (null when no instance reports a throttle) has the first
 *       instance's {@code name}, {@code probability} the highest of the instances' and {@code
 *       probabilityMin} the lowest, and {@code requests} and {@code accepts} summed; its {@code
 *       hedging} (null when no instance reports hedging) has {@code delayMs} the highest of the
 *       instances' delays and {@code delayMinMs} the lowest, {@code maxExtra} the highest, and
 *       {@code sent} and {@code won} summed; an instance whose status has no {@code limit}, {@code
 *       throttle} or {@code hedging} member (an older one) reports none;
 *   <li>{@code hosts} counts the instances that reported the metric, and {@code circuits} the
 *       instances in each circuit state (an empty object when none reports a circuit).
 * </ul>
 *
 * <p>A metric that an instance could not read (its entry carries {@code "error"}) is left out of
 * that instance's share; a metric no instance could read is listed with {@code "error"} and {@code
 * "hosts": 0}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ClusterMerge {

  /** The circuit states from the most severe down; a state not listed ranks below them all. */
  private static final List<String> SEVERITY =
      List.of("FORCED_OPEN", "OPEN", "HALF_OPEN", "CLOSED", "DISABLED");

  private static final List<String> POOL =
      List.of("maxSize", "size", "largest", "active", "queued", "completed");

  private ClusterMerge() {}

  /** One instance's reading of one metric, as its {@code metrics.json} entry gives it. */
  public static final class Metric {
    final String name;
    long time;
    long windowMillis;
    long latencyWindowMillis;
    long successes;
    long failures;
    long timeouts;
    long shortCircuits;
    long rejections;
    long inFlight;
    long maxInFlight;
    double ratePerSecond;
    final Map<String, Long> failuresByType = new LinkedHashMap<>();

    /** Null when the instance could not read the metric. */
    @Nullable Histogram latencies;

    boolean hasStatus;
    @Nullable String circuit;
    @Nullable Double nextTrialInMillis;
    long @Nullable [] pool;
    @Nullable Arms arms;
    @Nullable Limit limit;
    @Nullable Throttle throttle;
    @Nullable Hedging hedging;

    private Metric(String name) {
      this.name = name;
    }
  }

  /** One instance's arms of a rollout, as its status gives them. */
  record Arms(String name, double percent, long admitted, long refused, boolean tripped) {}

  /** One instance's concurrency limit, as its status gives it. */
  record Limit(String name, String algorithm, long limit, long inFlight) {}

  /** One instance's client-side throttle, as its status gives it. */
  record Throttle(String name, double probability, long requests, long accepts) {}

  /** One instance's hedging, as its status gives it. */
  record Hedging(double delayMs, long maxExtra, long sent, long won) {}

  /**
   * Reads one instance's {@code /metrics.json?histograms=true} answer.
   *
   * @param json the parsed answer
   * @return its metrics by name, in the answer's order
   * @throws IllegalArgumentException if the answer is not in that format, naming the metric and the
   *     member at fault
   */
  public static Map<String, Metric> read(Map<String, @Nullable Object> json) {
    Map<String, Metric> metrics = new LinkedHashMap<>();
    for (Map.Entry<String, @Nullable Object> e : json.entrySet()) {
      String name = e.getKey();
      Map<String, @Nullable Object> m = object(e.getValue(), "metric '" + name + "'");
      metrics.put(name, readMetric(name, m));
    }
    return metrics;
  }

  private static Metric readMetric(String name, Map<String, @Nullable Object> m) {
    if (m.containsKey("error")) {
      return new Metric(name);
    }
    String where = "metric '" + name + "': ";
    Metric r = new Metric(name);
    r.time = whole(m, "time", where);
    r.windowMillis = whole(m, "windowMillis", where);
    r.latencyWindowMillis = whole(m, "latencyWindowMillis", where);
    r.successes = whole(m, "successes", where);
    r.failures = whole(m, "failures", where);
    r.timeouts = whole(m, "timeouts", where);
    r.shortCircuits = whole(m, "shortCircuits", where);
    r.rejections = whole(m, "rejections", where);
    r.inFlight = whole(m, "inFlight", where);
    r.maxInFlight = whole(m, "maxInFlight", where);
    r.ratePerSecond = number(m.get("ratePerSecond"), where + "ratePerSecond");
    Map<String, @Nullable Object> byType =
        object(m.get("failuresByType"), where + "failuresByType");
    for (Map.Entry<String, @Nullable Object> t : byType.entrySet()) {
      r.failuresByType.put(
          t.getKey(), whole(t.getValue(), where + "failuresByType '" + t.getKey() + "'"));
    }
    Object histogram = m.get("latencyHistogram");
    if (!(histogram instanceof String text)) {
      throw new IllegalArgumentException(
          where
              + "latencyHistogram must be a string, was "
              + JsonReader.describe(histogram)
              + " (an instance without cluster support?)");
    }
    try {
      r.latencies = HistogramCodec.decode(text);
    } catch (IllegalArgumentException bad) {
      throw new IllegalArgumentException(where + bad.getMessage(), bad);
    }
    Object status = m.get("status");
    if (status != null) {
      Map<String, @Nullable Object> s = object(status, where + "status");
      r.hasStatus = true;
      Object circuit = s.get("circuit");
      if (circuit != null) {
        if (!(circuit instanceof String c)) {
          throw new IllegalArgumentException(
              where + "status.circuit must be a string, was " + JsonReader.describe(circuit));
        }
        r.circuit = c;
      }
      Object next = s.get("nextTrialInMillis");
      if (next != null) {
        r.nextTrialInMillis = number(next, where + "status.nextTrialInMillis");
      }
      Object pool = s.get("pool");
      if (pool != null) {
        Map<String, @Nullable Object> p = object(pool, where + "status.pool");
        long[] figures = new long[POOL.size()];
        for (int k = 0; k < figures.length; k++) {
          figures[k] = whole(p, POOL.get(k), where + "status.pool.");
        }
        r.pool = figures;
      }
      Object arms = s.get("arms");
      if (arms != null) {
        r.arms = readArms(object(arms, where + "status.arms"), where + "status.arms.");
      }
      Object limit = s.get("limit");
      if (limit != null) {
        r.limit = readLimit(object(limit, where + "status.limit"), where + "status.limit.");
      }
      Object throttle = s.get("throttle");
      if (throttle != null) {
        r.throttle =
            readThrottle(object(throttle, where + "status.throttle"), where + "status.throttle.");
      }
      Object hedging = s.get("hedging");
      if (hedging != null) {
        r.hedging =
            readHedging(object(hedging, where + "status.hedging"), where + "status.hedging.");
      }
    }
    return r;
  }

  private static Arms readArms(Map<String, @Nullable Object> a, String where) {
    String n = string(a, "name", where);
    double percent = number(a.get("percent"), where + "percent");
    long admitted = whole(a, "admitted", where);
    long refused = whole(a, "refused", where);
    Object tripped = a.get("tripped");
    if (!(tripped instanceof Boolean t)) {
      throw new IllegalArgumentException(
          where + "tripped must be a boolean, was " + JsonReader.describe(tripped));
    }
    return new Arms(n, percent, admitted, refused, t);
  }

  private static Limit readLimit(Map<String, @Nullable Object> l, String where) {
    return new Limit(
        string(l, "name", where),
        string(l, "algorithm", where),
        whole(l, "limit", where),
        whole(l, "inFlight", where));
  }

  private static Throttle readThrottle(Map<String, @Nullable Object> t, String where) {
    String n = string(t, "name", where);
    double probability = number(t.get("probability"), where + "probability");
    return new Throttle(n, probability, whole(t, "requests", where), whole(t, "accepts", where));
  }

  private static Hedging readHedging(Map<String, @Nullable Object> h, String where) {
    double delayMs = number(h.get("delayMs"), where + "delayMs");
    return new Hedging(
        delayMs, whole(h, "maxExtra", where), whole(h, "sent", where), whole(h, "won", where));
  }

  private static String string(Map<String, @Nullable Object> m, String member, String where) {
    Object v = m.get(member);
    if (!(v instanceof String text)) {
      throw new IllegalArgumentException(
          where + member + " must be a string, was " + JsonReader.describe(v));
    }
    return text;
  }

  /**
   * Merges the instances' metrics into one JSON object keyed by name, sorted by name, each value in
   * {@code metrics.json}'s format plus {@code "hosts"} and {@code "circuits"} (see the class
   * comment for the rules).
   *
   * @param instances each instance's metrics, as {@link #read} gives them
   * @return the JSON text
   */
  public static String merge(List<Map<String, Metric>> instances) {
    Map<String, List<Metric>> byName = new TreeMap<>();
    for (Map<String, Metric> instance : instances) {
      for (Metric m : instance.values()) {
        byName.computeIfAbsent(m.name, k -> new ArrayList<>()).add(m);
      }
    }
    JsonWriter w = new JsonWriter().beginObject();
    for (Map.Entry<String, List<Metric>> e : byName.entrySet()) {
      w.name(e.getKey());
      List<Metric> read = new ArrayList<>();
      Histogram union = new Histogram(HistogramCodec.DIGITS);
      for (Metric m : e.getValue()) {
        Histogram h = m.latencies;
        if (h != null) {
          read.add(m);
          union.add(h);
        }
      }
      if (read.isEmpty()) {
        w.beginObject();
        w.name("name").value(e.getKey());
        w.name("error").value("snapshot failed");
        w.name("hosts").value(0L);
        w.name("circuits").beginObject().endObject();
        w.endObject();
      } else {
        writeMerged(w, e.getKey(), read, union);
      }
    }
    return w.endObject().toString();
  }

  /** Writes the merged metric of the {@code hosts} that read it, {@code union} their latencies. */
  private static void writeMerged(JsonWriter w, String name, List<Metric> hosts, Histogram union) {
    long time = Long.MIN_VALUE;
    long window = 0;
    long latencyWindow = 0;
    long successes = 0;
    long failures = 0;
    long timeouts = 0;
    long shortCircuits = 0;
    long rejections = 0;
    long inFlight = 0;
    long maxInFlight = 0;
    double rate = 0;
    Map<String, Long> byType = new TreeMap<>();
    for (Metric m : hosts) {
      time = Math.max(time, m.time);
      window = Math.max(window, m.windowMillis);
      latencyWindow = Math.max(latencyWindow, m.latencyWindowMillis);
      successes += m.successes;
      failures += m.failures;
      timeouts += m.timeouts;
      shortCircuits += m.shortCircuits;
      rejections += m.rejections;
      inFlight += m.inFlight;
      maxInFlight += m.maxInFlight;
      rate += m.ratePerSecond;
      m.failuresByType.forEach((type, n) -> byType.merge(type, n, Long::sum));
    }
    long requests = successes + failures + timeouts + shortCircuits + rejections;
    long errors = failures + timeouts + shortCircuits + rejections;
    w.beginObject();
    w.name("name").value(name);
    w.name("time").value(time);
    w.name("windowMillis").value(window);
    w.name("latencyWindowMillis").value(latencyWindow);
    w.name("requests").value(requests);
    w.name("successes").value(successes);
    w.name("failures").value(failures);
    w.name("timeouts").value(timeouts);
    w.name("shortCircuits").value(shortCircuits);
    w.name("rejections").value(rejections);
    w.name("errors").value(errors);
    // As MetricsSnapshot.errorPercentage computes it, from the sums; no requests give NaN, which
    // the writer writes as 0.
    w.name("errorPercentage").value(100.0 * errors / requests);
    w.name("ratePerSecond").value(rate);
    w.name("inFlight").value(inFlight);
    w.name("maxInFlight").value(maxInFlight);
    w.name("failuresByType").beginObject();
    for (Map.Entry<String, Long> t : byType.entrySet()) {
      w.name(t.getKey()).value(t.getValue().longValue());
    }
    w.endObject();
    SnapshotJson.writeLatency(w, summarize(union));
    SortedMap<String, Integer> circuits = circuits(hosts);
    w.name("status");
    writeStatus(w, hosts, circuits.isEmpty() ? null : circuits.firstKey());
    w.name("hosts").value((long) hosts.size());
    w.name("circuits").beginObject();
    for (Map.Entry<String, Integer> c : circuits.entrySet()) {
      w.name(c.getKey()).value(c.getValue().longValue());
    }
    w.endObject();
    w.endObject();
  }

  /**
   * Summarizes a histogram with the code a metric's own snapshot uses, from the histogram's (lowest
   * equivalent value, count) runs, so that a union of one gives that metric's figures.
   */
  static LatencySummary summarize(Histogram h) {
    List<Long> values = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    for (HistogramIterationValue v : h.recordedValues()) {
      values.add(h.lowestEquivalentValue(v.getValueIteratedTo()));
      counts.add(v.getCountAtValueIteratedTo());
    }
    int n = values.size();
    long[][] runValues = {new long[n]};
    long[][] runCounts = {new long[n]};
    for (int i = 0; i < n; i++) {
      runValues[0][i] = values.get(i);
      runCounts[0][i] = counts.get(i);
    }
    return LatencySummary.ofMerged(
        runValues,
        runCounts,
        new int[] {n},
        new int[] {0},
        1,
        new int[1],
        MetricsSnapshot.PERCENTILES,
        h);
  }

  /**
   * Writes the merged status, {@code circuit} being the most severe of the hosts' circuits (a host
   * reports a circuit only within a status).
   */
  private static void writeStatus(JsonWriter w, List<Metric> hosts, @Nullable String circuit) {
    boolean any = false;
    double nextTrial = Double.POSITIVE_INFINITY;
    long[] pool = null;
    Arms arms = null;
    double percentMax = 0;
    Limit limit = null;
    Throttle throttle = null;
    double probabilityMin = 0;
    Hedging hedging = null;
    double delayMinMs = 0;
    for (Metric m : hosts) {
      if (!m.hasStatus) {
        continue;
      }
      any = true;
      Double next = m.nextTrialInMillis;
      if ("OPEN".equals(m.circuit) && next != null) {
        nextTrial = Math.min(nextTrial, next);
      }
      long[] p = m.pool;
      if (p != null) {
        if (pool == null) {
          pool = new long[POOL.size()];
        }
        for (int k = 0; k < pool.length; k++) {
          pool[k] += p[k];
        }
      }
      Arms a = m.arms;
      if (a != null) {
        if (arms == null) {
          arms = a;
          percentMax = a.percent();
        } else {
          arms =
              new Arms(
                  arms.name(),
                  Math.min(arms.percent(), a.percent()),
                  arms.admitted() + a.admitted(),
                  arms.refused() + a.refused(),
                  arms.tripped() || a.tripped());
          percentMax = Math.max(percentMax, a.percent());
        }
      }
      Limit l = m.limit;
      if (l != null) {
        limit =
            limit == null
                ? l
                : new Limit(
                    limit.name(),
                    limit.algorithm().equals(l.algorithm()) ? limit.algorithm() : "mixed",
                    limit.limit() + l.limit(),
                    limit.inFlight() + l.inFlight());
      }
      Throttle t = m.throttle;
      if (t != null) {
        if (throttle == null) {
          throttle = t;
          probabilityMin = t.probability();
        } else {
          throttle =
              new Throttle(
                  throttle.name(),
                  Math.max(throttle.probability(), t.probability()),
                  throttle.requests() + t.requests(),
                  throttle.accepts() + t.accepts());
          probabilityMin = Math.min(probabilityMin, t.probability());
        }
      }
      Hedging h = m.hedging;
      if (h != null) {
        if (hedging == null) {
          hedging = h;
          delayMinMs = h.delayMs();
        } else {
          hedging =
              new Hedging(
                  Math.max(hedging.delayMs(), h.delayMs()),
                  Math.max(hedging.maxExtra(), h.maxExtra()),
                  hedging.sent() + h.sent(),
                  hedging.won() + h.won());
          delayMinMs = Math.min(delayMinMs, h.delayMs());
        }
      }
    }
    if (!any) {
      w.nullValue();
      return;
    }
    w.beginObject();
    w.name("circuit");
    if (circuit == null) {
      w.nullValue();
    } else {
      w.value(circuit);
    }
    w.name("nextTrialInMillis");
    if (nextTrial == Double.POSITIVE_INFINITY) {
      w.nullValue();
    } else {
      w.value(nextTrial);
    }
    w.name("pool");
    if (pool == null) {
      w.nullValue();
    } else {
      w.beginObject();
      for (int k = 0; k < pool.length; k++) {
        w.name(POOL.get(k)).value(pool[k]);
      }
      w.endObject();
    }
    w.name("arms");
    if (arms == null) {
      w.nullValue();
    } else {
      w.beginObject();
      w.name("name").value(arms.name());
      w.name("percent").value(arms.percent());
      w.name("percentMax").value(percentMax);
      w.name("admitted").value(arms.admitted());
      w.name("refused").value(arms.refused());
      w.name("tripped").value(arms.tripped());
      w.endObject();
    }
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
    w.name("throttle");
    if (throttle == null) {
      w.nullValue();
    } else {
      w.beginObject();
      w.name("name").value(throttle.name());
      w.name("probability").value(throttle.probability());
      w.name("probabilityMin").value(probabilityMin);
      w.name("requests").value(throttle.requests());
      w.name("accepts").value(throttle.accepts());
      w.endObject();
    }
    w.name("hedging");
    if (hedging == null) {
      w.nullValue();
    } else {
      w.beginObject();
      w.name("delayMs").value(hedging.delayMs());
      w.name("delayMinMs").value(delayMinMs);
      w.name("maxExtra").value(hedging.maxExtra());
      w.name("sent").value(hedging.sent());
      w.name("won").value(hedging.won());
      w.endObject();
    }
    w.endObject();
  }

  /** The hosts in each circuit state, the most severe first, states unknown here last by name. */
  private static SortedMap<String, Integer> circuits(List<Metric> hosts) {
    SortedMap<String, Integer> counts =
        new TreeMap<>(
            Comparator.comparingInt(ClusterMerge::rank).thenComparing(Comparator.naturalOrder()));
    for (Metric m : hosts) {
      String c = m.circuit;
      if (c != null) {
        counts.merge(c, 1, Integer::sum);
      }
    }
    return counts;
  }

  /** 0 for the most severe state; states unknown here rank after every known one. */
  private static int rank(String circuit) {
    int at = SEVERITY.indexOf(circuit);
    return at < 0 ? SEVERITY.size() : at;
  }

  @SuppressWarnings("unchecked") // the reader makes every object a Map<String, Object>
  private static Map<String, @Nullable Object> object(@Nullable Object v, String what) {
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException(
          what + " must be an object, was " + JsonReader.describe(v));
    }
    return (Map<String, @Nullable Object>) v;
  }

  private static long whole(Map<String, @Nullable Object> m, String member, String where) {
    return whole(m.get(member), where + member);
  }

  private static long whole(@Nullable Object v, String what) {
    if (v instanceof Long n && n >= 0) {
      return n;
    }
    throw new IllegalArgumentException(
        what
            + " must be a whole number >= 0, was "
            + (v instanceof Number ? v : JsonReader.describe(v)));
  }

  private static double number(@Nullable Object v, String what) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(what + " must be a number, was " + JsonReader.describe(v));
  }
}
