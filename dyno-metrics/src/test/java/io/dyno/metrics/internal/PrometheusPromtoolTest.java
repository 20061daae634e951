package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dyno.metrics.MetricsStatus;
import io.dyno.metrics.MetricsTotals;
import io.dyno.metrics.internal.PrometheusText.Format;
import io.dyno.metrics.internal.PrometheusText.Metric;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus's own linter, {@code promtool check metrics}, on the text exposition of a registry
 * with every family: it must find no problem. promtool comes with Debian's {@code prometheus}
 * package; without it this test fails, saying so.
 */
class PrometheusPromtoolTest {

  static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @TempDir Path dir;

  /**
   * Metrics with every family: every circuit state, pools, rollouts, limits, throttles, hedging,
   * odd names and types.
   */
  static List<Metric> richRegistry() {
    List<Metric> metrics = new ArrayList<>();
    MetricsStatus.Circuit[] circuits = MetricsStatus.Circuit.values();
    for (int i = 0; i < circuits.length; i++) {
      MetricsStatus.Circuit c = circuits[i];
      MetricsStatus status =
          new MetricsStatus(
              c,
              c == MetricsStatus.Circuit.OPEN ? Duration.ofMillis(2_500) : null,
              i % 2 == 0 ? new MetricsStatus.Pool(8, 3, 5, 2, 1, 1_000L * i) : null,
              i % 2 == 1
                  ? new MetricsStatus.Arms("panel-" + i, 12.5 * i, 10L * i, 3, i == 3)
                  : null,
              i % 2 == 1 || i == 4
                  ? new MetricsStatus.Limit(
                      "limiter-" + i + (i == 4 ? " \"odd\"" : ""),
                      i == 1 ? "fixed" : "gradient2",
                      10 * i,
                      12 * i)
                  : null,
              i % 3 == 0
                  ? new MetricsStatus.Throttle("throttle-" + i, 0.125 * i, 100L * i, 40)
                  : null,
              i % 2 == 0
                  ? new MetricsStatus.Hedging(Duration.ofNanos(1_234_567L * i), 1 + i, 50L * i, i)
                  : null);
      String name = "service-" + i + (i == 4 ? " \"odd\\ name\"\n" : "");
      MetricsTotals totals =
          new MetricsTotals(
              name,
              100 + i,
              7,
              2,
              3,
              4,
              Map.of("java.io.IOException", 5L, "java.lang.IllegalStateException", 2L),
              new long[] {
                800, 1_000, 45_000, 2_500_000, 99_000_000, 1_500_000_000L, 90_000_000_000L
              },
              new long[] {1, 2, 30, 40, 20, 15, 1});
      metrics.add(new Metric(PrometheusTextTest.snapshot(name, i, i + 2, status), totals));
    }
    metrics.add(
        new Metric(
            PrometheusTextTest.snapshot("bare", 0, 0, null), PrometheusTextTest.empty("bare")));
    return metrics;
  }

  @Test
  void promtool_findsNoProblem_inTheTextExposition() throws Exception {
    String text = PrometheusText.write(richRegistry(), Format.TEXT);
    Path file = dir.resolve("metrics.txt");
    Files.writeString(file, text, StandardCharsets.UTF_8);

    Result r = promtool(file);

    assertThat(r.output()).as("promtool's findings").isEmpty();
    assertThat(r.exitCode()).as("promtool's exit code, output: %s", r.output()).isZero();
    // Every family was there to be checked.
    assertThat(text)
        .contains("# TYPE dyno_circuit_next_trial_seconds gauge")
        .contains("# TYPE dyno_pool_completed_tasks_total counter")
        .contains("# TYPE dyno_rollout_admitted_ratio gauge")
        .contains("# TYPE dyno_limit gauge")
        .contains("# TYPE dyno_limit_in_flight gauge")
        .contains("# TYPE dyno_throttle_probability gauge")
        .contains("# TYPE dyno_throttle_requests gauge")
        .contains("# TYPE dyno_throttle_accepts gauge")
        .contains("# TYPE dyno_hedge_delay_seconds gauge")
        .contains("# TYPE dyno_hedges_sent_total counter")
        .contains("# TYPE dyno_hedges_won_total counter")
        .contains("# TYPE dyno_call_failures_total counter");
  }

  @Test
  void promtool_reportsAProblem_whenThereIsOne() throws Exception {
    // The check above means something only if promtool speaks up about a bad exposition.
    Path file = dir.resolve("bad.txt");
    Files.writeString(file, "# HELP bad x\n# TYPE bad counter\nbad 1\n", StandardCharsets.UTF_8);

    Result r = promtool(file);

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).contains("_total");
  }

  record Result(int exitCode, String output) {}

  /** Runs {@code promtool check metrics < file}: its exit code and everything it wrote. */
  static Result promtool(Path file) throws IOException, InterruptedException {
    if (!Files.isExecutable(PROMTOOL)) {
      fail(
          PROMTOOL
              + " is missing: install Debian's prometheus package"
              + " (apt-get install --no-install-recommends prometheus), which brings promtool");
    }
    Process p =
        new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("promtool did not finish within 30 s; its output: " + output);
    }
    return new Result(p.exitValue(), output);
  }
}
