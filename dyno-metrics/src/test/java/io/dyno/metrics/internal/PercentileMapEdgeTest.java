package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** {@link PercentileMap} with percentiles that do not start at 0, and its entry set's edges. */
class PercentileMapEdgeTest {

  private final PercentileMap map =
      PercentileMap.of(List.of(50.0, 99.0, 99.9), new long[] {4, 8, 9});

  @Test
  void firstAndLastKey_areTheLowestAndHighestPercentiles() {
    assertThat(map.firstKey()).isEqualTo(50.0);
    assertThat(map.lastKey()).isEqualTo(99.9);
  }

  @Test
  void entrySet_hasOneEntryPerPercentile_andIsTheSameViewEachTime() {
    assertThat(map.entrySet()).hasSize(3);
    assertThat(map.entrySet().isEmpty()).isFalse();
    assertThat(map.entrySet()).isSameAs(map.entrySet());
    assertThat(PercentileMap.of(List.of(), new long[0]).entrySet()).isEmpty();
  }

  @Test
  void entrySetIterator_pastTheLastEntry_throwsNoSuchElement() {
    Iterator<Map.Entry<Double, Duration>> it = map.entrySet().iterator();
    assertThat(it.next()).isEqualTo(Map.entry(50.0, Duration.ofNanos(4)));
    assertThat(it.next()).isEqualTo(Map.entry(99.0, Duration.ofNanos(8)));
    assertThat(it.next()).isEqualTo(Map.entry(99.9, Duration.ofNanos(9)));
    assertThat(it.hasNext()).isFalse();

    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }
}
