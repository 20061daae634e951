package io.dyno.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FrequencySketchTest {

  @Property(seed = "42", tries = 200)
  void estimate_isNeverBelowTheTrueCount_cappedAt15(
      @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 50) Integer> reads) {
    FrequencySketch sketch = new FrequencySketch(1024); // 10 240 additions before any aging
    Map<Integer, Integer> counts = new HashMap<>();
    for (int key : reads) {
      sketch.increment(Integer.hashCode(key));
      counts.merge(key, 1, Integer::sum);
    }
    counts.forEach(
        (key, count) ->
            assertThat(sketch.frequency(Integer.hashCode(key)))
                .isGreaterThanOrEqualTo(Math.min(15, count)));
  }

  @Test
  void counters_areHalved_afterTenTimesTheWidthOfAdditions() {
    FrequencySketch sketch = new FrequencySketch(2); // width 2, aging after 20 additions
    for (int i = 0; i < 15; i++) {
      sketch.increment(7);
    }
    assertThat(sketch.frequency(7)).isEqualTo(15);
    for (int i = 0; i < 5; i++) {
      sketch.increment(1000 + i);
    }
    assertThat(sketch.frequency(7)).isLessThan(15);
  }

  @Test
  void increment_saysWhenNothingGrew_andTheGenerationMovesAtEachHalving() {
    FrequencySketch sketch = new FrequencySketch(1024); // aging after 20,480 additions
    for (int i = 0; i < 15; i++) {
      assertThat(sketch.increment(7)).isTrue();
    }
    assertThat(sketch.frequency(7)).isEqualTo(15);
    assertThat(sketch.increment(7)).as("all four counters saturated").isFalse();
    assertThat(sketch.generation()).isZero();

    for (int key = 1_000; sketch.generation() == 0; key++) {
      sketch.increment(key);
    }
    assertThat(sketch.frequency(7)).isEqualTo(7);
    assertThat(sketch.increment(7)).as("halved counters grow again").isTrue();
  }

  @Test
  void aKeyNeverRead_isEstimatedAtZero_inAnEmptySketch() {
    assertThat(new FrequencySketch(100).frequency(12345)).isZero();
  }

  @Test
  void readsOfASaturatedKey_doNotBringTheHalvingCloser() {
    FrequencySketch sketch = new FrequencySketch(2); // width 2, halving after 20 additions
    for (int i = 0; i < 15; i++) {
      sketch.increment(7);
    }
    for (int i = 0; i < 1000; i++) {
      assertThat(sketch.increment(7)).isFalse();
    }
    assertThat(sketch.generation()).isZero();
    assertThat(sketch.frequency(7)).isEqualTo(15);
  }

  @Test
  void inARoomySketch_fewKeysReadOnceAreOverestimated() {
    // 2,000 keys read once in a sketch sized for 1,024 (4,096 counters per hash, no halving yet):
    // a key is overestimated only if all four of its counters are shared, for about 2 % of keys.
    FrequencySketch sketch = new FrequencySketch(1024);
    for (int key = 0; key < 2000; key++) {
      sketch.increment(Integer.hashCode(key));
    }
    int overestimated = 0;
    for (int key = 0; key < 2000; key++) {
      if (sketch.frequency(Integer.hashCode(key)) > 1) {
        overestimated++;
      }
    }
    assertThat(overestimated).isLessThan(100);
  }

  @Test
  void generation_countsTheHalvings() {
    FrequencySketch sketch = new FrequencySketch(2); // width 2, halving after 20 additions
    assertThat(sketch.generation()).isZero();
    for (int key = 0; key < 20; key++) {
      sketch.increment(key * 7919);
    }
    assertThat(sketch.generation()).isEqualTo(1);
  }
}
