package io.dyno.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DependencyTest {

  @Test
  void of_rejectsBlankName() {
    assertThatThrownBy(() -> Dependency.of(" ", () -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
  }

  @Test
  void timeout_rejectsZeroAndNegative() {
    Dependency<Integer> d = Dependency.of("d", () -> 1);
    assertThatThrownBy(() -> d.timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive, was PT0S");
    assertThatThrownBy(() -> d.timeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void options_returnNewDependencies_leavingTheOriginalUnchanged() {
    Dependency<Integer> d = Dependency.of("d", () -> 1);
    Dependency<Integer> t = d.timeout(Timeouts.LAN).orElse(0).closeAfterCall();
    assertThat(t).isNotSameAs(d);
    assertThat(d).hasToString("Dependency 'd'");
    assertThat(t).hasToString("Dependency 'd' timeout=50.0 ms withFallback closeAfterCall");
    assertThat(d.orElseGet(() -> 2).shared()).hasToString("Dependency 'd' withFallback shared");
    assertThat(t.name()).isEqualTo("d");
  }

  @Test
  void declaredAt_isTheCallerOfOf() {
    Dependency<Integer> d = Dependency.of("d", () -> 1).timeout(Timeouts.DC);
    assertThat(d.declaredAt())
        .startsWith(
            DependencyTest.class.getName() + ".declaredAt_isTheCallerOfOf(DependencyTest.java:");
  }

  @Test
  void sharedAndCloseAfterCall_excludeEachOther() {
    Dependency<Integer> d = Dependency.of("d", () -> 1);
    assertThatThrownBy(() -> d.shared().closeAfterCall())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Dependency 'd' is shared and cannot be closed after each call");
    assertThatThrownBy(() -> d.closeAfterCall().shared())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Dependency 'd' is closed after each call and cannot be shared");
  }

  @Test
  void timeouts_matchTheOriginalConstants() {
    assertThat(Timeouts.LOCALHOST).isEqualTo(Duration.ofMillis(50));
    assertThat(Timeouts.LAN).isEqualTo(Duration.ofMillis(50));
    assertThat(Timeouts.DC).isEqualTo(Duration.ofMillis(200));
    assertThat(Timeouts.INTERNET).isEqualTo(Duration.ofSeconds(3));
  }
}
