package io.dyno.harness;

import static io.dyno.harness.Sneaky.failThrough;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.dyno.testing.FakeClock;
import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** Storm control: identical failures are counted and summarized, not logged one by one. */
class HarnessStormTest {

  private final RecordingLogger log = new RecordingLogger();

  private Harness harness(FakeClock time) {
    return Harness.builder("payments").logger(log).clock(time).ticker(time.ticker()).build();
  }

  @Test
  void tenThousandIdenticalFailuresOverThreeMinutes_logTheFirstThenOneSummaryPerInterval() {
    FakeClock time = FakeClock.at(Instant.EPOCH);
    Harness h = harness(time);
    IOException first = new IOException("connection reset");
    failThrough(h, first);
    for (int i = 1; i < 10_000; i++) {
      // 10,000 failures 18 ms apart: the last at 179.982 s.
      time.advance(Duration.ofMillis(18));
      failThrough(h, new IOException("connection reset"));
    }
    time.advance(Duration.ofMillis(18));
    h.logSummaries();
    h.logSummaries(); // nothing left to report

    // The failure at 60.012 s closes the first window: it and the 3,333 before it since the first
    // line. The one at 120.024 s closes the second. logSummaries() at 180 s reports the tail.
    assertThat(log.lines())
        .extracting(RecordingLogger.Line::level, RecordingLogger.Line::message)
        .containsExactly(
            tuple(
                Level.WARN,
                "Harness 'payments': call failed: java.io.IOException: connection reset"),
            tuple(
                Level.WARN,
                "Harness 'payments': 3,334 more java.io.IOException: connection reset in the last"
                    + " 1.00 min"),
            tuple(
                Level.WARN,
                "Harness 'payments': 3,334 more java.io.IOException: connection reset in the last"
                    + " 1.00 min"),
            tuple(
                Level.WARN,
                "Harness 'payments': 3,331 more java.io.IOException: connection reset in the last"
                    + " 1.00 min"));
    assertThat(log.lines().get(0).cause()).isSameAs(first);
    assertThat(log.lines().subList(1, 4))
        .extracting(RecordingLogger.Line::cause)
        .containsOnlyNulls();
    assertThat(1 + 3_334 + 3_334 + 3_331).isEqualTo(10_000);
    assertThat(h.failures()).isEqualTo(10_000);
  }

  @Test
  void stormAcrossTheTickerWrappingAround_isSummarizedTheSame() {
    // Start 30 s before the ticker overflows, so that the storm spans the wrap.
    FakeClock time =
        FakeTicker.startingAt(Long.MAX_VALUE - Duration.ofSeconds(30).toNanos())
            .clock(Instant.EPOCH);
    Harness h = harness(time);
    failThrough(h, new IOException("reset"));
    for (int i = 0; i < 100; i++) {
      time.advance(Duration.ofSeconds(1));
      failThrough(h, new IOException("reset"));
    }
    h.logSummaries();
    assertThat(log.messages())
        .containsExactly(
            "Harness 'payments': call failed: java.io.IOException: reset",
            "Harness 'payments': 60 more java.io.IOException: reset in the last 1.00 min",
            "Harness 'payments': 40 more java.io.IOException: reset in the last 40.0 s");
  }

  @Test
  void failuresDifferingInClassOrMessage_areDifferentKinds() {
    FakeClock time = FakeClock.at(Instant.EPOCH);
    Harness h = harness(time);
    failThrough(h, new IOException("a"));
    failThrough(h, new IOException("b"));
    failThrough(h, new IllegalStateException("a"));
    failThrough(h, new IOException());
    failThrough(h, new IOException("a"));
    failThrough(h, new IOException());
    assertThat(log.messages())
        .containsExactly(
            "Harness 'payments': call failed: java.io.IOException: a",
            "Harness 'payments': call failed: java.io.IOException: b",
            "Harness 'payments': call failed: java.lang.IllegalStateException: a",
            "Harness 'payments': call failed: java.io.IOException");
    h.logSummaries();
    assertThat(log.messages().subList(4, log.messages().size()))
        .containsExactlyInAnyOrder(
            "Harness 'payments': 1 more java.io.IOException: a in the last 0 ns",
            "Harness 'payments': 1 more java.io.IOException in the last 0 ns");
  }

