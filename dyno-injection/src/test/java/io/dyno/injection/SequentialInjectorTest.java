package io.dyno.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.injection.Fakes.Resource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequentialInjectorTest extends InjectorContract {

  @Override
  Injector injector() {
    return Injector.sequential();
  }

  @Test
  void toString_namesTheMode() {
    assertThat(Injector.sequential()).hasToString("Injector[sequential]");
  }

  /** Runs past {@code d} without sleeping or blocking. */
  private static void spin(Duration d) {
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 <= d.toNanos()) {
      Thread.onSpinWait();
    }
  }

  @Test
  void lateConstruction_isTimedOut_andItsValueClosed() {
    Dependency<Resource> slow =
        Dependency.of(
                "slow",
                () -> {
                  spin(Duration.ofMillis(2));
                  return new Resource("slow", counter);
                })
            .timeout(Duration.ofMillis(1));
    DependencyException e =
        catchThrowableOfType(
            DependencyException.class, injector().injectSupplier(List.of(slow), deps -> 1)::get);
    assertThat(e.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.kind()).isEqualTo(DependencyFailure.Kind.TIMED_OUT));
    assertThat(e)
        .hasMessageContaining("'slow' timed out after ")
        .hasMessageContaining("no value within its timeout of 1.00 ms");
    assertThat(counter.closes).hasValue(1);
  }

  @Test
  void lateConstruction_withAFallback_usesItAndClosesTheLateValue() {
    Resource offline = new Resource("offline", counter);
    Dependency<Resource> slow =
        Dependency.of(
                "slow",
                () -> {
                  spin(Duration.ofMillis(2));
                  return new Resource("slow", counter);
                })
            .timeout(Duration.ofMillis(1))
            .orElse(offline);
    assertThat(injector().injectSupplier(List.of(slow), deps -> deps.get(slow)).get())
        .isSameAs(offline);
    assertThat(counter.opens).hasValue(2);
    assertThat(counter.closes).hasValue(1);
  }

  @Test
  void failure_closesTheValuesConstructedBeforeIt_andStops() {
    Dependency<Resource> ok = Dependency.of("ok", () -> new Resource("ok", counter));
    Dependency<String> bad =
        Dependency.of(
            "bad",
            () -> {
              throw new IllegalStateException("bad");
            });
    Dependency<Resource> after = Dependency.of("after", () -> new Resource("after", counter));
    assertThatThrownBy(injector().injectSupplier(List.of(ok, bad, after), deps -> 1)::get)
        .isInstanceOf(DependencyException.class);
    assertThat(counter.opens).hasValue(2);
    assertThat(counter.closes).hasValue(2);
  }
}
