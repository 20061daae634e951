package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conventions dyno-metrics shares with every dyno module: time comes through {@code ticker} and
 * {@code clock} on the builders, names are checked alike, {@code toString()} has one shape, the
 * registry holds one instance per name, and an interrupt passes on with the flag restored.
 */
class ConventionsTest {

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void theTypesThatReadTime_takeItOnTheirBuilders() {
    assertThat(PublicApi.declaring("ticker", LongSupplier.class))
        .containsExactlyInAnyOrder(Metrics.Builder.class, MetricsServer.Builder.class);
    assertThat(PublicApi.declaring("clock", Clock.class)).containsExactly(Metrics.Builder.class);
  }

  @Test
  void toString_showsTheTypeThenTheNameThenKeyFields() {
    Metrics metrics = Metrics.of("payments");
    assertThat(metrics)
        .hasToString("Metrics[name=payments, window=10.0 s/10, latencyWindow=1.00 min/6]");
    Metrics.Sample sample = metrics.start();
    assertThat(sample).hasToString("Metrics.Sample[name=payments, state=RUNNING]");
    sample.success();
    assertThat(sample).hasToString("Metrics.Sample[name=payments, state=SUCCEEDED]");
  }

  @Test
  void toString_ofTheUnnamedBoardAndServer_hasTheSameShapeWithoutAName() throws IOException {
    MetricsRegistry board = MetricsRegistry.create();
    board.metrics("zeta");
    board.metrics("alpha");
    assertThat(board).hasToString("MetricsRegistry[names=[alpha, zeta]]");
    MetricsServer server =
        MetricsServer.builder(board).streamInterval(Duration.ofMillis(250)).start();
    try {
      assertThat(server.toString())
          .matches("MetricsServer\\[port=\\d+, streamInterval=250 ms, openStreams=0, state=OPEN]");
    } finally {
      server.close();
    }
    assertThat(server.toString()).endsWith(", state=CLOSED]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t"})
  void blankNames_areRefusedWithTheSharedMessage_byEveryFactory(String blank) {
    String message = "name must not be blank, was '" + blank + "'";
    assertThatThrownBy(() -> Metrics.of(blank))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> Metrics.builder(blank))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    List<String> asked = new ArrayList<>();
    MetricsRegistry board =
        MetricsRegistry.create(
            name -> {
              asked.add(name);
              return Metrics.of(name);
            });
    assertThatThrownBy(() -> board.metrics(blank))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThat(asked).as("the factory is not asked for a blank name").isEmpty();
    MetricsServer.Builder server = MetricsServer.builder(board);
    assertThatThrownBy(() -> server.group(blank))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("group must not be blank, was '" + blank + "'");
  }

  @Test
  void aNullName_isRefusedNamingTheParameter() {
    assertThatThrownBy(() -> Metrics.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> MetricsRegistry.create().metrics(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
  }

  /**
   * The registry creates on first use, so a name is never a duplicate nor missing: the same name
   * gives the same instance, and a factory that would put a second name on one instance is refused.
   */
  @Test
  void theRegistry_holdsOneInstancePerName_andNeverAnotherName() {
    MetricsRegistry board = MetricsRegistry.create();
    Metrics payments = board.metrics("payments");
    assertThat(board.metrics("payments")).isSameAs(payments);
    assertThat(board.all()).containsExactly(payments);
    assertThat(board.remove("paymnets")).isEmpty();
    assertThat(board.remove("payments")).contains(payments);
    assertThat(board.metrics("payments")).isNotSameAs(payments);

    MetricsRegistry renaming = MetricsRegistry.create(name -> Metrics.of("payments"));
    assertThatThrownBy(() -> renaming.metrics("search"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("MetricsRegistry factory must return metrics named 'search'");
  }

  @Test
  void anInterruptedCall_passesTheSameExceptionOn_andRestoresTheFlag() {
    Metrics metrics = Metrics.of("interrupts");
    InterruptedException stop = new InterruptedException("stop");
    assertThatThrownBy(
            () ->
                metrics.call(
                    () -> {
                      throw stop;
                    }))
        .isSameAs(stop);
    assertThat(Thread.interrupted()).as("the interrupt flag is set again").isTrue();
    assertThat(metrics.snapshot().failures()).isEqualTo(1);
  }
}
