package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Rollout}'s split of many keys: the share admitted is the percentage asked for, and two
 * rollouts of different names split independently, within a binomial bound of 4.5 standard
 * deviations (a false alarm about once in 150,000 runs of a correct hash; the keys are seeded, so
 * in practice a run either always passes or always fails).
 */
class RolloutStatisticsTest {

  private static final int KEYS = 100_000;

  /** UUID-like keys, the same in every run. */
  private static String[] keys(long seed) {
    Random random = new Random(seed);
    String[] keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = new UUID(random.nextLong(), random.nextLong()).toString();
    }
    return keys;
  }

  /** 4.5 standard deviations of the number of successes in {@code n} trials of chance {@code p}. */
  private static double bound(int n, double p) {
    return 4.5 * Math.sqrt(n * p * (1 - p));
  }

  @ParameterizedTest(name = "{0} %")
  @ValueSource(doubles = {0, 0.5, 10, 33.3, 50, 99.9, 100})
  void theShareAdmitted_isThePercentage(double percent) {
    Rollout r = Rollout.of("new-checkout", percent);
    int admitted = 0;
    for (String key : keys(42)) {
      admitted += r.admit(key) ? 1 : 0;
    }
    double p = percent / 100;

    assertThat((double) admitted).isCloseTo(KEYS * p, offset(bound(KEYS, p)));
    assertThat(r.counts()).isEqualTo(new Rollout.Counts(admitted, KEYS - admitted));
  }

  @Test
  void theShareAdmitted_isThePercentage_forSequentialKeysToo() {
    Rollout r = Rollout.of("new-search", 25);
    int admitted = 0;
    for (int i = 0; i < KEYS; i++) {
      admitted += r.admit("u-" + i) ? 1 : 0;
    }
    assertThat((double) admitted).isCloseTo(KEYS * 0.25, offset(bound(KEYS, 0.25)));
  }

  @Test
  void twoNames_splitIndependently() {
    Rollout first = Rollout.of("new-checkout", 30);
    Rollout second = Rollout.of("new-search", 50);
    int both = 0;
    int firstOnly = 0;
    for (String key : keys(7)) {
      boolean a = first.admit(key);
      boolean b = second.admit(key);
      both += a && b ? 1 : 0;
      firstOnly += a && !b ? 1 : 0;
    }

    assertThat((double) both).isCloseTo(KEYS * 0.15, offset(bound(KEYS, 0.15)));
    assertThat((double) firstOnly).isCloseTo(KEYS * 0.15, offset(bound(KEYS, 0.15)));
  }

  @Test
  void thePoints_spreadEvenlyOverTenBands() {
    int[] bands = new int[10];
    for (String key : keys(11)) {
      bands[(int) (Rollout.point("new-checkout", key) * 10)]++;
    }
    for (int band : bands) {
      assertThat((double) band).isCloseTo(KEYS * 0.1, offset(bound(KEYS, 0.1)));
    }
  }

  @Test
  void raisingThePercentage_onlyAddsKeys_overManyKeys() {
    Rollout r = Rollout.of("new-checkout", 10);
    String[] keys = keys(3);
    boolean[] atTen = new boolean[KEYS];
    for (int i = 0; i < KEYS; i++) {
      atTen[i] = r.admit(keys[i]);
    }
    r.percent(20);
    int added = 0;
    for (int i = 0; i < KEYS; i++) {
      boolean atTwenty = r.admit(keys[i]);
      if (atTen[i]) {
        assertThat(atTwenty).as(keys[i]).isTrue();
      } else if (atTwenty) {
        added++;
      }
    }
    assertThat((double) added).isCloseTo(KEYS * 0.1, offset(bound(KEYS, 0.1)));
  }
}
