package io.dyno.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EvictionTest extends EvictionTestBase {

  EvictionTest() {
    super("bounded");
  }

  @Test
  void theCache_neverHoldsMoreThanMaximumSize() {
    Cache<Integer, String> cache = bounded(10);
    for (int i = 0; i < 1000; i++) {
      cache.get(i % 37, EvictionTest::load);
      assertThat(cache.size()).isLessThanOrEqualTo(10);
    }
    assertThat(cache.stats().evictions()).isEqualTo(events.size()).isPositive();
    assertThat(events).allMatch(e -> e.cause() == EvictionEvent.Cause.SIZE);
    assertThat(events).allMatch(e -> e.value().equals("v" + e.key()));
    assertThat(events.get(0).cacheName()).isEqualTo("bounded");
  }

  @Test
  void keysReadOften_surviveAScanOfKeysReadOnce_wherePlainLruWouldLoseThem() {
    // Capacity 10; between two rounds of the 5 hot keys come 10 cold keys, each read once. Plain
    // LRU would evict all 5 hot keys in every round; admission by frequency keeps them.
    Cache<Integer, String> cache = bounded(10);
    AtomicLong hotLoads = new AtomicLong();
    for (int cold = 100; cold < 1100; cold++) {
      if (cold % 10 == 0) {
        for (int hot = 0; hot < 5; hot++) {
          cache.get(
              hot,
              k -> {
                hotLoads.incrementAndGet();
                return load(k);
              });
        }
      }
      cache.get(cold, EvictionTest::load);
    }
    assertThat(hotLoads).hasValue(5);
    assertThat(cache.size()).isLessThanOrEqualTo(10);
  }

  @Test
  void maximumSizeOne_keepsOneEntry() {
    Cache<Integer, String> cache = bounded(1);
    cache.get(1, EvictionTest::load);
    cache.get(1, EvictionTest::load);
    cache.get(2, EvictionTest::load);
    cache.get(2, EvictionTest::load);
    cache.get(2, EvictionTest::load);
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.getIfPresent(2)).isEqualTo("v2");
  }

  @Test
  void expiredEntries_areEvictedFirst_asExpired() {
    Cache<Integer, String> cache = bounded(2);
    cache.get(1, EvictionTest::load);
    cache.get(1, EvictionTest::load);
    cache.get(2, EvictionTest::load);
    cache.get(2, EvictionTest::load);
    now.set(1000 * MS);
    cache.get(3, EvictionTest::load);
    assertThat(cache.size()).isLessThanOrEqualTo(2);
    assertThat(cache.getIfPresent(3)).isEqualTo("v3");
    assertThat(events).isNotEmpty().allMatch(e -> e.cause() == EvictionEvent.Cause.EXPIRED);
  }

  @Test
  void cleanUp_removesExpiredEntries_andTellsTheListeners() {
    List<EvictionEvent<String, String>> seen = new ArrayList<>();
    Cache<String, String> cache =
        Cache.builder("clean")
            .ttl(Duration.ofSeconds(1))
            .ticker(now)
            .<String, String>onEviction(seen::add)
            .onEviction(
                e -> {
                  throw new IllegalStateException("a broken listener is only logged");
                })
            .build();
    cache.put("a", "1");
    now.set(500 * MS);
    cache.put("b", "2");
    now.set(1000 * MS);
    cache.cleanUp();
    assertThat(cache.size()).isEqualTo(1);
    assertThat(seen)
        .containsExactly(new EvictionEvent<>("clean", "a", "1", EvictionEvent.Cause.EXPIRED));
    assertThat(cache.stats().evictions()).isEqualTo(1);
  }

  @Test
  void newEntries_removeExpiredOnesTheyComeAcross() {
    Cache<Integer, String> cache =
        Cache.builder("sweep").ttl(Duration.ofSeconds(1)).ticker(now).build();
    for (int i = 0; i < 100; i++) {
      cache.put(i, "old");
    }
    now.set(1000 * MS);
    for (int i = 100; i < 300; i++) {
      cache.put(i, "new");
    }
    assertThat(cache.size()).isLessThan(300);
  }

  @Test
  void invalidatedEntries_doNotCountAsEvictions() {
    Cache<Integer, String> cache = bounded(3);
    cache.get(1, EvictionTest::load);
    cache.invalidate(1);
    cache.get(1, EvictionTest::load);
    assertThat(cache.size()).isEqualTo(1);
    assertThat(events).isEmpty();
  }
}
