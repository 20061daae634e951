package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import kotlin.Unit;
import kotlin.reflect.KFunction;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Whether {@link Breaker} is linearizable: whether every concurrent history of its operations is
 * one that a plain, single-threaded model of the documented semantics (docs/breaker.md) could
 * produce one operation at a time. Lincheck explores the interleavings (model checking) and runs
 * the same scenarios on real threads (stress).
 *
 * <p>The counting breakers' ticker stands still, so an open breaker never turns half-open and the
 * window never rolls. Each scenario is a public class whose instance holds one breaker, with a
 * public model beside it, as Lincheck creates both and calls their operations from generated code.
 */
class BreakerLincheckTest {

  /** Slots for the thread ids Lincheck passes: more than the threads of any scenario here. */
  private static final int THREAD_SLOTS = 8;

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
      b.onFailure(0, failure);
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
      return breaker.tryAcquirePermission();
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

  // ---------------------------------------------------------------- whole calls

  @Disabled(
      "The model is stricter than the documented semantics: it takes a whole call as one step, so"
          + " a call may never run after the breaker opened, while a breaker that holds no lock"
          + " around the work lets a call admitted while closed run on. Lincheck: before,"
          + " succeed()=ok; in parallel, T1 fail()=failed | T2 succeed()=ok; after,"
          + " succeed()=rejected. T1's fail() syncs the window (1 success); T2's whole succeed()"
          + " runs meanwhile; T1 judges 1 failure in 2 calls (50 %) and opens. No order of the three"
          + " calls both opens the breaker and lets T2's call through. See the permissions_ tests for"
          + " the model of calls in flight.")
  @Test
  void calls_modelChecking() {
    LincheckRuns.modelChecking(CallsModel.class).check(Calls.class);
  }

  @Disabled(
      "The model is stricter than the documented semantics, as for calls_modelChecking. Lincheck:"
          + " before, succeed()=ok; in parallel, T1 succeed()=ok | T2 fail()=failed; after,"
          + " state()=OPEN.")
  @Test
  void calls_stress() {
    LincheckRuns.stress(CallsModel.class).check(Calls.class);
  }

  /**
   * Whole calls through a counting breaker, each one operation: it succeeds, fails or is rejected.
   */
  public static final class Calls {
    private final Breaker breaker = counting();

    /** Thrown by the work of every failing call, so that no call fills in a stack trace. */
    private final IllegalStateException failure = new IllegalStateException("down");

    /** A closed breaker with an empty window. */
    public Calls() {}

    @Operation
    public String succeed() {
      try {
        breaker.run(() -> {});
        return "ok";
      } catch (BreakerOpenException e) {
        return "rejected";
      }
    }

    @Operation
    public String fail() {
      try {
        breaker.run(
            () -> {
              throw failure;
            });
        return "ok";
      } catch (BreakerOpenException e) {
        return "rejected";
      } catch (IllegalStateException e) {
        return "failed";
      }
    }

    @Operation
    public Breaker.State state() {
      return breaker.state();
    }
  }

  /**
   * The model of a counting breaker whose open duration never passes: the window holds every call
   * recorded; after each failure, once it holds {@code MINIMUM_CALLS}, the breaker opens if the
   * failure rate reaches the threshold; an open breaker rejects every call.
   */
  public static final class CallsModel {
    private final Window window = new Window();

    /** A closed breaker with an empty window. */
    public CallsModel() {}

    public String succeed() {
      if (window.open) {
        return "rejected";
      }
      window.success();
      return "ok";
    }

    public String fail() {
      if (window.open) {
        return "rejected";
      }
      window.failure();
      return "failed";
    }

    public Breaker.State state() {
      return window.state();
    }
  }

  // ---------------------------------------------------------------- the permission API

  @Test
  void permissions_modelChecking() {
    LincheckRuns.modelChecking(PermissionsModel.class).check(Permissions.class);
  }

  @Test
  void permissions_stress() {
    LincheckRuns.stress(PermissionsModel.class).check(Permissions.class);
  }

