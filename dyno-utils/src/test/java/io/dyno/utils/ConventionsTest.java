package io.dyno.utils;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The conventions dyno-utils shares with every dyno module, as far as they apply to statistics: it
 * reads no time and prints no duration, and the stateful accumulator's {@code toString()} has the
 * one shape. It has no names, boards or blocking calls, so the name and interrupt conventions do
 * not apply.
 */
class ConventionsTest {

  @Test
  void noPublicMethod_readsTimeOrTakesADuration() {
    for (Method m : PublicApi.methods()) {
      assertThat(m.getName()).as(m.toString()).isNotIn("withTicker", "withClock");
      assertThat(Arrays.asList(m.getParameterTypes()))
          .as(m.toString())
          .doesNotContain(LongSupplier.class, Clock.class, Duration.class);
      assertThat(m.getReturnType()).as(m.toString()).isNotEqualTo(Duration.class);
    }
  }

  @Test
  void runningStats_toString_showsTheTypeThenKeyFields() {
    RunningStats stats = RunningStats.create();
    stats.add(2);
    stats.add(4);
    assertThat(stats)
        .hasToString(
            "RunningStats[count=2, mean=3.0, stddev=1.4142135623730951, min=2.0, max=4.0]");
  }
}
