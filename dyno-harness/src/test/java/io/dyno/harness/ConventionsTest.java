package io.dyno.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conventions every dyno module follows (DESIGN.md §2), as they apply to the harness: time set
 * on the builder, the shape of {@code toString()}, blank names refused alike, and the interrupt
 * policy in which the harness deliberately differs.
 */
class ConventionsTest {

  private final RecordingLogger log = new RecordingLogger();

  @AfterEach
  void leaveTheTestThreadUninterrupted() {
    Thread.interrupted();
  }

  @Test
  void theTypesThatReadTime_takeItOnTheirBuilder() {
    assertThat(PublicApi.declaring("ticker", LongSupplier.class))
        .containsExactly(Harness.Builder.class);
    assertThat(PublicApi.declaring("clock", Clock.class)).containsExactly(Harness.Builder.class);
  }

  @Test
  void toString_namesTheTypeThenTheNameThenItsState() {
    Harness harness = Harness.builder("payments").logger(log).build();
    Sneaky.failThrough(harness, new IOException("reset"));

    assertThat(harness).hasToString("Harness[name=payments, failures=1]");
  }

  @Test
  void aBlankName_isRefusedWithTheSharedMessage_byEveryFactory() {
    List<ThrowingCallable> blank = List.of(() -> Harness.of(" "), () -> Harness.builder(" "));
    List<ThrowingCallable> absent = List.of(() -> Harness.of(null), () -> Harness.builder(null));

    for (ThrowingCallable factory : blank) {
      assertThatThrownBy(factory)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("name must not be blank, was ' '");
    }
    for (ThrowingCallable factory : absent) {
      assertThatThrownBy(factory)
          .isInstanceOf(NullPointerException.class)
          .hasMessage("name must not be null");
    }
  }

  @ParameterizedTest(name = "the work set the flag: {0}")
  @ValueSource(booleans = {false, true})
  void anInterruptedException_passesThrough_andTheFlagStaysAsTheWorkLeftIt_unlikeOtherModules(
      boolean workSetTheFlag) {
    Harness harness = Harness.builder("payments").logger(log).build();
    InterruptedException interrupted = new InterruptedException("stop");
    Callable<Object> work =
        () -> {
          if (workSetTheFlag) {
            Thread.currentThread().interrupt();
          }
          throw interrupted;
        };

    assertThatThrownBy(() -> harness.call(work)).isSameAs(interrupted);
    assertThat(Thread.interrupted()).isEqualTo(workSetTheFlag);
    assertThat(harness.failures()).isEqualTo(1);
  }
}
