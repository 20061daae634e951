package io.dyno.breaker;

import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * {@link Limiter} is linearizable: every concurrent history of its operations is one that {@link
 * Model}, a plain counter, could produce one operation at a time. Lincheck explores the
 * interleavings (model checking) and runs the same scenarios on real threads (stress).
 *
 * <p>A thread gives back only the permits it took: each thread's permits are counted in a slot of
 * its own, in the limiter under test and in the model alike. Public, as Lincheck creates the
 * instance and calls the operations from generated code.
 */
public class LimiterLincheckTest {

  private static final int PERMITS = 2;

  /** Slots for the thread ids Lincheck passes: more than the threads of any scenario here. */
  private static final int THREAD_SLOTS = 8;

  private final Limiter limiter = Limiter.of("lincheck", PERMITS);

  /** Permits taken by {@code tryAcquire} and not yet released, by thread; each slot is its own. */
  private final int[] taken = new int[THREAD_SLOTS];

  /** The open {@link Limiter.Permit} of each thread, if any; each slot is its own. */
  private final Limiter.Permit[] permits = new Limiter.Permit[THREAD_SLOTS];

  /** A fresh limiter: Lincheck creates one for every run of a scenario. */
  public LimiterLincheckTest() {}

  @Operation
  public boolean tryAcquire(@Param(gen = ThreadIdGen.class) int thread) {
    if (!limiter.tryAcquire()) {
      return false;
    }
    taken[thread]++;
    return true;
  }

  /** Releases one permit this thread took with {@code tryAcquire}; false if it holds none. */
  @Operation
  public boolean release(@Param(gen = ThreadIdGen.class) int thread) {
    if (taken[thread] == 0) {
      return false;
    }
    taken[thread]--;
    limiter.release();
    return true;
  }

  /** Takes a {@link Limiter.Permit} unless this thread holds one; false if the limiter is full. */
  @Operation
  public boolean acquire(@Param(gen = ThreadIdGen.class) int thread) {
    if (permits[thread] != null) {
      return false;
    }
    try {
      permits[thread] = limiter.acquire();
      return true;
    } catch (LimitExceededException full) {
      return false;
    }
  }

  /** Closes this thread's permit twice, as only the first close counts; false if it has none. */
  @Operation
  public boolean close(@Param(gen = ThreadIdGen.class) int thread) {
    Limiter.Permit permit = permits[thread];
    if (permit == null) {
      return false;
    }
    permits[thread] = null;
    permit.close();
    permit.close();
    return true;
  }

  @Operation
  public int inUse() {
    return limiter.inUse();
  }

  @Operation
  public int available() {
    return limiter.available();
  }

  @Test
  void modelChecking() {
    LincheckRuns.modelChecking(Model.class).check(getClass());
  }

  @Test
  void stress() {
    LincheckRuns.stress(Model.class).check(getClass());
  }

  /** The sequential specification: a counter of permits in use, and who holds them. */
  public static final class Model {
    private int inUse;
    private final int[] taken = new int[THREAD_SLOTS];
    private final boolean[] holdsPermit = new boolean[THREAD_SLOTS];

    /** No permit in use. */
    public Model() {}

    public boolean tryAcquire(int thread) {
      if (inUse == PERMITS) {
        return false;
      }
      inUse++;
      taken[thread]++;
      return true;
    }

    public boolean release(int thread) {
      if (taken[thread] == 0) {
        return false;
      }
      taken[thread]--;
      inUse--;
      return true;
    }

    public boolean acquire(int thread) {
      if (holdsPermit[thread] || inUse == PERMITS) {
        return false;
      }
      inUse++;
      holdsPermit[thread] = true;
      return true;
    }

    public boolean close(int thread) {
      if (!holdsPermit[thread]) {
        return false;
      }
      holdsPermit[thread] = false;
      inUse--;
      return true;
    }

    public int inUse() {
      return inUse;
    }

    public int available() {
      return PERMITS - inUse;
    }
  }
}
