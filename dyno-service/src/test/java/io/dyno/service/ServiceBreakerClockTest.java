package io.dyno.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dyno.breaker.Breaker;
import io.dyno.metrics.Metrics;
import io.dyno.testing.FakeTicker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * When the breaker's open time starts: at the end of the call that opened it, on the breaker's own
 * clock, whether the service hands the breaker the metrics' readings or the breaker reads its own.
 */
class ServiceBreakerClockTest {

  private static final Duration OPEN = Duration.ofSeconds(10);
  private static final Duration TOOK = Duration.ofSeconds(30);

  private final FakeTicker now = FakeTicker.startingAt(1_000_000_000_000L);

  /** One ticker for the breaker and the metrics, so that the service shares its readings. */
  private final LongSupplier clock = now::read;

  private final AtomicInteger invocations = new AtomicInteger();

  private Breaker breakerOnSharedClock() {
    return Breaker.builder("inventory").ticker(clock).minimumCalls(1).openDuration(OPEN).build();
  }

  @Test
  void call_whenASlowFailureOpensTheBreaker_keepsItOpenForOpenDurationFromTheFailuresEnd()
      throws Exception {
    Breaker breaker = breakerOnSharedClock();
    Service<String> service =
        Service.<String>builder(
                "inventory",
                () -> {
                  if (invocations.getAndIncrement() == 0) {
                    now.advance(TOOK.toNanos());
                    throw new IOException("down");
                  }
                  return "stock";
                })
            .metrics(Metrics.builder("inventory").ticker(clock).build())
            .breaker(breaker)
            .build();

    assertThat(catchThrowable(service::call)).isInstanceOf(IOException.class);
    assertThat(breaker.state()).isEqualTo(Breaker.State.OPEN);

    now.advance(OPEN.toNanos() - 1);
    assertThat(catchThrowable(service::call)).isInstanceOf(ShortCircuitException.class);
    assertThat(invocations).as("still open a nanosecond before openDuration").hasValue(1);

    now.advance(1);
    assertThat(service.call()).isEqualTo("stock");
    assertThat(breaker.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void call_whenASlowResultCountedAsFailureOpensTheBreaker_keepsItOpenFromTheResultsEnd()
      throws Exception {
    Breaker breaker =
        Breaker.builder("inventory")
            .ticker(clock)
            .minimumCalls(1)
            .openDuration(OPEN)
            .recordResult(String.class, "error"::equals)
            .build();
    Service<String> service =
        Service.builder(
                "inventory",
                () -> {
                  if (invocations.getAndIncrement() == 0) {
                    now.advance(TOOK.toNanos());
                    return "error";
                  }
                  return "stock";
                })
            .metrics(Metrics.builder("inventory").ticker(clock).build())
            .breaker(breaker)
            .build();

    assertThat(service.call()).as("still returned").isEqualTo("error");
    assertThat(breaker.state()).isEqualTo(Breaker.State.OPEN);

    now.advance(OPEN.toNanos() - 1);
    assertThat(catchThrowable(service::call)).isInstanceOf(ShortCircuitException.class);
    assertThat(invocations).as("still open a nanosecond before openDuration").hasValue(1);

    now.advance(1);
    assertThat(service.call()).isEqualTo("stock");
    assertThat(breaker.state()).isEqualTo(Breaker.State.CLOSED);
  }

  @Test
  void call_withBreakerOnTheSystemClockAndMetricsOnAnother_opensTheBreakerOnTheSystemClock() {
    Breaker breaker =
        Breaker.builder("inventory").minimumCalls(1).openDuration(Duration.ofHours(1)).build();
    // Two hours behind the breaker's clock: read as the system clock, the failure would have
    // opened the breaker long enough ago to let a trial call through at once.
    long hoursAgo = System.nanoTime() - Duration.ofHours(2).toNanos();
    Service<String> service =
        Service.<String>builder(
                "inventory",
                () -> {
                  invocations.incrementAndGet();
                  throw new IOException("down");
                })
            .metrics(Metrics.builder("inventory").ticker(() -> hoursAgo).build())
            .breaker(breaker)
            .build();

    assertThat(catchThrowable(service::call)).isInstanceOf(IOException.class);

    assertThat(catchThrowable(service::call)).isInstanceOf(ShortCircuitException.class);
    assertThat(breaker.state()).isEqualTo(Breaker.State.OPEN);
    assertThat(invocations).hasValue(1);
  }
}
