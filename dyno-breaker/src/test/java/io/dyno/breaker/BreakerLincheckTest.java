package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;
import kotlin.Unit;
import kotlin.reflect.KFunction;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.lincheck.datastructures.DSLScenarioBuilder;
import org.jetbrains.lincheck.datastructures.DSLThreadScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whether {@link Breaker} is linearizable: whether every concurrent history of its operations is
 * one that a plain, single-threaded model of the documented semantics (docs/breaker.md) could
 * produce one operation at a time. Lincheck explores the interleavings (model checking) and runs
 * the same scenarios on real threads (stress).
 *
 * <p>The model ({@link PermitsModel}) is the specification: phases that own their permits, a window
 * of two one-second buckets that every outcome counts into at its own time, a judgement after every
 * call, trial permits, the half-open timeout, and trip, reset and disable by hand. Time moves by
 * whole buckets ({@code advance()}) between the concurrent parts of a scenario, never during them:
 * a breaker reads the clock and then acts, so a clock moved in the middle of a call has no single
 * moment at which that call happened. The window's counts are compared once the concurrent part is
 * over: during a call, the window may already hold a success whose judgement is still under way,
 * which docs/breaker.md states.
 *
 * <p>Each scenario is a public class whose instance holds one breaker, with a public model beside
 * it, as Lincheck creates both and calls their operations from generated code.
 */
class BreakerLincheckTest {

  /** Slots for the thread ids Lincheck passes: more than the threads of any scenario here. */
  private static final int THREAD_SLOTS = 8;

  /** One bucket of the window, and the step by which the scenarios move time. */
  private static final long SECOND = 1_000_000_000L;

  /** Trial calls of the half-open breakers. */
  private static final int TRIALS = 2;

  /** Calls in the window before the counting breakers judge it. */
  private static final int MINIMUM_CALLS = 2;

  /** The failure rate, in percent, at which the counting breakers open. */
  private static final double FAILURE_RATE_THRESHOLD = 50;

  /** A counting breaker whose open duration never passes: the ticker stands still. */
  private static Breaker counting() {
    return Breaker.builder("counting")
        .minimumCalls(MINIMUM_CALLS)
        .failureRateThreshold(FAILURE_RATE_THRESHOLD)
        .ticker(() -> 0L)
        .writableStackTrace(false)
        .build();
  }

  /**
   * Opens a breaker once before any scenario runs. The first opening formats its reason with {@code
   * String.format}, whose locale data the JDK initializes on first use; run for the first time
   * inside a model-checked scenario, that initializer hangs, and the class is then unusable.
   */
  @BeforeAll
  static void openOnce() {
    Breaker b = counting();
    IllegalStateException failure = new IllegalStateException("down");
    for (int i = 0; i < MINIMUM_CALLS; i++) {
      b.acquirePermission().onFailure(0, failure);
    }
    assertThat(b.state()).isEqualTo(Breaker.State.OPEN);
  }

  // ---------------------------------------------------------------- a manual breaker

  @Test
  void manual_modelChecking() {
    LincheckRuns.modelChecking(ManualModel.class).check(Manual.class);
  }

  @Test
  void manual_stress() {
    LincheckRuns.stress(ManualModel.class).check(Manual.class);
  }

  /** A fuse that only {@code trip}, {@code reset} and {@code disable} change. */
  public static final class Manual {
    private final Breaker breaker = Breaker.manual("fuse");

    /** A closed fuse. */
    public Manual() {}

    @Operation
    public void trip() {
      breaker.trip();
    }

    @Operation
    public void reset() {
      breaker.reset();
    }

    @Operation
    public void disable() {
      breaker.disable();
    }

    @Operation
    public Breaker.State state() {
      return breaker.state();
    }

    @Operation
    public boolean isClosed() {
      return breaker.isClosed();
    }

    @Operation
    public boolean tryAcquirePermission() {
      return breaker.tryAcquirePermission() != null;
    }
  }

  /** The model of a fuse: one state, set by hand. */
  public static final class ManualModel {
    private Breaker.State state = Breaker.State.CLOSED;

    /** A closed fuse. */
    public ManualModel() {}

    public void trip() {
      state = Breaker.State.FORCED_OPEN;
    }

    public void reset() {
      state = Breaker.State.CLOSED;
    }

