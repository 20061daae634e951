package io.dyno.examples;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.breaker.Breaker;
import io.dyno.breaker.BreakerOpenException;
import io.dyno.breaker.LimitExceededException;
import io.dyno.breaker.Limiter;
import io.dyno.cache.Cache;
import io.dyno.retry.Backoff;
import io.dyno.retry.Retry;
import io.dyno.testing.FakeTicker;
import io.dyno.testing.ManualScheduler;
import io.dyno.testing.Race;
import io.dyno.testing.RecordingSleeper;
import io.dyno.testing.ThreadKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The examples of docs/testing.md: a user's own code built on dyno, tested with its fakes. */
class TestingExamplesTest {

  /** A user's client: prices, retried with backoff, behind a breaker. */
  static final class PriceClient {
    private final Breaker breaker;
    private final Retry retry;
    private final Prices backend;

    PriceClient(Breaker breaker, Retry retry, Prices backend) {
      this.breaker = breaker;
      this.retry = retry;
      this.backend = backend;
    }

    long price(String sku) throws Exception {
      return breaker.call(() -> retry.call(() -> backend.price(sku)));
    }
  }

  /** The remote service behind the client. */
  @FunctionalInterface
  interface Prices {
    long price(String sku) throws Exception;
  }

  /** A backend that fails a given number of times, then answers 42. */
  static final class Flaky implements Prices {
    private final AtomicInteger failuresLeft;
    final AtomicInteger calls = new AtomicInteger();

    Flaky(int failures) {
      this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public long price(String sku) {
      calls.incrementAndGet();
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("prices unavailable");
      }
      return 42;
    }
  }

  @Test
  void retriesWaitAsTheBackoffSays_withoutWaiting() throws Exception {
    FakeTicker ticker = FakeTicker.create();
    RecordingSleeper sleeper = RecordingSleeper.advancing(ticker);
    Retry retry =
        Retry.builder("prices")
            .maxAttempts(4)
            .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0))
            .ticker(ticker)
            .sleeper(sleeper::sleep)
            .build();
    PriceClient client =
        new PriceClient(Breaker.builder("prices").ticker(ticker).build(), retry, new Flaky(2));

    assertThat(client.price("sku-1")).isEqualTo(42);
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(ticker.elapsed()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void anOpenBreakerLetsATrialThrough_onceItsOpenDurationHasPassed() throws Exception {
    FakeTicker ticker = FakeTicker.create();
    Breaker breaker =
        Breaker.builder("prices")
            .minimumCalls(2)
            .openDuration(Duration.ofSeconds(5))
            .ticker(ticker)
            .build();
    Flaky backend = new Flaky(2);
    PriceClient client =
        new PriceClient(breaker, Retry.builder("prices").maxAttempts(1).build(), backend);

    assertThatThrownBy(() -> client.price("sku-1")).hasMessage("prices unavailable");
    assertThatThrownBy(() -> client.price("sku-1")).hasMessage("prices unavailable");
    assertThatThrownBy(() -> client.price("sku-1")).isInstanceOf(BreakerOpenException.class);

    ticker.advance(Duration.ofSeconds(5));
    assertThat(client.price("sku-1")).isEqualTo(42);
    assertThat(breaker.state()).isEqualTo(Breaker.State.CLOSED);
    assertThat(backend.calls).hasValue(3);
  }

  @Test
  void aCachedValueExpires_whenTheTickerSaysSo() {
    FakeTicker ticker = FakeTicker.create();
    AtomicInteger loads = new AtomicInteger();
    Cache<String, Integer> cache =
        Cache.builder("prices").ttl(Duration.ofMinutes(5)).ticker(ticker).build();

    cache.get("sku-1", sku -> loads.incrementAndGet());
    ticker.advance(Duration.ofMinutes(4));
    cache.get("sku-1", sku -> loads.incrementAndGet());
    assertThat(loads).hasValue(1);
    ticker.advance(Duration.ofMinutes(2));
    cache.get("sku-1", sku -> loads.incrementAndGet());
    assertThat(loads).hasValue(2);
  }

  @Test
  void asynchronousRetries_runWhenTheTestRunsTheScheduler() throws Exception {
    ManualScheduler scheduler = ManualScheduler.create();
    Retry retry =
        Retry.builder("prices")
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ofSeconds(1)))
            .ticker(scheduler.ticker())
            .build();
    Flaky backend = new Flaky(2);

    CompletableFuture<Long> price =
        retry.callAsync(
            () -> CompletableFuture.supplyAsync(() -> backend.price("sku-1"), scheduler),
            scheduler);
    scheduler.advance(Duration.ofSeconds(2));

    assertThat(price.get(1, SECONDS)).isEqualTo(42);
    assertThat(scheduler.delays()).contains(Duration.ofSeconds(1));
    assertThat(scheduler.ticker().elapsed()).isEqualTo(Duration.ofSeconds(2));
  }

  @ParameterizedTest(name = "on {0} threads")
  @MethodSource("io.dyno.testing.ThreadKind#available")
  void fourThreads_neverRunMoreThanTwoCallsAtOnce(ThreadKind kind) throws Exception {
    Limiter limiter = Limiter.of("shared", 2);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Integer> refused =
        Race.run(
            kind,
            4,
            t -> {
              int refusals = 0;
              for (int i = 0; i < 1_000; i++) {
                try {
                  limiter.run(
                      () -> {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        running.decrementAndGet();
                      });
                } catch (LimitExceededException e) {
                  refusals++;
                }
              }
              return refusals;
            });
    assertThat(most.get()).isBetween(1, 2);
    assertThat(refused).hasSize(4);
    assertThat(limiter.inUse()).isZero();
  }
}
