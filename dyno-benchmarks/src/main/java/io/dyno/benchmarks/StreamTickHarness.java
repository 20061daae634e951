package io.dyno.benchmarks;

import io.dyno.metrics.Metrics;
import io.dyno.metrics.MetricsRegistry;
import io.dyno.metrics.MetricsSnapshot;
import io.dyno.metrics.internal.HystrixFrames;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The cost of one {@code MetricsServer} stream tick for a large registry: the work the server's
 * scheduler does once per stream interval, {@code registry.snapshots()} and then the Hystrix frames
 * of those snapshots through the same {@link HystrixFrames} the server keeps, timed separately.
 *
 * <p>The registry holds N metrics on one fake ticker, each with one call and one rejection recorded
 * at the start. Before every round the ticker moves on by one second, the default stream interval,
 * so that the windows roll as they would under a real server. In {@code idle} mode nothing else is
 * recorded; in {@code active} mode every metric records one more call before each round, with a
 * latency that differs per metric and per round, so that every snapshot and every histogram changes
 * between ticks.
 *
 * <p>Prints each round's times for the snapshots, the frames and both, the frames' size, the memory
 * each part allocated, and the median and maximum of the last {@code rounds / 3} rounds (the
 * earlier ones warm the JIT up). Times are wall-clock and include any garbage collection pause that
 * falls in them, as a server's tick would.
 *
 * <p>Run, after {@code ./mvnw -q -pl dyno-benchmarks -am package -DskipTests}: {@code java -cp
 * dyno-benchmarks/target/benchmarks.jar io.dyno.benchmarks.StreamTickHarness [metrics]
 * [idle|active] [rounds]} (defaults 10000, idle, 30).
 *
 * <p>Not thread-safe: {@link #main} runs the rounds on one thread.
 */
public final class StreamTickHarness {

  private static final long SECOND = 1_000_000_000L;

  /** The fake time, in nanoseconds, that every metric's ticker reads. */
  private long now;

  private StreamTickHarness() {}

  /**
   * Runs the harness.
   *
   * @param args optionally the number of metrics (10000), the mode ({@code idle} or {@code active})
   *     and the number of rounds (30)
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    String mode = args.length > 1 ? args[1] : "idle";
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    if (!mode.equals("idle") && !mode.equals("active")) {
      throw new IllegalArgumentException("mode must be idle or active, was '" + mode + "'");
    }
    new StreamTickHarness().run(n, mode.equals("active"), rounds);
  }

  private void run(int n, boolean active, int rounds) {
    MetricsRegistry registry =
        MetricsRegistry.create(name -> Metrics.builder(name).ticker(() -> now).build());
    Metrics[] metrics = new Metrics[n];
    for (int i = 0; i < n; i++) {
      metrics[i] = registry.metrics(String.format(Locale.ROOT, "service-%05d", i));
      call(metrics[i], latency(i, 0));
      metrics[i].recordRejection();
    }
    HystrixFrames frames = new HystrixFrames("dyno");

    System.out.printf(
        Locale.ROOT,
        "%d metrics, %s, %d rounds (%s)%n%n",
        n,
        active ? "active: every metric called between ticks" : "idle",
        rounds,
        Runtime.version());
    System.out.println(
        "| round | snapshots (ms) | frames (ms) | tick (ms) | tick CPU (ms) | frames (MB)"
            + " | allocated by snapshots (MB) | by frames (MB) | GC pauses in the tick (ms) |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    double[] snapshotMillis = new double[rounds];
    double[] frameMillis = new double[rounds];
    double[] tickMillis = new double[rounds];
    long checksum = 0;
    for (int r = 0; r < rounds; r++) {
      now += SECOND;
      if (active) {
        for (int i = 0; i < n; i++) {
          call(metrics[i], latency(i, r + 1));
        }
      }
      long gc0 = gcMillis();
      long a0 = threads.getThreadAllocatedBytes(self);
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      List<MetricsSnapshot> snapshots = registry.snapshots();
      long t1 = System.nanoTime();
      long a1 = threads.getThreadAllocatedBytes(self);
      byte[] bytes = frames.write(snapshots);
      long t2 = System.nanoTime();
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      long a2 = threads.getThreadAllocatedBytes(self);
      long gc = gcMillis() - gc0;
      checksum += bytes.length + bytes[bytes.length / 2];
      snapshotMillis[r] = (t1 - t0) / 1e6;
      frameMillis[r] = (t2 - t1) / 1e6;
      tickMillis[r] = (t2 - t0) / 1e6;
      System.out.printf(
          Locale.ROOT,
          "| %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d |%n",
          r + 1,
          snapshotMillis[r],
          frameMillis[r],
          tickMillis[r],
          cpu / 1e6,
          bytes.length / 1e6,
          (a1 - a0) / 1e6,
          (a2 - a1) / 1e6,
          gc);
    }
    int last = Math.max(1, rounds / 3);
    System.out.printf(Locale.ROOT, "%nlast %d rounds: median / max (ms)%n", last);
    System.out.printf(Locale.ROOT, "snapshots %s%n", summary(snapshotMillis, last));
    System.out.printf(Locale.ROOT, "frames    %s%n", summary(frameMillis, last));
    System.out.printf(Locale.ROOT, "tick      %s%n", summary(tickMillis, last));
    // Printed so that no round's work can be optimized away.
    System.out.printf(Locale.ROOT, "(checksum %d)%n", checksum);
  }

  /** Records one successful call of {@code nanos} on {@code m}, by moving the fake time. */
  private void call(Metrics m, long nanos) {
    Metrics.Sample sample = m.start();
    now += nanos;
    sample.success();
    now -= nanos;
  }

  /**
   * A latency that differs per metric and per round: each metric has its own typical latency, from
   * 0.1 ms to about 250 ms across the registry, and each call lands within 25 % of it, as the calls
   * of one dependency do.
   */
  private static long latency(int metric, int round) {
    long typical = 100_000L + ((metric * 2_654_435_761L) & 0xffff_ffffL) % 250_000_000L;
    long jitter = ((metric * 40_503L + round * 2_654_435_761L) & 0xffff_ffffL) % 1_000;
    return typical * (750 + jitter / 2) / 1_000;
  }

  /** The collection time the collectors report so far; on JDK 17 G1 reports its pauses. */
  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  private static String summary(double[] millis, int last) {
    double[] tail = Arrays.copyOfRange(millis, millis.length - last, millis.length);
    Arrays.sort(tail);
    double median =
        tail.length % 2 == 1
            ? tail[tail.length / 2]
            : (tail[tail.length / 2 - 1] + tail[tail.length / 2]) / 2;
    return String.format(Locale.ROOT, "%.1f / %.1f", median, tail[tail.length - 1]);
  }
}
