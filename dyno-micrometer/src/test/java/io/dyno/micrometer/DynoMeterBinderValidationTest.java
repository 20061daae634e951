package io.dyno.micrometer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.MetricsRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DynoMeterBinderValidationTest {

  private final DynoMeterBinder.Builder builder = DynoMeterBinder.builder(MetricsRegistry.create());

  @Test
  void aMissingRegistry_isRefusedByName() {
    assertThatThrownBy(() -> DynoMeterBinder.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("registry must not be null");
    assertThatThrownBy(() -> DynoMeterBinder.of(MetricsRegistry.create()).bindTo(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("registry must not be null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"name", "outcome", "exception", "percentile", "state"})
  void aTagWithAKeyTheBinderSets_isRefused_namingIt(String key) {
    assertThatThrownBy(() -> builder.tags(Tags.of("region", "eu").and(key, "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tags must not use the key '" + key + "', which the binder sets, was " + key + "=x");
  }

  @Test
  void missingTags_areRefusedByName() {
    assertThatThrownBy(() -> builder.tags(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tags must not be null");
    assertThatThrownBy(() -> builder.tags(Arrays.asList(Tag.of("a", "b"), null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("tags[1] must not be null");
  }

  @Test
  void aPercentileNoSnapshotHolds_isRefused_namingItsIndexAndValue() {
    assertThatThrownBy(() -> builder.percentiles(0.5, 0.42))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "percentiles[1] must be one of [0.0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999,"
                + " 1.0], was 0.42");
    assertThatThrownBy(() -> builder.percentiles(99.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("percentiles[0] must be one of")
        .hasMessageEndingWith(", was 99.0");
    assertThatThrownBy(() -> builder.percentiles(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(", was NaN");
  }

  @Test
  void aRepeatedPercentile_isRefused() {
    assertThatThrownBy(() -> builder.percentiles(0.5, 0.99, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percentiles[2] must not repeat an earlier one, was 0.5");
    assertThatThrownBy(() -> builder.percentiles((double[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("percentiles must not be null");
  }

  @Test
  void aNegativeReuseTime_isRefused() {
    assertThatThrownBy(() -> builder.reuseReadingsFor(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reuse must not be negative, was PT-0.001S");
    assertThatThrownBy(() -> builder.reuseReadingsFor(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("reuse must not be null");
  }
}
