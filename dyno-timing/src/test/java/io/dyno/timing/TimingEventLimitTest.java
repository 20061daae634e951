package io.dyno.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A timing holds at most {@code maxEvents} intervals and marks, and counts the ones it drops. */
class TimingEventLimitTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-27T06:00:00Z"), ZoneOffset.UTC);

  private final FakeTicker now = FakeTicker.create();

  private Timing start(int maxEvents) {
    return Timing.builder("import").ticker(now).clock(CLOCK).maxEvents(maxEvents).start();
  }

  @Test
  void pastMaxEvents_intervalsAndMarksAreDroppedAndCounted_andTheReportSaysSo() {
    Timing t = start(3);
    t.mark("a");
    Timing.Span b = t.interval("b");
    now.advance(1_000);
    t.mark("c");
    Timing.Span dropped = t.interval("d");
    t.mark("e");
    dropped.stop();
    assertThat(dropped.isRunning()).isFalse();
    b.stop();
    t.stop();

    assertThat(t.records())
        .extracting(Timing.Record::name)
        .containsExactly("import", "a", "b", "c");
    assertThat(t.droppedEvents()).isEqualTo(2);
    assertThat(t.report()).endsWith("\n  (2 events dropped: the timing keeps at most 3)");
  }

  @Test
  void aTimingWithinItsLimit_dropsNothing_andTheReportHasNoDropLine() {
    Timing t = start(2);
    t.mark("a");
    t.mark("b");

    assertThat(t.droppedEvents()).isZero();
    assertThat(t.report()).doesNotContain("dropped");
    t.mark("c");
    assertThat(t.report()).endsWith("\n  (1 event dropped: the timing keeps at most 2)");
  }

  @Test
  void theDefaultLimit_keepsTenThousandEvents() {
    Timing t = Timing.builder("loop").ticker(now).clock(CLOCK).start();
    for (int i = 0; i < 10_005; i++) {
      t.mark("row");
    }

    assertThat(t.records()).hasSize(10_001);
    assertThat(t.droppedEvents()).isEqualTo(5);
    assertThat(Timing.Builder.DEFAULT_MAX_EVENTS).isEqualTo(10_000);
  }

  @Test
  void threadsRacingForTheLastPlaces_keepExactlyMaxEvents() throws Exception {
    Timing t = start(1_000);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      Future<?>[] futures = new Future<?>[4];
      for (int w = 0; w < 4; w++) {
        futures[w] =
            pool.submit(
                () -> {
                  go.await(10, TimeUnit.SECONDS);
                  for (int i = 0; i < 500; i++) {
                    if (i % 2 == 0) {
                      t.mark("m");
                    } else {
                      t.interval("i").stop();
                    }
                  }
                  return null;
                });
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(t.records()).hasSize(1_001);
    assertThat(t.droppedEvents()).isEqualTo(1_000);
  }

  @Test
  void maxEvents_outOfRange_isRefusedNamingIt() {
    Timing.Builder b = Timing.builder("import");
    assertThatThrownBy(() -> b.maxEvents(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEvents must be between 1 and 1000000, was 0");
    assertThatThrownBy(() -> b.maxEvents(1_000_001))
        .hasMessage("maxEvents must be between 1 and 1000000, was 1000001");
  }

  @Test
  void theNoopTiming_dropsNothing() {
    assertThat(Timing.noop().droppedEvents()).isZero();
  }
}
