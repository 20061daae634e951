package io.dyno.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.groups.Tuple.tuple;

import io.dyno.testing.FakeClock;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class HarnessTest {

  /** The wall-clock time at which the test's clock starts. */
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final FakeClock time = FakeClock.at(START);
  private final RecordingLogger log = new RecordingLogger();

  private Harness.Builder harness(String name) {
    return Harness.builder(name).logger(log).clock(time).ticker(time.ticker());
  }

  @AfterEach
  void leaveTheTestThreadUninterrupted() {
    Thread.interrupted();
  }

  // ---- The success path ----

  @Test
  void call_returnsTheValueAndCapturesNothing() throws Exception {
    Harness h = harness("payments").build();
    assertThat(h.call(() -> "connected")).isEqualTo("connected");
    assertThat(h.get(() -> 42)).isEqualTo(42);
    assertThat(h.failures()).isZero();
    assertThat(h.failuresByType()).isEmpty();
    assertThat(h.recent()).isEmpty();
    assertThat(log.lines()).isEmpty();
  }

  @Test
  void success_readsNeitherTheClockNorTheTicker() throws Exception {
    AtomicBoolean built = new AtomicBoolean();
    Clock untouchable =
        new Clock() {
          @Override
          public ZoneId getZone() {
            throw new AssertionError("the clock was read");
          }

          @Override
          public Clock withZone(ZoneId zone) {
            throw new AssertionError("the clock was read");
          }

          @Override
          public Instant instant() {
            throw new AssertionError("the clock was read");
          }
        };
    Harness h =
        Harness.builder("payments")
            .logger(log)
            .clock(untouchable)
            .ticker(
                () -> {
                  if (built.get()) {
                    throw new AssertionError("the ticker was read");
                  }
                  return 0;
                })
            .build();
    built.set(true);
    assertThat(h.call(() -> 1)).isEqualTo(1);
    assertThat(h.get(() -> 2)).isEqualTo(2);
    h.run(() -> {});
    assertThat(h.decorateFunction((Integer x) -> x + 1).apply(3)).isEqualTo(4);
    assertThat(h.failures()).isZero();
  }

  @Test
  void call_passesANullResultThrough() throws Exception {
    Harness h = harness("payments").build();
    assertThat(h.<String>call(() -> null)).isNull();
    assertThat(h.<String>get(() -> null)).isNull();
  }

  // ---- The failure leaves as the same instance ----

  @Test
  void call_rethrowsTheSameCheckedExceptionInstance() {
    Harness h = harness("payments").build();
    IOException reset = new IOException("connection reset");
    Throwable thrown =
        catchThrowable(
            () ->
                h.call(
                    () -> {
                      throw reset;
                    }));
    assertThat(thrown).isSameAs(reset);
    assertThat(reset.getSuppressed()).isEmpty();
    assertThat(h.failures()).isEqualTo(1);
  }

  @Test
  void call_rethrowsTheSameRuntimeExceptionInstance() {
    Harness h = harness("payments").build();
    IllegalStateException broken = new IllegalStateException("broken");
    assertThat(
            catchThrowable(
                () ->
                    h.call(
                        () -> {
                          throw broken;
                        })))
        .isSameAs(broken);
  }

  @Test
  void get_rethrowsTheSameInstance() {
    Harness h = harness("payments").build();
    UncheckedIOException failure = new UncheckedIOException(new IOException("disk"));
    assertThat(
            catchThrowable(
                () ->
                    h.get(
                        () -> {
                          throw failure;
                        })))
        .isSameAs(failure);
    assertThat(h.failuresByType()).containsExactly(Map.entry(UncheckedIOException.class, 1L));
  }

  @Test
  void get_capturesACheckedExceptionThrownSneakily() {
    Harness h = harness("payments").build();
    IOException sneaky = new IOException("sneaky");
    Supplier<String> supplier = () -> Sneaky.raise(sneaky);
    assertThat(catchThrowable(() -> h.get(supplier))).isSameAs(sneaky);
    assertThat(h.failuresByType()).containsExactly(Map.entry(IOException.class, 1L));
  }

  @Test
  void run_rethrowsTheSameInstance() {
    Harness h = harness("payments").build();
    IllegalArgumentException failure = new IllegalArgumentException("bad");
    assertThat(
            catchThrowable(
                () ->
                    h.run(
                        () -> {
                          throw failure;
                        })))
        .isSameAs(failure);
    assertThat(h.failures()).isEqualTo(1);
  }

  @Test
  void errors_areCapturedLoggedAtErrorAndRethrown() {
    Harness h = harness("payments").level(Level.INFO).build();
    AssertionError fromCall = new AssertionError("call");
    StackOverflowError fromGet = new StackOverflowError("get");
    OutOfMemoryError fromRun = new OutOfMemoryError("run");
    assertThat(
            catchThrowable(
                () ->
                    h.call(
                        () -> {
                          throw fromCall;
                        })))
        .isSameAs(fromCall);
    assertThat(
            catchThrowable(
                () ->
                    h.get(
                        () -> {
                          throw fromGet;
                        })))
        .isSameAs(fromGet);
    assertThat(
            catchThrowable(
                () ->
                    h.run(
                        () -> {
                          throw fromRun;
                        })))
        .isSameAs(fromRun);
    assertThat(h.failures()).isEqualTo(3);
    assertThat(log.lines()).extracting(RecordingLogger.Line::level).containsOnly(Level.ERROR);
    assertThat(log.lines())
        .extracting(RecordingLogger.Line::cause)
        .containsExactly(fromCall, fromGet, fromRun);
  }

  // ---- decorate* ----

  @Test
  void decorateCallable_callsThroughTheHarness() throws Exception {
    Harness h = harness("payments").build();
    TimeoutException timeout = new TimeoutException("slow");
    Callable<String> ok = h.decorateCallable(() -> "ok");
    Callable<String> failing =
        h.decorateCallable(
            () -> {
              throw timeout;
            });
    assertThat(ok.call()).isEqualTo("ok");
    assertThat(catchThrowable(failing::call)).isSameAs(timeout);
    assertThat(h.failures()).isEqualTo(1);
  }

  @Test
  void decorateSupplier_getsThroughTheHarness() {
    Harness h = harness("payments").build();
    IllegalStateException failure = new IllegalStateException("no quote");
    Supplier<Integer> ok = h.decorateSupplier(() -> 7);
    Supplier<Integer> failing =
        h.decorateSupplier(
            () -> {
              throw failure;
            });
    assertThat(ok.get()).isEqualTo(7);
    assertThat(catchThrowable(failing::get)).isSameAs(failure);
    assertThat(h.failures()).isEqualTo(1);
  }

  @Test
  void decorateRunnable_runsThroughTheHarness() {
    Harness h = harness("payments").build();
    List<String> ran = new ArrayList<>();
    IllegalStateException failure = new IllegalStateException("nope");
    h.decorateRunnable(() -> ran.add("ran")).run();
    Runnable failing =
        h.decorateRunnable(
            () -> {
              throw failure;
            });
    assertThat(catchThrowable(failing::run)).isSameAs(failure);
    assertThat(ran).containsExactly("ran");
    assertThat(h.failures()).isEqualTo(1);
  }

  @Test
  void decorateFunction_appliesThroughTheHarness() {
    Harness h = harness("payments").build();
    Function<String, Integer> length = h.decorateFunction(String::length);
    IllegalArgumentException failure = new IllegalArgumentException("empty");
    Function<String, Integer> failing =
        h.decorateFunction(
            s -> {
              throw failure;
            });
    AssertionError error = new AssertionError("boom");
    Function<String, Integer> erring =
        h.decorateFunction(
            s -> {
              throw error;
            });
    assertThat(length.apply("four")).isEqualTo(4);
    assertThat(catchThrowable(() -> failing.apply(""))).isSameAs(failure);
    assertThat(catchThrowable(() -> erring.apply(""))).isSameAs(error);
    assertThat(h.failures()).isEqualTo(2);
  }

  // ---- What is captured ----

  @Test
  void captureIf_letsRejectedFailuresPassThroughUntouchedAndUncounted() {
    List<Failure> heard = new ArrayList<>();
    Harness h =
        harness("payments")
            .captureIf(t -> !(t instanceof IllegalArgumentException))
            .onFailure(heard::add)
            .build();
    IllegalArgumentException rejected = new IllegalArgumentException("caller's fault");
    IllegalStateException captured = new IllegalStateException("ours");
    assertThat(catchThrowable(() -> h.run(() -> Sneaky.raise(rejected)))).isSameAs(rejected);
    assertThat(catchThrowable(() -> h.run(() -> Sneaky.raise(captured)))).isSameAs(captured);
    assertThat(h.failures()).isEqualTo(1);
    assertThat(h.recent()).extracting(Failure::throwable).containsExactly(captured);
    assertThat(heard).extracting(Failure::throwable).containsExactly(captured);
    assertThat(log.lines()).extracting(RecordingLogger.Line::cause).containsExactly(captured);
  }

  @Test
  void captureIf_narrowsWithEachCall() {
    Harness h =
        harness("payments")
            .captureIf(t -> t instanceof RuntimeException)
            .captureIf(t -> !"expected".equals(t.getMessage()))
            .build();
    Sneaky.failThrough(h, new IllegalStateException("expected"));
    Sneaky.failThrough(h, new IllegalStateException("surprise"));
    Sneaky.failThrough(h, new IOException("checked"));
    assertThat(h.failures()).isEqualTo(1);
  }

  @Test
  void ignore_letsInstancesOfTheClassesAndTheirSubclassesPassThrough() {
    Harness h =
        harness("payments")
            .ignore(IllegalArgumentException.class)
            .ignore(IOException.class)
            .build();
    NumberFormatException subclass = new NumberFormatException("x");
    FileNotFoundException file = new FileNotFoundException("y");
    assertThat(catchThrowable(() -> h.run(() -> Sneaky.raise(subclass)))).isSameAs(subclass);
    assertThat(catchThrowable(() -> h.call(() -> Sneaky.raise(file)))).isSameAs(file);
    Sneaky.failThrough(h, new IllegalStateException("counted"));
    assertThat(h.failuresByType()).containsOnlyKeys(IllegalStateException.class);
    assertThat(log.lines()).hasSize(1);
  }

  @Test
  void ignore_acceptsSeveralClassesAtOnce() {
    Harness h =
        harness("payments").ignore(IllegalArgumentException.class, IOException.class).build();
    Sneaky.failThrough(h, new IOException("ignored"));
    Sneaky.failThrough(h, new IllegalArgumentException("ignored"));
    assertThat(h.failures()).isZero();
  }

  // ---- Counts and recent() ----

  @Test
  void failuresByType_countsByExactClass() {
    Harness h = harness("payments").build();
    for (int i = 0; i < 3; i++) {
      Sneaky.failThrough(h, new IOException("io"));
    }
    Sneaky.failThrough(h, new FileNotFoundException("file"));
    Sneaky.failThrough(h, new IllegalStateException("state"));
    assertThat(h.failures()).isEqualTo(5);
    assertThat(h.failuresByType())
        .containsOnly(
            Map.entry(IOException.class, 3L),
            Map.entry(FileNotFoundException.class, 1L),
            Map.entry(IllegalStateException.class, 1L));
  }

  @Test
  void snapshots_areImmutableAndDoNotChangeLater() {
    Harness h = harness("payments").build();
    Sneaky.failThrough(h, new IllegalStateException("one"));
    Map<Class<? extends Throwable>, Long> byType = h.failuresByType();
    List<Failure> recent = h.recent();
    Sneaky.failThrough(h, new IllegalStateException("two"));
    assertThat(byType).containsExactly(Map.entry(IllegalStateException.class, 1L));
    assertThat(recent).hasSize(1);
    assertThatThrownBy(() -> byType.put(IOException.class, 1L))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(recent::clear).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void recent_keepsTheLastFailuresNewestLastStampedByTheClock() {
    Harness h = harness("payments").keepRecent(3).build();
    List<IllegalStateException> thrown = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      IllegalStateException failure = new IllegalStateException("failure " + i);
      thrown.add(failure);
      Sneaky.failThrough(h, failure);
      time.advance(Duration.ofSeconds(1));
    }
    List<Failure> recent = h.recent();
    assertThat(recent)
        .extracting(Failure::throwable)
        .containsExactlyElementsOf(thrown.subList(2, 5));
    assertThat(recent)
        .extracting(Failure::at)
        .containsExactly(START.plusSeconds(2), START.plusSeconds(3), START.plusSeconds(4));
    assertThat(recent).extracting(Failure::harness).containsOnly("payments");
    assertThat(recent).extracting(Failure::thread).containsOnly(Thread.currentThread().getName());
    assertThat(h.failures()).isEqualTo(5);
  }

  @Test
  void recent_keepsTwentyByDefault() {
    Harness h = harness("payments").build();
    for (int i = 0; i < 25; i++) {
      Sneaky.failThrough(h, new IllegalStateException());
    }
    assertThat(h.recent()).hasSize(20);
  }

  @Test
  void keepRecentZero_keepsNoneButStillCounts() {
    Harness h = harness("payments").keepRecent(0).build();
    Sneaky.failThrough(h, new IllegalStateException());
    assertThat(h.recent()).isEmpty();
    assertThat(h.failures()).isEqualTo(1);
  }

  // ---- Logging ----

  @Test
  void firstFailure_isLoggedOnceAtWarnWithItsStackTrace() {
    Harness h = harness("payments").build();
    IOException reset = new IOException("connection reset");
    Sneaky.failThrough(h, reset);
    assertThat(log.lines())
        .containsExactly(
            new RecordingLogger.Line(
                Level.WARN,
                "Harness 'payments': call failed: java.io.IOException: connection reset",
                reset));
  }

  @Test
  void level_setsTheLevelOfExceptionsButNotOfErrors() {
    Harness h = harness("payments").level(Level.DEBUG).build();
    Sneaky.failThrough(h, new IllegalStateException());
    Sneaky.failThrough(h, new AssertionError());
    assertThat(log.lines())
        .extracting(RecordingLogger.Line::level, RecordingLogger.Line::message)
        .containsExactly(
            tuple(Level.DEBUG, "Harness 'payments': call failed: java.lang.IllegalStateException"),
            tuple(Level.ERROR, "Harness 'payments': call failed: java.lang.AssertionError"));
  }

  @Test
  void disabledLevel_logsNothingButStillCountsAndNotifies() {
    RecordingLogger quiet = new RecordingLogger(Level.ERROR);
    List<Failure> heard = new ArrayList<>();
    Harness h =
        Harness.builder("payments")
            .logger(quiet)
            .onFailure(heard::add)
            .onFailure(f -> Sneaky.raise(new IllegalStateException("listener")))
            .build();
    Sneaky.failThrough(h, new IllegalStateException("x"));
    h.logSummaries();
    assertThat(quiet.lines()).isEmpty();
    assertThat(h.failures()).isEqualTo(1);
    assertThat(heard).hasSize(1);
  }

  @Test
  void defaultLogger_isNamedAfterTheHarness() {
    assertThat(Harness.of("payments").logger().getName()).isEqualTo("io.dyno.harness.payments");
    assertThat(Harness.builder("quotes").build().logger().getName())
        .isEqualTo("io.dyno.harness.quotes");
  }

  @Test
  void defaultHarness_capturesAndRethrows() {
    Harness h = Harness.of("payments");
    IllegalStateException failure = new IllegalStateException("logged to slf4j");
    assertThat(catchThrowable(() -> h.run(() -> Sneaky.raise(failure)))).isSameAs(failure);
    assertThat(h.failures()).isEqualTo(1);
    assertThat(h.recent()).singleElement().extracting(Failure::throwable).isSameAs(failure);
  }

  // ---- Listeners ----

  @Test
  void onFailure_callsEveryListenerInOrderWithTheFailure() {
    List<String> calls = new ArrayList<>();
    Harness h =
        harness("payments")
            .onFailure(f -> calls.add("first " + f.throwable().getMessage()))
            .onFailure(f -> calls.add("second " + f.harness() + " " + f.at()))
            .build();
    Sneaky.failThrough(h, new IllegalStateException("x"));
    assertThat(calls).containsExactly("first x", "second payments " + START);
  }

  @Test
  void listenerException_isLoggedAndNeitherReplacesNorChangesTheFailure() {
    List<String> calls = new ArrayList<>();
    IllegalStateException fromListener = new IllegalStateException("alerts down");
    Harness h =
        harness("payments")
            .onFailure(
                f -> {
                  throw fromListener;
                })
            .onFailure(f -> calls.add("second listener still runs"))
            .build();
    IOException failure = new IOException("reset");
    assertThat(catchThrowable(() -> h.call(() -> Sneaky.raise(failure)))).isSameAs(failure);
    assertThat(failure.getSuppressed()).isEmpty();
    assertThat(calls).containsExactly("second listener still runs");
    assertThat(log.lines())
        .last()
        .isEqualTo(
            new RecordingLogger.Line(
                Level.WARN,
                "Harness 'payments': a failure listener threw while handling java.io.IOException:"
                    + " reset",
                fromListener));
  }

  @Test
  void listenerError_isAttachedToTheFailureAsSuppressedAndLoggedAtError() {
    List<String> calls = new ArrayList<>();
    AssertionError fromListener = new AssertionError("listener bug");
    Harness h =
        harness("payments")
            .onFailure(
                f -> {
                  throw fromListener;
                })
            .onFailure(f -> calls.add("second listener still runs"))
            .build();
    IOException failure = new IOException("reset");
    assertThat(catchThrowable(() -> h.call(() -> Sneaky.raise(failure)))).isSameAs(failure);
    assertThat(failure.getSuppressed()).containsExactly(fromListener);
    assertThat(calls).containsExactly("second listener still runs");
    assertThat(log.lines()).last().extracting(RecordingLogger.Line::level).isEqualTo(Level.ERROR);
  }

  @Test
  void listenerRethrowingTheFailureItself_changesNothing() {
    Harness h = harness("payments").onFailure(f -> Sneaky.raise(f.throwable())).build();
    IllegalStateException failure = new IllegalStateException("x");
    AssertionError error = new AssertionError("y");
    assertThat(catchThrowable(() -> h.run(() -> Sneaky.raise(failure)))).isSameAs(failure);
    assertThat(catchThrowable(() -> h.run(() -> Sneaky.raise(error)))).isSameAs(error);
    assertThat(failure.getSuppressed()).isEmpty();
    assertThat(error.getSuppressed()).isEmpty();
    assertThat(log.lines()).hasSize(2);
  }

  // ---- The harness's own failures ----

  @Test
  void loggerThatThrows_isAttachedAsSuppressedAndTheFailureStillLeaves() {
    IllegalStateException broken = new IllegalStateException("appender broken");
    RecordingLogger failing = new RecordingLogger().onLog(() -> Sneaky.raise(broken));
    List<Failure> heard = new ArrayList<>();
    Harness h = Harness.builder("payments").logger(failing).onFailure(heard::add).build();
    IOException failure = new IOException("reset");
    assertThat(catchThrowable(() -> h.call(() -> Sneaky.raise(failure)))).isSameAs(failure);
    assertThat(failure.getSuppressed()).containsExactly(broken);
    assertThat(h.failures()).isEqualTo(1);
    assertThat(heard).hasSize(1);
  }

  @Test
  void loggerThatThrowsWhileReportingAListener_isAttachedAsSuppressed() {
    IllegalStateException broken = new IllegalStateException("appender broken");
    RecordingLogger failing = new RecordingLogger().onLog(() -> Sneaky.raise(broken));
    Harness h =
        Harness.builder("payments")
            .logger(failing)
            .onFailure(f -> Sneaky.raise(new IllegalStateException("listener")))
            .build();
    IOException failure = new IOException("reset");
    assertThat(catchThrowable(() -> h.call(() -> Sneaky.raise(failure)))).isSameAs(failure);
    // Once from the failure's own line, once from the listener's.
    assertThat(failure.getSuppressed()).containsExactly(broken, broken);
  }

  @Test
  void captureIfThatThrows_isAttachedAsSuppressedAndNothingIsCounted() {
    IllegalStateException broken = new IllegalStateException("predicate broken");
    Harness h = harness("payments").captureIf(t -> Sneaky.raise(broken)).build();
    IOException failure = new IOException("reset");
    assertThat(catchThrowable(() -> h.call(() -> Sneaky.raise(failure)))).isSameAs(failure);
    assertThat(failure.getSuppressed()).containsExactly(broken);
    assertThat(h.failures()).isZero();
  }

  @Test
  void failureWithoutSuppression_stillLeavesUnchanged() {
    IllegalStateException broken = new IllegalStateException("predicate broken");
    Harness h = harness("payments").captureIf(t -> Sneaky.raise(broken)).build();
    RuntimeException failure =
        new RuntimeException("no suppression", null, false, false) {
          private static final long serialVersionUID = 1L;
        };
    assertThat(catchThrowable(() -> h.run(() -> Sneaky.raise(failure)))).isSameAs(failure);
    assertThat(failure.getSuppressed()).isEmpty();
  }

  // ---- Interruption ----

  @Test
  void interruptedException_passesThroughAndTheFlagIsNeitherSetNorCleared() {
    Harness h = harness("payments").build();
    InterruptedException interrupted = new InterruptedException("stop");
    // Whoever throws InterruptedException has cleared the flag; the harness must not set it.
    assertThat(catchThrowable(() -> h.call(() -> Sneaky.raise(interrupted)))).isSameAs(interrupted);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(h.failuresByType()).containsExactly(Map.entry(InterruptedException.class, 1L));

    // A caller that restored the flag before throwing keeps it set.
    Thread.currentThread().interrupt();
    assertThat(catchThrowable(() -> h.call(() -> Sneaky.raise(interrupted)))).isSameAs(interrupted);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void interruptFlag_staysSetEvenIfTheLoggerClearsIt() {
    RecordingLogger clearing = new RecordingLogger().onLog(Thread::interrupted);
    List<Boolean> flagSeenByListener = new ArrayList<>();
    Harness h =
        Harness.builder("payments")
            .logger(clearing)
            .onFailure(f -> flagSeenByListener.add(Thread.currentThread().isInterrupted()))
            .build();
    Thread.currentThread().interrupt();
    IllegalStateException failure = new IllegalStateException("while interrupted");
    assertThat(catchThrowable(() -> h.run(() -> Sneaky.raise(failure)))).isSameAs(failure);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(clearing.lines()).hasSize(1);
    assertThat(flagSeenByListener).hasSize(1);
  }

  @Test
  void interruptFlag_isNotSetByTheHarnessWhenItWasClear() {
    Harness h = harness("payments").build();
    Sneaky.failThrough(h, new IllegalStateException());
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  // ---- Identity and bad input ----

  @Test
  void toString_namesTheHarnessAndItsFailures() {
    Harness h = harness("payments").build();
    assertThat(h.name()).isEqualTo("payments");
    assertThat(h).hasToString("Harness[name=payments, failures=0]");
    Sneaky.failThrough(h, new IllegalStateException());
    assertThat(h).hasToString("Harness[name=payments, failures=1]");
  }

  @Test
  void nullArguments_throwNullPointerExceptionNamingTheParameter() {
    Harness h = harness("payments").build();
    Harness.Builder b = Harness.builder("payments");
    assertNpe(() -> Harness.of(null), "name must not be null");
    assertNpe(() -> Harness.builder(null), "name must not be null");
    assertNpe(() -> b.logger(null), "logger must not be null");
    assertNpe(() -> b.level(null), "level must not be null");
    assertNpe(() -> b.onFailure(null), "listener must not be null");
    assertNpe(() -> b.captureIf(null), "predicate must not be null");
    assertNpe(() -> b.ignore((Class<? extends Throwable>[]) null), "types must not be null");
    assertNpe(() -> b.ignore(IOException.class, null), "types[1] must not be null");
    assertNpe(() -> b.clock(null), "clock must not be null");
    assertNpe(() -> b.ticker(null), "ticker must not be null");
    assertNpe(() -> b.summaryInterval(null), "summaryInterval must not be null");
    assertNpe(() -> h.call(null), "callable must not be null");
    assertNpe(() -> h.get(null), "supplier must not be null");
    assertNpe(() -> h.run(null), "runnable must not be null");
    assertNpe(() -> h.decorateCallable(null), "callable must not be null");
    assertNpe(() -> h.decorateSupplier(null), "supplier must not be null");
    assertNpe(() -> h.decorateRunnable(null), "runnable must not be null");
    assertNpe(() -> h.decorateFunction(null), "function must not be null");
    assertNpe(() -> h.callAsync(null), "supplier must not be null");
    assertThat(h.failures()).as("bad input is not a failure of a call").isZero();
  }

  @Test
  void ignore_withANullElementAddsNothing() {
    Harness.Builder b = harness("payments");
    assertNpe(() -> b.ignore(IllegalStateException.class, null), "types[1] must not be null");
    Harness h = b.build();
    Sneaky.failThrough(h, new IllegalStateException());
    assertThat(h.failures()).isEqualTo(1);
  }

  @Test
  void badValues_throwIllegalArgumentExceptionNamingParameterAndValue() {
    Harness.Builder b = Harness.builder("payments");
    assertIae(() -> Harness.of(""), "name must not be blank, was ''");
    assertIae(() -> Harness.builder("  "), "name must not be blank, was '  '");
    assertIae(() -> b.keepRecent(-1), "keepRecent must be in [0, 1000], was -1");
    assertIae(() -> b.summaryInterval(Duration.ZERO), "summaryInterval must be positive, was PT0S");
    assertIae(
        () -> b.summaryInterval(Duration.ofSeconds(-5)),
        "summaryInterval must be positive, was PT-5S");
    assertIae(
        () -> b.summaryInterval(Duration.ofDays(300 * 366)),
        "summaryInterval must be at most PT2562047H47M16.854775807S, was PT2635200H");
  }

  @Test
  void keepRecent_aboveTheBound_isRejectedBeforeTheRingIsAllocated() {
    // The ring of recent failures is allocated whole when the harness is built: Integer.MAX_VALUE
    // slots would end in an OutOfMemoryError rather than in a message.
    Harness.Builder b = harness("payments");
    assertIae(
        () -> b.keepRecent(Integer.MAX_VALUE), "keepRecent must be in [0, 1000], was 2147483647");
    assertIae(() -> b.keepRecent(1001), "keepRecent must be in [0, 1000], was 1001");
    Harness h = b.keepRecent(1000).build();
    Sneaky.failThrough(h, new IllegalStateException());
    assertThat(h.recent()).hasSize(1);
  }

  @Test
  void builder_buildsIndependentHarnesses() {
    Harness.Builder b = harness("payments");
    Harness one = b.build();
    Harness two = b.build();
    Sneaky.failThrough(one, new IllegalStateException());
    assertThat(one.failures()).isEqualTo(1);
    assertThat(two.failures()).isZero();
  }

  private static void assertNpe(ThrowingCallable call, String message) {
    assertThatThrownBy(call).isExactlyInstanceOf(NullPointerException.class).hasMessage(message);
  }

  private static void assertIae(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
