package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link FrameCache}: frames shared for less than the interval, and computed again from then. */
class FrameCacheEdgeTest {

  private static final long INTERVAL = 1_000;

  private final AtomicInteger computed = new AtomicInteger();

  private FrameCache cache(AtomicLong now) {
    return new FrameCache(
        () -> ("reading " + computed.incrementAndGet()).getBytes(StandardCharsets.UTF_8),
        INTERVAL,
        now::get);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void theFirstClient_getsFramesReadForIt_evenAtTickerZero() {
    FrameCache cache = cache(new AtomicLong(0));

    assertThat(text(cache.current())).isEqualTo("reading 1");
    assertThat(computed.get()).isEqualTo(1);
  }

  @Test
  void framesYoungerThanTheInterval_areShared_andFromExactlyTheIntervalAreReadAgain() {
    AtomicLong now = new AtomicLong(5_000);
    FrameCache cache = cache(now);

    byte[] first = cache.current();
    now.addAndGet(INTERVAL - 1);
    byte[] shared = cache.current();
    now.addAndGet(1);
    byte[] fresh = cache.current();

    assertThat(shared).isSameAs(first);
    assertThat(text(fresh)).isEqualTo("reading 2");
    assertThat(cache.current()).isSameAs(fresh);
  }

  @Test
  void refresh_alwaysReads_andTheIntervalCountsFromIt() {
    AtomicLong now = new AtomicLong(Long.MAX_VALUE - 10);
    FrameCache cache = cache(now);
    cache.current();

    now.addAndGet(500);
    assertThat(text(cache.refresh())).isEqualTo("reading 2");
    now.addAndGet(INTERVAL - 1);
    assertThat(text(cache.current())).as("across the ticker's wrap").isEqualTo("reading 2");
    now.addAndGet(1);
    assertThat(text(cache.current())).isEqualTo("reading 3");
  }
}
