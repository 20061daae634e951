package io.dyno.metrics.internal;

import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.MetricsStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;

/**
 * One emission of the Hystrix stream: a {@code data: {json}} frame per snapshot, byte for byte the
 * text of {@link SnapshotJson#hystrixCommand}, followed, for a snapshot whose status has a pool, by
 * a frame of {@link SnapshotJson#hystrixThreadPool}; or a {@code : ping} comment when there are no
 * snapshots.
 *
 * <p><b>Cost.</b> A frame is about 1.8 KB, nearly all of it the same for every metric and every
 * tick, so frames are written as bytes from parts made once: each metric's heads (its name and the
 * group, escaped) and the constant runs of keys between the values. Numbers are formatted with
 * integer arithmetic. A metric's frames are a function of its name, the snapshot's time and the
 * values they show (the counts, the latencies in whole milliseconds, the window and the status), so
 * a metric whose values are the same as at the last emission (an idle metric) has the bodies of its
 * frames copied from the last emission with only the time written anew.
 *
 * <p>Not thread-safe: one emission at a time. The arrays returned are never written again.
 */
public final class HystrixFrames {

  private static final byte[] PING = ": ping\n\n".getBytes(StandardCharsets.UTF_8);

  /** The Hystrix stream's latency keys, as the snapshot's percentile map keys them. */
  private static final Double[] PERCENTILES = {
    0.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 100.0
  };

  /** Where each of {@link #PERCENTILES} is among the snapshot's percentiles. */
  private static final int[] SNAPSHOT_INDEX = new int[PERCENTILES.length];

  static {
    for (int j = 0; j < PERCENTILES.length; j++) {
      SNAPSHOT_INDEX[j] = MetricsSnapshot.PERCENTILES.indexOf(PERCENTILES[j]);
    }
  }

  private static final String[] PERCENTILE_KEYS = {
    "0", "25", "50", "75", "90", "95", "99", "99.5", "100"
  };

  // A frame's values, in the order they appear in its frames. Booleans are 0 or 1, durations whole
  // milliseconds as the frame shows them, and a pool's figures 0 when there is no pool.
  private static final int CIRCUIT_OPEN = 0;
  private static final int ERROR_PERCENTAGE = 1;
  private static final int ERRORS = 2;
  private static final int REQUESTS = 3;
  private static final int FAILURES = 4;
  private static final int SEMAPHORE_REJECTED = 5;
  private static final int SHORT_CIRCUITS = 6;
  private static final int SUCCESSES = 7;
  private static final int THREAD_POOL_REJECTED = 8;
  private static final int TIMEOUTS = 9;
  private static final int IN_FLIGHT = 10;
  private static final int MAX_IN_FLIGHT = 11;
  private static final int MEAN = 12;
  private static final int FIRST_PERCENTILE = 13;
  private static final int FORCE_OPEN = FIRST_PERCENTILE + PERCENTILES.length;
  private static final int FORCE_CLOSED = FORCE_OPEN + 1;
  private static final int ENABLED = FORCE_CLOSED + 1;
  private static final int POOLED = ENABLED + 1;
  private static final int WINDOW = POOLED + 1;
  private static final int POOL_ACTIVE = WINDOW + 1;
  private static final int POOL_COMPLETED = POOL_ACTIVE + 1;
  private static final int POOL_MAX = POOL_COMPLETED + 1;
  private static final int POOL_LARGEST = POOL_MAX + 1;
  private static final int POOL_SIZE = POOL_LARGEST + 1;
  private static final int POOL_QUEUED = POOL_SIZE + 1;
  private static final int POOL_TASKS = POOL_QUEUED + 1;
  private static final int THREADS_EXECUTED = POOL_TASKS + 1;
  private static final int REJECTIONS = THREADS_EXECUTED + 1;
  private static final int VALUES = REJECTIONS + 1;

  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");

