package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import io.dyno.testing.RecordingSleeper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * A call retried many times keeps its first 50 failures and its last 50, and says how many in
 * between it let go, so that a retry without a practical attempt limit holds bounded memory.
 */
class RetryFailureMemoryTest {

  private final FakeTicker now = FakeTicker.create();
  private final ManualScheduler scheduler = ManualScheduler.on(now);
  private final List<IOException> thrown = new ArrayList<>();

  private Retry.Builder retry(int maxAttempts) {
    return Retry.builder("fetch")
        .maxAttempts(maxAttempts)
        .backoff(Backoff.none())
        .ticker(now)
        .sleeper(RecordingSleeper.advancing(now)::sleep);
  }

  private String failing() throws IOException {
    IOException failure = new IOException("attempt " + (thrown.size() + 1));
    thrown.add(failure);
    throw failure;
  }

  @Test
  void aThousandFailures_keepTheFirstAndLastFifty_andTheRecordCountsTheRest() {
    Throwable last = catchThrowable(() -> retry(1_000).build().call(this::failing));

    assertThat(last).isSameAs(thrown.get(999));
    RetryStoppedException record = (RetryStoppedException) last.getSuppressed()[0];
    assertThat(record.attempts()).isEqualTo(1_000);
    assertThat(record.earlierFailures()).isEqualTo(99);
    assertThat(record.omittedFailures()).isEqualTo(900);
    assertThat(record.getMessage())
        .endsWith(
            "the 99 earlier failures follow (900 failures between the first and the last ones"
                + " were not kept)");
    List<Throwable> kept = new ArrayList<>(thrown.subList(0, 50));
    kept.addAll(thrown.subList(950, 1_000));
    assertThat(CompoundException.of(last).exceptions()).containsExactlyElementsOf(kept);
  }

  @Test
  void aHundredFailures_areAllKept() {
    Throwable last = catchThrowable(() -> retry(100).build().call(this::failing));

    RetryStoppedException record = (RetryStoppedException) last.getSuppressed()[0];
    assertThat(record.omittedFailures()).isZero();
    assertThat(record.getMessage()).endsWith("the 99 earlier failures follow");
    assertThat(CompoundException.of(last).exceptions()).containsExactlyElementsOf(thrown);
  }

  @Test
  void aHundredAndOneFailures_letGoOfOne_fromTheMiddle() {
    Throwable last = catchThrowable(() -> retry(101).throwCompound().build().call(this::failing));

    CompoundException compound = (CompoundException) last;
    assertThat(compound.exceptions()).hasSize(100).doesNotContain(thrown.get(50));
    assertThat(compound.exceptions().get(49)).isSameAs(thrown.get(49));
    assertThat(compound.exceptions().get(50)).isSameAs(thrown.get(51));
    assertThat(compound.getMessage())
        .contains("(1 failure between the first and the last ones were not kept)");
  }

  @Test
  void callAsync_keepsTheSameFailures() {
    CompletableFuture<String> future =
        retry(300)
            .build()
            .callAsync(
                () -> {
                  try {
                    return CompletableFuture.completedFuture(failing());
                  } catch (IOException e) {
                    return CompletableFuture.failedFuture(e);
                  }
                },
                scheduler);
    while (scheduler.pendingCount() > 0) {
      assertThat(scheduler.runNext()).isTrue();
    }

    Throwable last = catchThrowable(future::join);
    assertThat(last).isInstanceOf(CompletionException.class);
    Throwable failure = last.getCause();
    assertThat(failure).isSameAs(thrown.get(299));
    assertThat(((RetryStoppedException) failure.getSuppressed()[0]).omittedFailures())
        .isEqualTo(200);
    assertThat(CompoundException.of(failure).exceptions()).hasSize(100);
  }
}
