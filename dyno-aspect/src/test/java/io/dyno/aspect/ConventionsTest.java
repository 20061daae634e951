package io.dyno.aspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The conventions every dyno module follows (DESIGN.md §2), as they apply to dyno-aspect: it reads
 * no time, names its aspects alike, answers a missing name with close matches, and keeps the
 * interrupt flag as the function and its filters leave it.
 */
class ConventionsTest {

  @AfterEach
  void clearTheInterruptFlag() {
    Thread.interrupted();
  }

  // ---------------------------------------------------------------- time

  @Test
  void nothingHereReadsTime() {
    assertThat(PublicApi.types())
        .contains(
            Aspect.class,
            Aspects.class,
            NotAdvertisedException.class,
            Chaos.class,
            Chaos.Filter.class,
            Chaos.Sleeper.class);
    assertThat(PublicApi.declaring("ticker", LongSupplier.class)).isEmpty();
    assertThat(PublicApi.declaring("clock", Clock.class)).isEmpty();
  }

  // ---------------------------------------------------------------- names

  @Test
  void blankNames_areRefusedWithTheSharedMessage_byEveryFactory() {
    Aspects board = Aspects.create();

    assertThatThrownBy(() -> Aspect.of(" ", (String s) -> s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> board.advertise("\t", (String s) -> s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was '\t'");
    assertThatThrownBy(() -> Aspect.of(null, (String s) -> s))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> board.advertise(null, (String s) -> s))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
  }

  @Test
  void aDuplicateNameOnTheBoard_isAnIllegalArgumentException_namingIt() {
    Aspects board = Aspects.create();
    board.advertise("render", (String s) -> s);

    assertThatThrownBy(() -> board.advertise("render", (String s) -> s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'render'");
  }

  @Test
  void aMissingNameOnTheBoard_isNotAdvertised_namingCloseMatches() {
    Aspects board = Aspects.create();
    board.advertise("render", (String s) -> s);
    board.advertise("renders", (String s) -> s);
    board.advertise("length", String::length);

    NotAdvertisedException e =
        catchThrowableOfType(NotAdvertisedException.class, () -> board.aspect("rendr"));

    assertThat(e).isInstanceOf(NoSuchElementException.class);
    assertThat(e.name()).isEqualTo("rendr");
    assertThat(e.names()).containsExactly("length", "render", "renders");
    assertThat(e.suggestions()).containsExactly("render", "renders");
    assertThat(e)
        .hasMessage(
            "no aspect 'rendr' is advertised, only [length, render, renders];"
                + " did you mean 'render', 'renders'?");
  }

  @Test
  void aMissingNameWithNothingClose_orOnAnEmptyBoard_suggestsNothing() {
    Aspects board = Aspects.create();
    assertThatThrownBy(() -> board.aspect("render"))
        .hasMessage("no aspect 'render' is advertised: the board is empty");

    board.advertise("length", String::length);
    NotAdvertisedException e =
        catchThrowableOfType(NotAdvertisedException.class, () -> board.aspect("render"));
    assertThat(e.suggestions()).isEmpty();
    assertThat(e).hasMessage("no aspect 'render' is advertised, only [length]");
  }

  // ---------------------------------------------------------------- toString

  @Test
  void toString_ofAnAspect_isItsTypeThenNameThenFilterCount() {
    Aspect<String, String> page = Aspect.of("page", s -> s);
    page.before(String::strip);
    page.after((s, r) -> r + "!");

    assertThat(page).hasToString("Aspect[name=page, filters=2]");
  }

  @Test
  void toString_ofTheBoard_isItsTypeThenTheNamesSorted() {
    Aspects board = Aspects.create();
    board.advertise("render", (String s) -> s);
    board.advertise("length", String::length);

    assertThat(board).hasToString("Aspects[names=[length, render]]");
  }

  // ---------------------------------------------------------------- interrupts

  @Test
  void anInterruptOfTheFunction_leavesTheCallUnchanged_andKeepsTheFlag() {
    CancellationException gaveUp = new CancellationException("gave up");
    Aspect<String, String> page =
        Aspect.of(
            "page",
            s -> {
              Thread.currentThread().interrupt();
              throw gaveUp;
            });
    page.after((s, r) -> r + "!");

    assertThatThrownBy(() -> page.apply("home")).isSameAs(gaveUp);
    assertThat(Thread.interrupted()).as("the flag the function set").isTrue();
  }

  @Test
  void anInterruptedCaller_isServedAsAnyOther_andItsFlagIsNeitherClearedNorSet() {
    Aspect<String, String> page = Aspect.of("page", s -> "page " + s);
    page.around((s, next) -> next.apply(s.strip()));

    Thread.currentThread().interrupt();
    assertThat(page.apply(" home ")).isEqualTo("page home");
    assertThat(Thread.interrupted()).as("the caller's flag").isTrue();

    assertThat(page.apply("home")).isEqualTo("page home");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  // ---------------------------------------------------------------- helpers

}