  private static final byte[] CIRCUIT_OPEN_KEY = ascii(key("isCircuitBreakerOpen"));
  private static final byte[] ERROR_PERCENTAGE_KEY = ascii(key("errorPercentage"));
  private static final byte[] ERRORS_KEY = ascii(key("errorCount"));
  private static final byte[] REQUESTS_KEY = ascii(key("requestCount"));
  private static final byte[] FAILURES_KEY =
      ascii(
          zeros(
                  "rollingCountBadRequests",
                  "rollingCountCollapsedRequests",
                  "rollingCountEmit",
                  "rollingCountExceptionsThrown")
              + key("rollingCountFailure"));
  private static final byte[] SEMAPHORE_REJECTED_KEY =
      ascii(
          zeros(
                  "rollingCountFallbackEmit",
                  "rollingCountFallbackFailure",
                  "rollingCountFallbackMissing",
                  "rollingCountFallbackRejection",
                  "rollingCountFallbackSuccess",
                  "rollingCountResponsesFromCache")
              + key("rollingCountSemaphoreRejected"));
  private static final byte[] SHORT_CIRCUITS_KEY = ascii(key("rollingCountShortCircuited"));
  private static final byte[] SUCCESSES_KEY = ascii(key("rollingCountSuccess"));
  private static final byte[] THREAD_POOL_REJECTED_KEY =
      ascii(key("rollingCountThreadPoolRejected"));
  private static final byte[] TIMEOUTS_KEY = ascii(key("rollingCountTimeout"));
  private static final byte[] IN_FLIGHT_KEY = ascii(key("currentConcurrentExecutionCount"));
  private static final byte[] MAX_IN_FLIGHT_KEY = ascii(key("rollingMaxConcurrentExecutionCount"));
  private static final byte[] EXECUTE_MEAN_KEY = ascii(key("latencyExecute_mean"));
  private static final byte[] EXECUTE_KEY = ascii(key("latencyExecute") + "{");
  private static final byte[] TOTAL_MEAN_KEY = ascii("}" + key("latencyTotal_mean"));
  private static final byte[] TOTAL_KEY = ascii(key("latencyTotal") + "{");
  private static final byte[][] PERCENTILE_KEY_BYTES = new byte[PERCENTILES.length][];

  static {
    for (int k = 0; k < PERCENTILES.length; k++) {
      String name = key(PERCENTILE_KEYS[k]);
      // The first member of an object has no comma before it.
      PERCENTILE_KEY_BYTES[k] = ascii(k == 0 ? name.substring(1) : name);
    }
  }

  private static final byte[] FORCE_OPEN_KEY =
      ascii(
          "}"
              + key("propertyValue_circuitBreakerRequestVolumeThreshold")
              + "20"
              + key("propertyValue_circuitBreakerSleepWindowInMilliseconds")
              + "5000"
              + key("propertyValue_circuitBreakerErrorThresholdPercentage")
              + "50"
              + key("propertyValue_circuitBreakerForceOpen"));
  private static final byte[] FORCE_CLOSED_KEY =
      ascii(key("propertyValue_circuitBreakerForceClosed"));
  private static final byte[] ENABLED_KEY = ascii(key("propertyValue_circuitBreakerEnabled"));
  private static final byte[] THREAD =
      ascii(key("propertyValue_executionIsolationStrategy") + "\"THREAD\"");
  private static final byte[] SEMAPHORE =
      ascii(key("propertyValue_executionIsolationStrategy") + "\"SEMAPHORE\"");
  private static final byte[] WINDOW_KEY =
      ascii(
          key("propertyValue_executionIsolationThreadTimeoutInMilliseconds")
              + "1000"
              + key("propertyValue_executionTimeoutInMilliseconds")
              + "1000"
              + key("propertyValue_executionIsolationThreadInterruptOnTimeout")
              + "true"
              + key("propertyValue_executionIsolationSemaphoreMaxConcurrentRequests")
              + "10"
              + key("propertyValue_fallbackIsolationSemaphoreMaxConcurrentRequests")
              + "10"
              + key("propertyValue_requestCacheEnabled")
              + "false"
              + key("propertyValue_requestLogEnabled")
              + "false"
              + key("propertyValue_metricsRollingStatisticalWindowInMilliseconds"));
  private static final byte[] THREAD_POOL_KEY = ascii(key("threadPool"));
  private static final byte[] END = ascii(key("reportingHosts") + "1}\n\n");

