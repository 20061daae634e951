package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link Metrics#callAsync}: recorded when the stage completes, with the same outcome. */
class MetricsAsyncTest {

  private final FakeTicker now = FakeTicker.create();
  private final Metrics metrics = Metrics.builder("async").ticker(now).build();

  @Test
  void callAsync_recordsWhenTheStageCompletes_notBefore() throws Exception {
    CompletableFuture<String> source = new CompletableFuture<>();

    CompletableFuture<String> f = metrics.callAsync(() -> source);
    assertThat(metrics.snapshot().inFlight()).isEqualTo(1);
    now.advance(7_000_000);
    source.complete("done");

    assertThat(f.get()).isEqualTo("done");
    MetricsSnapshot s = metrics.snapshot();
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.inFlight()).isZero();
    assertThat(s.latencyMax().toNanos()).isBetween(7_000_000L, 7_010_000L);
  }

  @Test
  void callAsync_failedStage_handsBackTheSameFailureAndCountsItsCause() {
    IOException boom = new IOException("boom");
    CompletableFuture<String> source = new CompletableFuture<>();
    CompletionStage<String> dependent = source.thenApply(v -> v);

    CompletableFuture<String> f = metrics.callAsync(() -> dependent);
    source.completeExceptionally(boom);

    Throwable thrown = catchThrowable(f::join);
    assertThat(thrown).isInstanceOf(CompletionException.class).hasCause(boom);
    assertThat(metrics.snapshot().failuresByType())
        .containsExactly(Map.entry("java.io.IOException", 1L));
  }

  @Test
  void callAsync_supplierThatThrows_isAFailedFuture() {
    IllegalStateException bad = new IllegalStateException("no stage");
    Supplier<CompletionStage<String>> throwing =
        () -> {
          throw bad;
        };

    CompletableFuture<String> f = metrics.callAsync(throwing);

    assertThat(catchThrowable(f::get)).isInstanceOf(ExecutionException.class).hasCause(bad);
    assertThat(metrics.snapshot().failures()).isEqualTo(1);
  }

  @Test
  void callAsync_supplierThatThrowsAnError_isRecordedAndThrown() {
    AssertionError error = new AssertionError("bug");
    Supplier<CompletionStage<String>> throwing =
        () -> {
          throw error;
        };

    assertThat(catchThrowable(() -> metrics.callAsync(throwing))).isSameAs(error);
    assertThat(metrics.snapshot().failures()).isEqualTo(1);
    assertThat(metrics.snapshot().inFlight()).isZero();
  }

  @Test
  void callAsync_supplierReturningNull_isAFailure() {
    Supplier<CompletionStage<String>> nothing = () -> null;

    CompletableFuture<String> f = metrics.callAsync(nothing);

    assertThat(catchThrowable(f::join))
        .hasCauseInstanceOf(NullPointerException.class)
        .hasMessageContaining("Metrics 'async': callAsync supplier returned null");
    assertThat(metrics.snapshot().failures()).isEqualTo(1);
  }

  @Test
  void callAsync_failureWithoutWrapping_isCountedAsItself() {
    CompletionException bare = new CompletionException("no cause", null);

    CompletableFuture<String> f =
        metrics.callAsync(() -> CompletableFuture.<String>failedFuture(bare));

    assertThat(catchThrowable(f::join)).isSameAs(bare);
    assertThat(metrics.snapshot().failuresByType())
        .containsOnlyKeys("java.util.concurrent.CompletionException");
  }
}
