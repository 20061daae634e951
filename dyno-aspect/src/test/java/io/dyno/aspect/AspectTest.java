package io.dyno.aspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class AspectTest {

  private final List<String> trace = new ArrayList<>();

  private Aspect<String, String> traced() {
    return Aspect.of(
        "echo",
        s -> {
          trace.add("function(" + s + ")");
          return "f(" + s + ")";
        });
  }

  @Test
  void apply_withNoFilters_returnsTheFunctionsResult() {
    Aspect<String, String> aspect = traced();

    assertThat(aspect.apply("x")).isEqualTo("f(x)");
    assertThat(aspect.filterCount()).isZero();
    assertThat(aspect.name()).isEqualTo("echo");
  }

  @Test
  void apply_runsBeforesThenAroundsThenFunctionThenAfters_inTheOrderAdded() {
    Aspect<String, String> aspect = traced();
    aspect.after((a, r) -> r + "+after1");
    aspect.around(
        (a, next) -> {
          trace.add("around1 in");
          String r = next.apply(a + "+around1");
          trace.add("around1 out");
          return r;
        });
    aspect.before(a -> a + "+before1");
    aspect.around(
        (a, next) -> {
          trace.add("around2 in");
          String r = next.apply(a + "+around2");
          trace.add("around2 out");
          return r;
        });
    aspect.before(a -> a + "+before2");
    aspect.after((a, r) -> r + "+after2");

    String result = aspect.apply("x");

    assertThat(result).isEqualTo("f(x+before1+before2+around1+around2)+after1+after2");
    assertThat(trace)
        .containsExactly(
            "around1 in",
            "around2 in",
            "function(x+before1+before2+around1+around2)",
            "around2 out",
            "around1 out");
    assertThat(aspect.filterCount()).isEqualTo(6);
  }

  @Test
  void after_isGivenTheArgumentTheFunctionSaw() {
    Aspect<String, String> aspect = traced();
    aspect.before(a -> a + "!");
    aspect.after((a, r) -> a + " -> " + r);

    assertThat(aspect.apply("x")).isEqualTo("x! -> f(x!)");
  }

  @Test
  void around_thatDoesNotCallNext_shortCircuitsTheFunctionAndTheAfters() {
    Aspect<String, String> aspect = traced();
    aspect.around((a, next) -> "outer(" + next.apply(a) + ")");
    aspect.around((a, next) -> "cached");
    aspect.after((a, r) -> r + "+after");

    assertThat(aspect.apply("x")).isEqualTo("outer(cached)");
    assertThat(trace).isEmpty();
  }

  @Test
  void registrationRemove_takesOnlyThatFilterOut_andIsIdempotent() {
    Aspect<String, String> aspect = traced();
    Registration b = aspect.before(a -> a + "+b");
    Registration around = aspect.around((a, next) -> "[" + next.apply(a) + "]");
    Registration after = aspect.after((a, r) -> r + "+a");
    aspect.after((a, r) -> r + "+kept");

    b.remove();
    b.remove();
    assertThat(aspect.apply("x")).isEqualTo("[f(x)+a+kept]");
    around.remove();
    assertThat(aspect.apply("x")).isEqualTo("f(x)+a+kept");
    after.remove();
    after.remove();
    assertThat(aspect.apply("x")).isEqualTo("f(x)+kept");
    assertThat(aspect.filterCount()).isEqualTo(1);
  }

  @Test
  void sameFilterAddedTwice_runsTwice_andEachRegistrationRemovesOne() {
    Aspect<String, String> aspect = traced();
    UnaryOperator<String> bang = a -> a + "!";
    Registration first = aspect.before(bang);
    aspect.before(bang);

    assertThat(aspect.apply("x")).isEqualTo("f(x!!)");
    first.remove();
    assertThat(aspect.apply("x")).isEqualTo("f(x!)");
  }

  @Test
  void exceptionsFromTheFunctionOrAFilter_passThroughUnchanged() {
    UncheckedIOException boom = new UncheckedIOException(new IOException("boom"));
    Aspect<String, String> failing =
        Aspect.of(
            "failing",
            s -> {
              throw boom;
            });
    failing.before(a -> a);
    failing.around((a, next) -> next.apply(a));
    failing.after((a, r) -> r);
    assertThatThrownBy(() -> failing.apply("x")).isSameAs(boom);

    IllegalStateException fromFilter = new IllegalStateException("filter");
    Aspect<String, String> aspect = traced();
    aspect.before(
        a -> {
          throw fromFilter;
        });
    assertThatThrownBy(() -> aspect.apply("x")).isSameAs(fromFilter);
    assertThat(trace).isEmpty();
  }

  @Test
  void beforeThatReturnsNull_failsWithNullPointerExceptionNamingTheFilter() {
    Aspect<String, String> aspect = traced();
    aspect.before(a -> a);
    aspect.before(AspectTest::nothing);

    assertThatThrownBy(() -> aspect.apply("x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("before filter #2 of aspect 'echo' returned null");
    assertThat(trace).isEmpty();
  }

  @Test
  void aroundThatReturnsNull_failsWithNullPointerExceptionNamingTheFilter() {
    Aspect<String, String> aspect = traced();
    aspect.around((a, next) -> nothing(a));

    assertThatThrownBy(() -> aspect.apply("x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("around filter #1 of aspect 'echo' returned null");
  }

  @Test
  void aroundThatPassesNullToNext_failsWithNullPointerExceptionNamingTheFilter() {
    Aspect<String, String> aspect = traced();
    aspect.around((a, next) -> next.apply(nothing(a)));

    assertThatThrownBy(() -> aspect.apply("x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("around filter #1 of aspect 'echo' passed null to next");
    assertThat(trace).isEmpty();
  }

  @Test
  void afterThatReturnsNull_failsWithNullPointerExceptionNamingTheFilter() {
    Aspect<String, String> aspect = traced();
    aspect.after((a, r) -> r);
    aspect.after((a, r) -> nothing(r));

    assertThatThrownBy(() -> aspect.apply("x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("after filter #2 of aspect 'echo' returned null");
  }

  @Test
  void badInput_failsAtOnce_namingTheParameterAndValue() {
    Aspect<String, String> aspect = traced();

    assertThatThrownBy(() -> Aspect.of(" ", s -> s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Aspect.of((String) null, s -> s))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> Aspect.of("x", (Function<String, String>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("function must not be null");
    assertThatThrownBy(() -> aspect.before((UnaryOperator<String>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("filter must not be null");
    assertThatThrownBy(() -> aspect.around((Aspect.Around<String, String>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("filter must not be null");
    assertThatThrownBy(() -> aspect.after((BiFunction<String, String, String>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("filter must not be null");
  }

  @Test
  void toString_showsTheNameAndTheFilterCount() {
    Aspect<String, String> aspect = traced();
    aspect.before(a -> a);

    assertThat(aspect).hasToString("Aspect[name=echo, filters=1]");
  }

  /** A filter that returns null, as a buggy one might. */
  private static <T> T nothing(T t) {
    return null;
  }
}
