package io.dyno.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EarlyRecomputeTest {

  private static final long MS = 1_000_000L;
  private final FakeTicker now = FakeTicker.create();
  private final AtomicInteger loads = new AtomicInteger();

  /** A loader that takes {@code delta} ticker nanoseconds and counts its calls. */
  private String slowLoad(String key, long delta) {
    now.advance(delta);
    return key + "-" + loads.incrementAndGet();
  }

  private Cache<String, String> cache(EarlyRecompute strategy, FixedRandom random) {
    return Cache.builder("xfetch")
        .ttl(Duration.ofSeconds(1))
        .earlyRecompute(strategy)
        .ticker(now)
        .random(random)
        .build();
  }

  @Test
  void xfetch_recomputes_whenDeltaBetaLnUReachesTheRemainingTime() {
    // u = 0.5: fires when δ·β·ln 2 >= remaining; δ = 10 ms, β = 1 -> remaining <= 6_931_471 ns.
    FixedRandom random = FixedRandom.withU(0.5);
    Cache<String, String> cache = cache(EarlyRecompute.xfetch(1.0), random);
    long start = 5 * MS;
    now.set(start);
    assertThat(cache.get("k", k -> slowLoad(k, 10 * MS))).isEqualTo("k-1");
    long expiry = start + 10 * MS + 1000 * MS;

    now.set(expiry - 6_931_472);
    assertThat(cache.get("k", k -> slowLoad(k, 10 * MS))).isEqualTo("k-1");
    assertThat(loads).hasValue(1);

    now.set(expiry - 6_931_471);
    assertThat(cache.get("k", k -> slowLoad(k, 10 * MS))).isEqualTo("k-2");
    assertThat(cache.stats().earlyRecomputes()).isEqualTo(1);
    assertThat(cache.stats().hits()).isEqualTo(2);
  }

  @Test
  void xfetch_withLargerBeta_firesEarlier() {
    FixedRandom random = FixedRandom.withU(0.5);
    Cache<String, String> cache = cache(EarlyRecompute.xfetch(2.0), random);
    cache.get("k", k -> slowLoad(k, 10 * MS));
    long expiry = 10 * MS + 1000 * MS;

    now.set(expiry - 13_862_944); // 2·δ·ln 2 = 13_862_943.6
    assertThat(cache.get("k", k -> slowLoad(k, 10 * MS))).isEqualTo("k-1");
    now.set(expiry - 13_862_943);
    assertThat(cache.get("k", k -> slowLoad(k, 10 * MS))).isEqualTo("k-2");
  }

  @Test
  void xfetch_withTheSmallestPossibleU_neverFiresBeforeItsEarliestTime() {
    FixedRandom random = new FixedRandom(Math.nextDown(1.0)); // u = 2^-53, -ln u = 36.74
    Cache<String, String> cache = cache(EarlyRecompute.xfetch(1.0), random);
    cache.get("k", k -> slowLoad(k, 10 * MS));
    long expiry = 10 * MS + 1000 * MS;

    now.set(expiry - 368 * MS); // 36.8 δ before expiry: no draw is needed at all
    cache.get("k", k -> slowLoad(k, 10 * MS));
    assertThat(random.draws()).isZero();
    now.set(expiry - 367 * MS);
    assertThat(cache.get("k", k -> slowLoad(k, 10 * MS))).isEqualTo("k-2");
    assertThat(random.draws()).isEqualTo(1);
  }

  @Test
  void xfetch_withZeroDelta_neverRecomputesEarly() {
    FixedRandom random = new FixedRandom(Math.nextDown(1.0));
    Cache<String, String> cache = cache(EarlyRecompute.xfetch(1.0), random);
    cache.get("k", k -> slowLoad(k, 0));

    now.set(1000 * MS - 1);
    assertThat(cache.get("k", k -> slowLoad(k, 0))).isEqualTo("k-1");
    assertThat(random.draws()).isZero();
    now.set(1000 * MS);
    assertThat(cache.get("k", k -> slowLoad(k, 0))).isEqualTo("k-2");
    assertThat(cache.stats().misses()).isEqualTo(2);
  }

  @Test
  void xfetch_worksWithATickerNearLongMaxValue() {
    FixedRandom random = FixedRandom.withU(0.5);
    Cache<String, String> cache = cache(EarlyRecompute.xfetch(1.0), random);
    long start = Long.MAX_VALUE - 500 * MS; // expiry wraps past Long.MAX_VALUE
    now.set(start);
    cache.get("k", k -> slowLoad(k, 10 * MS));
    long expiry = start + 10 * MS + 1000 * MS;

    now.set(expiry - 6_931_472);
    assertThat(cache.get("k", k -> slowLoad(k, 10 * MS))).isEqualTo("k-1");
    now.set(expiry - 6_931_471);
    assertThat(cache.get("k", k -> slowLoad(k, 10 * MS))).isEqualTo("k-2");
  }

  @Test
  void linear_recomputes_whenTheDrawIsBelowAgeOverTtl() {
    FixedRandom random = new FixedRandom(0.25);
    Cache<String, String> cache = cache(EarlyRecompute.linear(), random);
    cache.get("k", k -> slowLoad(k, 0));

    now.set(250 * MS); // age/ttl = 0.25, not above the draw
    assertThat(cache.get("k", k -> slowLoad(k, 0))).isEqualTo("k-1");
    now.set(250 * MS + 1);
    assertThat(cache.get("k", k -> slowLoad(k, 0))).isEqualTo("k-2");
  }

  @Test
  void exponential_recomputes_whenTheDrawIsBelowAgeOverTtlToTheK() {
    FixedRandom random = new FixedRandom(0.25);
    Cache<String, String> cache = cache(EarlyRecompute.exponential(2), random);
    cache.get("k", k -> slowLoad(k, 0));

    now.set(500 * MS); // (0.5)^2 = 0.25, not above the draw
    assertThat(cache.get("k", k -> slowLoad(k, 0))).isEqualTo("k-1");
    now.set(500 * MS + 1000);
    assertThat(cache.get("k", k -> slowLoad(k, 0))).isEqualTo("k-2");
  }

  @Test
  void none_recomputesOnlyAtExpiry() {
    FixedRandom random = new FixedRandom(0.0);
    Cache<String, String> cache = cache(EarlyRecompute.none(), random);
    cache.get("k", k -> slowLoad(k, 10 * MS));

    now.set(1010 * MS - 1);
    assertThat(cache.get("k", k -> slowLoad(k, 10 * MS))).isEqualTo("k-1");
    now.set(1010 * MS);
    assertThat(cache.get("k", k -> slowLoad(k, 10 * MS))).isEqualTo("k-2");
    assertThat(random.draws()).isZero();
    assertThat(cache.stats().earlyRecomputes()).isZero();
  }

  @Test
  void chance_followsEachStrategysFormula() {
    Duration ttl = Duration.ofSeconds(1);
    Duration delta = Duration.ofMillis(10);
    EarlyRecompute x = EarlyRecompute.xfetch(1.0);
    assertThat(x.chance(Duration.ofMillis(990), ttl, delta)).isCloseTo(Math.exp(-1), within(1e-12));
    assertThat(x.chance(Duration.ofSeconds(1), ttl, delta)).isZero();
    assertThat(x.chance(Duration.ofMillis(500), ttl, Duration.ZERO)).isZero();
    assertThat(EarlyRecompute.linear().chance(Duration.ofMillis(300), ttl, delta))
        .isCloseTo(0.3, within(1e-12));
    assertThat(EarlyRecompute.exponential(3).chance(Duration.ofMillis(500), ttl, delta))
        .isCloseTo(0.125, within(1e-12));
    assertThat(EarlyRecompute.none().chance(Duration.ofMillis(999), ttl, delta)).isZero();
  }

  @Test
  void xfetch_firesAtTheRateOfItsChance_withASeededGenerator() {
    // Statistical: 100_000 draws, tolerance 1 percentage point (about 7 standard deviations).
    SplittableRandom seeded = new SplittableRandom(42);
    EarlyRecompute x = EarlyRecompute.xfetch(1.0);
    long delta = 10 * MS;
    long expiresAt = 1000 * MS;
    long now = expiresAt - 10 * MS;
    int fired = 0;
    for (int i = 0; i < 100_000; i++) {
      if (x.fires(now, 0, expiresAt, delta, seeded.nextDouble())) {
        fired++;
      }
    }
    assertThat(fired / 100_000.0).isCloseTo(Math.exp(-1), within(0.01));
  }

  @Test
  void factories_rejectParametersThatAreNotPositiveAndFinite() {
    assertThatThrownBy(() -> EarlyRecompute.xfetch(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("beta must be a positive finite number, was 0.0");
    assertThatThrownBy(() -> EarlyRecompute.xfetch(Double.NaN))
        .hasMessage("beta must be a positive finite number, was NaN");
    assertThatThrownBy(() -> EarlyRecompute.xfetch(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EarlyRecompute.exponential(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k must be a positive finite number, was -1.0");
  }

  @Test
  void chance_rejectsBadDurations() {
    EarlyRecompute x = EarlyRecompute.xfetch(1.0);
    assertThatThrownBy(() -> x.chance(Duration.ofMillis(-1), Duration.ofSeconds(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("age must not be negative, was PT-0.001S");
    assertThatThrownBy(() -> x.chance(Duration.ZERO, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must be positive, was PT0S");
    assertThatThrownBy(() -> x.chance(Duration.ZERO, Duration.ofSeconds(1), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("delta must not be null");
  }

  @Test
  void strategies_haveValueEqualityAndReadableNames() {
    assertThat(EarlyRecompute.xfetch(1.0)).isEqualTo(EarlyRecompute.xfetch(1.0));
    assertThat(EarlyRecompute.xfetch(1.0)).hasSameHashCodeAs(EarlyRecompute.xfetch(1.0));
    assertThat(EarlyRecompute.xfetch(1.0)).isNotEqualTo(EarlyRecompute.xfetch(2.0));
    assertThat(EarlyRecompute.xfetch(1.0)).isNotEqualTo(EarlyRecompute.exponential(1.0));
    assertThat(EarlyRecompute.xfetch(1.0)).isNotEqualTo("xfetch(1.0)");
    assertThat(EarlyRecompute.xfetch(1.5)).hasToString("xfetch(1.5)");
    assertThat(EarlyRecompute.linear()).hasToString("linear()");
    assertThat(EarlyRecompute.exponential(2)).hasToString("exponential(2.0)");
    assertThat(EarlyRecompute.none()).hasToString("none()");
  }

  @Test
  void xfetch_firesAtExactlyTheRemainingTime_notOneNanosecondBefore() {
    // δ = 2^53 ns: δ·ln 2 is then a whole number of nanoseconds below 2^53, exactly, so a read can
    // sit
    // right on the boundary δ·β·(−ln u) = remaining, where XFetch fires, or one nanosecond before
    // it.
    FixedRandom random = FixedRandom.withU(0.5);
    Cache<String, String> cache =
        Cache.builder("boundary")
            .ttl(Duration.ofDays(2000))
            .earlyRecompute(EarlyRecompute.xfetch(1.0))
            .ticker(now)
            .random(random)
            .build();
    long delta = 1L << 53;
    cache.get("k", k -> slowLoad(k, delta));
    long expiry = delta + Duration.ofDays(2000).toNanos();
    long reach = (long) (-Math.log(0.5) * delta);

    now.set(expiry - reach - 1);
    assertThat(cache.get("k", k -> slowLoad(k, 0))).isEqualTo("k-1");
    now.set(expiry - reach);
    assertThat(cache.get("k", k -> slowLoad(k, 0))).isEqualTo("k-2");
    assertThat(cache.stats().earlyRecomputes()).isEqualTo(1);
  }

  @Test
  void firesAndEarliest_forACacheOfAnotherUnit_followEachStrategysRule() {
    // Epoch milliseconds, as a cache shared by several hosts would pass them.
    long loadedAt = 1_767_225_600_000L;
    long expiresAt = loadedAt + 1_000;
    long now = loadedAt + 900;
    assertThat(EarlyRecompute.none().earliest(loadedAt, expiresAt, 50)).isEqualTo(expiresAt);
    assertThat(EarlyRecompute.none().fires(now, loadedAt, expiresAt, 50, Math.nextDown(1.0)))
        .isFalse();
    assertThat(EarlyRecompute.linear().earliest(loadedAt, expiresAt, 50)).isEqualTo(loadedAt);
    assertThat(EarlyRecompute.linear().fires(now, loadedAt, expiresAt, 50, 0.89)).isTrue();
    assertThat(EarlyRecompute.linear().fires(now, loadedAt, expiresAt, 50, 0.9)).isFalse();
    assertThat(EarlyRecompute.exponential(2).fires(now, loadedAt, expiresAt, 50, 0.80)).isTrue();
    assertThat(EarlyRecompute.exponential(2).fires(now, loadedAt, expiresAt, 50, 0.82)).isFalse();
    // XFetch, δ = 50 and 100 left: fires iff u = 1 − r <= exp(−2) = 0.1353.
    assertThat(EarlyRecompute.xfetch(1.0).fires(now, loadedAt, expiresAt, 50, 0.87)).isTrue();
    assertThat(EarlyRecompute.xfetch(1.0).fires(now, loadedAt, expiresAt, 50, 0.86)).isFalse();
  }
}
