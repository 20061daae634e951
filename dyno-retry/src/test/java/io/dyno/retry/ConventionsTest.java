package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.testing.RecordingSleeper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The house conventions (DESIGN.md §2) as they apply to dyno-retry: time injected through {@code
 * ticker(LongSupplier)} on the builder, one {@code toString()} shape, names checked alike, typed
 * accessors on the exceptions, and the interrupt policy. The duration table lives in {@link
 * SharedConventionsTest}. dyno-retry keeps no board or registry of named instances, so it has no
 * duplicate or missing names to answer.
 */
class ConventionsTest {

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  /** Work that always fails. */
  private static String down() throws IOException {
    throw new IOException("down");
  }

  @Test
  void theApiScan_findsThePublicTypes_andNotThePackagePrivateOnes() {
    assertThat(PublicApi.types())
        .contains(Retry.class, Retry.Builder.class, RetryBudget.class, RetryStoppedException.class)
        .doesNotContain(RetryConfig.class);
  }

  @Test
  void theTypesThatReadTime_takeItOnTheirBuilder() {
    assertThat(PublicApi.declaring("ticker", LongSupplier.class))
        .containsExactly(Retry.Builder.class);
    assertThat(PublicApi.declaring("clock", Clock.class)).isEmpty();
  }

  @Test
  void retry_toString_startsWithItsTypeAndName() {
    assertThat(Retry.of("payments", 2).toString())
        .startsWith("Retry[name=payments, maxAttempts=2")
        .endsWith("]");
  }

  @Test
  void blankNames_areRefusedWithTheSharedMessage_byEveryFactory() {
    assertThatThrownBy(() -> Retry.of(" ", 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Retry.builder(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ''");
    assertThatThrownBy(() -> Retry.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
  }

  @Test
  void stopRecord_namesItsRetry_throughName() {
    Retry retry = Retry.of("fetch", 2);

    Throwable thrown = catchThrowable(() -> retry.call(ConventionsTest::down));

    RetryStoppedException record = (RetryStoppedException) thrown.getSuppressed()[0];
    assertThat(record.name()).isEqualTo("fetch");
    assertThat(record.reason()).isEqualTo(StopReason.MAX_ATTEMPTS);
  }

  @Test
  void anInterrupt_stopsTheRetryAtOnce_andTheFlagStaysSet() {
    RecordingSleeper sleeper = RecordingSleeper.create();
    Retry retry =
        Retry.builder("fetch")
            .maxAttempts(5)
            .backoff(Backoff.fixed(Duration.ofSeconds(1)))
            .sleeper(sleeper::sleep)
            .build();
    Thread.currentThread().interrupt();

    Throwable thrown = catchThrowable(() -> retry.call(ConventionsTest::down));

    assertThat(thrown).isInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(sleeper.count()).isZero();
  }
}
