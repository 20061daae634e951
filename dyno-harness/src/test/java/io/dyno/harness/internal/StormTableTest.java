package io.dyno.harness.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.harness.internal.StormTable.Decision;
import io.dyno.harness.internal.StormTable.Kind;
import io.dyno.harness.internal.StormTable.Summary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StormTableTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long INTERVAL = 60 * SECOND;

  private static Kind kind(String message) {
    return new Kind(IOException.class, message);
  }

  @Test
  void record_logsTheFirstAndCountsTheRestOfAWindow() {
    StormTable table = new StormTable(10, INTERVAL, 0);
    assertThat(table.record(kind("a"), 0)).isEqualTo(new Decision(List.of(), true, true));
    assertThat(table.record(kind("a"), 59 * SECOND))
        .isEqualTo(new Decision(List.of(), false, true));
    assertThat(table.record(kind("a"), 61 * SECOND))
        .isEqualTo(new Decision(List.of(new Summary(kind("a"), 2, 61 * SECOND)), false, true));
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void record_countsAReadingOlderThanTheWindowInTheWindow() {
    StormTable table = new StormTable(10, INTERVAL, 0);
    table.record(kind("a"), 10 * SECOND);
    // Another thread read the ticker before the window started and recorded after.
    assertThat(table.record(kind("a"), 5 * SECOND).logInFull()).isFalse();
    table.drain(20 * SECOND);
    assertThat(table.record(kind("a"), 15 * SECOND).logInFull()).isFalse();
  }

  @Test
  void capacity_isAnExactBound() {
    StormTable table = new StormTable(2, INTERVAL, 0);
    assertThat(table.record(kind("a"), 0).tracked()).isTrue();
    assertThat(table.record(kind("b"), 0).tracked()).isTrue();
    assertThat(table.record(kind("c"), 0)).isEqualTo(new Decision(List.of(), true, false));
    assertThat(table.size()).isEqualTo(2);
  }

  @Test
  void drain_summarizesPendingCountsAndRetiresQuietKinds() {
    StormTable table = new StormTable(10, INTERVAL, 0);
    table.record(kind("quiet"), 0);
    table.record(kind("quiet"), 0);
    table.record(kind("active"), 0);
    table.record(kind("active"), 70 * SECOND); // quiet gap: logged in full, window restarts
    table.record(kind("active"), 100 * SECOND);

    List<Summary> summaries = table.drain(100 * SECOND);

    assertThat(summaries)
        .containsExactlyInAnyOrder(
            new Summary(kind("quiet"), 1, 100 * SECOND),
            new Summary(kind("active"), 1, 30 * SECOND));
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.drain(100 * SECOND)).isEmpty();
    assertThat(table.record(kind("quiet"), 100 * SECOND).logInFull()).isTrue();
  }

  @Test
  void aFullTable_retiresQuietKindsOncePerInterval() {
    StormTable table = new StormTable(1, INTERVAL, 0);
    table.record(kind("a"), 0);
    table.record(kind("a"), 0);
    // Too early to sweep.
    assertThat(table.record(kind("b"), 30 * SECOND).tracked()).isFalse();
    // "a" is quiet now: swept, its pending count reported with b's decision.
    assertThat(table.record(kind("b"), 60 * SECOND))
        .isEqualTo(new Decision(List.of(new Summary(kind("a"), 1, 60 * SECOND)), true, true));
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void aFullTable_sweepsQuietKindsAndKeepsActiveOnes() {
    StormTable table = new StormTable(2, INTERVAL, 0);
    table.record(kind("old"), 0);
    table.record(kind("old"), 0);
    table.record(kind("active"), 0);
    table.record(kind("active"), 59 * SECOND);

    Decision decision = table.record(kind("new"), 61 * SECOND);

    assertThat(decision)
        .isEqualTo(new Decision(List.of(new Summary(kind("old"), 1, 61 * SECOND)), true, true));
    assertThat(table.size()).isEqualTo(2);
    assertThat(table.record(kind("active"), 62 * SECOND).logInFull()).isFalse();
  }

  @Test
  void decision_copiesItsSummaries() {
    List<Summary> summaries = new ArrayList<>();
    Decision decision = new Decision(summaries, true, true);
    summaries.add(new Summary(kind("a"), 1, 0));
    assertThat(decision.summaries()).isEmpty();
  }

  @Test
  void kind_describesItselfAsThrowableToStringDoes() {
    assertThat(kind("reset").describe()).isEqualTo("java.io.IOException: reset");
    assertThat(new Kind(IOException.class, null).describe()).isEqualTo("java.io.IOException");
  }

  @Test
  void badArguments_areRejected() {
    assertThatThrownBy(() -> new StormTable(0, INTERVAL, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be >= 1, was 0");
    assertThatThrownBy(() -> new StormTable(1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("intervalNanos must be positive, was 0");
  }
}
