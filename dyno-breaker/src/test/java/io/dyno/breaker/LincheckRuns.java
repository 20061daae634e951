package io.dyno.breaker;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * The Lincheck runs of this module's tests, sized to finish in seconds each on two cores: small
 * scenarios (one operation before, a few in parallel, one after) over a few scenarios each.
 */
final class LincheckRuns {

  private LincheckRuns() {}

  /** Explores the interleavings of two threads of three operations each. */
  static ModelCheckingOptions modelChecking(Class<?> model) {
    return new ModelCheckingOptions()
        .sequentialSpecification(model)
        .threads(2)
        .actorsPerThread(3)
        .actorsBefore(1)
        .actorsAfter(1)
        .iterations(10)
        .invocationsPerIteration(200);
  }

  /** Runs three threads of three operations each, on real threads. */
  static StressOptions stress(Class<?> model) {
    return new StressOptions()
        .sequentialSpecification(model)
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(1)
        .actorsAfter(1)
        .iterations(10)
        .invocationsPerIteration(300);
  }
}
