package io.dyno.retry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad input fails at the builder call, naming the parameter and the value. */
class RetryBuilderTest {

  @Test
  void name_mustBeGivenAndNotBlank() {
    assertThatThrownBy(() -> Retry.builder(nullString()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> Retry.of(" ", 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
  }

  @Test
  void maxAttempts_mustBeAtLeastOne() {
    assertThatThrownBy(() -> Retry.of("r", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be >= 1, was 0");
    assertThatThrownBy(() -> Retry.builder("r").maxAttempts(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be >= 1, was -3");
  }

  @Test
  void maxDuration_mustBePositive() {
    assertThatThrownBy(() -> Retry.builder("r").maxDuration(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDuration must be positive, was PT0S");
    assertThatThrownBy(() -> Retry.builder("r").maxDuration(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDuration must be positive, was PT-0.005S");
    assertThatThrownBy(() -> Retry.builder("r").maxDuration(nullDuration()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("maxDuration must not be null");
  }

  @Test
  void classification_rejectsErrorsAndNulls() {
    assertThatThrownBy(() -> Retry.builder("r").retryOn(IOException.class, OutOfMemoryError.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "retryOn takes exception types; Errors are never retried, was"
                + " java.lang.OutOfMemoryError");
    assertThatThrownBy(() -> Retry.builder("r").abortOn(IOException.class, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("abortOn[1] must not be null");
    assertThatThrownBy(() -> Retry.builder("r").retryOn(nullTypes()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("retryOn must not be null");
    assertThatThrownBy(() -> Retry.builder("r").abortOn(nullTypes()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("abortOn must not be null");
    assertThatThrownBy(() -> Retry.builder("r").retryIf(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("predicate must not be null");
    assertThatThrownBy(() -> Retry.builder("r").retryIfResult(null, r -> true))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type must not be null");
    assertThatThrownBy(() -> Retry.builder("r").retryIfResult(String.class, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("predicate must not be null");
  }

  @Test
  void everyCollaborator_mustBeGiven() {
    Retry.Builder b = Retry.builder("r");
    assertThatThrownBy(() -> b.backoff(null)).hasMessage("backoff must not be null");
    assertThatThrownBy(() -> b.budget(null)).hasMessage("budget must not be null");
    assertThatThrownBy(() -> b.onRetry(null)).hasMessage("listener must not be null");
    assertThatThrownBy(() -> b.onExhausted(null)).hasMessage("listener must not be null");
    assertThatThrownBy(() -> b.ticker(null)).hasMessage("ticker must not be null");
    assertThatThrownBy(() -> b.sleeper(null)).hasMessage("sleeper must not be null");
    assertThatThrownBy(() -> b.random(null)).hasMessage("random must not be null");
  }

  @Test
  void verbs_rejectNullWork() {
    Retry retry = Retry.of("r", 2);
    assertThatThrownBy(() -> retry.call(null)).hasMessage("callable must not be null");
    assertThatThrownBy(() -> retry.get(null)).hasMessage("supplier must not be null");
    assertThatThrownBy(() -> retry.run(null)).hasMessage("runnable must not be null");
    assertThatThrownBy(() -> retry.decorateCallable(null)).hasMessage("callable must not be null");
    assertThatThrownBy(() -> retry.decorateSupplier(null)).hasMessage("supplier must not be null");
    assertThatThrownBy(() -> retry.decorateRunnable(null)).hasMessage("runnable must not be null");
    assertThatThrownBy(() -> retry.decorateFunction(null)).hasMessage("function must not be null");
    assertThatThrownBy(() -> retry.callAsync(null, null)).hasMessage("supplier must not be null");
  }

  @Test
  void compoundOf_rejectsNull() {
    assertThatThrownBy(() -> CompoundException.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("failure must not be null");
    assertThatThrownBy(() -> CompoundException.of(new IOException()).ofType(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type must not be null");
  }

  private static String nullString() {
    return null;
  }

  private static Duration nullDuration() {
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends Throwable>[] nullTypes() {
    return null;
  }
}
