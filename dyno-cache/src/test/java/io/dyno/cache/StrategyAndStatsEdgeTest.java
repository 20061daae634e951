package io.dyno.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Edges of the strategies and the counters: odd ticker origins, empty stats, hash codes. */
class StrategyAndStatsEdgeTest {

  private static final long MS = 1_000_000L;
  private final FakeTicker now = FakeTicker.create();

  @Test
  void hitRate_withNoReads_isOne_andOtherwiseHitsOverReads() {
    assertThat(new CacheStats(0, 0, 0, 0, 0, 0).hitRate()).isEqualTo(1.0);
    assertThat(new CacheStats(0, 4, 0, 4, 0, 0).hitRate()).isZero();
    assertThat(new CacheStats(3, 1, 0, 1, 0, 0).hitRate()).isEqualTo(0.75);
  }

  @Test
  void strategies_thatDiffer_haveDifferentHashCodes() {
    assertThat(EarlyRecompute.xfetch(1.0).hashCode())
        .isNotEqualTo(EarlyRecompute.xfetch(2.0).hashCode())
        .isNotEqualTo(EarlyRecompute.exponential(1.0).hashCode())
        .isNotEqualTo(EarlyRecompute.none().hashCode());
  }

  @Test
  void linear_withATickerBelowZero_stillRecomputesEarly() {
    FixedRandom random = new FixedRandom(0.25);
    Cache<String, String> cache =
        Cache.builder("negative")
            .ttl(Duration.ofSeconds(1))
            .earlyRecompute(EarlyRecompute.linear())
            .ticker(now)
            .random(random)
            .build();
    now.set(-5000 * MS); // System.nanoTime() may be negative
    assertThat(cache.get("k", k -> "first")).isEqualTo("first");
    now.advance(250 * MS + 1); // age/ttl just above the draw
    assertThat(cache.get("k", k -> "second")).isEqualTo("second");
    assertThat(random.draws()).isEqualTo(1);
  }

  @Test
  void exponential_measuresTheAgeFromTheLoad_notFromTheTickersOrigin() {
    FixedRandom random = new FixedRandom(0.25);
    Cache<String, String> cache =
        Cache.builder("aged")
            .ttl(Duration.ofSeconds(1))
            .earlyRecompute(EarlyRecompute.exponential(2))
            .ticker(now)
            .random(random)
            .build();
    now.set(500 * MS);
    cache.get("k", k -> "first");
    now.set(1000 * MS); // age 0.5 ttl: (0.5)^2 = 0.25, not above the draw
    assertThat(cache.get("k", k -> "second")).isEqualTo("first");
    now.set(1000 * MS + 1000);
    assertThat(cache.get("k", k -> "second")).isEqualTo("second");
  }

  @Test
  void withoutAnInjectedRandom_theThreadsOwnGeneratorDrawsForTheStrategy() {
    Cache<String, String> cache =
        Cache.builder("default-random")
            .ttl(Duration.ofSeconds(1))
            .earlyRecompute(EarlyRecompute.linear())
            .ticker(now)
            .build();
    cache.get("k", k -> "first");
    now.set(1000 * MS - 1); // chance 1 − 10^-9: fires unless the draw is within 10^-9 of 1
    assertThat(cache.get("k", k -> "second")).isEqualTo("second");
    assertThat(cache.stats().earlyRecomputes()).isEqualTo(1);
  }

  @Test
  void getIfPresent_duringAKeysFirstComputation_findsNothing() {
    Cache<String, String> cache =
        Cache.builder("first").ttl(Duration.ofSeconds(1)).ticker(now).build();
    String value =
        cache.get(
            "k",
            key -> {
              assertThat(cache.getIfPresent(key)).isNull();
              assertThat(cache.size()).isZero();
              return "v";
            });
    assertThat(value).isEqualTo("v");
    assertThat(cache.getIfPresent("k")).isEqualTo("v");
    assertThat(cache.stats()).isEqualTo(new CacheStats(1, 2, 0, 1, 0, 0));
  }

  @Test
  void xfetch_withATickerBelowZero_drawsOnlyInTheLastStretchBeforeExpiry() {
    FixedRandom random = new FixedRandom(Math.nextDown(1.0)); // u = 2^-53, -ln u = 36.74
    Cache<String, String> cache =
        Cache.builder("negative").ttl(Duration.ofSeconds(1)).ticker(now).random(random).build();
    now.set(-5000_000 * MS);
    cache.get(
        "k",
        k -> {
          now.advance(10 * MS); // δ = 10 ms
          return "first";
        });
    long expiry = -5000_000 * MS + 10 * MS + 1000 * MS;

    now.set(expiry - 990 * MS);
    assertThat(cache.get("k", k -> "second")).isEqualTo("first");
    now.set(expiry - 368 * MS); // 36.8 δ before expiry: no draw is needed at all
    assertThat(cache.get("k", k -> "second")).isEqualTo("first");
    assertThat(random.draws()).isZero();
    now.set(expiry - 367 * MS);
    assertThat(cache.get("k", k -> "second")).isEqualTo("second");
    assertThat(random.draws()).isEqualTo(1);
  }
}
