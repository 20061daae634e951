package io.dyno.metrics.internal;

import io.dyno.metrics.MetricsSnapshot;
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
 * text of {@link SnapshotJson#hystrixCommand}, or a {@code : ping} comment when there are none.
 *
 * <p><b>Cost.</b> A frame is about 1.8 KB, nearly all of it the same for every metric and every
 * tick, so frames are written as bytes from parts made once: each metric's head (its name and the
 * group, escaped) and the constant runs of keys between the values. Numbers are formatted with
 * integer arithmetic. A frame is a function of its metric's name, the snapshot's time and the
 * values it shows, so a metric whose values are the same as at the last emission (an idle metric)
 * has its frame copied from the last emission with only the time written anew.
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

  // A frame's values, in the order they appear in it. Durations are held in rounded microseconds,
  // the precision the frame shows them in.
  private static final int ERROR_PERCENTAGE = 0;
  private static final int ERRORS = 1;
  private static final int REQUESTS = 2;
  private static final int FAILURES = 3;
  private static final int SHORT_CIRCUITS = 4;
  private static final int SUCCESSES = 5;
  private static final int REJECTIONS = 6;
  private static final int TIMEOUTS = 7;
  private static final int IN_FLIGHT = 8;
  private static final int MAX_IN_FLIGHT = 9;
  private static final int MEAN = 10;
  private static final int FIRST_PERCENTILE = 11;
  private static final int WINDOW = FIRST_PERCENTILE + PERCENTILES.length;
  private static final int VALUES = WINDOW + 1;

  private static final byte[] ERROR_PERCENTAGE_KEY =
      ascii(",\"isCircuitBreakerOpen\":false" + key("errorPercentage"));
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
  private static final byte[] SHORT_CIRCUITS_KEY =
      ascii(
          zeros(
                  "rollingCountFallbackEmit",
                  "rollingCountFallbackFailure",
                  "rollingCountFallbackMissing",
                  "rollingCountFallbackRejection",
                  "rollingCountFallbackSuccess",
                  "rollingCountResponsesFromCache",
                  "rollingCountSemaphoreRejected")
              + key("rollingCountShortCircuited"));
  private static final byte[] SUCCESSES_KEY = ascii(key("rollingCountSuccess"));
  private static final byte[] REJECTIONS_KEY = ascii(key("rollingCountThreadPoolRejected"));
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

  private static final byte[] WINDOW_KEY =
      ascii(
          "}"
              + key("propertyValue_circuitBreakerRequestVolumeThreshold")
              + "20"
              + key("propertyValue_circuitBreakerSleepWindowInMilliseconds")
              + "5000"
              + key("propertyValue_circuitBreakerErrorThresholdPercentage")
              + "50"
              + key("propertyValue_circuitBreakerForceOpen")
              + "false"
              + key("propertyValue_circuitBreakerForceClosed")
              + "false"
              + key("propertyValue_circuitBreakerEnabled")
              + "true"
              + key("propertyValue_executionIsolationStrategy")
              + "\"SEMAPHORE\""
              + key("propertyValue_executionIsolationThreadTimeoutInMilliseconds")
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

  /** The group, quoted, as it appears after {@code "group":} in every frame. */
  private final String quotedGroup;

  /** What follows the window in every frame: the thread pool, the hosts and the frame's end. */
  private final byte[] end;

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
   * @param group the Hystrix command group and thread pool
   */
  public HystrixFrames(String group) {
    StringBuilder sb = new StringBuilder();
    JsonWriter.quote(sb, group);
    this.quotedGroup = sb.toString();
    this.end = utf8(key("threadPool") + quotedGroup + key("reportingHosts") + "1}\n\n");
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
        f = new Frame(head(s.name()));
        frames.put(s.name(), f);
      } else if (f.seenIn == emission) {
        // A second snapshot of one name: it gets a frame of its own, kept for this emission only.
        f = new Frame(f.head);
      }
      f.seenIn = emission;
      f.time = s.time().toEpochMilli();
      readValues(s, read);
      // A frame written in the last emission means that emission was not a ping, so previous
      // holds the frame's body.
      if (f.writtenIn == emission - 1 && Arrays.equals(read, f.values)) {
        f.fromScratch = false;
      } else {
        System.arraycopy(read, 0, f.values, 0, VALUES);
        f.fromScratch = true;
        f.scratchAt = scratchSize;
        writeBody(f.values);
        f.bodyLength = scratchSize - f.scratchAt;
      }
      order[i] = f;
      total += f.head.length + decimalLength(f.time) + f.bodyLength;
    }
    // Second pass: one array of exactly that size, the heads and times around the bodies.
    byte[] out = new byte[Math.toIntExact(total)];
    int pos = 0;
    for (int i = 0; i < n; i++) {
      Frame f = Objects.requireNonNull(order[i], "order[" + i + "] must not be null");
      order[i] = null;
      System.arraycopy(f.head, 0, out, pos, f.head.length);
      pos = writeLong(out, pos + f.head.length, f.time);
      if (f.fromScratch) {
        System.arraycopy(scratch, f.scratchAt, out, pos, f.bodyLength);
      } else {
        System.arraycopy(
            Objects.requireNonNull(previous, "previous must not be null"),
            f.bodyAt,
            out,
            pos,
            f.bodyLength);
      }
      f.bodyAt = pos;
      f.writtenIn = emission;
      pos += f.bodyLength;
    }
    if (frames.size() > n) {
      frames.values().removeIf(f -> f.seenIn != emission);
    }
    last = out;
    return out;
  }

  /** The values a frame shows of {@code s}, into {@code v}. */
  private static void readValues(MetricsSnapshot s, long[] v) {
    v[ERROR_PERCENTAGE] = (long) s.errorPercentage();
    v[ERRORS] = s.errors();
    v[REQUESTS] = s.requests();
    v[FAILURES] = s.failures();
    v[SHORT_CIRCUITS] = s.shortCircuits();
    v[SUCCESSES] = s.successes();
    v[REJECTIONS] = s.rejections();
    v[TIMEOUTS] = s.timeouts();
    v[IN_FLIGHT] = s.inFlight();
    v[MAX_IN_FLIGHT] = s.maxInFlight();
    v[MEAN] = micros(s.latencyMean());
    SortedMap<Double, Duration> percentiles = s.latencyPercentiles();
    if (percentiles instanceof PercentileMap made) {
      // A metric's own map, read by position: a snapshot holds a PercentileMap only when its keys
      // are exactly MetricsSnapshot.PERCENTILES, and copies any other into a TreeMap.
      for (int j = 0; j < PERCENTILES.length; j++) {
        v[FIRST_PERCENTILE + j] = micros(made.valueAt(SNAPSHOT_INDEX[j]));
      }
      v[WINDOW] = s.window().toMillis();
      return;
    }
    // Both ascending: one walk over the snapshot's percentiles picks the stream's, skipping 99.9.
    int k = 0;
    for (Map.Entry<Double, Duration> e : percentiles.entrySet()) {
      if (k < PERCENTILES.length && e.getKey().equals(PERCENTILES[k])) {
        v[FIRST_PERCENTILE + k++] = micros(e.getValue());
      }
    }
    if (k < PERCENTILES.length) {
      throw new IllegalArgumentException(
          "snapshot of " + s.name() + " lacks percentile " + PERCENTILES[k]);
    }
    v[WINDOW] = s.window().toMillis();
  }

  /** Writes a frame's body, everything after its time, onto {@link #scratch}. */
  private void writeBody(long[] v) {
    put(ERROR_PERCENTAGE_KEY);
    putLong(v[ERROR_PERCENTAGE]);
    put(ERRORS_KEY);
    putLong(v[ERRORS]);
    put(REQUESTS_KEY);
    putLong(v[REQUESTS]);
    put(FAILURES_KEY);
    putLong(v[FAILURES]);
    put(SHORT_CIRCUITS_KEY);
    putLong(v[SHORT_CIRCUITS]);
    put(SUCCESSES_KEY);
    putLong(v[SUCCESSES]);
    put(REJECTIONS_KEY);
    putLong(v[REJECTIONS]);
    put(TIMEOUTS_KEY);
    putLong(v[TIMEOUTS]);
    put(IN_FLIGHT_KEY);
    putLong(v[IN_FLIGHT]);
    put(MAX_IN_FLIGHT_KEY);
    putLong(v[MAX_IN_FLIGHT]);
    put(EXECUTE_MEAN_KEY);
    putMillis(v[MEAN]);
    put(EXECUTE_KEY);
    putPercentiles(v);
    put(TOTAL_MEAN_KEY);
    putMillis(v[MEAN]);
    put(TOTAL_KEY);
    putPercentiles(v);
    put(WINDOW_KEY);
    putLong(v[WINDOW]);
    put(end);
  }

  private void putPercentiles(long[] v) {
    for (int k = 0; k < PERCENTILES.length; k++) {
      put(PERCENTILE_KEY_BYTES[k]);
      putMillis(v[FIRST_PERCENTILE + k]);
    }
  }

  private void put(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, scratch, scratchSize, bytes.length);
    scratchSize += bytes.length;
  }

  private void putLong(long value) {
    ensure(20);
    scratchSize = writeLong(scratch, scratchSize, value);
  }

  private void putMillis(long micros) {
    ensure(32);
    scratchSize = writeMillis(scratch, scratchSize, micros);
  }

  private void ensure(int more) {
    if (scratchSize + more > scratch.length) {
      scratch = Arrays.copyOf(scratch, Math.max(scratchSize + more, scratch.length * 2));
    }
  }

  /** A metric's head: everything before its time. */
  private byte[] head(String name) {
    StringBuilder sb = new StringBuilder("data: {\"type\":\"HystrixCommand\",\"name\":");
    JsonWriter.quote(sb, name);
    sb.append(",\"group\":").append(quotedGroup).append(",\"currentTime\":");
    return utf8(sb.toString());
  }

  /** A duration in microseconds, rounded as the frame's milliseconds with 3 decimals are. */
  private static long micros(Duration d) {
    return Math.round(d.toNanos() / 1_000.0);
  }

  /**
   * Writes {@code micros / 1000.0} as {@link JsonWriter#value(double)} does: a whole number without
   * a fraction, otherwise as {@link Double#toString(double)} gives it. Below 10<sup>7</sup>, where
   * that is the plain decimal with trailing zeros dropped, the digits come from integer arithmetic;
   * the rest takes the slow path.
   *
   * @return the position after the number
   */
  static int writeMillis(byte[] a, int pos, long micros) {
    if (micros < 0 || micros >= 10_000_000_000L) {
      double millis = micros / 1_000.0;
      String text =
          millis == Math.rint(millis) && Math.abs(millis) < 1e15
              ? Long.toString((long) millis)
              : Double.toString(millis);
      for (int i = 0; i < text.length(); i++) {
        a[pos++] = (byte) text.charAt(i);
      }
      return pos;
    }
    long whole = micros / 1_000;
    int fraction = (int) (micros % 1_000);
    pos = writeLong(a, pos, whole);
    if (fraction != 0) {
      a[pos++] = '.';
      a[pos++] = (byte) ('0' + fraction / 100);
      if (fraction % 100 != 0) {
        a[pos++] = (byte) ('0' + fraction / 10 % 10);
        if (fraction % 10 != 0) {
          a[pos++] = (byte) ('0' + fraction % 10);
        }
      }
    }
    return pos;
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

  /** What is known of one metric's frame. */
  private static final class Frame {

    /** The frame's text up to its time: the type, the metric's name and the group. */
    final byte[] head;

    /** The values its body shows in the emission it was last written in, {@link #writtenIn}. */
    final long[] values = new long[VALUES];

    long seenIn = -1;
    long writtenIn = -1;
    long time;
    boolean fromScratch;
    int scratchAt;

    /** Where its body starts in the emission it was written in, and the body's length. */
    int bodyAt;

    int bodyLength;

    Frame(byte[] head) {
      this.head = head;
    }
  }
}