    public void disable() {
      state = Breaker.State.DISABLED;
    }

    public Breaker.State state() {
      return state;
    }

    public boolean isClosed() {
      return state != Breaker.State.FORCED_OPEN;
    }

    public boolean tryAcquirePermission() {
      return state != Breaker.State.FORCED_OPEN;
    }
  }

  // ---------------------------------------------------------------- permits, phases and time

  /**
   * Random scenarios with the clock standing still: many threads ask for permits and report them
   * while others trip, reset and disable the breaker.
   */
  @Test
  void permits_modelChecking() {
    LincheckRuns.modelChecking(PermitsModel.class).check(Permits.class);
  }

  @Test
  void permits_stress() {
    LincheckRuns.stress(PermitsModel.class).check(Permits.class);
  }

  /**
   * Scenarios whose sequential start moves time and the breaker through every state (a window whose
   * old calls are leaving it, an open breaker whose open duration has passed, a half-open one with
   * a trial held, a permit held from an earlier phase), then races permits, reports and manual
   * changes on two threads, then reports the held permit and compares the state and the counts.
   */
  @Test
  void permitsThroughEveryPhase_modelChecking() throws NoSuchMethodException {
    ModelCheckingOptions options =
        new ModelCheckingOptions()
            .sequentialSpecification(PermitsModel.class)
            .iterations(0)
            .invocationsPerIteration(100);
    Scenarios scenarios = new Scenarios(new Random(20261203L));
    for (int i = 0; i < 20; i++) {
      options.addCustomScenario(scenarios::next);
    }
    options.check(Permits.class);
  }

  /** Builds random scenarios from the operations of {@link Permits}. */
  private static final class Scenarios {
    private final Random random;
    private final KFunction<?> admit;
    private final KFunction<?> succeeded;
    private final KFunction<?> failed;
    private final KFunction<?> ignored;
    private final KFunction<?> released;
    private final KFunction<?> trip;
    private final KFunction<?> reset;
    private final KFunction<?> disable;
    private final KFunction<?> advance;
    private final KFunction<?> state;
    private final KFunction<?> counts;

    Scenarios(Random random) throws NoSuchMethodException {
      this.random = random;
      admit = operation("admit", int.class);
      succeeded = operation("succeeded", int.class);
      failed = operation("failed", int.class);
      ignored = operation("ignored", int.class);
      released = operation("released", int.class);
      trip = operation("trip");
      reset = operation("reset");
      disable = operation("disable");
      advance = operation("advance");
      state = operation("state");
      counts = operation("counts");
    }

    /** One scenario: a sequential start on thread slot 0, two racing threads, a sequential end. */
    Unit next(DSLScenarioBuilder s) {
      s.initial(
          t -> {
            int steps = 3 + random.nextInt(6);
            for (int i = 0; i < steps; i++) {
              int pick = random.nextInt(20);
              if (pick < 6) {
                t.actor(admit, 0);
                t.actor(failed, 0);
              } else if (pick < 10) {
                t.actor(admit, 0);
                t.actor(succeeded, 0);
              } else if (pick < 15) {
                t.actor(advance);
              } else if (pick < 17) {
                t.actor(admit, 0); // held to the end: a permit of whatever phase this is
              } else if (pick < 18) {
                t.actor(trip);
              } else if (pick < 19) {
                t.actor(reset);
              } else {
                t.actor(disable);
              }
            }
            return Unit.INSTANCE;
          });
      s.parallel(
          p -> {
            for (int thread = 1; thread <= 2; thread++) {
              int slot = thread;
              p.thread(
                  t -> {
                    for (int i = 0; i < 3; i++) {
                      parallelActor(t, slot);
                    }
                    return Unit.INSTANCE;
                  });
            }
            return Unit.INSTANCE;
          });
      s.post(
          t -> {
            t.actor(random.nextBoolean() ? succeeded : failed, 0);
            t.actor(state);
            t.actor(counts);
            t.actor(advance);
            t.actor(admit, 3);
            t.actor(state);
            t.actor(counts);
            return Unit.INSTANCE;
          });
      return Unit.INSTANCE;
    }