  @Test
  void aKindQuietForAWholeInterval_isLoggedInFullAgain() {
    FakeClock time = FakeClock.at(Instant.EPOCH);
    Harness h = harness(time);
    IOException again = new IOException("reset");
    failThrough(h, new IOException("reset"));
    time.advance(Duration.ofSeconds(61));
    failThrough(h, again);
    assertThat(log.lines())
        .extracting(RecordingLogger.Line::message)
        .containsExactly(
            "Harness 'payments': call failed: java.io.IOException: reset",
            "Harness 'payments': call failed: java.io.IOException: reset");
    assertThat(log.lines().get(1).cause()).isSameAs(again);
  }

  @Test
  void aQuietKindWithCountsPending_isSummarizedThenLoggedInFull() {
    FakeClock time = FakeClock.at(Instant.EPOCH);
    Harness h = harness(time);
    failThrough(h, new IOException("reset"));
    time.advance(Duration.ofSeconds(10));
    failThrough(h, new IOException("reset"));
    failThrough(h, new IOException("reset"));
    time.advance(Duration.ofMinutes(5));
    failThrough(h, new IOException("reset"));
    assertThat(log.messages())
        .containsExactly(
            "Harness 'payments': call failed: java.io.IOException: reset",
            "Harness 'payments': 2 more java.io.IOException: reset in the last 5.17 min",
            "Harness 'payments': call failed: java.io.IOException: reset");
  }

  @Test
  void logSummaries_reportsEachPendingKindOnceAndTheStormGoesOn() {
    FakeClock time = FakeClock.at(Instant.EPOCH);
    Harness h = harness(time);
    for (int i = 0; i < 3; i++) {
      failThrough(h, new IOException("a"));
      failThrough(h, new TimeoutException("b"));
    }
    time.advance(Duration.ofSeconds(5));
    h.logSummaries();
    assertThat(log.messages())
        .hasSize(4)
        .contains(
            "Harness 'payments': 2 more java.io.IOException: a in the last 5.00 s",
            "Harness 'payments': 2 more java.util.concurrent.TimeoutException: b in the last 5.00 s");
    // Still storming: the next failure is counted, not logged with its stack trace again.
    time.advance(Duration.ofSeconds(5));
    failThrough(h, new IOException("a"));
    h.logSummaries();
    assertThat(log.messages())
        .hasSize(5)
        .last()
        .isEqualTo("Harness 'payments': 1 more java.io.IOException: a in the last 5.00 s");
  }

  @Test
  void logSummaries_forgetsQuietKinds() {
    FakeClock time = FakeClock.at(Instant.EPOCH);
    Harness h = harness(time);
    failThrough(h, new IOException("a"));
    time.advance(Duration.ofMinutes(2));
    h.logSummaries();
    failThrough(h, new IOException("a"));
    assertThat(log.messages())
        .containsExactly(
            "Harness 'payments': call failed: java.io.IOException: a",
            "Harness 'payments': call failed: java.io.IOException: a");
  }

  @Test
  void errorStorms_areSummarizedAtError() {
    FakeClock time = FakeClock.at(Instant.EPOCH);
    Harness h = harness(time);
    for (int i = 0; i < 4; i++) {
      failThrough(h, new AssertionError("invariant"));
    }
    h.logSummaries();
    assertThat(log.lines())
        .extracting(RecordingLogger.Line::level, RecordingLogger.Line::message)
        .containsExactly(
            tuple(
                Level.ERROR,
                "Harness 'payments': call failed: java.lang.AssertionError: invariant"),
            tuple(
                Level.ERROR,
                "Harness 'payments': 3 more java.lang.AssertionError: invariant in the last 0 ns"));
  }

