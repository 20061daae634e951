package io.dyno.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordingSleeperTest {

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void sleep_recordsTheWaits_inOrder_andReturnsAtOnce() throws InterruptedException {
    RecordingSleeper sleeper = RecordingSleeper.create();
    sleeper.sleep(Duration.ofMillis(100));
    sleeper.sleep(Duration.ZERO);
    sleeper.sleep(Duration.ofSeconds(1));
    assertThat(sleeper.sleeps())
        .containsExactly(Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(1));
    assertThat(sleeper.count()).isEqualTo(3);
    assertThat(sleeper.total()).isEqualTo(Duration.ofMillis(1100));
    assertThat(sleeper).hasToString("RecordingSleeper[sleeps=[PT0.1S, PT0S, PT1S]]");
  }

  @Test
  void anAdvancingSleeper_movesItsTickerByEachWait() throws InterruptedException {
    FakeTicker ticker = FakeTicker.startingAt(Long.MAX_VALUE - 5);
    RecordingSleeper sleeper = RecordingSleeper.advancing(ticker);
    sleeper.sleep(Duration.ofNanos(10));
    sleeper.sleep(Duration.ofMillis(2));
    assertThat(ticker.elapsed()).isEqualTo(Duration.ofNanos(2_000_010));
  }

  @Test
  void sleep_onAnInterruptedThread_throws_clearsTheFlag_andRecordsNothing() {
    FakeTicker ticker = FakeTicker.create();
    RecordingSleeper sleeper = RecordingSleeper.advancing(ticker);
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> sleeper.sleep(Duration.ofMillis(5)))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(sleeper.sleeps()).isEmpty();
    assertThat(ticker.elapsed()).isZero();
  }

  @Test
  void aNegativeWait_isRefused_namingTheValue() {
    RecordingSleeper sleeper = RecordingSleeper.create();
    assertThatThrownBy(() -> sleeper.sleep(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration must not be negative, was PT-0.001S");
    assertThatThrownBy(() -> RecordingSleeper.advancing(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ticker must not be null");
  }

  @Test
  void sleepsFromManyThreads_areAllRecorded() throws Exception {
    RecordingSleeper sleeper = RecordingSleeper.create();
    Race.run(
        ThreadKind.PLATFORM,
        8,
        i -> {
          for (int j = 0; j < 1000; j++) {
            sleeper.sleep(Duration.ofNanos(1));
          }
          return null;
        });
    assertThat(sleeper.count()).isEqualTo(8000);
    assertThat(sleeper.total()).isEqualTo(Duration.ofNanos(8000));
  }
}