  // The keys of a HystrixThreadPool frame's body, everything after its time.
  private static final byte[] POOL_ACTIVE_KEY = ascii(key("currentActiveCount"));
  private static final byte[] POOL_COMPLETED_KEY = ascii(key("currentCompletedTaskCount"));
  private static final byte[] POOL_CORE_KEY = ascii(key("currentCorePoolSize"));
  private static final byte[] POOL_LARGEST_KEY = ascii(key("currentLargestPoolSize"));
  private static final byte[] POOL_MAX_KEY = ascii(key("currentMaximumPoolSize"));
  private static final byte[] POOL_SIZE_KEY = ascii(key("currentPoolSize"));
  private static final byte[] POOL_QUEUED_KEY = ascii(key("currentQueueSize"));
  private static final byte[] POOL_TASKS_KEY = ascii(key("currentTaskCount"));
  private static final byte[] THREADS_EXECUTED_KEY = ascii(key("rollingCountThreadsExecuted"));
  private static final byte[] MAX_ACTIVE_KEY = ascii(key("rollingMaxActiveThreads"));
  private static final byte[] REJECTIONS_KEY = ascii(key("rollingCountCommandRejections"));
  private static final byte[] POOL_WINDOW_KEY =
      ascii(
          key("propertyValue_queueSizeRejectionThreshold")
              + "0"
              + key("propertyValue_metricsRollingStatisticalWindowInMilliseconds"));

  /** The group, quoted, as it appears after {@code "group":} in every command frame. */
  private final String quotedGroup;

  /** The group as a command frame's thread pool: its calls run on no pool of their own. */
  private final byte[] groupPool;

  /** The frame state of each metric of the last emission, by name. */
  private final Map<String, Frame> frames = new HashMap<>();

  /** The last emission, whose bytes unchanged frames are copied from; null after a ping. */
  private byte @Nullable [] last;

  /** Counts emissions, so that a frame knows whether the last one holds it. */
  private long emission;

  /** The frames of this emission, in order, between its two passes. */
  private @Nullable Frame[] order = new Frame[0];

  /** The bodies of this emission's changed frames, between its two passes. */
  private byte[] scratch = new byte[4096];

  private int scratchSize;

  /** One snapshot's values, read before they are compared with its frame's. */
  private final long[] read = new long[VALUES];

  /**
   * Creates the frames of a stream that reports every metric in {@code group}.
   *
   * @param group the Hystrix command group, and the thread pool of calls that run on no pool
   */
  public HystrixFrames(String group) {
    StringBuilder sb = new StringBuilder();
    JsonWriter.quote(sb, group);
    this.quotedGroup = sb.toString();
    this.groupPool = utf8(quotedGroup);
  }

  /**
   * Returns the frames of {@code snapshots}, in their order.
   *
   * @param snapshots the snapshots of one reading of a registry, with distinct names
   * @return the UTF-8 bytes of the frames, a new array
   * @throws ArithmeticException if the frames would pass 2 GB
   */
  public byte[] write(List<MetricsSnapshot> snapshots) {
    emission++;
    int n = snapshots.size();
    byte[] previous = last;
    if (n == 0) {
      frames.clear();
      last = null;
      return PING.clone();
    }
    if (order.length < n) {
      order = new Frame[n];
    }
    scratchSize = 0;
    long total = 0;
    // First pass: find which frames changed and write their bodies, to learn the size.
    for (int i = 0; i < n; i++) {
      MetricsSnapshot s = snapshots.get(i);
      Frame f = frames.get(s.name());
      if (f == null) {
        f = new Frame(s.name());
        frames.put(s.name(), f);
      } else if (f.seenIn == emission) {
        // A second snapshot of one name: it gets a frame of its own, kept for this emission only.
        f = new Frame(f);
      }
      f.seenIn = emission;
      f.time = s.time().toEpochMilli();
      readValues(s, read);
      // A frame written in the last emission means that emission was not a ping, so previous
      // holds the frame's bodies.
      if (f.writtenIn == emission - 1 && Arrays.equals(read, f.values)) {
        f.fromScratch = false;
      } else {
        System.arraycopy(read, 0, f.values, 0, VALUES);
        f.fromScratch = true;
        f.scratchAt = scratchSize;
        writeBody(f);
        f.bodyLength = scratchSize - f.scratchAt;
        f.poolScratchAt = scratchSize;
        if (f.values[POOLED] != 0) {
          writePoolBody(f.values);
        }
        f.poolBodyLength = scratchSize - f.poolScratchAt;
      }
      order[i] = f;
      int timeLength = decimalLength(f.time);
      total += f.head.length + timeLength + f.bodyLength;
      if (f.values[POOLED] != 0) {
        total += f.poolHead.length + timeLength + f.poolBodyLength;
      }
    }
    // Second pass: one array of exactly that size, the heads and times around the bodies.
    byte[] out = new byte[Math.toIntExact(total)];
    int pos = 0;
    for (int i = 0; i < n; i++) {
      Frame f = Objects.requireNonNull(order[i], "order[" + i + "] must not be null");
      order[i] = null;
      pos = put(out, pos, f.head);
      pos = writeLong(out, pos, f.time);
      pos = copyBody(f, previous, f.scratchAt, f.bodyAt, f.bodyLength, out, pos);
      f.bodyAt = pos - f.bodyLength;
      if (f.values[POOLED] != 0) {
        pos = put(out, pos, f.poolHead);
        pos = writeLong(out, pos, f.time);
        pos = copyBody(f, previous, f.poolScratchAt, f.poolBodyAt, f.poolBodyLength, out, pos);
        f.poolBodyAt = pos - f.poolBodyLength;
      }
      f.writtenIn = emission;
    }
    if (frames.size() > n) {
      frames.values().removeIf(f -> f.seenIn != emission);
    }
    last = out;
    return out;
  }

