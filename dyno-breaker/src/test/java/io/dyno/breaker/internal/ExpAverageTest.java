package io.dyno.breaker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * {@link ExpAverage}: the plain mean of the warm-up samples, then an exponential average whose new
 * sample weighs 2 / (window + 1), scaled on demand.
 */
class ExpAverageTest {

  @Test
  void isZero_beforeTheFirstSample() {
    assertThat(new ExpAverage(3, 2).value()).isZero();
  }

  @Test
  void isThePlainMean_ofTheWarmUpSamples_thenWeighsEachNewSampleByTwoOverWindowPlusOne() {
    ExpAverage average = new ExpAverage(3, 2);

    assertThat(average.add(10)).isEqualTo(10.0);
    assertThat(average.add(20)).isEqualTo(15.0);
    assertThat(average.value()).isEqualTo(15.0);
    // After the warm-up a window of 3 gives the new sample a weight of 2 / 4.
    assertThat(average.add(35)).isEqualTo(25.0);
    assertThat(average.value()).isEqualTo(25.0);
    assertThat(average.add(5)).isEqualTo(15.0);
  }

  @Test
  void aLongWindow_movesSlowly() {
    ExpAverage average = new ExpAverage(9, 1);

    average.add(100);

    assertThat(average.add(200)).isCloseTo(120.0, within(1e-9));
  }

  @Test
  void scale_multipliesTheAverage_andLaterSamplesStartFromTheScaledValue() {
    ExpAverage average = new ExpAverage(3, 1);
    average.add(40);

    average.scale(0.5);

    assertThat(average.value()).isEqualTo(20.0);
    assertThat(average.add(60)).isEqualTo(40.0);
  }
}
