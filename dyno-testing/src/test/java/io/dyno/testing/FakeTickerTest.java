package io.dyno.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FakeTickerTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aNewTicker_readsZero_untilMoved() {
    FakeTicker ticker = FakeTicker.create();
    assertThat(ticker.getAsLong()).isZero();
    assertThat(ticker.read()).isZero();
    ticker.advance(Duration.ofMillis(3)).advance(5);
    assertThat(ticker.getAsLong()).isEqualTo(3_000_005);
    assertThat(ticker.elapsed()).isEqualTo(Duration.ofNanos(3_000_005));
  }

  @Test
  void aTickerStartedNearTheEndOfLong_wrapsAsNanoTimeMay_andStillMeasuresElapsedTime() {
    FakeTicker ticker = FakeTicker.startingAt(Long.MAX_VALUE - 10);
    long before = ticker.getAsLong();
    ticker.advance(Duration.ofNanos(25));
    long after = ticker.getAsLong();
    assertThat(after).isNegative();
    assertThat(after - before).isEqualTo(25);
    assertThat(ticker.elapsed()).isEqualTo(Duration.ofNanos(25));
  }

  @Test
  void reads_areCounted_andElapsedDoesNotCount() {
    FakeTicker ticker = FakeTicker.create();
    ticker.getAsLong();
    ticker.read();
    ticker.elapsed();
    assertThat(ticker.reads()).isEqualTo(2);
  }

  @Test
  void autoAdvance_movesTimeOnAfterEachRead_untilSetToZero() {
    FakeTicker ticker = FakeTicker.create().autoAdvance(Duration.ofNanos(7));
    assertThat(ticker.getAsLong()).isZero();
    assertThat(ticker.getAsLong()).isEqualTo(7);
    assertThat(ticker.getAsLong()).isEqualTo(14);
    ticker.autoAdvance(Duration.ZERO);
    assertThat(ticker.getAsLong()).isEqualTo(21);
    assertThat(ticker.getAsLong()).isEqualTo(21);
  }

  @Test
  void set_jumpsForwardOrBack() {
    FakeTicker ticker = FakeTicker.startingAt(100);
    ticker.set(40);
    assertThat(ticker.getAsLong()).isEqualTo(40);
    assertThat(ticker.elapsed()).isEqualTo(Duration.ofNanos(-60));
  }

  @Test
  void movingBackwardsByAdvance_isRefused_namingTheValue() {
    FakeTicker ticker = FakeTicker.create();
    assertThatThrownBy(() -> ticker.advance(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("d must not be negative, was PT-0.000000001S");
    assertThatThrownBy(() -> ticker.advance(-2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nanos must not be negative, was -2");
    assertThatThrownBy(() -> ticker.autoAdvance(Duration.ofNanos(-3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("step must not be negative");
    assertThatThrownBy(() -> ticker.advance(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("d must not be null");
    assertThat(ticker.getAsLong()).isZero();
  }

  @Test
  void aClockOfTheTicker_movesWithIt_withoutCountingReads() {
    FakeTicker ticker = FakeTicker.startingAt(Long.MAX_VALUE);
    FakeClock clock = ticker.clock(START);
    assertThat(clock.instant()).isEqualTo(START);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(2));
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli() + 2000);
    clock.advance(Duration.ofMillis(500));
    assertThat(ticker.elapsed()).isEqualTo(Duration.ofMillis(2500));
    assertThat(ticker.reads()).isZero();
    assertThat(clock.ticker()).isSameAs(ticker);
  }

  @Test
  void aClock_inAnotherZone_sharesItsTime() {
    FakeClock clock = FakeClock.at(START);
    ZoneId paris = ZoneId.of("Europe/Paris");
    var inParis = clock.withZone(paris);
    clock.advance(Duration.ofMinutes(1));
    assertThat(inParis.instant()).isEqualTo(START.plusSeconds(60));
    assertThat(inParis.getZone()).isEqualTo(paris);
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(inParis).isNotEqualTo(clock).isEqualTo(clock.withZone(paris));
    assertThat(inParis.hashCode()).isEqualTo(clock.withZone(paris).hashCode());
    assertThat(clock.toString()).isEqualTo("FakeClock[instant=2026-01-01T00:01:00Z, zone=Z]");
  }
}
