package io.dyno.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Carrying a timing through a request: scopes, {@code current()}, {@code wrap} and the no-op. */
// Scopes and spans opened by try-with-resources only to be closed, which is their idiom.
@SuppressWarnings("try")
class TimingPropagationTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-27T06:00:00Z"), ZoneOffset.UTC);

  private final FakeTicker now = FakeTicker.create();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void shutDown() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Timing.current().isNoop()).as("every test leaves its thread clean").isTrue();
  }

  private Timing start(String name) {
    return Timing.builder(name).ticker(now).clock(CLOCK).start();
  }

  private static String parentOf(List<Timing.Record> records, String name) {
    Timing.Record record =
        records.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    return records.get(record.parent()).name();
  }

  @Test
  void current_outsideAnyScopeIsTheNoopTiming() {
    assertThat(Timing.current()).isSameAs(Timing.noop());
    assertThat(Timing.current().isNoop()).isTrue();
  }

  @Test
  void activate_makesTheTimingCurrentUntilTheScopeCloses() {
    Timing t = start("checkout");
    Timing.Scope scope = t.activate();
    assertThat(Timing.current()).isSameAs(t);
    scope.close();
    assertThat(Timing.current()).isSameAs(Timing.noop());
  }

  @Test
  void nestedScopes_restoreTheOuterTimingInOrder() {
    Timing outer = start("outer");
    Timing inner = start("inner");
    try (Timing.Scope a = outer.activate()) {
      try (Timing.Scope b = inner.activate()) {
        assertThat(Timing.current()).isSameAs(inner);
      }
      assertThat(Timing.current()).isSameAs(outer);
    }
    assertThat(Timing.current().isNoop()).isTrue();
  }

  @Test
  void closingAnOuterScopeFirst_closesTheScopesInsideItToo() {
    Timing first = start("first");
    Timing second = start("second");
    Timing third = start("third");
    Timing.Scope a = first.activate();
    Timing.Scope b = second.activate();
    Timing.Scope c = third.activate();

    b.close();
    assertThat(Timing.current()).isSameAs(first);
    c.close();
    assertThat(Timing.current()).as("c went with b").isSameAs(first);
    a.close();
    assertThat(Timing.current().isNoop()).isTrue();
  }

  @Test
  void closingAScopeTwice_doesNothingMore() {
    Timing outer = start("outer");
    Timing inner = start("inner");
    Timing.Scope a = outer.activate();
    Timing.Scope b = inner.activate();
    b.close();
    b.close();
    assertThat(Timing.current()).isSameAs(outer);
    a.close();
  }

  @Test
  void closingAScopeOnAnotherThread_failsAndLeavesItOpen() throws Exception {
    Timing t = start("checkout");
    Timing.Scope scope = t.activate();
    try {
      Future<?> closed = pool.submit(scope::close);
      assertThatThrownBy(() -> closed.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(
              "Scope of Timing 'checkout' must be closed on the thread that activated it, not on ");
      assertThat(Timing.current()).isSameAs(t);
    } finally {
      scope.close();
    }
  }

  @Test
  void intervalsInAScope_nestUnderTheIntervalOpenWhenItWasActivated() {
    Timing t = start("checkout");
    Timing.Span handler = t.interval("handler");
    try (Timing.Scope scope = t.activate()) {
      Timing.current().interval("db").stop();
    }
    handler.stop();

    assertThat(parentOf(t.records(), "db")).isEqualTo("handler");
  }

  @Test
  void closingAScope_dropsItsOpenSpansFromTheThreadButLeavesThemRunning() {
    Timing t = start("checkout");
    Timing.Span handler = t.interval("handler");
    Timing.Scope scope = t.activate();
    Timing.Span forgotten = t.interval("forgotten");
    scope.close();

    Timing.Span next = t.interval("next");
    next.stop();
    handler.stop();

    assertThat(forgotten.isRunning()).isTrue();
    assertThat(parentOf(t.records(), "next")).isEqualTo("handler");
    forgotten.stop();
    assertThat(t.records())
        .filteredOn(Timing.Record::running)
        .extracting(Timing.Record::name)
        .containsExactly("checkout");
  }

  @Test
  void wrapRunnable_carriesTheTimingAndTheOpenIntervalToAnotherThread() throws Exception {
    Timing t = start("checkout");
    CountDownLatch ran = new CountDownLatch(1);
    AtomicReference<Timing> seen = new AtomicReference<>();
    try (Timing.Scope scope = t.activate();
        Timing.Span handler = t.interval("handler")) {
      Runnable task =
          Timing.wrap(
              () -> {
                seen.set(Timing.current());
                Timing.current().interval("async-db").stop();
                ran.countDown();
              });
      pool.execute(task);
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }
    t.stop();

    assertThat(seen.get()).isSameAs(t);
    assertThat(parentOf(t.records(), "async-db")).isEqualTo("handler");
    assertThat(t.records()).allSatisfy(r -> assertThat(r.notes()).isEmpty());
  }

  @Test
  void wrapCallable_returnsTheTasksResultWithTheTimingCurrent() throws Exception {
    Timing t = start("checkout");
    Future<String> name;
    try (Timing.Scope scope = t.activate()) {
      name = pool.submit(Timing.wrap(() -> Timing.current().name()));
    }
    assertThat(name.get(10, TimeUnit.SECONDS)).isEqualTo("checkout");
  }

  @Test
  void wrapCallable_passesTheTasksExceptionThroughUnchanged() throws Exception {
    IOException failure = new IOException("disk on fire");
    Callable<String> task;
    try (Timing.Scope scope = start("checkout").activate()) {
      task =
          Timing.wrap(
              () -> {
                throw failure;
              });
    }
    assertThatThrownBy(task::call).isSameAs(failure);
    assertThatThrownBy(() -> pool.submit(task).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isSameAs(failure);
  }

  @Test
  void wrap_restoresTheRunningThreadsOwnContextAfterward() throws Exception {
    Timing mine = start("mine");
    Timing theirs = start("theirs");
    Runnable task;
    try (Timing.Scope scope = theirs.activate()) {
      // A block body: an expression lambda with a value would wrap as a Callable.
      task =
          Timing.wrap(
              () -> {
                assertThat(Timing.current()).isSameAs(theirs);
              });
    }
    try (Timing.Scope scope = mine.activate()) {
      task.run();
      assertThat(Timing.current()).isSameAs(mine);
    }
  }

  @Test
  void wrap_outsideAnyScopeRunsTheTaskWithNoTimingCurrent() throws Exception {
    Runnable task =
        Timing.wrap(
            () -> {
              assertThat(Timing.current().isNoop()).isTrue();
            });
    Callable<Boolean> call = Timing.wrap(() -> Timing.current().isNoop());
    Timing mine = start("mine");
    try (Timing.Scope scope = mine.activate()) {
      task.run();
      assertThat(call.call()).isTrue();
      assertThat(Timing.current()).isSameAs(mine);
    }
    task.run();
    assertThat(call.call()).isTrue();
  }

  @Test
  void aWrappedTaskRunAfterItsIntervalStopped_nestsUnderItWithANote() throws Exception {
    Timing t = start("checkout");
    Runnable task;
    try (Timing.Scope scope = t.activate();
        Timing.Span handler = t.interval("handler")) {
      task = Timing.wrap(() -> Timing.current().interval("late").stop());
    }
    pool.submit(task).get(10, TimeUnit.SECONDS);

    List<Timing.Record> records = t.records();
    assertThat(parentOf(records, "late")).isEqualTo("handler");
    assertThat(records.get(2).notes()).containsExactly(Timing.Note.STARTED_AFTER_PARENT_STOPPED);
  }

  @Test
  void wrap_withNoIntervalOpenNestsTheTasksIntervalsUnderTheRoot() throws Exception {
    Timing t = start("checkout");
    Runnable task;
    try (Timing.Scope scope = t.activate()) {
      task = Timing.wrap(() -> Timing.current().interval("async").stop());
    }
    Timing.Span local = t.interval("local");
    task.run();
    local.stop();

    assertThat(parentOf(t.records(), "async")).isEqualTo("checkout");
  }

  @Test
  void noop_doesNothingAndRecordsNothing() {
    Timing noop = Timing.noop();
    Timing.Span span = noop.interval("db");
    noop.mark("m");
    span.stop();
    span.close();
    noop.stop();

    assertThat(noop.isNoop()).isTrue();
    assertThat(noop.name()).isEqualTo("noop");
    assertThat(noop.isRunning()).isFalse();
    assertThat(noop.elapsed()).isEqualTo(Duration.ZERO);
    assertThat(noop.startedAt()).isEqualTo(Instant.EPOCH);
    assertThat(noop.records()).isEmpty();
    assertThat(noop.report()).isEqualTo("(no-op timing: nothing is recorded)");
    assertThat(noop).hasToString("Timing[name=noop, state=no-op]");
    assertThat(span.isRunning()).isFalse();
    assertThat(span.elapsed()).isEqualTo(Duration.ZERO);
    assertThat(span).isSameAs(noop.interval("other")).hasToString("Span (no-op)");
  }

  @Test
  void noop_stillRejectsBadNames() {
    assertThatThrownBy(() -> Timing.noop().interval(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> Timing.noop().mark(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
  }

  @Test
  void noop_activatedWithNothingCurrentReturnsOneSharedScope() {
    Timing.Scope a = Timing.noop().activate();
    Timing.Scope b = Timing.noop().activate();
    assertThat(a).isSameAs(b).hasToString("Scope (no-op)");
    b.close();
    a.close();
    assertThat(Timing.current().isNoop()).isTrue();
  }

  @Test
  void noop_activatedInsideAScopeMakesNoTimingCurrentUntilClosed() {
    Timing t = start("checkout");
    try (Timing.Scope outer = t.activate()) {
      Timing.Scope hidden = Timing.noop().activate();
      assertThat(Timing.current().isNoop()).isTrue();
      assertThat(hidden).hasToString("Scope of the no-op timing");
      hidden.close();
      assertThat(Timing.current()).isSameAs(t);
      assertThat(outer).hasToString("Scope of Timing 'checkout'");
    }
  }
}