    private void parallelActor(DSLThreadScenario t, int slot) {
      int pick = random.nextInt(20);
      if (pick < 6) {
        t.actor(admit, slot);
      } else if (pick < 10) {
        t.actor(succeeded, slot);
      } else if (pick < 14) {
        t.actor(failed, slot);
      } else if (pick < 15) {
        t.actor(ignored, slot);
      } else if (pick < 16) {
        t.actor(released, slot);
      } else if (pick < 17) {
        t.actor(trip);
      } else if (pick < 18) {
        t.actor(reset);
      } else {
        t.actor(state);
      }
    }

    private static KFunction<?> operation(String name, Class<?>... parameterTypes)
        throws NoSuchMethodException {
      return Objects.requireNonNull(
          ReflectJvmMapping.getKotlinFunction(Permits.class.getMethod(name, parameterTypes)));
    }
  }

  /** An exception the breakers ignore. */
  static final class Ignored extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Ignored() {
      super("ignored", null, false, false);
    }
  }

  /**
   * A counting breaker asked for permits and told the outcomes later, as a composite does, on a
   * clock the scenario moves. Each thread slot holds at most one permit.
   */
  public static final class Permits {
    private final FakeTicker ticker = FakeTicker.startingAt(Long.MAX_VALUE - 3 * SECOND);
    private final Breaker breaker =
        Breaker.builder("permits")
            .window(Duration.ofSeconds(2))
            .buckets(2)
            .minimumCalls(MINIMUM_CALLS)
            .failureRateThreshold(FAILURE_RATE_THRESHOLD)
            .openDuration(Duration.ofSeconds(1))
            .halfOpenCalls(TRIALS)
            .halfOpenTimeout(Duration.ofSeconds(2))
            .ignore(Ignored.class)
            .ticker(ticker)
            .writableStackTrace(false)
            .build();
    private final Breaker.@Nullable Permit[] held = new Breaker.Permit[THREAD_SLOTS];
    private final IllegalStateException failure = new IllegalStateException("down");
    private final Ignored ignoredFailure = new Ignored();

    /** A closed breaker with an empty window, its clock about to wrap past Long.MAX_VALUE. */
    public Permits() {}

    /** Asks for a permit unless this slot holds one. */
    @Operation
    public String admit(@Param(gen = ThreadIdGen.class) int thread) {
      if (held[thread] != null) {
        return "busy";
      }
      Breaker.Permit p = breaker.tryAcquirePermission();
      if (p == null) {
        return "rejected";
      }
      held[thread] = p;
      return "admitted";
    }

    /** Reports this slot's permit as a success. */
    @Operation
    public boolean succeeded(@Param(gen = ThreadIdGen.class) int thread) {
      return report(thread, p -> p.onSuccess(0));
    }

    /** Reports this slot's permit as a failure. */
    @Operation
    public boolean failed(@Param(gen = ThreadIdGen.class) int thread) {
      return report(thread, p -> p.onFailure(0, failure));
    }

    /** Reports this slot's permit as an ignored exception. */
    @Operation
    public boolean ignored(@Param(gen = ThreadIdGen.class) int thread) {
      return report(thread, p -> p.onFailure(0, ignoredFailure));
    }

    /** Gives this slot's permit back. */
    @Operation
    public boolean released(@Param(gen = ThreadIdGen.class) int thread) {
      return report(thread, p -> p.release());
    }

    @Operation
    public void trip() {
      breaker.trip();
    }

    @Operation
    public void reset() {
      breaker.reset();
    }

    @Operation
    public void disable() {
      breaker.disable();
    }

    @Operation
    public Breaker.State state() {
      return breaker.state();
    }

    /** Moves the clock on by one bucket; used between the concurrent parts only. */
    public void advance() {
      ticker.advance(SECOND);
    }

    /** The window's calls and failures; compared between the concurrent parts only. */
    public String counts() {
      BreakerMetrics m = breaker.metrics();
      return m.calls() + " calls, " + m.failures() + " failed";
    }

    /** Reports this slot's permit, if it holds one, and frees the slot. */
    private boolean report(int thread, Consumer<Breaker.Permit> outcome) {
      Breaker.Permit p = held[thread];
      if (p == null) {
        return false;
      }
      held[thread] = null;
      outcome.accept(p);
      return true;
    }
  }

  /** The specification: the documented semantics, one operation at a time. */
  public static final class PermitsModel {

    /** A window: the times of the calls counted into it, and which failed. */
    private static final class Window {
      final List<long[]> calls = new ArrayList<>();

      void add(long at, boolean failed) {
        calls.add(new long[] {at, failed ? 1 : 0});
      }

      /** The calls of the two buckets up to {@code now}: the window, as time moves by buckets. */
      long[] counts(long now) {
        long n = 0;
        long f = 0;
        for (long[] c : calls) {
          if (now - c[0] <= 1) {
            n++;
            f += c[1];
          }
        }
        return new long[] {n, f};
      }
    }

    /** One phase, which is also the permit of the calls it admits. */
    private static final class Phase {
      final Breaker.State state;
      final long since;
      final Window window;
      int admitted;
      int succeeded;

      Phase(Breaker.State state, long since, Window window) {
        this.state = state;
        this.since = since;
        this.window = window;
      }

      boolean counts() {
        return state == Breaker.State.CLOSED || state == Breaker.State.DISABLED;
      }
    }

    /** Seconds. */
    private long now;

    private Phase phase = new Phase(Breaker.State.CLOSED, 0, new Window());
    private final @Nullable Phase[] held = new Phase[THREAD_SLOTS];

    /** A closed breaker with an empty window. */
    public PermitsModel() {}

    public String admit(int thread) {
      if (held[thread] != null) {
        return "busy";
      }
      Phase p = phase;
      Phase permit = null;
      switch (p.state) {
        case CLOSED, DISABLED -> permit = p;
        case OPEN -> {
          if (now - p.since >= 1) {
            permit = halfOpen(p);
          }
        }
        case HALF_OPEN -> {
          if (p.admitted < TRIALS) {
            p.admitted++;
            permit = p;
          } else if (now - p.since >= 2) {
            permit = halfOpen(p);
          }
        }
        case FORCED_OPEN -> {}
      }
      if (permit == null) {
        return "rejected";
      }
      held[thread] = permit;
      return "admitted";
    }

    private Phase halfOpen(Phase from) {
      phase = new Phase(Breaker.State.HALF_OPEN, now, from.window);
      phase.admitted = 1;
      return phase;
    }

    public boolean succeeded(int thread) {
      Phase p = take(thread);
      if (p == null) {
        return false;
      }
      if (p.counts()) {
        p.window.add(now, false);
        judge(p);
      } else if (p == phase && ++p.succeeded >= TRIALS) {
        phase = new Phase(Breaker.State.CLOSED, now, new Window());
      }
      return true;
    }

    public boolean failed(int thread) {
      Phase p = take(thread);
      if (p == null) {
        return false;
      }
      if (p.counts()) {
        p.window.add(now, true);
        judge(p);
      } else if (p == phase) {
        phase = new Phase(Breaker.State.OPEN, now, p.window);
      }
      return true;
    }

    public boolean ignored(int thread) {
      return released(thread);
    }

    public boolean released(int thread) {
      Phase p = take(thread);
      if (p == null) {
        return false;
      }
      if (p == phase && p.state == Breaker.State.HALF_OPEN && p.admitted > 0) {
        p.admitted--;
      }
      return true;
    }

    /** Judges the window after a call that phase {@code p} admitted. */
    private void judge(Phase p) {
      if (p != phase || p.state != Breaker.State.CLOSED) {
        return;
      }
      long[] c = p.window.counts(now);
      if (c[0] >= MINIMUM_CALLS && 100.0 * c[1] / c[0] >= FAILURE_RATE_THRESHOLD) {
        phase = new Phase(Breaker.State.OPEN, now, p.window);
      }
    }

    public void trip() {
      if (phase.state != Breaker.State.FORCED_OPEN) {
        phase = new Phase(Breaker.State.FORCED_OPEN, now, phase.window);
      }
    }

    public void reset() {
      phase = new Phase(Breaker.State.CLOSED, now, new Window());
    }

    public void disable() {
      if (phase.state != Breaker.State.DISABLED) {
        phase = new Phase(Breaker.State.DISABLED, now, phase.window);
      }
    }

    public Breaker.State state() {
      return phase.state;
    }

    public void advance() {
      now++;
    }

    public String counts() {
      long[] c = phase.window.counts(now);
      return c[0] + " calls, " + c[1] + " failed";
    }

    private @Nullable Phase take(int thread) {
      Phase p = held[thread];
      held[thread] = null;
      return p;
    }
  }
}
