package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder accepts windows and bucket counts exactly at the ends of their ranges. */
class MetricsBuilderEdgeTest {

  @Test
  void aWindowOfExactlyADay_isAccepted() {
    Metrics m =
        Metrics.builder("x")
            .window(Duration.ofDays(1), 24)
            .latencyWindow(Duration.ofDays(1), 1)
            .build();

    assertThat(m.window()).isEqualTo(Duration.ofDays(1));
    assertThat(m.latencyWindow()).isEqualTo(Duration.ofDays(1));
    assertThat(m.latencyWindowBuckets()).isEqualTo(1);
  }

  @Test
  void oneBucket_andAThousandBuckets_areAccepted() {
    Metrics m =
        Metrics.builder("x")
            .window(Duration.ofSeconds(1), 1000)
            .latencyWindow(Duration.ofNanos(1), 1)
            .build();

    assertThat(m.windowBuckets()).isEqualTo(1000);
    assertThat(m.latencyWindow()).isEqualTo(Duration.ofNanos(1));
    assertThat(m.latencyWindowBuckets()).isEqualTo(1);
  }

  @Test
  void ticker_isTheOneGiven_andTheSystemTickerByDefault() {
    FakeTicker now = FakeTicker.create();
    Metrics m = Metrics.builder("x").ticker(now).build();

    assertThat(Metrics.of("y").ticker()).isSameAs(Metrics.systemTicker());
    now.set(42);
    assertThat(m.ticker().getAsLong()).isEqualTo(42);
  }
}
