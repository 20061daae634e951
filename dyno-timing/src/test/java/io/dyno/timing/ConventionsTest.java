package io.dyno.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The conventions every dyno module follows (DESIGN.md §2), as they apply to timing: time set on
 * the builder, the shape of {@code toString()}, blank names refused alike, and interruption left to
 * the work.
 */
class ConventionsTest {

  private final FakeTicker ticker = FakeTicker.create();

  @AfterEach
  void leaveTheTestThreadUninterrupted() {
    Thread.interrupted();
  }

  @Test
  void theTypesThatReadTime_takeItOnTheirBuilder() {
    assertThat(PublicApi.declaring("ticker", LongSupplier.class))
        .containsExactly(Timing.Builder.class);
    assertThat(PublicApi.declaring("clock", Clock.class)).containsExactly(Timing.Builder.class);
  }

  @Test
  void toString_namesTheTypeThenTheNameThenItsState() {
    Timing t = Timing.builder("checkout").ticker(ticker).start();
    ticker.advance(1_000);

    assertThat(t).hasToString("Timing[name=checkout, state=running, elapsed=1.00 µs]");
  }

  @Test
  void aBlankName_isRefusedWithTheSharedMessage_byEveryFactoryAndEveryNamedRecord() {
    Timing t = Timing.builder("checkout").ticker(ticker).start();
    List<ThrowingCallable> blank =
        List.of(
            () -> Timing.start(" "),
            () -> Timing.builder(" "),
            () -> t.interval(" "),
            () -> t.mark(" "));

    for (ThrowingCallable named : blank) {
      assertThatThrownBy(named)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("name must not be blank, was ' '");
    }
    assertThatThrownBy(() -> Timing.start(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
  }

  @Test
  void anInterruptedException_fromWrappedWork_passesThroughAsIs_andTheFlagIsTheWorks() {
    InterruptedException interrupted = new InterruptedException("stop");
    Callable<String> work =
        () -> {
          Thread.currentThread().interrupt(); // as work that restores the flag before throwing
          throw interrupted;
        };
    Timing t = Timing.builder("checkout").ticker(ticker).start();
    Timing.Scope scope = t.activate();
    Callable<String> wrapped = Timing.wrap(work);
    scope.close();

    assertThatThrownBy(wrapped::call).isSameAs(interrupted);
    assertThat(Thread.interrupted()).isTrue();
    assertThat(Timing.current().isNoop()).isTrue();
  }
}
