package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.MetricsSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link PercentileMap} behaves as an unmodifiable {@link TreeMap} of the same entries. */
class PercentileMapTest {

  private static final List<Double> KEYS = MetricsSnapshot.PERCENTILES;

  private final long[] nanos = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  private final PercentileMap map = PercentileMap.of(KEYS, nanos);
  private final TreeMap<Double, Duration> tree = new TreeMap<>();

  {
    for (int i = 0; i < nanos.length; i++) {
      tree.put(KEYS.get(i), Duration.ofNanos(nanos[i]));
    }
  }

  @Test
  void equalsHashesAndPrintsLikeATreeMapOfTheSameEntries() {
    assertThat(map).isEqualTo(tree);
    assertThat(tree).isEqualTo(map);
    assertThat(map.hashCode()).isEqualTo(tree.hashCode());
    assertThat(map.toString()).isEqualTo(tree.toString());
    assertThat(map.entrySet()).containsExactlyElementsOf(tree.entrySet());
    assertThat(map.keySet()).containsExactlyElementsOf(tree.keySet());
    assertThat(map.values()).containsExactlyElementsOf(tree.values());
  }

  @Test
  void readsLikeATreeMap() {
    assertThat(map.get(99.9)).isEqualTo(Duration.ofNanos(9));
    assertThat(map.get(42.0)).isNull();
    assertThat(map.containsKey(100.0)).isTrue();
    assertThat(map.containsKey(-0.0)).isEqualTo(tree.containsKey(-0.0));
    assertThat(map.size()).isEqualTo(10);
    assertThat(map.firstKey()).isEqualTo(0.0);
    assertThat(map.lastKey()).isEqualTo(100.0);
    assertThat(map.comparator()).isNull();
    assertThat(map.subMap(50.0, 99.0)).isEqualTo(tree.subMap(50.0, 99.0));
    assertThat(map.headMap(50.0)).isEqualTo(tree.headMap(50.0));
    assertThat(map.tailMap(99.5)).isEqualTo(tree.tailMap(99.5));
    assertThat(map.valueAt(3)).isEqualTo(Duration.ofNanos(4));
    assertThat(map.hasKeys(KEYS)).isTrue();
    assertThat(map.hasKeys(List.of(50.0))).isFalse();
  }

  @Test
  void cannotBeChanged_throughItselfOrItsViews() {
    assertThatThrownBy(() -> map.put(1.0, Duration.ZERO))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.remove(50.0)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.entrySet().iterator().next().setValue(Duration.ZERO))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.keySet().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.headMap(50.0).clear())
        .isInstanceOf(UnsupportedOperationException.class);
    nanos[0] = 99; // the map copied the latencies
    assertThat(map.get(0.0)).isEqualTo(Duration.ofNanos(1));
  }

  @Test
  void emptyAndMismatched() {
    PercentileMap empty = PercentileMap.of(List.of(), new long[0]);
    assertThat(empty).isEqualTo(Map.of());
    assertThatThrownBy(empty::firstKey).isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(empty::lastKey).isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> PercentileMap.of(KEYS, new long[2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("one latency per percentile: 10 percentiles, 2");
  }
}
