package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.Metrics;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The percentile hedge's delay, read again on each refresh at {@code p + 100 × laterWins}, where
 * {@code laterWins} is the share of the calls answered (successes, failures and timeouts) since the
 * refresh before that a later copy won.
 */
class HedgeDelayRefreshTest {

  private static final Duration REFRESH = Duration.ofSeconds(1);

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000L);
  private final Metrics metrics = TestSupport.metrics("inventory", now);
  private final ManualScheduler manual = ManualScheduler.on(now);
  private final HedgeGroupTest.Tasks tasks = new HedgeGroupTest.Tasks();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private Duration delay() {
    var status = metrics.snapshot().status();
    assertThat(status).isNotNull();
    var h = status.hedging();
    assertThat(h).isNotNull();
    return h.delay();
  }

  /** One call that the copy wins; the clock does not move while it runs. */
  private void hedgedCallWonByTheCopy(Service<String> service) {
    int first = tasks.count();
    CompletableFuture<String> call = service.callAsync();
    manual.advance(delay());
    assertThat(tasks.count()).isEqualTo(first + 2);
    tasks.run(first + 1);
    assertThat(call).isCompletedWithValue("copy");
    tasks.run(first);
  }

  @Test
  void eachRefresh_readsPastTheShareOfTheCallsSinceTheLastOneThatALaterCopyWon() {
    // 100 calls of 1 to 100 ms: every percentile reads another latency.
    for (int i = 1; i <= 100; i++) {
      Metrics.Sample s = metrics.start();
      now.advance(Duration.ofMillis(i));
      s.success();
    }
    Hedge hedge = Hedge.afterPercentile(50).refresh(REFRESH);
    Service<String> service =
        Service.builder("inventory", () -> "copy")
            .executor(tasks)
            .pool(8)
            .scheduler(manual)
            .metrics(metrics)
            .hedge(hedge)
            .build();
    toClose.add(service);

    // Before the first refresh: 101 calls answered, one of them won by a copy.
    Duration before = delay();
    hedgedCallWonByTheCopy(service);
    manual.advance(REFRESH.minus(before));
    assertThat(delay()).isEqualTo(hedge.delayFor(metrics, 1 / 101.0));

    // Since then: four calls answered (a success, a failure, a timeout and one won by a copy).
    Duration first = delay();
    hedgedCallWonByTheCopy(service);
    metrics.start().success();
    metrics.start().failure(new IOException("down"));
    metrics.start().timeout();
    manual.advance(REFRESH.minus(first));

    Duration expected = hedge.delayFor(metrics, 0.25);
    assertThat(delay()).isEqualTo(expected);
    for (double other : new double[] {0, 1 / 206.0, 0.5, 0.75, 1}) {
      assertThat(hedge.delayFor(metrics, other)).as("at %s", other).isNotEqualTo(expected);
    }

    // No call since: the share stays, and once the latencies have left the window the delay is
    // the cap, as for a service that has not been called yet.
    manual.advance(metrics.latencyWindow().plus(REFRESH));
    assertThat(delay()).isEqualTo(Duration.ofSeconds(1));
  }
}
