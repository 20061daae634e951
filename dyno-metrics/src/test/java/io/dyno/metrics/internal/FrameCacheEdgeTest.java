package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link FrameCache}: frames shared for less than the interval, and computed again from then. */
class FrameCacheEdgeTest {

  private static final long INTERVAL = 1_000;

  private final AtomicInteger computed = new AtomicInteger();

  private FrameCache cache(FakeTicker now) {
    return new FrameCache(
        () -> ("reading " + computed.incrementAndGet()).getBytes(StandardCharsets.UTF_8),
        INTERVAL,
        now);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void theFirstClient_getsFramesReadForIt_evenAtTickerZero() {
    FrameCache cache = cache(FakeTicker.create());

    assertThat(text(cache.current())).isEqualTo("reading 1");
    assertThat(computed.get()).isEqualTo(1);
  }

  @Test
  void framesYoungerThanTheInterval_areShared_andFromExactlyTheIntervalAreReadAgain() {
    FakeTicker now = FakeTicker.startingAt(5_000);
    FrameCache cache = cache(now);

    byte[] first = cache.current();
    now.advance(INTERVAL - 1);
    byte[] shared = cache.current();
    now.advance(1);
    byte[] fresh = cache.current();

    assertThat(shared).isSameAs(first);
    assertThat(text(fresh)).isEqualTo("reading 2");
    assertThat(cache.current()).isSameAs(fresh);
  }

  @Test
  void refresh_alwaysReads_andTheIntervalCountsFromIt() {
    FakeTicker now = FakeTicker.startingAt(Long.MAX_VALUE - 10);
    FrameCache cache = cache(now);
    cache.current();

    now.advance(500);
    assertThat(text(cache.refresh())).isEqualTo("reading 2");
    now.advance(INTERVAL - 1);
    assertThat(text(cache.current())).as("across the ticker's wrap").isEqualTo("reading 2");
    now.advance(1);
    assertThat(text(cache.current())).isEqualTo("reading 3");
  }
}
