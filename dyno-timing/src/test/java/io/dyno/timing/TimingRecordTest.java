package io.dyno.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TimingRecordTest {

  private static Timing.Record record(
      int index, int parent, int depth, Timing.Kind kind, long duration, boolean running) {
    return new Timing.Record(index, parent, depth, kind, "r", 0, duration, running, Set.of());
  }

  @Test
  void notes_areCopiedAndImmutable() {
    Set<Timing.Note> notes = EnumSet.of(Timing.Note.STOPPED_TWICE);
    Timing.Record r = new Timing.Record(1, 0, 1, Timing.Kind.INTERVAL, "db", 5, 10, false, notes);
    notes.add(Timing.Note.STOPPED_ON_OTHER_THREAD);

    assertThat(r.notes()).containsExactly(Timing.Note.STOPPED_TWICE);
    assertThatThrownBy(() -> r.notes().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void note_describesItselfAsTheReportDoes() {
    assertThat(Timing.Note.STOPPED_TWICE.description()).isEqualTo("stopped twice");
    assertThat(Timing.Note.STARTED_AFTER_PARENT_STOPPED.description())
        .isEqualTo("started after its parent stopped");
  }

  @Test
  void constructor_rejectsNullComponents() {
    assertThatThrownBy(() -> new Timing.Record(0, -1, 0, null, "r", 0, 0, false, Set.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("kind must not be null");
    assertThatThrownBy(
            () -> new Timing.Record(0, -1, 0, Timing.Kind.INTERVAL, null, 0, 0, false, Set.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(
            () -> new Timing.Record(0, -1, 0, Timing.Kind.INTERVAL, "r", 0, 0, false, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("notes must not be null");
  }

  @Test
  void constructor_rejectsIndicesAndDepthsOutOfRange() {
    assertThatThrownBy(() -> record(-1, -1, 0, Timing.Kind.INTERVAL, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("index must be >= 0, was -1");
    assertThatThrownBy(() -> record(2, 2, 1, Timing.Kind.INTERVAL, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parent must be in [-1, index 2), was 2");
    assertThatThrownBy(() -> record(2, -2, 1, Timing.Kind.INTERVAL, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parent must be in [-1, index 2), was -2");
    assertThatThrownBy(() -> record(2, 0, -1, Timing.Kind.INTERVAL, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("depth must be >= 0, was -1");
  }

  @Test
  void constructor_rejectsAMarkWithADurationOrRunning() {
    assertThatThrownBy(() -> record(1, 0, 1, Timing.Kind.MARK, 5, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a mark has no duration and never runs, was durationNanos=5, running=false");
    assertThatThrownBy(() -> record(1, 0, 1, Timing.Kind.MARK, 0, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a mark has no duration and never runs, was durationNanos=0, running=true");
    assertThat(record(1, 0, 1, Timing.Kind.MARK, 0, false).kind()).isEqualTo(Timing.Kind.MARK);
  }
}
