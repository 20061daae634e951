package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@link LimiterBuilder.Vegas}: settings given over several calls add up, alpha and beta are
 * checked against each other only when both are set, and the random draws decide when the limiter
 * probes, between half and all of probeMultiplier times the limit samples.
 */
class LimiterVegasSettingsTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  /** Feeds successes with one call in flight; returns the 1-based sample that changed the limit. */
  private static int firstProbe(Limiter limiter, int samples) {
    int limit = limiter.limit();
    for (int i = 1; i <= samples; i++) {
      assertThat(limiter.tryAcquire()).isTrue();
      limiter.onSuccess(10 * MS);
      if (limiter.limit() != limit) {
        assertThat(limiter.limit()).isEqualTo(limit / 2);
        return i;
      }
    }
    return -1;
  }

  /** Probes after between 20 and 40 samples: 10 x a multiplier of 4 x the jitter. */
  private static int firstProbeDrawing(double draw) {
    DoubleSupplier random = () -> draw;
    Limiter limiter =
        Limiter.builder("v")
            .vegas(v -> v.initialLimit(10).maxLimit(10).probeMultiplier(4).random(random))
            .build();
    return firstProbe(limiter, 100);
  }

  @Test
  void vegas_calledTwice_keepsTheSettingsOfTheFirstCall() {
    Limiter limiter =
        Limiter.builder("v").vegas(v -> v.initialLimit(5)).vegas(v -> v.maxLimit(50)).build();

    assertThat(limiter.limit()).isEqualTo(5);
    assertThat(limiter.algorithm()).isEqualTo("vegas");
  }

  @Test
  void alphaOrBetaAlone_orAlphaBelowBeta_builds() {
    assertThat(Limiter.builder("v").vegas(v -> v.alpha(50)).build().limit()).isEqualTo(20);
    assertThat(Limiter.builder("v").vegas(v -> v.beta(2)).build().limit()).isEqualTo(20);
    assertThat(Limiter.builder("v").vegas(v -> v.alpha(2).beta(3)).build().limit()).isEqualTo(20);
  }

  @Test
  void random_mapsEachDrawToAJitterBetweenHalfAndAll_ofTheInterval() {
    assertThat(firstProbeDrawing(0.0)).isEqualTo(20);
    assertThat(firstProbeDrawing(0.5)).isEqualTo(30);
    assertThat(firstProbeDrawing(0.99)).isEqualTo(40);
  }

  @Test
  void random_outsideZeroToOne_isTakenAsZero() {
    assertThat(firstProbeDrawing(1.0)).isEqualTo(20);
    assertThat(firstProbeDrawing(2.0)).isEqualTo(20);
    assertThat(firstProbeDrawing(-0.25)).isEqualTo(20);
    assertThat(firstProbeDrawing(Double.NaN)).isEqualTo(20);
  }

  @Test
  void byDefault_limitersStartedTogether_doNotProbeTogether() {
    // With the defaults (20, x 30) the first probe comes after 300 to 600 samples, at random: four
    // limiters probe at the same sample once in about 27 million runs.
    Set<Integer> probes = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      int probe = firstProbe(Limiter.builder("v").vegas().build(), 600);
      assertThat(probe).isBetween(300, 600);
      probes.add(probe);
    }

    assertThat(probes).hasSizeGreaterThan(1);
  }
}
