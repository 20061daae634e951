package io.dyno.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.injection.Fakes.Counter;
import io.dyno.injection.Fakes.Resource;
import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Injectors at their edges: a construction exactly at its timeout, shared values beside failures,
 * errors, several failures at once, a close that is interrupted. The parallel cases run each
 * construction inside {@code execute}, so that every construction has finished, in order, before
 * the injector looks at any of them.
 */
class InjectorEdgeTest {

  private final Counter counter = new Counter();
  private final FakeTicker now =
      FakeTicker.startingAt(Long.MAX_VALUE - Duration.ofSeconds(1).toNanos());

  /** A parallel injector whose executor runs each construction at once, on the calling thread. */
  private static Injector direct() {
    return Injector.parallel(Runnable::run);
  }

  @AfterEach
  void leaveTheTestThreadUninterrupted() {
    Thread.interrupted();
  }

  private static <T> Dependency<T> failing(String name, RuntimeException failure) {
    return Dependency.of(
        name,
        () -> {
          throw failure;
        });
  }

  @Test
  void sequential_constructionTakingExactlyItsTimeout_isInTime() {
    Dependency<String> exact =
        Dependency.of(
                "exact",
                () -> {
                  now.advance(Timeouts.DC);
                  return "just in time";
                })
            .timeout(Timeouts.DC);
    Supplier<String> call =
        Injector.builder()
            .ticker(now)
            .build()
            .injectSupplier(List.of(exact), deps -> deps.get(exact));
    assertThat(call.get()).isEqualTo("just in time");
  }

  @Test
  void sequential_sharedValue_isNotClosedWhenAnotherDependencyFails() {
    Dependency<Resource> pool = Dependency.of("pool", () -> new Resource("pool", counter)).shared();
    Dependency<String> db = failing("db", new IllegalStateException("refused"));
    Supplier<Integer> call = Injector.sequential().injectSupplier(List.of(pool, db), deps -> 1);

    assertThatThrownBy(call::get).isInstanceOf(DependencyException.class);

    assertThat(counter.opens).hasValue(1);
    assertThat(counter.closes).hasValue(0);
    Supplier<Resource> reuse =
        Injector.sequential().injectSupplier(List.of(pool), d -> d.get(pool));
    assertThat(reuse.get()).hasToString("pool");
    assertThat(counter.opens).hasValue(1);
  }

  @Test
  void parallel_sharedValue_isNotClosedWhenAnotherDependencyFails() {
    Dependency<Resource> pool = Dependency.of("pool", () -> new Resource("pool", counter)).shared();
    Dependency<String> db = failing("db", new IllegalStateException("refused"));
    Supplier<Integer> call = direct().injectSupplier(List.of(pool, db), deps -> 1);

    assertThatThrownBy(call::get).isInstanceOf(DependencyException.class);

    assertThat(counter.opens).hasValue(1);
    assertThat(counter.closes).hasValue(0);
  }

  @Test
  void sequential_error_closesTheValuesConstructedBeforeIt() {
    AssertionError fatal = new AssertionError("fatal");
    Dependency<Resource> ok = Dependency.of("ok", () -> new Resource("ok", counter));
    Dependency<String> bad =
        Dependency.of(
            "bad",
            () -> {
              throw fatal;
            });
    Supplier<Integer> call = Injector.sequential().injectSupplier(List.of(ok, bad), deps -> 1);

    assertThatThrownBy(call::get).isSameAs(fatal);

    assertThat(counter.closes).hasValue(1);
  }

  @Test
  void parallel_error_closesTheValuesAlreadyConstructed() {
    AssertionError fatal = new AssertionError("fatal");
    Dependency<Resource> ok = Dependency.of("ok", () -> new Resource("ok", counter));
    Dependency<String> bad =
        Dependency.of(
            "bad",
            () -> {
              throw fatal;
            });
    Supplier<Integer> call = direct().injectSupplier(List.of(ok, bad), deps -> 1);

    assertThatThrownBy(call::get).isSameAs(fatal);

    assertThat(counter.closes).hasValue(1);
  }

  @Test
  void sequential_severalFailures_areNumberedInTheMessage() {
    IllegalStateException refused = new IllegalStateException("refused");
    IllegalStateException down = new IllegalStateException("down");
    Supplier<Integer> call =
        Injector.sequential()
            .injectSupplier(List.of(failing("db", refused), failing("geo", down)), deps -> 1);

    DependencyException e = catchThrowableOfType(DependencyException.class, call::get);

    assertThat(e.failures()).extracting(DependencyFailure::dependency).containsExactly("db", "geo");
    assertThat(e).hasCause(refused);
    assertThat(e.getSuppressed()).containsExactly(refused, down);
    assertThat(e)
        .hasMessageStartingWith("2 dependencies could not be had for the call:\n  1) 'db' failed")
        .hasMessageContaining(
            "java.lang.IllegalStateException: refused\n    declared at "
                + InjectorEdgeTest.class.getName())
        .hasMessageContaining("\n  2) 'geo' failed after ")
        .hasMessageContaining("java.lang.IllegalStateException: down\n    declared at ");
  }

  @Test
  void parallel_siblingsThatHaveFailedByThen_areListedToo() {
    IllegalStateException refused = new IllegalStateException("refused");
    IllegalStateException down = new IllegalStateException("down");
    Dependency<String> ok = Dependency.of("ok", () -> "fine");
    Supplier<Integer> call =
        direct()
            .injectSupplier(List.of(failing("db", refused), ok, failing("geo", down)), deps -> 1);

    DependencyException e = catchThrowableOfType(DependencyException.class, call::get);

    assertThat(e.failures()).extracting(DependencyFailure::dependency).containsExactly("db", "geo");
    assertThat(e.failures())
        .extracting(DependencyFailure::kind)
        .containsOnly(DependencyFailure.Kind.FAILED);
    assertThat(e).hasMessageStartingWith("2 dependencies could not be had for the call:");
  }

  @Test
  void closeInterrupted_isAFailure_andRestoresTheInterruptFlag() {
    InterruptedException stop = new InterruptedException("stop");
    Dependency<AutoCloseable> conn =
        Dependency.<AutoCloseable>of(
                "conn",
                () ->
                    () -> {
                      throw stop;
                    })
            .closeAfterCall();
    Supplier<String> call = Injector.sequential().injectSupplier(List.of(conn), deps -> "ok");

    DependencyException e = catchThrowableOfType(DependencyException.class, call::get);

    assertThat(e).hasCause(stop);
    assertThat(e.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.kind()).isEqualTo(DependencyFailure.Kind.CLOSE_FAILED));
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void closeFailing_otherwise_leavesTheInterruptFlagClear() {
    Dependency<AutoCloseable> conn =
        Dependency.<AutoCloseable>of(
                "conn",
                () ->
                    () -> {
                      throw new java.io.IOException("reset");
                    })
            .closeAfterCall();
    Supplier<String> call = Injector.sequential().injectSupplier(List.of(conn), deps -> "ok");

    assertThatThrownBy(call::get).isInstanceOf(DependencyException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }
}
