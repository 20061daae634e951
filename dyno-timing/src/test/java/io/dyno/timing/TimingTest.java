package io.dyno.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class TimingTest {

  private static final Instant START = Instant.parse("2026-11-27T06:00:00Z");
  private static final Clock CLOCK = Clock.fixed(START, ZoneOffset.UTC);

  private final FakeTicker now = FakeTicker.create();

  private Timing start(String name) {
    return Timing.builder(name).ticker(now).clock(CLOCK).start();
  }

  private void advance(long nanos) {
    now.advance(nanos);
  }

  private static Timing.Record interval(
      int index, int parent, int depth, String name, long start, long duration) {
    return new Timing.Record(
        index, parent, depth, Timing.Kind.INTERVAL, name, start, duration, false, Set.of());
  }

  private static Timing.Record running(
      int index, int parent, int depth, String name, long start, long soFar) {
    return new Timing.Record(
        index, parent, depth, Timing.Kind.INTERVAL, name, start, soFar, true, Set.of());
  }

  private static Timing.Record mark(int index, int parent, int depth, String name, long at) {
    return new Timing.Record(index, parent, depth, Timing.Kind.MARK, name, at, 0, false, Set.of());
  }

  @Test
  void start_runsTheRootIntervalFromTheClocksInstant() {
    Timing t = start("checkout");
    advance(500);

    assertThat(t.name()).isEqualTo("checkout");
    assertThat(t.isNoop()).isFalse();
    assertThat(t.startedAt()).isEqualTo(START);
    assertThat(t.isRunning()).isTrue();
    assertThat(t.elapsed()).isEqualTo(Duration.ofNanos(500));
    assertThat(t.records()).containsExactly(running(0, -1, 0, "checkout", 0, 500));
  }

  @Test
  void start_withTheDefaultsReadsTheSystemTickerAndClock() {
    Instant before = Instant.now();
    Timing t = Timing.start("checkout");
    Timing.Span s = t.interval("work");
    s.stop();
    t.stop();

    assertThat(t.startedAt()).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
    assertThat(t.elapsed()).isGreaterThanOrEqualTo(s.elapsed());
    assertThat(s.elapsed()).isGreaterThanOrEqualTo(Duration.ZERO);
  }

  @Test
  void interval_nestsUnderTheInnermostOpenInterval() {
    Timing t = start("checkout");
    advance(10);
    Timing.Span outer = t.interval("outer");
    advance(10);
    Timing.Span inner = t.interval("inner");
    advance(10);
    inner.stop();
    advance(10);
    outer.stop();
    t.stop();

    assertThat(t.records())
        .containsExactly(
            interval(0, -1, 0, "checkout", 0, 40),
            interval(1, 0, 1, "outer", 10, 30),
            interval(2, 1, 2, "inner", 20, 10));
  }

  @Test
  @SuppressWarnings("try") // The span is only closed.
  void interval_afterTheInnermostStopsNestsUnderItsParentAgain() {
    Timing t = start("checkout");
    try (Timing.Span a = t.interval("a")) {
      advance(5);
    }
    Timing.Span b = t.interval("b");
    advance(5);
    b.close();

    List<Timing.Record> records = t.records();
    assertThat(records).extracting(Timing.Record::name).containsExactly("checkout", "a", "b");
    assertThat(records).extracting(Timing.Record::parent).containsExactly(-1, 0, 0);
    assertThat(records.get(2).startNanos()).isEqualTo(5);
  }

  @Test
  void mark_recordsAnInstantUnderTheInnermostOpenInterval() {
    Timing t = start("checkout");
    t.mark("begin");
    advance(3);
    Timing.Span load = t.interval("load-cart");
    advance(4);
    t.mark("cache-miss");
    advance(5);
    load.stop();
    t.mark("loaded");

    assertThat(t.records())
        .containsExactly(
            running(0, -1, 0, "checkout", 0, 12),
            mark(1, 0, 1, "begin", 0),
            interval(2, 0, 1, "load-cart", 3, 9),
            mark(3, 2, 2, "cache-miss", 7),
            mark(4, 0, 1, "loaded", 12));
  }

  @Test
  void stop_fixesTheTotal() {
    Timing t = start("checkout");
    advance(1_000);
    t.stop();
    advance(5_000);

    assertThat(t.isRunning()).isFalse();
    assertThat(t.elapsed()).isEqualTo(Duration.ofNanos(1_000));
    assertThat(t.records().get(0).durationNanos()).isEqualTo(1_000);
  }

  @Test
  void span_elapsedGrowsWhileRunningAndStaysFixedOnceStopped() {
    Timing t = start("checkout");
    Timing.Span s = t.interval("db");
    advance(100);
    assertThat(s.isRunning()).isTrue();
    assertThat(s.elapsed()).isEqualTo(Duration.ofNanos(100));
    advance(100);
    s.stop();
    advance(100);

    assertThat(s.isRunning()).isFalse();
    assertThat(s.elapsed()).isEqualTo(Duration.ofNanos(200));
  }

  @Test
  void report_showsOffsetsDurationsAndNamesAsAnIndentedTree() {
    Timing t = start("checkout");
    advance(1_000);
    Timing.Span load = t.interval("load-cart");
    advance(1_999_000);
    t.mark("cache-miss");
    advance(2_561_000);
    load.stop();
    advance(39_000);
    Timing.Span db = t.interval("db");
    advance(7_700_000);
    db.stop();
    t.stop();

    assertThat(t.report())
        .isEqualTo(
            """
            checkout  started 2026-11-27T06:00:00Z  total 12.3 ms
              +0 ns     12.3 ms  checkout
              +1.00 µs  4.56 ms    load-cart
              +2.00 ms             · cache-miss
              +4.60 ms  7.70 ms    db""");
  }

  @Test
  void report_showsRunningIntervalsAsRunning() {
    Timing t = start("checkout");
    advance(1_500);
    t.interval("db");
    advance(1_500);

    assertThat(t.report())
        .isEqualTo(
            """
            checkout  started 2026-11-27T06:00:00Z  running, 3.00 µs so far
              +0 ns     running  checkout
              +1.50 µs  running    db""");
  }

  @Test
  void records_areImmutable() {
    Timing t = start("checkout");
    t.mark("m");
    List<Timing.Record> records = t.records();

    assertThatThrownBy(records::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> records.get(0).notes().add(Timing.Note.STOPPED_TWICE))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void records_listEachIntervalBeforeItsDescendantsAndSiblingsInStartOrder() {
    Timing t = start("checkout");
    Timing.Span a = t.interval("a");
    advance(1);
    Timing.Span a1 = t.interval("a1");
    advance(1);
    t.mark("a1-mark");
    a1.stop();
    Timing.Span a2 = t.interval("a2");
    advance(1);
    a2.stop();
    a.stop();
    advance(1);
    t.mark("b");

    assertThat(t.records())
        .extracting(r -> r.name() + "@" + r.depth() + "<" + r.parent())
        .containsExactly("checkout@0<-1", "a@1<0", "a1@2<1", "a1-mark@3<2", "a2@2<1", "b@1<0");
  }

  @Test
  void builder_startsAnIndependentTimingEachTime() {
    Timing.Builder builder = Timing.builder("request").ticker(now).clock(CLOCK);
    Timing first = builder.start();
    advance(10);
    Timing second = builder.start();
    advance(10);
    first.interval("only-in-first").stop();

    assertThat(first).isNotSameAs(second);
    assertThat(first.elapsed()).isEqualTo(Duration.ofNanos(20));
    assertThat(second.elapsed()).isEqualTo(Duration.ofNanos(10));
    assertThat(first.records()).hasSize(2);
    assertThat(second.records()).hasSize(1);
  }

  @Test
  void ticker_nearLongMaxValueWrapsWithoutBreakingDurations() {
    now.set(Long.MAX_VALUE - 10);
    Timing t = start("checkout");
    Timing.Span s = t.interval("across-the-wrap");
    advance(100);
    s.stop();
    t.stop();

    assertThat(now.read()).isNegative();
    assertThat(t.records())
        .containsExactly(
            interval(0, -1, 0, "checkout", 0, 100), interval(1, 0, 1, "across-the-wrap", 0, 100));
  }

  @Test
  void ticker_goingBackwardsIsAcceptedWithNegativeDurationsAndSiblingsInStartOrder() {
    Timing t = start("checkout");
    now.set(100);
    t.interval("first").stop();
    now.set(50);
    Timing.Span second = t.interval("second");
    now.set(40);
    second.stop();

    assertThat(t.records())
        .containsExactly(
            running(0, -1, 0, "checkout", 0, 40),
            interval(1, 0, 1, "second", 50, -10),
            interval(2, 0, 1, "first", 100, 0));
    assertThat(t.report()).contains("+50 ns   -10 ns     second");
  }

  @Test
  void toString_namesTheTimingAndItsState() {
    Timing t = start("checkout");
    advance(1_000);
    assertThat(t).hasToString("Timing[name=checkout, state=running, elapsed=1.00 µs]");
    Timing.Span s = t.interval("db");
    assertThat(s).hasToString("Span 'db' of Timing 'checkout' (running)");
    s.stop();
    t.stop();
    assertThat(t).hasToString("Timing[name=checkout, state=stopped, elapsed=1.00 µs]");
    assertThat(s).hasToString("Span 'db' of Timing 'checkout' (stopped)");
  }

  @Test
  void start_rejectsANullOrBlankName() {
    assertThatThrownBy(() -> Timing.start(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> Timing.start(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
  }

  @Test
  void builder_rejectsANullOrBlankNameTickerOrClock() {
    assertThatThrownBy(() -> Timing.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> Timing.builder(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ''");
    Timing.Builder builder = Timing.builder("checkout");
    assertThatThrownBy(() -> builder.ticker(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ticker must not be null");
    assertThatThrownBy(() -> builder.clock(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("clock must not be null");
  }

  @Test
  void intervalAndMark_rejectANullOrBlankNameAndRecordNothing() {
    Timing t = start("checkout");
    assertThatThrownBy(() -> t.interval(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> t.interval("\t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was '\t'");
    assertThatThrownBy(() -> t.mark(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> t.mark(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ''");
    assertThat(t.records()).hasSize(1);
  }

  @Test
  void wrap_rejectsANullTask() {
    assertThatThrownBy(() -> Timing.wrap((Runnable) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("task must not be null");
    assertThatThrownBy(() -> Timing.wrap((Callable<?>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("task must not be null");
  }
}
