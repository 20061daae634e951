package io.dyno.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoTest {

  @Test
  void run_printsOneRowPerDependencyAndATotal() {
    List<String> lines = run("--samples", "2000", "--seed", "1");
    assertThat(lines.get(0))
        .isEqualTo("Simulated latency of 2000 calls per dependency (seed 1), in milliseconds");
    assertThat(fields(lines.get(1)))
        .containsExactly("dependency", "calls", "mean", "stddev", "p50", "p90", "p99", "max");
    assertThat(lines.subList(2, lines.size()))
        .extracting(line -> fields(line).get(0))
        .containsExactly("inventory", "pricing", "recommendations", "payments", "all");
    assertThat(fields(lines.get(6)).get(1)).isEqualTo("8000");
  }

  @Test
  void run_reportsPercentilesInOrderAndNearTheSimulatedLatency() {
    for (String row : run("--samples", "20000").subList(2, 6)) {
      double[] v = fields(row).stream().skip(2).mapToDouble(Double::parseDouble).toArray();
      double p50 = v[2];
      double p90 = v[3];
      double p99 = v[4];
      double max = v[5];
      assertThat(p50).isLessThanOrEqualTo(p90);
      assertThat(p90).isLessThanOrEqualTo(p99);
      assertThat(p99).isLessThanOrEqualTo(max);
    }
    // inventory is log-normal around 8 ms: its median lands within a few percent of it.
    double inventoryMedian = Double.parseDouble(fields(run("--samples", "20000").get(2)).get(4));
    assertThat(inventoryMedian).isBetween(7.6, 8.4);
  }

  @Test
  void run_isReproducibleForASeed() {
    assertThat(run("--seed", "9", "--samples", "500"))
        .isEqualTo(run("--samples", "500", "--seed", "9"));
    assertThat(run("--seed", "9", "--samples", "500"))
        .isNotEqualTo(run("--seed", "10", "--samples", "500"));
  }

  @Test
  void run_rejectsBadOptionsByName() {
    assertThatThrownBy(() -> run("--samples", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--samples must be in [1, 10000000], was 0");
    assertThatThrownBy(() -> run("--samples", "many"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--samples must be a number, was 'many'");
    assertThatThrownBy(() -> run("--seed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--seed needs a value; usage: Demo");
    assertThatThrownBy(() -> run("--color", "red"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown option --color; usage: Demo");
  }

  private static List<String> fields(String line) {
    return List.of(line.trim().split("\\s+", -1));
  }

  private static List<String> run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Demo.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
