package io.dyno.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Breakers}: a board of named switches. */
class BreakersTest {

  @Test
  void breaker_isCreatedOnFirstUse_andTheSameAfterwards() {
    Breakers board = Breakers.create();
    Breaker a = board.breaker("a");
    assertThat(a.isManual()).isTrue();
    assertThat(board.breaker("a")).isSameAs(a);
    assertThat(board.find("a")).containsSame(a);
    assertThat(board.find("b")).isEmpty();
  }

  @Test
  void register_addsABuiltBreaker_andRefusesASecondOfTheSameName() {
    Breakers board = Breakers.create();
    Breaker payments = Breaker.builder("payments").build();
    assertThat(board.register(payments)).isSameAs(payments);
    assertThat(board.register(payments)).isSameAs(payments);
    assertThat(board.breaker("payments")).isSameAs(payments);
    assertThatThrownBy(() -> board.register(Breaker.manual("payments")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("a breaker named 'payments' is already on the board");
  }

  @Test
  void tripAllAndResetAll_flipEveryBreaker_andStatesListsThemByName() {
    Breakers board = Breakers.create();
    board.breaker("b");
    board.breaker("a");
    board.tripAll();
    assertThat(board.states())
        .containsExactly(
            Map.entry("a", Breaker.State.FORCED_OPEN), Map.entry("b", Breaker.State.FORCED_OPEN));
    board.resetAll();
    assertThat(board.states().values()).containsOnly(Breaker.State.CLOSED);
    assertThat(board.toString()).isEqualTo("Breakers[breakers={a=CLOSED, b=CLOSED}, limiters=[]]");
  }

  @Test
  void limiter_isCreatedOnce_andMustKeepItsSize() {
    Breakers board = Breakers.create();
    Limiter exports = board.limiter("exports", 4);
    assertThat(board.limiter("exports", 4)).isSameAs(exports);
    assertThatThrownBy(() -> board.limiter("exports", 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limiter 'exports' has 4 permits, was asked for 5");
    assertThatThrownBy(() -> board.limiter("other", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> board.breaker(null)).hasMessage("name must not be null");
  }
}
