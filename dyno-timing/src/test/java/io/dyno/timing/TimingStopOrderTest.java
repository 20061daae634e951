package io.dyno.timing;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Spans stopped out of order, twice, after their parent, or on another thread. */
class TimingStopOrderTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-27T06:00:00Z"), ZoneOffset.UTC);

  private final FakeTicker now = FakeTicker.create();
  private final ExecutorService other = Executors.newSingleThreadExecutor();

  @AfterEach
  void shutDown() throws InterruptedException {
    other.shutdownNow();
    assertThat(other.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private Timing start(String name) {
    return Timing.builder(name).ticker(now).clock(CLOCK).start();
  }

  private void advance(long nanos) {
    now.advance(nanos);
  }

  private static Timing.Record named(List<Timing.Record> records, String name) {
    return records.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  private void onOtherThread(Runnable action) throws Exception {
    other.submit(action).get(10, TimeUnit.SECONDS);
  }

  @Test
  void stoppingTwice_keepsTheFirstEndAndSaysSo() {
    Timing t = start("checkout");
    Timing.Span db = t.interval("db");
    advance(1_000);
    db.stop();
    advance(1_000);
    db.stop();
    db.close();

    assertThat(db.elapsed()).isEqualTo(Duration.ofNanos(1_000));
    Timing.Record record = named(t.records(), "db");
    assertThat(record.durationNanos()).isEqualTo(1_000);
    assertThat(record.notes()).containsExactly(Timing.Note.STOPPED_TWICE);
    assertThat(t.report()).endsWith("db  (stopped twice)");
  }

  @Test
  void stoppingTheTimingTwice_keepsTheFirstTotal() {
    Timing t = start("checkout");
    advance(10);
    t.stop();
    advance(10);
    t.stop();

    assertThat(t.elapsed()).isEqualTo(Duration.ofNanos(10));
    assertThat(t.records().get(0).notes()).containsExactly(Timing.Note.STOPPED_TWICE);
  }

  @Test
  void stoppingAParentFirst_leavesTheChildRunningAndSaysSo() {
    Timing t = start("checkout");
    Timing.Span parent = t.interval("parent");
    advance(1_000);
    Timing.Span child = t.interval("child");
    advance(1_000);
    parent.stop();
    advance(1_000);

    assertThat(child.isRunning()).isTrue();
    Timing.Record running = named(t.records(), "child");
    assertThat(running.running()).isTrue();
    assertThat(running.durationNanos()).isEqualTo(2_000);
    assertThat(running.notes()).containsExactly(Timing.Note.RUNNING_AFTER_PARENT);
    assertThat(t.report())
        .endsWith("+1.00 µs  running      child  (still running after its parent stopped)");

    child.stop();

    Timing.Record stopped = named(t.records(), "child");
    assertThat(stopped.running()).isFalse();
    assertThat(stopped.durationNanos()).isEqualTo(2_000);
    assertThat(stopped.notes()).containsExactly(Timing.Note.STOPPED_AFTER_PARENT);
    assertThat(named(t.records(), "parent").notes()).isEmpty();
    assertThat(t.report()).endsWith("child  (stopped after its parent)");
  }

  @Test
  void stoppingTheTimingFirst_leavesOpenIntervalsRunning() {
    Timing t = start("checkout");
    Timing.Span db = t.interval("db");
    advance(5);
    t.stop();
    advance(5);

    assertThat(db.isRunning()).isTrue();
    assertThat(named(t.records(), "db").notes()).containsExactly(Timing.Note.RUNNING_AFTER_PARENT);
    assertThat(t.report()).contains("running").contains("total 5 ns");
  }

  @Test
  void afterAParentIsStoppedOutOfOrder_newIntervalsNestUnderTheInnermostOpenOne() {
    Timing t = start("checkout");
    Timing.Span a = t.interval("a");
    Timing.Span b = t.interval("b");
    a.stop();
    Timing.Span c = t.interval("c");
    c.stop();
    b.stop();
    Timing.Span d = t.interval("d");
    d.stop();

    List<Timing.Record> records = t.records();
    assertThat(records)
        .extracting(r -> r.name() + "<" + (r.parent() < 0 ? "" : records.get(r.parent()).name()))
        .containsExactly("checkout<", "a<checkout", "b<a", "c<b", "d<checkout");
    assertThat(named(records, "b").notes()).containsExactly(Timing.Note.STOPPED_AFTER_PARENT);
    assertThat(named(records, "c").notes()).isEmpty();
  }

  @Test
  void anIntervalOrMarkAfterTheTimingStopped_isRecordedUnderTheRootWithANote() {
    Timing t = start("checkout");
    advance(10);
    t.stop();
    advance(10);
    Timing.Span late = t.interval("late");
    late.stop();
    t.mark("later");

    List<Timing.Record> records = t.records();
    assertThat(named(records, "late").parent()).isZero();
    assertThat(named(records, "late").notes())
        .containsExactly(Timing.Note.STARTED_AFTER_PARENT_STOPPED);
    assertThat(named(records, "later").notes())
        .containsExactly(Timing.Note.STARTED_AFTER_PARENT_STOPPED);
    assertThat(t.report())
        .contains("late  (started after its parent stopped)")
        .contains("later  (started after its parent stopped)");
  }

  @Test
  void stoppingOnAnotherThread_endsTheSpanAndSaysSo() throws Exception {
    Timing t = start("checkout");
    Timing.Span db = t.interval("db");
    advance(700);

    onOtherThread(db::stop);

    assertThat(db.isRunning()).isFalse();
    Timing.Record record = named(t.records(), "db");
    assertThat(record.durationNanos()).isEqualTo(700);
    assertThat(record.notes()).containsExactly(Timing.Note.STOPPED_ON_OTHER_THREAD);
    assertThat(t.report()).endsWith("db  (stopped on another thread)");
  }

  @Test
  void aSpanStoppedOnAnotherThread_noLongerParentsTheOpenersNewIntervals() throws Exception {
    Timing t = start("checkout");
    Timing.Span outer = t.interval("outer");
    Timing.Span inner = t.interval("inner");
    onOtherThread(inner::stop);

    Timing.Span next = t.interval("next");
    next.stop();
    outer.stop();

    List<Timing.Record> records = t.records();
    assertThat(records.get(named(records, "next").parent()).name()).isEqualTo("outer");
    assertThat(named(records, "outer").notes()).isEmpty();
  }

  @Test
  void stoppingTheTimingOnAnotherThread_works() throws Exception {
    Timing t = start("checkout");
    advance(42);

    onOtherThread(t::stop);

    assertThat(t.isRunning()).isFalse();
    assertThat(t.elapsed()).isEqualTo(Duration.ofNanos(42));
    assertThat(t.records().get(0).notes()).containsExactly(Timing.Note.STOPPED_ON_OTHER_THREAD);
  }

  @Test
  void severalNotes_areAllReportedInOneParenthesis() throws Exception {
    Timing t = start("checkout");
    Timing.Span parent = t.interval("parent");
    Timing.Span child = t.interval("child");
    parent.stop();
    onOtherThread(child::stop);
    child.stop();

    assertThat(named(t.records(), "child").notes())
        .containsExactlyInAnyOrder(
            Timing.Note.STOPPED_AFTER_PARENT,
            Timing.Note.STOPPED_TWICE,
            Timing.Note.STOPPED_ON_OTHER_THREAD);
    assertThat(t.report())
        .contains("child  (stopped after its parent, stopped twice, stopped on another thread)");
  }

  @Test
  void aSpanLeftRunningAfterItsTimingStopped_stillParentsThatTimingsNewIntervals() {
    Timing t = start("checkout");
    Timing.Span open = t.interval("open");
    t.stop();
    Timing.Span late = t.interval("late");
    late.stop();
    open.stop();

    List<Timing.Record> records = t.records();
    assertThat(records.get(named(records, "late").parent()).name()).isEqualTo("open");
    assertThat(named(records, "late").notes()).isEmpty();
  }

  @Test
  void aSpanLeftRunningByAFinishedTiming_isDroppedWhenTheThreadMovesOn() {
    Timing finished = start("finished");
    Timing.Span leaked = finished.interval("leaked"); // never stopped
    finished.stop();

    Timing next = start("next");
    next.interval("work").stop();
    next.stop();
    // Had the thread kept "leaked" in its context, this would nest under it.
    finished.interval("after").stop();

    List<Timing.Record> records = finished.records();
    assertThat(leaked.isRunning()).isTrue();
    assertThat(named(records, "after").parent()).isZero();
    assertThat(named(records, "after").notes())
        .containsExactly(Timing.Note.STARTED_AFTER_PARENT_STOPPED);
  }
}