  /**
   * Copies a body of {@code f} into {@code out} at {@code pos}: from the scratch when it was
   * written in this emission, otherwise from {@code previous}, the last emission.
   *
   * @return the position after it
   */
  private int copyBody(
      Frame f,
      byte @Nullable [] previous,
      int scratchAt,
      int previousAt,
      int length,
      byte[] out,
      int pos) {
    if (f.fromScratch) {
      System.arraycopy(scratch, scratchAt, out, pos, length);
    } else {
      System.arraycopy(
          Objects.requireNonNull(previous, "previous must not be null"),
          previousAt,
          out,
          pos,
          length);
    }
    return pos + length;
  }

  /** The values the frames of {@code s} show, into {@code v}. */
  private static void readValues(MetricsSnapshot s, long[] v) {
    MetricsStatus status = s.status();
    MetricsStatus.Circuit circuit = status == null ? null : status.circuit();
    MetricsStatus.Pool pool = status == null ? null : status.pool();
    v[CIRCUIT_OPEN] = circuit != null && circuit.isOpen() ? 1 : 0;
    v[ERROR_PERCENTAGE] = (long) s.errorPercentage();
    v[ERRORS] = s.errors();
    v[REQUESTS] = s.requests();
    v[FAILURES] = s.failures();
    v[SEMAPHORE_REJECTED] = pool == null ? s.rejections() : 0;
    v[SHORT_CIRCUITS] = s.shortCircuits();
    v[SUCCESSES] = s.successes();
    v[THREAD_POOL_REJECTED] = pool == null ? 0 : s.rejections();
    v[TIMEOUTS] = s.timeouts();
    v[IN_FLIGHT] = s.inFlight();
    v[MAX_IN_FLIGHT] = s.maxInFlight();
    v[MEAN] = SnapshotJson.hystrixMillis(s.latencyMean());
    readPercentiles(s, v);
    v[FORCE_OPEN] = circuit == MetricsStatus.Circuit.FORCED_OPEN ? 1 : 0;
    v[FORCE_CLOSED] = circuit == MetricsStatus.Circuit.DISABLED ? 1 : 0;
    v[ENABLED] = circuit != null ? 1 : 0;
    v[POOLED] = pool != null ? 1 : 0;
    v[WINDOW] = s.window().toMillis();
    if (pool == null) {
      Arrays.fill(v, POOL_ACTIVE, VALUES, 0);
      return;
    }
    v[POOL_ACTIVE] = pool.active();
    v[POOL_COMPLETED] = pool.completed();
    v[POOL_MAX] = pool.maxSize();
    v[POOL_LARGEST] = pool.largest();
    v[POOL_SIZE] = pool.size();
    v[POOL_QUEUED] = pool.queued();
    v[POOL_TASKS] = SnapshotJson.taskCount(pool);
    v[THREADS_EXECUTED] = s.successes() + s.failures() + s.timeouts();
    v[REJECTIONS] = s.rejections();
  }

