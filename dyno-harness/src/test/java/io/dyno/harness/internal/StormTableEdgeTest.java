package io.dyno.harness.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.harness.internal.StormTable.Decision;
import io.dyno.harness.internal.StormTable.Kind;
import io.dyno.harness.internal.StormTable.Summary;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The storm table at the edges of its windows and sweeps: exactly one interval, late readings. */
class StormTableEdgeTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long INTERVAL = 60 * SECOND;
  private static final Decision UNTRACKED = new Decision(List.of(), true, false);

  private static Kind kind(String message) {
    return new Kind(IOException.class, message);
  }

  @Test
  void record_quietForExactlyOneInterval_summarizesThePendingCountThenLogsInFull() {
    StormTable table = new StormTable(10, INTERVAL, 5 * SECOND);
    table.record(kind("a"), 5 * SECOND); // the window starts at 5s
    table.record(kind("a"), 15 * SECOND); // counted; last seen at 15s

    // 60s after the last failure the kind is quiet: the pending one is summarized over the 70s
    // since the window began, and this failure starts afresh.
    assertThat(table.record(kind("a"), 75 * SECOND))
        .isEqualTo(new Decision(List.of(new Summary(kind("a"), 1, 70 * SECOND)), true, true));
  }

  @Test
  void record_justUnderOneIntervalOfQuiet_isTheEndOfAWindowInAStorm() {
    StormTable table = new StormTable(10, INTERVAL, 5 * SECOND);
    table.record(kind("a"), 5 * SECOND);
    table.record(kind("a"), 15 * SECOND);

    assertThat(table.record(kind("a"), 75 * SECOND - 1))
        .isEqualTo(new Decision(List.of(new Summary(kind("a"), 2, 70 * SECOND - 1)), false, true));
  }

  @Test
  void record_aReadingOlderThanTheLastFailure_doesNotMakeTheKindLookQuiet() {
    StormTable table = new StormTable(10, INTERVAL, 10 * SECOND);
    table.record(kind("a"), 10 * SECOND);
    table.record(kind("a"), 50 * SECOND);
    // Another thread read the ticker at 20s and recorded after the failure at 50s.
    assertThat(table.record(kind("a"), 20 * SECOND).logInFull()).isFalse();

    // 35s after the failure at 50s the storm is still going: all three are summarized at once.
    assertThat(table.record(kind("a"), 85 * SECOND))
        .isEqualTo(new Decision(List.of(new Summary(kind("a"), 3, 75 * SECOND)), false, true));
  }

  @Test
  void aFullTable_sweepLeavesAnActiveKindsPendingCountAlone() {
    StormTable table = new StormTable(1, INTERVAL, 0);
    table.record(kind("a"), 0);
    table.record(kind("a"), 30 * SECOND); // pending, and active

    // The sweep finds nothing quiet: no summary, and the window of "a" goes on from 0s.
    assertThat(table.record(kind("b"), 61 * SECOND)).isEqualTo(UNTRACKED);
    assertThat(table.record(kind("a"), 62 * SECOND))
        .isEqualTo(new Decision(List.of(new Summary(kind("a"), 2, 62 * SECOND)), false, true));
  }

  @Test
  void aFullTable_isNotSweptAgainUntilAWholeIntervalAfterTheLastSweep() {
    StormTable table = new StormTable(1, INTERVAL, 0);
    table.record(kind("a"), 0);
    table.record(kind("a"), 30 * SECOND);
    assertThat(table.record(kind("b"), 61 * SECOND)).isEqualTo(UNTRACKED); // swept at 61s

    // "a" has been quiet since 90s, but the last sweep was only 34s ago.
    assertThat(table.record(kind("c"), 95 * SECOND)).isEqualTo(UNTRACKED);
    assertThat(table.size()).isEqualTo(1);

    // Exactly one interval after the last sweep, "a" is retired and "c" takes its place.
    assertThat(table.record(kind("c"), 121 * SECOND))
        .isEqualTo(new Decision(List.of(new Summary(kind("a"), 1, 121 * SECOND)), true, true));
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.record(kind("c"), 122 * SECOND).logInFull()).isFalse();
  }

  @Test
  void aKindSweptOrDrainedOnOneThread_canBeRecordedOnAnother() throws Exception {
    StormTable table = new StormTable(1, INTERVAL, 0);
    table.record(kind("a"), 0);
    table.record(kind("a"), 30 * SECOND);
    assertThat(table.record(kind("b"), 61 * SECOND)).isEqualTo(UNTRACKED); // sweeps, keeps "a"
    assertThat(table.drain(62 * SECOND)).containsExactly(new Summary(kind("a"), 1, 62 * SECOND));

    assertThat(onAnotherThread(() -> table.record(kind("a"), 63 * SECOND)))
        .isEqualTo(new Decision(List.of(), false, true));
  }

  /** Runs {@code work} on a new thread and returns its result, failing after ten seconds. */
  static <T> T onAnotherThread(Supplier<T> work) throws InterruptedException {
    AtomicReference<T> result = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread thread =
        new Thread(
            () -> {
              result.set(work.get());
              done.countDown();
            });
    // A thread stuck on a lock left held must not keep the test JVM alive.
    thread.setDaemon(true);
    thread.start();
    assertThat(done.await(10, TimeUnit.SECONDS)).as("finished within 10 s").isTrue();
    return result.get();
  }
}
