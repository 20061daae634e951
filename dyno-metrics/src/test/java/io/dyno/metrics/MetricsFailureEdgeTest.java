package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Metrics} and the failures it passes on: the thread's interrupt is set only for an
 * interruption, and an asynchronous failure is counted by the type the work threw.
 */
class MetricsFailureEdgeTest {

  private final FakeTicker now = FakeTicker.create();
  private final Metrics metrics = Metrics.builder("payments").ticker(now).build();

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void aCallThatFails_otherwiseThanByInterruption_leavesTheThreadUninterrupted() {
    assertThatThrownBy(
            () ->
                metrics.call(
                    () -> {
                      throw new IOException("down");
                    }))
        .isInstanceOf(IOException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();

    assertThatThrownBy(
            () ->
                metrics.call(
                    () -> {
                      throw new InterruptedException("stop");
                    }))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).as("the interrupt is kept visible").isTrue();
    assertThat(metrics.snapshot().failuresByType())
        .isEqualTo(Map.of("java.io.IOException", 1L, "java.lang.InterruptedException", 1L));
  }

  @Test
  void anAsyncFailureWithACause_isCountedByItsOwnType_andOnlyACompletionExceptionIsUnwrapped() {
    IllegalStateException withCause = new IllegalStateException("wrapped", new IOException("io"));
    CompletionException withoutCause = new CompletionException("bare", null);

    assertThat(metrics.callAsync(() -> CompletableFuture.failedFuture(withCause)))
        .isCompletedExceptionally();
    assertThat(metrics.callAsync(() -> CompletableFuture.failedFuture(withoutCause)))
        .isCompletedExceptionally();
    assertThat(
            metrics.callAsync(
                () ->
                    CompletableFuture.failedFuture(
                        new CompletionException(new ArithmeticException()))))
        .isCompletedExceptionally();

    assertThat(metrics.snapshot().failuresByType())
        .isEqualTo(
            Map.of(
                "java.lang.IllegalStateException", 1L,
                "java.util.concurrent.CompletionException", 1L,
                "java.lang.ArithmeticException", 1L));
    assertThat(metrics.snapshot().failures()).isEqualTo(3);
  }
}