  private static void readPercentiles(MetricsSnapshot s, long[] v) {
    SortedMap<Double, Duration> percentiles = s.latencyPercentiles();
    if (percentiles instanceof PercentileMap made) {
      // A metric's own map, read by position: a snapshot holds a PercentileMap only when its keys
      // are exactly MetricsSnapshot.PERCENTILES, and copies any other into a TreeMap.
      for (int j = 0; j < PERCENTILES.length; j++) {
        v[FIRST_PERCENTILE + j] = SnapshotJson.hystrixMillis(made.valueAt(SNAPSHOT_INDEX[j]));
      }
      return;
    }
    // Both ascending: one walk over the snapshot's percentiles picks the stream's, skipping 99.9.
    int k = 0;
    for (Map.Entry<Double, Duration> e : percentiles.entrySet()) {
      if (k < PERCENTILES.length && e.getKey().equals(PERCENTILES[k])) {
        v[FIRST_PERCENTILE + k++] = SnapshotJson.hystrixMillis(e.getValue());
      }
    }
    if (k < PERCENTILES.length) {
      throw new IllegalArgumentException(
          "snapshot of " + s.name() + " lacks percentile " + PERCENTILES[k]);
    }
  }

  /** Writes a command frame's body, everything after its time, onto {@link #scratch}. */
  private void writeBody(Frame f) {
    long[] v = f.values;
    put(CIRCUIT_OPEN_KEY);
    putBoolean(v[CIRCUIT_OPEN]);
    put(ERROR_PERCENTAGE_KEY);
    putLong(v[ERROR_PERCENTAGE]);
    put(ERRORS_KEY);
    putLong(v[ERRORS]);
    put(REQUESTS_KEY);
    putLong(v[REQUESTS]);
    put(FAILURES_KEY);
    putLong(v[FAILURES]);
    put(SEMAPHORE_REJECTED_KEY);
    putLong(v[SEMAPHORE_REJECTED]);
    put(SHORT_CIRCUITS_KEY);
    putLong(v[SHORT_CIRCUITS]);
    put(SUCCESSES_KEY);
    putLong(v[SUCCESSES]);
    put(THREAD_POOL_REJECTED_KEY);
    putLong(v[THREAD_POOL_REJECTED]);
    put(TIMEOUTS_KEY);
    putLong(v[TIMEOUTS]);
    put(IN_FLIGHT_KEY);
    putLong(v[IN_FLIGHT]);
    put(MAX_IN_FLIGHT_KEY);
    putLong(v[MAX_IN_FLIGHT]);
    put(EXECUTE_MEAN_KEY);
    putLong(v[MEAN]);
    put(EXECUTE_KEY);
    putPercentiles(v);
    put(TOTAL_MEAN_KEY);
    putLong(v[MEAN]);
    put(TOTAL_KEY);
    putPercentiles(v);
    put(FORCE_OPEN_KEY);
    putBoolean(v[FORCE_OPEN]);
    put(FORCE_CLOSED_KEY);
    putBoolean(v[FORCE_CLOSED]);
    put(ENABLED_KEY);
    putBoolean(v[ENABLED]);
    boolean pooled = v[POOLED] != 0;
    put(pooled ? THREAD : SEMAPHORE);
    put(WINDOW_KEY);
    putLong(v[WINDOW]);
    put(THREAD_POOL_KEY);
    put(pooled ? f.quotedNameBytes : groupPool);
    put(END);
  }

  /** Writes a thread pool frame's body, everything after its time, onto {@link #scratch}. */
  private void writePoolBody(long[] v) {
    put(POOL_ACTIVE_KEY);
    putLong(v[POOL_ACTIVE]);
    put(POOL_COMPLETED_KEY);
    putLong(v[POOL_COMPLETED]);
    put(POOL_CORE_KEY);
    putLong(v[POOL_MAX]);
    put(POOL_LARGEST_KEY);
    putLong(v[POOL_LARGEST]);
    put(POOL_MAX_KEY);
    putLong(v[POOL_MAX]);
    put(POOL_SIZE_KEY);
    putLong(v[POOL_SIZE]);
    put(POOL_QUEUED_KEY);
    putLong(v[POOL_QUEUED]);
    put(POOL_TASKS_KEY);
    putLong(v[POOL_TASKS]);
    put(THREADS_EXECUTED_KEY);
    putLong(v[THREADS_EXECUTED]);
    put(MAX_ACTIVE_KEY);
    putLong(v[MAX_IN_FLIGHT]);
    put(REJECTIONS_KEY);
    putLong(v[REJECTIONS]);
    put(POOL_WINDOW_KEY);
    putLong(v[WINDOW]);
    put(END);
  }

