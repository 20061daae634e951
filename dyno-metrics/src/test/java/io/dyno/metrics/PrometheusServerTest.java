package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import io.dyno.metrics.internal.PrometheusText;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} scraped every second by a real Prometheus (Debian's {@code prometheus} package):
 * after a known workload, its {@code rate} and {@code histogram_quantile} agree with the workload's
 * own numbers. Prometheus works in real time, so the calls are made in real time too, at a steady
 * pace, on the system's ticker; each call's latency is added to that ticker as the call ends, so
 * that the latencies are known exactly without waiting them out.
 */
class PrometheusServerTest {

  /** One tick of the workload every 10 ms, two calls per tick: 200 calls a second. */
  private static final long TICK_MILLIS = 10;

  private static final int CALLS_PER_TICK = 2;

  /** 7 seconds of calls. */
  private static final int TICKS = 700;

  /** The range the queries' rates are taken over. */
  private static final long RANGE_MILLIS = 4_000;

  /** The latency of call {@code i}: 1 to 100 ms in turn, so p99 is 99 ms. */
  private static long latencyNanos(int i) {
    return TimeUnit.MILLISECONDS.toNanos(1 + i % 100);
  }

  /** Every 20th call fails: 5 % errors. */
  private static boolean fails(int i) {
    return i % 20 == 19;
  }

  @Test
  void prometheus_computesTheWorkloadsRateErrorsAndP99_fromTheExposition() throws Exception {
    AtomicLong latencies = new AtomicLong();
    LongSupplier system = Metrics.systemTicker();
    LongSupplier ticker = () -> system.getAsLong() + latencies.get();
    MetricsRegistry board =
        MetricsRegistry.create(name -> Metrics.builder(name).ticker(ticker).build());
    Metrics x = board.metrics("x");
    Metrics.StatusReport report =
        x.reportStatus(
            () ->
                new MetricsStatus(
                    MetricsStatus.Circuit.OPEN,
                    Duration.ofSeconds(3),
                    new MetricsStatus.Pool(4, 2, 3, 1, 0, 10),
                    new MetricsStatus.Arms("canary", 25, 5, 15, false),
                    new MetricsStatus.Limit("x-limit", "gradient2", 48, 37),
                    new MetricsStatus.Throttle("x-throttle", 0.125, 4_000, 1_200)));
    long[] tickEndMillis = new long[TICKS + 1];
    try (MetricsServer server = MetricsServer.start(board, 0);
        PrometheusProcess prometheus =
            PrometheusProcess.scraping("127.0.0.1:" + server.port(), Duration.ofSeconds(30))) {
      prometheus.awaitFirstScrape(Duration.ofSeconds(20));
      ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
      CountDownLatch done = new CountDownLatch(1);
      int[] tick = {0};
      tickEndMillis[0] = System.currentTimeMillis();
      try {
        var unused =
            pace.scheduleAtFixedRate(
                () -> {
                  if (tick[0] == TICKS) {
                    return;
                  }
                  for (int c = 0; c < CALLS_PER_TICK; c++) {
                    int i = tick[0] * CALLS_PER_TICK + c;
                    Metrics.Sample sample = x.start();
                    latencies.addAndGet(latencyNanos(i));
                    if (fails(i)) {
                      sample.failure(new IOException("call " + i));
                    } else {
                      sample.success();
                    }
                  }
                  tickEndMillis[++tick[0]] = System.currentTimeMillis();
                  if (tick[0] == TICKS) {
                    done.countDown();
                  }
                },
                0,
                TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        assertThat(done.await(60, TimeUnit.SECONDS)).as("the workload ended").isTrue();
      } finally {
        pace.shutdownNow();
      }
      long endMillis = tickEndMillis[TICKS];
      awaitScrapeAfter(prometheus, endMillis);

      // A moment the workload covers, with the whole range inside it.
      long atMillis = endMillis - 250;
      double at = atMillis / 1000.0;
      long fromMillis = atMillis - RANGE_MILLIS;
      assertThat(fromMillis).isGreaterThan(tickEndMillis[0] + 1_000);
      List<Integer> inRange = new ArrayList<>();
      for (int t = 1; t <= TICKS; t++) {
        if (tickEndMillis[t] > fromMillis && tickEndMillis[t] <= atMillis) {
          for (int c = 0; c < CALLS_PER_TICK; c++) {
            inRange.add((t - 1) * CALLS_PER_TICK + c);
          }
        }
      }
      double expectedRate = inRange.size() / (RANGE_MILLIS / 1000.0);
      String range = "[" + RANGE_MILLIS / 1000 + "s]";

      double rate = prometheus.scalar("sum(rate(dyno_calls_total{name=\"x\"}" + range + "))", at);
      assertThat(rate).as("calls per second").isCloseTo(expectedRate, within(expectedRate * 0.05));

      double errors =
          prometheus.scalar(
              "sum(rate(dyno_calls_total{name=\"x\",outcome!=\"success\"}"
                  + range
                  + ")) / sum(rate(dyno_calls_total{name=\"x\"}"
                  + range
                  + "))",
              at);
      long failed = inRange.stream().filter(PrometheusServerTest::fails).count();
      assertThat(errors)
          .as("error ratio")
          .isCloseTo((double) failed / inRange.size(), within(0.01));

      List<Long> sorted = new ArrayList<>();
      for (int i : inRange) {
        sorted.add(latencyNanos(i));
      }
      Collections.sort(sorted);
      long p99 = sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1);
      long[] bounds = PrometheusText.boundsNanos();
      int b = 0;
      while (bounds[b] < p99) {
        b++;
      }
      double low = bounds[b - 1] / 1e9;
      double high = bounds[b] / 1e9;
      double quantile =
          prometheus.scalar(
              "histogram_quantile(0.99, sum by (le) (rate(dyno_call_duration_seconds_bucket"
                  + "{name=\"x\"}"
                  + range
                  + ")))",
              at);
      assertThat(quantile).as("p99 in seconds, true p99 %s ns", p99).isBetween(low, high);
      assertThat(quantile).isCloseTo(p99 / 1e9, within(high - low));

      double mean =
          prometheus.scalar(
              "sum(rate(dyno_call_duration_seconds_sum{name=\"x\"}"
                  + range
                  + ")) / sum(rate(dyno_call_duration_seconds_count{name=\"x\"}"
                  + range
                  + "))",
              at);
      double expectedMean = sorted.stream().mapToLong(Long::longValue).average().orElseThrow();
      assertThat(mean * 1e9)
          .as("mean latency, ns")
          .isCloseTo(expectedMean, within(expectedMean * 0.03));

      Set<String> families = new TreeSet<>();
      for (Map<String, Object> series :
          prometheus.query("count by (__name__) ({__name__=~\"dyno_.+\",name=\"x\"})", at)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> labels = (Map<String, Object>) series.get("metric");
        families.add((String) labels.get("__name__"));
      }
      assertThat(families)
          .containsExactlyInAnyOrder(
              "dyno_calls_total",
              "dyno_call_failures_total",
              "dyno_call_duration_seconds_bucket",
              "dyno_call_duration_seconds_sum",
              "dyno_call_duration_seconds_count",
              "dyno_calls_in_flight",
              "dyno_calls_in_flight_max",
              "dyno_circuit_state",
              "dyno_circuit_next_trial_seconds",
              "dyno_pool_threads",
              "dyno_pool_threads_max",
              "dyno_pool_threads_largest",
              "dyno_pool_threads_active",
              "dyno_pool_queued_tasks",
              "dyno_pool_completed_tasks_total",
              "dyno_rollout_admitted_total",
              "dyno_rollout_refused_total",
              "dyno_rollout_admitted_ratio",
              "dyno_rollout_tripped",
              "dyno_limit",
              "dyno_limit_in_flight",
              "dyno_throttle_probability",
              "dyno_throttle_requests",
              "dyno_throttle_accepts");
      assertThat(prometheus.scalar("dyno_circuit_state{name=\"x\",state=\"open\"}", at))
          .isEqualTo(1);
      assertThat(prometheus.scalar("dyno_rollout_admitted_ratio{rollout=\"canary\"}", at))
          .isEqualTo(0.25);
      assertThat(
              prometheus.scalar(
                  "dyno_limit_in_flight{limiter=\"x-limit\"} / ignoring(algorithm)"
                      + " dyno_limit{limiter=\"x-limit\",algorithm=\"gradient2\"}",
                  at))
          .isEqualTo(37.0 / 48);
      assertThat(prometheus.scalar("dyno_throttle_probability{throttle=\"x-throttle\"}", at))
          .isEqualTo(0.125);
      assertThat(prometheus.scalar("dyno_throttle_accepts{throttle=\"x-throttle\"}", at))
          .isEqualTo(1_200);
      // Prometheus asks for OpenMetrics first, and keeps a counter's metadata under its family's
      // name, without _total, when it reads that format.
      @SuppressWarnings("unchecked")
      Map<String, Object> metadata =
          (Map<String, Object>) prometheus.get("/api/v1/metadata?metric=dyno_calls").get("data");
      assertThat(metadata).containsKey("dyno_calls");
    } finally {
      report.close();
    }
  }

  /** Waits until Prometheus holds a scrape taken after {@code millis}, the workload's end. */
  private static void awaitScrapeAfter(PrometheusProcess prometheus, long millis)
      throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    String query = "timestamp(dyno_calls_total{name=\"x\",outcome=\"success\"})";
    while (true) {
      double now = System.currentTimeMillis() / 1000.0;
      double last = prometheus.scalar(query, now);
      if (last >= millis / 1000.0) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        fail("Prometheus scraped nothing after the workload within 15 s; " + prometheus.log());
      }
      // Polling an external process: there is nothing to wait on but its answer.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }
}
