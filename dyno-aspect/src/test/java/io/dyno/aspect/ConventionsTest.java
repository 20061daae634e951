package io.dyno.aspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
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
  void publicTypes_haveNoTimeWithers_andTakeTimeOnlyThroughTickerAndClockSetters()
      throws Exception {
    List<Class<?>> types = publicTypes();
    assertThat(types).contains(Aspect.class, Aspects.class, NotAdvertisedException.class);

    List<Method> methods = types.stream().flatMap(t -> Arrays.stream(t.getMethods())).toList();
    assertThat(methods)
        .filteredOn(m -> m.getName().equals("withTicker") || m.getName().equals("withClock"))
        .isEmpty();
    assertThat(methods)
        .filteredOn(m -> takesOnly(m, LongSupplier.class))
        .allMatch(m -> m.getName().equals("ticker"));
    assertThat(methods)
        .filteredOn(m -> takesOnly(m, Clock.class))
        .allMatch(m -> m.getName().equals("clock"));
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
        .hasMessage("name");
    assertThatThrownBy(() -> board.advertise(null, (String s) -> s))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
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

  private static boolean takesOnly(Method m, Class<?> type) {
    return m.getParameterCount() == 1 && m.getParameterTypes()[0] == type;
  }

  /** The public types of the exported package, read from the directory the classes came from. */
  private static List<Class<?>> publicTypes() throws IOException, URISyntaxException {
    Path root = Path.of(Aspect.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = root.resolve(Aspect.class.getPackageName().replace('.', '/'));
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".class") && !f.equals("package-info.class"))
          .<Class<?>>map(f -> load(Aspect.class.getPackageName() + "." + f.replace(".class", "")))
          .filter(c -> Modifier.isPublic(c.getModifiers()))
          .toList();
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