  @Test
  void summaryInterval_setsTheWindow() {
    FakeClock time = FakeClock.at(Instant.EPOCH);
    Harness h =
        Harness.builder("payments")
            .logger(log)
            .ticker(time.ticker())
            .summaryInterval(Duration.ofSeconds(10))
            .build();
    for (int i = 0; i <= 20; i++) {
      failThrough(h, new IOException("reset"));
      time.advance(Duration.ofSeconds(1));
    }
    assertThat(log.messages())
        .containsExactly(
            "Harness 'payments': call failed: java.io.IOException: reset",
            "Harness 'payments': 10 more java.io.IOException: reset in the last 10.0 s",
            "Harness 'payments': 10 more java.io.IOException: reset in the last 10.0 s");
  }

  @Test
  void listeners_seeEveryFailureEvenThoseOnlyCounted() {
    FakeClock time = FakeClock.at(Instant.EPOCH);
    java.util.concurrent.atomic.AtomicInteger heard =
        new java.util.concurrent.atomic.AtomicInteger();
    Harness h =
        Harness.builder("payments")
            .logger(log)
            .ticker(time.ticker())
            .onFailure(f -> heard.incrementAndGet())
            .build();
    for (int i = 0; i < 100; i++) {
      failThrough(h, new IOException("reset"));
    }
    assertThat(log.lines()).hasSize(1);
    assertThat(heard).hasValue(100);
  }

  @Test
  void aFullTable_logsNewKindsInFullUntilQuietKindsAreRetired() {
    FakeClock time = FakeClock.at(Instant.EPOCH);
    Harness h = harness(time);
    for (int i = 0; i < Harness.TRACKED_KINDS; i++) {
      failThrough(h, new IOException("kind " + i));
    }
    failThrough(h, new IOException("kind 0")); // tracked: only counted
    failThrough(h, new IOException("one too many"));
    failThrough(h, new IOException("one too many"));
    String untracked =
        "Harness 'payments': call failed: java.io.IOException: one too many (not summarized: 1,000"
            + " kinds of failure already tracked)";
    assertThat(log.messages()).hasSize(Harness.TRACKED_KINDS + 2);
    assertThat(log.messages()).endsWith(untracked, untracked);

    // Once every kind has been quiet for an interval, the next new kind retires them, reporting
    // what they still had pending, and is tracked again.
    time.advance(Duration.ofMinutes(1));
    failThrough(h, new IOException("new"));
    failThrough(h, new IOException("new"));
    assertThat(log.messages())
        .hasSize(Harness.TRACKED_KINDS + 4)
        .endsWith(
            "Harness 'payments': 1 more java.io.IOException: kind 0 in the last 1.00 min",
            "Harness 'payments': call failed: java.io.IOException: new");
  }

  @Test
  void aFullTableOfActiveKinds_isSweptAtMostOncePerInterval() {
    FakeClock time = FakeClock.at(Instant.EPOCH);
    Harness h = harness(time);
    for (int i = 0; i < Harness.TRACKED_KINDS; i++) {
      failThrough(h, new IOException("kind " + i));
    }
    time.advance(Duration.ofSeconds(59));
    for (int i = 0; i < Harness.TRACKED_KINDS; i++) {
      failThrough(h, new IOException("kind " + i)); // keep them all active
    }
    time.advance(Duration.ofSeconds(2));
    failThrough(h, new IOException("new")); // sweeps, finds nothing quiet
    failThrough(h, new IOException("new")); // no second sweep within the interval
    assertThat(log.messages().subList(Harness.TRACKED_KINDS, log.messages().size()))
        .allMatch(m -> m.endsWith("(not summarized: 1,000 kinds of failure already tracked)"))
        .hasSize(2);
  }
}
