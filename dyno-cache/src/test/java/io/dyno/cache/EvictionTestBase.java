package io.dyno.cache;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The set-up the eviction tests share: caches with a one second time to live on a fake ticker,
 * whose evictions are collected in {@link #events}.
 */
abstract class EvictionTestBase {

  static final long MS = 1_000_000L;

  final FakeTicker now = FakeTicker.create();
  final List<EvictionEvent<Integer, String>> events = new ArrayList<>();
  private final String name;

  EvictionTestBase(String name) {
    this.name = name;
  }

  /** A cache bounded to {@code maximumSize} whose XFetch never fires, telling {@link #events}. */
  Cache<Integer, String> bounded(int maximumSize) {
    return Cache.builder(name)
        .ttl(Duration.ofSeconds(1))
        .maximumSize(maximumSize)
        .ticker(now)
        .random(new FixedRandom(0.0))
        .<Integer, String>onEviction(events::add)
        .build();
  }

  /** An unbounded cache named "sweep", telling {@link #events}. */
  Cache<Integer, String> sweeping() {
    return Cache.builder("sweep")
        .ttl(Duration.ofSeconds(1))
        .ticker(now)
        .<Integer, String>onEviction(events::add)
        .build();
  }

  static String load(Integer key) {
    return "v" + key;
  }
}
