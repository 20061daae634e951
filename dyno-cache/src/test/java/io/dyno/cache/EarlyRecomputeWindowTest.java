package io.dyno.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.testing.FakeTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The instant from which a read draws for XFetch, {@code 36.8·δ·β} before expiry, exactly at its
 * edge: a read there draws and may fire, a read one nanosecond before it does neither.
 */
class EarlyRecomputeWindowTest {

  private static final long MS = 1_000_000L;
  private static final long DELTA = 10 * MS;
  private final FakeTicker now = FakeTicker.create();
  private final AtomicInteger loads = new AtomicInteger();

  private String slowLoad(String key) {
    now.advance(DELTA);
    return key + "-" + loads.incrementAndGet();
  }

  private Cache<String, String> cache(EarlyRecompute strategy, FixedRandom random) {
    return Cache.builder("window")
        .ttl(Duration.ofSeconds(1))
        .earlyRecompute(strategy)
        .ticker(now)
        .random(random)
        .build();
  }

  /** Loaded at 10 ms, δ = 10 ms: expires at 1010 ms. */
  private static final long EXPIRY = 1010 * MS;

  private static long earliest(double beta) {
    return EXPIRY - (long) (DELTA * beta * EarlyRecompute.MAX_NEG_LN_U);
  }

  @Test
  void xfetch_drawsFromExactlyItsEarliestInstant_andNotOneNanosecondBefore() {
    FixedRandom random = new FixedRandom(0.0); // u = 1: draws, never fires
    Cache<String, String> cache = cache(EarlyRecompute.xfetch(1.0), random);
    cache.get("k", this::slowLoad);

    now.set(earliest(1.0) - 1);
    assertThat(cache.get("k", this::slowLoad)).isEqualTo("k-1");
    assertThat(random.draws()).isZero();
    now.set(earliest(1.0));
    assertThat(cache.get("k", this::slowLoad)).isEqualTo("k-1");
    assertThat(random.draws()).isEqualTo(1);
  }

  @Test
  void xfetch_withTheSmallestU_firesAtItsEarliestInstant() {
    FixedRandom random = new FixedRandom(Math.nextDown(1.0)); // u = 2^-53, the largest −ln u
    Cache<String, String> cache = cache(EarlyRecompute.xfetch(1.0), random);
    cache.get("k", this::slowLoad);

    now.set(earliest(1.0));
    assertThat(cache.get("k", this::slowLoad)).isEqualTo("k-2");
    assertThat(cache.stats().earlyRecomputes()).isEqualTo(1);
  }

  @Test
  void xfetch_withBetaTwo_opensItsWindowTwiceAsEarly() {
    FixedRandom random = new FixedRandom(0.0);
    Cache<String, String> cache = cache(EarlyRecompute.xfetch(2.0), random);
    cache.get("k", this::slowLoad);

    now.set(earliest(2.0) - 1); // 734.7 ms before expiry
    cache.get("k", this::slowLoad);
    assertThat(random.draws()).isZero();
    now.set(earliest(2.0));
    cache.get("k", this::slowLoad);
    assertThat(random.draws()).isEqualTo(1);
  }

  @Test
  void xfetch_withBetaOneHalf_opensItsWindowHalfAsEarly() {
    FixedRandom random = new FixedRandom(0.0);
    Cache<String, String> cache = cache(EarlyRecompute.xfetch(0.5), random);
    cache.get("k", this::slowLoad);

    now.set(earliest(0.5) - 1); // 183.7 ms before expiry
    cache.get("k", this::slowLoad);
    assertThat(random.draws()).isZero();
    now.set(earliest(0.5));
    cache.get("k", this::slowLoad);
    assertThat(random.draws()).isEqualTo(1);
  }

  @Test
  void xfetch_ofAValueSlowerThanItsTtlAllows_drawsFromItsFirstRead() {
    // δ = 100 ms, ttl = 1 s: 36.8·δ reaches back past the load, so every read may fire.
    FixedRandom random = new FixedRandom(0.0);
    Cache<String, String> cache = cache(EarlyRecompute.xfetch(1.0), random);
    cache.get(
        "k",
        key -> {
          now.advance(100 * MS);
          return "slow";
        });

    assertThat(cache.get("k", this::slowLoad)).isEqualTo("slow");
    assertThat(random.draws()).isEqualTo(1);
  }

  @Test
  void linearAndExponential_drawFromTheMomentOfTheLoad() {
    FixedRandom linearDraws = new FixedRandom(0.5);
    Cache<String, String> linear = cache(EarlyRecompute.linear(), linearDraws);
    linear.get("k", this::slowLoad);
    assertThat(linear.get("k", this::slowLoad)).isEqualTo("k-1");
    assertThat(linearDraws.draws()).isEqualTo(1);

    FixedRandom exponentialDraws = new FixedRandom(0.5);
    Cache<String, String> exponential = cache(EarlyRecompute.exponential(2), exponentialDraws);
    String loaded = exponential.get("j", this::slowLoad);
    assertThat(exponential.get("j", this::slowLoad)).isSameAs(loaded);
    assertThat(exponentialDraws.draws()).isEqualTo(1);
  }

  @Test
  void chance_ofXfetch_scalesTheRemainingTimeByDeltaTimesBeta() {
    Duration ttl = Duration.ofSeconds(1);
    Duration delta = Duration.ofMillis(10);
    assertThat(EarlyRecompute.xfetch(2.0).chance(Duration.ofMillis(990), ttl, delta))
        .isEqualTo(Math.exp(-0.5));
    assertThat(EarlyRecompute.xfetch(0.5).chance(Duration.ofMillis(990), ttl, delta))
        .isEqualTo(Math.exp(-2.0));
  }
}
