package io.dyno.cache;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;

/** Laws of the strategies, over many inputs, with a fixed seed. */
class EarlyRecomputeLawsTest {

  private static final long TTL = 60_000_000_000L;

  @Property(seed = "42", tries = 2000)
  void xfetch_neverFiresBeforeItsEarliestTime_soSkippingTheDrawThereIsExact(
      @ForAll @LongRange(min = 0, max = 10_000_000_000L) long delta,
      @ForAll @DoubleRange(min = 0.01, max = 10) double beta,
      @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double r,
      @ForAll @LongRange(min = 1, max = TTL - 1) long age) {
    EarlyRecompute x = EarlyRecompute.xfetch(beta);
    long loadedAt = Long.MAX_VALUE - TTL / 2; // expiry wraps past Long.MAX_VALUE
    long expiresAt = loadedAt + TTL;
    long now = loadedAt + age;
    long earliest = x.earliest(loadedAt, expiresAt, delta);
    if (now - earliest < 0) {
      assertThat(x.fires(now, loadedAt, expiresAt, delta, r)).isFalse();
      assertThat(x.fires(now, loadedAt, expiresAt, delta, Math.nextDown(1.0))).isFalse();
    }
  }

  @Property(seed = "42", tries = 2000)
  void xfetch_firesExactlyWhenUIsAtMostItsChance(
      @ForAll @LongRange(min = 1, max = 1_000_000_000L) long delta,
      @ForAll @DoubleRange(min = 0.01, max = 1, maxIncluded = false) double r,
      @ForAll @LongRange(min = 1, max = TTL - 1) long age) {
    EarlyRecompute x = EarlyRecompute.xfetch(1.0);
    long expiresAt = TTL;
    double u = 1.0 - r;
    double chance = Math.exp(-(double) (expiresAt - age) / delta);
    // Away from the boundary (where rounding could go either way), the rule is u <= chance.
    if (Math.abs(u - chance) > 1e-9) {
      assertThat(x.fires(age, 0, expiresAt, delta, r)).isEqualTo(u <= chance);
    }
  }

  @Property(seed = "42", tries = 1000)
  void linearAndExponential_growWithAge(
      @ForAll @LongRange(min = 0, max = TTL - 2) long age,
      @ForAll @DoubleRange(min = 0.1, max = 5) double k) {
    EarlyRecompute e = EarlyRecompute.exponential(k);
    java.time.Duration ttl = java.time.Duration.ofNanos(TTL);
    java.time.Duration younger = java.time.Duration.ofNanos(age);
    java.time.Duration older = java.time.Duration.ofNanos(age + 1);
    assertThat(e.chance(older, ttl, younger)).isGreaterThanOrEqualTo(e.chance(younger, ttl, older));
    assertThat(EarlyRecompute.linear().chance(older, ttl, older))
        .isGreaterThanOrEqualTo(EarlyRecompute.linear().chance(younger, ttl, younger));
  }
}
