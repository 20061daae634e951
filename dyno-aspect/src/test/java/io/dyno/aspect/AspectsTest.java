package io.dyno.aspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.NoSuchElementException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AspectsTest {

  @Test
  void advertise_returnsTheAspect_thatAspectFindsByName() {
    Aspects board = Aspects.create();
    Aspect<String, Integer> length = board.advertise("length", String::length);

    Aspect<String, Integer> found = board.aspect("length");
    found.before(String::strip);

    assertThat(found).isSameAs(length);
    assertThat(length.apply("  ab ")).isEqualTo(2);
    assertThat(board.<String, Integer>find("length")).containsSame(length);
  }

  @Test
  void aspect_withAnUnknownName_failsListingTheAdvertisedNames() {
    Aspects board = Aspects.create();
    board.advertise("render", (String s) -> s);
    board.advertise("length", String::length);

    assertThatThrownBy(() -> board.aspect("lenght"))
        .isInstanceOf(NoSuchElementException.class)
        .isInstanceOf(NotAdvertisedException.class)
        .hasMessage(
            "no aspect 'lenght' is advertised, only [length, render]; did you mean 'length'?");
    assertThat(board.find("lenght")).isEmpty();
  }

  @Test
  void advertise_aNameTwice_failsNamingIt_andKeepsTheFirst() {
    Aspects board = Aspects.create();
    Aspect<String, String> first = board.advertise("render", s -> s);

    assertThatThrownBy(() -> board.advertise("render", (String s) -> s + s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("aspect 'render' is already advertised");
    assertThat(board.<String, String>aspect("render")).isSameAs(first);
  }

  @Test
  void badInput_failsAtOnce_namingTheParameterAndValue() {
    Aspects board = Aspects.create();

    assertThatThrownBy(() -> board.advertise("", s -> s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ''");
    assertThatThrownBy(() -> board.advertise(null, s -> s))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> board.advertise("x", (Function<String, String>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("function must not be null");
    assertThatThrownBy(() -> board.aspect(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThat(board.names()).isEmpty();
  }

  @Test
  void names_andToString_listTheAdvertisedNamesSorted() {
    Aspects board = Aspects.create();
    board.advertise("b", (String s) -> s);
    board.advertise("a", (String s) -> s);

    assertThat(board.names()).containsExactly("a", "b");
    assertThat(board).hasToString("Aspects[names=[a, b]]");
  }
}
