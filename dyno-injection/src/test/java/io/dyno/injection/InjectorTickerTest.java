package io.dyno.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Timeouts and elapsed times judged by an injected ticker, moved by hand. */
class InjectorTickerTest {

  private final FakeTicker now =
      FakeTicker.startingAt(Long.MAX_VALUE - Duration.ofSeconds(1).toNanos());

  /** A construction that takes {@code millis} of ticker time. */
  private Supplier<String> taking(long millis, String value) {
    return () -> {
      now.advance(Duration.ofMillis(millis));
      return value;
    };
  }

  @Test
  void sequential_judgesATimeoutByTheTicker_andReportsTheElapsedTime() {
    Dependency<String> slow = Dependency.of("slow", taking(300, "late")).timeout(Timeouts.DC);
    Supplier<String> call =
        Injector.builder().ticker(now).build().injectSupplier(List.of(slow), d -> d.get(slow));

    DependencyException e = catchThrowableOfType(DependencyException.class, call::get);

    assertThat(e.failures()).hasSize(1);
    DependencyFailure failure = e.failures().get(0);
    assertThat(failure.kind()).isEqualTo(DependencyFailure.Kind.TIMED_OUT);
    assertThat(failure.elapsed()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void sequential_withinItsTimeoutByTheTicker_succeeds_andAFallbackCoversATimeout() {
    Dependency<String> quick = Dependency.of("quick", taking(150, "fast")).timeout(Timeouts.DC);
    Dependency<String> slow =
        Dependency.of("slow", taking(250, "late")).timeout(Timeouts.DC).orElse("fallback");
    Supplier<String> call =
        Injector.builder()
            .ticker(now)
            .build()
            .injectSupplier(List.of(quick, slow), d -> d.get(quick) + "+" + d.get(slow));

    assertThat(call.get()).isEqualTo("fast+fallback");
  }

  @Test
  void ticker_rejectsNull() {
    assertThatThrownBy(() -> Injector.builder().ticker(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ticker must not be null");
  }
}
