package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * {@link LimiterBuilder}'s adaptive settings: every setter refuses a bad value naming it, the
 * bounds are checked together at {@code build()}, and only one algorithm may be chosen.
 */
class LimiterSettingsTest {

  private static LimiterBuilder b() {
    return Limiter.builder("db");
  }

  @Test
  void everySetter_refusesABadValue_namingTheParameterAndTheValue() {
    List<Map.Entry<String, ThrowingCallable>> cases =
        List.of(
            Map.entry(
                "initialLimit must be >= 1, was 0", () -> b().gradient2(g -> g.initialLimit(0))),
            Map.entry("minLimit must be >= 1, was 0", () -> b().gradient2(g -> g.minLimit(0))),
            Map.entry("maxLimit must be >= 1, was -3", () -> b().gradient2(g -> g.maxLimit(-3))),
            Map.entry("queueSize must be >= 0, was -1", () -> b().gradient2(g -> g.queueSize(-1))),
            Map.entry(
                "smoothing must be in (0, 1], was 0.0", () -> b().gradient2(g -> g.smoothing(0))),
            Map.entry(
                "smoothing must be in (0, 1], was NaN",
                () -> b().gradient2(g -> g.smoothing(Double.NaN))),
            Map.entry(
                "rttTolerance must be finite and >= 1.0, was 0.9",
                () -> b().gradient2(g -> g.rttTolerance(0.9))),
            Map.entry(
                "rttTolerance must be finite and >= 1.0, was Infinity",
                () -> b().gradient2(g -> g.rttTolerance(Double.POSITIVE_INFINITY))),
            Map.entry("longWindow must be >= 1, was 0", () -> b().gradient2(g -> g.longWindow(0))),
            Map.entry(
                "initialLimit must be >= 1, was -1", () -> b().vegas(v -> v.initialLimit(-1))),
            Map.entry("maxLimit must be >= 1, was 0", () -> b().vegas(v -> v.maxLimit(0))),
            Map.entry(
                "smoothing must be in (0, 1], was 1.5", () -> b().vegas(v -> v.smoothing(1.5))),
            Map.entry("alpha must be >= 1, was 0", () -> b().vegas(v -> v.alpha(0))),
            Map.entry("beta must be >= 1, was 0", () -> b().vegas(v -> v.beta(0))),
            Map.entry("threshold must be >= 0, was -1", () -> b().vegas(v -> v.threshold(-1))),
            Map.entry(
                "probeMultiplier must be >= 1, was 0", () -> b().vegas(v -> v.probeMultiplier(0))),
            Map.entry("initialLimit must be >= 1, was 0", () -> b().aimd(a -> a.initialLimit(0))),
            Map.entry("minLimit must be >= 1, was 0", () -> b().aimd(a -> a.minLimit(0))),
            Map.entry("maxLimit must be >= 1, was 0", () -> b().aimd(a -> a.maxLimit(0))),
            Map.entry(
                "backoffRatio must be in [0.5, 1), was 1.0",
                () -> b().aimd(a -> a.backoffRatio(1))),
            Map.entry(
                "backoffRatio must be in [0.5, 1), was 0.4",
                () -> b().aimd(a -> a.backoffRatio(0.4))),
            Map.entry(
                "timeout must be positive, was PT0S",
                () -> b().aimd(a -> a.timeout(Duration.ZERO))),
            Map.entry(
                "timeout must be positive, was PT-1S",
                () -> b().aimd(a -> a.timeout(Duration.ofSeconds(-1)))));
    for (Map.Entry<String, ThrowingCallable> c : cases) {
      assertThatThrownBy(c.getValue())
          .as(c.getKey())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(c.getKey());
    }
  }

  @Test
  void nulls_areRefused_namingTheParameter() {
    assertThatThrownBy(() -> b().aimd(a -> a.timeout(null))).hasMessage("timeout must not be null");
    assertThatThrownBy(() -> b().gradient2(null)).hasMessage("settings must not be null");
    assertThatThrownBy(() -> b().vegas(null)).hasMessage("settings must not be null");
    assertThatThrownBy(() -> b().aimd(null)).hasMessage("settings must not be null");
    assertThatThrownBy(() -> b().vegas(v -> v.random(null))).hasMessage("random must not be null");
    assertThatThrownBy(() -> b().ticker(null)).hasMessage("ticker must not be null");
    assertThatThrownBy(() -> b().droppedWhen(null)).hasMessage("droppedWhen must not be null");
    assertThatThrownBy(() -> Limiter.adaptive(null)).hasMessage("name must not be null");
    assertThatThrownBy(() -> Limiter.adaptive(" ")).hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Limiter.adaptive("db").onChange(null))
        .hasMessage("listener must not be null");
  }

  @Test
  void theBounds_areCheckedTogether_atBuild() {
    assertThatThrownBy(() -> b().gradient2(g -> g.initialLimit(10)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "gradient2 of limiter 'db' needs minLimit <= initialLimit <= maxLimit, was 20 <= 10 <= 200");
    assertThatThrownBy(() -> b().aimd(a -> a.minLimit(50).maxLimit(40).initialLimit(45)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "aimd of limiter 'db' needs minLimit <= initialLimit <= maxLimit, was 50 <= 45 <= 40");
    assertThatThrownBy(() -> b().vegas(v -> v.maxLimit(10)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "vegas of limiter 'db' needs minLimit <= initialLimit <= maxLimit, was 1 <= 20 <= 10");
    assertThatThrownBy(() -> b().vegas(v -> v.alpha(6).beta(6)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("vegas of limiter 'db' needs alpha < beta, was alpha 6 and beta 6");
    assertThat(b().gradient2(g -> g.initialLimit(5).minLimit(5).maxLimit(5)).build().limit())
        .isEqualTo(5);
  }

  @Test
  void twoChoices_areAnIllegalStateException_namingBoth() {
    assertThatThrownBy(() -> b().permits(4).gradient2())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("limiter 'db' already uses permits(4), cannot also use gradient2");
    assertThatThrownBy(() -> b().gradient2().vegas())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("limiter 'db' already uses gradient2, cannot also use vegas");
    assertThatThrownBy(() -> b().vegas().aimd())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("limiter 'db' already uses vegas, cannot also use aimd");
    assertThatThrownBy(() -> b().aimd().permits(3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("limiter 'db' already uses aimd, cannot also use permits(3)");
  }

  @Test
  void choosingTheSameAlgorithmAgain_amendsItsSettings() {
    Limiter db = b().gradient2(g -> g.initialLimit(30)).gradient2(g -> g.maxLimit(30)).build();

    assertThat(db.limit()).isEqualTo(30);
    assertThat(b().permits(2).permits(3).build().limit()).isEqualTo(3);
  }

  @Test
  void theDefaults_areThePeers() {
    assertThat(Limiter.adaptive("g").limit()).isEqualTo(20);
    assertThat(b().vegas().build().limit()).isEqualTo(20);
    assertThat(b().aimd().build().limit()).isEqualTo(20);
    assertThat(b().vegas().build().algorithm()).isEqualTo("vegas");
    assertThat(b().aimd().build().algorithm()).isEqualTo("aimd");
  }
}
