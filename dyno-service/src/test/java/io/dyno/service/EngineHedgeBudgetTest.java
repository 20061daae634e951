package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.Metrics;
import io.dyno.retry.Retry;
import io.dyno.retry.RetryBudget;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which copy's outcome reaches which retry budget: every copy after the first reports to the
 * hedge's budget; the first copy reports to it only when no retry shares it, since a sharing retry
 * records the attempt's outcome itself. Copies run on the caller's thread, one after the other, so
 * that every outcome is known before the call returns.
 */
class EngineHedgeBudgetTest {

  private static final Duration NEVER = Duration.ofHours(1);

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);
  private final Metrics metrics = TestSupport.metrics("inventory", now);
  private final ManualScheduler manual = ManualScheduler.on(now);

  /** What the next invocations do: true answers "ok", false fails. */
  private final Deque<Boolean> outcomes = new ArrayDeque<>();

  private Service<String> service;

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
  }

  private final Callable<String> work =
      () -> {
        Boolean ok = outcomes.poll();
        assertThat(ok).as("an outcome scripted for this invocation").isNotNull();
        if (!ok) {
          throw new IOException("down");
        }
        return "ok";
      };

  private Service<String> build(RetryBudget hedgeBudget, Retry retry) {
    service =
        Service.builder("inventory", work)
            .executor(Runnable::run)
            .scheduler(manual)
            .metrics(metrics)
            .hedge(Hedge.after(NEVER).budget(hedgeBudget))
            .retry(retry)
            .build();
    return service;
  }

  private void script(Boolean... next) {
    outcomes.addAll(List.of(next));
  }

  @Test
  void sharedWithTheRetry_theCopiesReportToTheBudget_theFirstOnlyThroughTheRetry()
      throws Exception {
    RetryBudget shared = RetryBudget.tokens(10, 0.5);
    Service<String> s =
        build(shared, Retry.builder("inventory").maxAttempts(1).budget(shared).build());

    script(false, false);
    assertThatThrownBy(s::call).isInstanceOf(IOException.class);
    assertThat(shared.tokens()).as("the copy's failure, then the attempt's").isEqualTo(8.0);

    script(false, true);
    assertThat(s.call()).isEqualTo("ok");
    assertThat(shared.tokens()).as("the copy's success, then the attempt's").isEqualTo(9.0);

    script(true);
    assertThat(s.call()).isEqualTo("ok");
    assertThat(shared.tokens()).as("the attempt's success alone").isEqualTo(9.5);
    assertThat(outcomes).isEmpty();
  }

  @Test
  void ofItsOwn_besideARetryWithoutABudget_hearsTheFirstCopyToo() throws Exception {
    RetryBudget own = RetryBudget.tokens(10, 0.5);
    Service<String> s = build(own, Retry.builder("inventory").maxAttempts(1).build());

    script(false, false);
    assertThatThrownBy(s::call).isInstanceOf(IOException.class);
    assertThat(own.tokens()).as("both copies' failures").isEqualTo(8.0);

    script(false, true);
    assertThat(s.call()).isEqualTo("ok");
    assertThat(own.tokens()).isEqualTo(7.5);

    script(true);
    assertThat(s.call()).isEqualTo("ok");
    assertThat(own.tokens()).isEqualTo(8.0);
  }

  @Test
  void ofItsOwn_besideARetryWithAnotherBudget_eachBudgetHearsItsOwn() throws Exception {
    RetryBudget own = RetryBudget.tokens(10, 0.5);
    RetryBudget retries = RetryBudget.tokens(10, 0.5);
    Service<String> s =
        build(own, Retry.builder("inventory").maxAttempts(1).budget(retries).build());

    script(false, false);
    assertThatThrownBy(s::call).isInstanceOf(IOException.class);

    assertThat(own.tokens()).as("both copies' failures").isEqualTo(8.0);
    assertThat(retries.tokens()).as("the attempt's failure").isEqualTo(9.0);
  }
}