  private void putPercentiles(long[] v) {
    for (int k = 0; k < PERCENTILES.length; k++) {
      put(PERCENTILE_KEY_BYTES[k]);
      putLong(v[FIRST_PERCENTILE + k]);
    }
  }

  private void putBoolean(long value) {
    put(value != 0 ? TRUE : FALSE);
  }

  private void put(byte[] bytes) {
    ensure(bytes.length);
    scratchSize = put(scratch, scratchSize, bytes);
  }

  private static int put(byte[] a, int pos, byte[] bytes) {
    System.arraycopy(bytes, 0, a, pos, bytes.length);
    return pos + bytes.length;
  }

  private void putLong(long value) {
    ensure(20);
    scratchSize = writeLong(scratch, scratchSize, value);
  }

  private void ensure(int more) {
    if (scratchSize + more > scratch.length) {
      scratch = Arrays.copyOf(scratch, Math.max(scratchSize + more, scratch.length * 2));
    }
  }

  /**
   * Writes {@code value} in decimal, as {@link StringBuilder#append(long)} does.
   *
   * @return the position after the number
   */
  static int writeLong(byte[] a, int pos, long value) {
    if (value < 0) {
      if (value == Long.MIN_VALUE) {
        byte[] min = ascii(Long.toString(value));
        System.arraycopy(min, 0, a, pos, min.length);
        return pos + min.length;
      }
      a[pos++] = '-';
      value = -value;
    }
    int end = pos + decimalLength(value);
    int i = end;
    do {
      a[--i] = (byte) ('0' + value % 10);
      value /= 10;
    } while (value != 0);
    return end;
  }

  /** The length of {@code value} in decimal, with its sign. */
  static int decimalLength(long value) {
    if (value < 0) {
      return value == Long.MIN_VALUE ? 20 : 1 + decimalLength(-value);
    }
    int length = 1;
    for (long bound = 10; length < 19 && value >= bound; bound *= 10) {
      length++;
    }
    return length;
  }

  /** {@code ,"name":} as the JSON writer writes a member's name after another member. */
  private static String key(String name) {
    StringBuilder sb = new StringBuilder(",");
    JsonWriter.quote(sb, name);
    return sb.append(':').toString();
  }

  private static String zeros(String... names) {
    StringBuilder sb = new StringBuilder();
    for (String name : names) {
      sb.append(key(name)).append('0');
    }
    return sb.toString();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** What is known of one metric's frames. */
  private final class Frame {

    /** The command frame's text up to its time: the type, the metric's name and the group. */
    final byte[] head;

    /** The metric's name, quoted, as UTF-8. */
    final byte[] quotedNameBytes;

    /** The thread pool frame's text up to its time. */
    final byte[] poolHead;

    /** The values its bodies show in the emission they were last written in, {@link #writtenIn}. */
    final long[] values = new long[VALUES];

    long seenIn = -1;
    long writtenIn = -1;
    long time;
    boolean fromScratch;
    int scratchAt;
    int poolScratchAt;

    /** Where its bodies start in the emission they were written in, and their lengths. */
    int bodyAt;

    int bodyLength;
    int poolBodyAt;
    int poolBodyLength;

    Frame(String name) {
      StringBuilder sb = new StringBuilder();
      JsonWriter.quote(sb, name);
      String quotedName = sb.toString();
      this.head =
          utf8(
              "data: {\"type\":\"HystrixCommand\",\"name\":"
                  + quotedName
                  + ",\"group\":"
                  + quotedGroup
                  + ",\"currentTime\":");
      this.quotedNameBytes = utf8(quotedName);
      this.poolHead =
          utf8(
              "data: {\"type\":\"HystrixThreadPool\",\"name\":" + quotedName + ",\"currentTime\":");
    }

    /** A frame of the same metric, sharing its heads. */
    Frame(Frame same) {
      this.head = same.head;
      this.quotedNameBytes = same.quotedNameBytes;
      this.poolHead = same.poolHead;
    }
  }
}