  /**
   * The scenario of a success counted but left out of the judgement that opens the breaker: with
   * one success in the window, one thread reports a failure while another is admitted and reports a
   * success; then the state and the counts are read.
   */
  @Disabled(
      "Not linearizable: a success reported while a failure is being judged is counted in the"
          + " window but left out of the judgement. Lincheck: before, admit(0)=admitted,"
          + " succeeded(0)=true; in parallel, T1 admit(1)=admitted, failed(1)=true | T2"
          + " admit(2)=admitted, succeeded(2)=true; after, state()=OPEN, counts()=3 calls, 1 failed."
          + " T1's failed(1) syncs the window under its lock (1 success); T2's succeeded(2) reads"
          + " CLOSED and adds its success to the lock-free counter; T1 judges 1 failure in 2 calls"
          + " (50 %) and opens. The breaker is open on a window of 33 % failures, which no order of"
          + " the calls gives.")
  @Test
  void permissions_successDuringAJudgement_modelChecking() throws NoSuchMethodException {
    KFunction<?> admit = operation("admit", int.class);
    KFunction<?> succeeded = operation("succeeded", int.class);
    KFunction<?> failed = operation("failed", int.class);
    KFunction<?> state = operation("state");
    KFunction<?> counts = operation("counts");
    LincheckRuns.modelChecking(PermissionsModel.class)
        .iterations(0)
        .invocationsPerIteration(1_000)
        .addCustomScenario(
            s -> {
              s.initial(
                  t -> {
                    t.actor(admit, 0);
                    t.actor(succeeded, 0);
                    return Unit.INSTANCE;
                  });
              s.parallel(
                  p -> {
                    p.thread(
                        t -> {
                          t.actor(admit, 1);
                          t.actor(failed, 1);
                          return Unit.INSTANCE;
                        });
                    p.thread(
                        t -> {
                          t.actor(admit, 2);
                          t.actor(succeeded, 2);
                          return Unit.INSTANCE;
                        });
                    return Unit.INSTANCE;
                  });
              s.post(
                  t -> {
                    t.actor(state);
                    t.actor(counts);
                    return Unit.INSTANCE;
                  });
              return Unit.INSTANCE;
            })
        .check(Permissions.class);
  }

  private static KFunction<?> operation(String name, Class<?>... parameterTypes)
      throws NoSuchMethodException {
    return Objects.requireNonNull(
        ReflectJvmMapping.getKotlinFunction(Permissions.class.getMethod(name, parameterTypes)));
  }

  /**
   * A counting breaker asked for permission and told the outcome later, as a composite does: a call
   * is in flight between the two, so the breaker may open meanwhile. Each thread has at most one
   * call in flight, kept in a slot of its own.
   */
  public static final class Permissions {
    private final Breaker breaker = counting();
    private final boolean[] inFlight = new boolean[THREAD_SLOTS];

    /** Reported for every failed call. */
    private final IllegalStateException failure = new IllegalStateException("down");

    /** A closed breaker with an empty window. */
    public Permissions() {}

    /** Asks for permission unless this thread has a call in flight. */
    @Operation
    public String admit(@Param(gen = ThreadIdGen.class) int thread) {
      if (inFlight[thread]) {
        return "busy";
      }
      if (!breaker.tryAcquirePermission()) {
        return "rejected";
      }
      inFlight[thread] = true;
      return "admitted";
    }

    /** Reports this thread's call in flight as a success. */
    @Operation
    public boolean succeeded(@Param(gen = ThreadIdGen.class) int thread) {
      if (!inFlight[thread]) {
        return false;
      }
      inFlight[thread] = false;
      breaker.onSuccess(0);
      return true;
    }

    /** Reports this thread's call in flight as a failure. */
    @Operation
    public boolean failed(@Param(gen = ThreadIdGen.class) int thread) {
      if (!inFlight[thread]) {
        return false;
      }
      inFlight[thread] = false;
      breaker.onFailure(0, failure);
      return true;
    }

    @Operation
    public Breaker.State state() {
      return breaker.state();
    }

    /** The window's calls and failures. */
    @Operation
    public String counts() {
      BreakerMetrics m = breaker.metrics();
      return m.calls() + " calls, " + m.failures() + " failed";
    }
  }

  /**
   * The model of the permission API on a counting breaker whose open duration never passes: as
   * {@link CallsModel}, but a call is admitted and reported in two steps, and a call admitted while
   * the breaker was closed and reported after it opened is not recorded. As nothing closes the
   * breaker again here, a report is recorded exactly when the breaker is closed.
   */
  public static final class PermissionsModel {
    private final Window window = new Window();
    private final boolean[] inFlight = new boolean[THREAD_SLOTS];

    /** A closed breaker with an empty window. */
    public PermissionsModel() {}

    public String admit(int thread) {
      if (inFlight[thread]) {
        return "busy";
      }
      if (window.open) {
        return "rejected";
      }
      inFlight[thread] = true;
      return "admitted";
    }

    public boolean succeeded(int thread) {
      if (!inFlight[thread]) {
        return false;
      }
      inFlight[thread] = false;
      if (!window.open) {
        window.success();
      }
      return true;
    }

    public boolean failed(int thread) {
      if (!inFlight[thread]) {
        return false;
      }
      inFlight[thread] = false;
      if (!window.open) {
        window.failure();
      }
      return true;
    }

    public Breaker.State state() {
      return window.state();
    }

    public String counts() {
      return window.calls + " calls, " + window.failures + " failed";
    }
  }

  /**
   * The window of the models: with the ticker standing still, every recorded call stays in it, and
   * once open the breaker stays open.
   */
  private static final class Window {
    private int calls;
    private int failures;
    private boolean open;

    void success() {
      calls++;
    }

    /** Records a failure and judges the window, as only a failure can open the breaker. */
    void failure() {
      calls++;
      failures++;
      if (calls >= MINIMUM_CALLS && 100.0 * failures / calls >= FAILURE_RATE_THRESHOLD) {
        open = true;
      }
    }

    Breaker.State state() {
      return open ? Breaker.State.OPEN : Breaker.State.CLOSED;
    }
  }
}
