package io.dyno.${dyno.module};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.${dyno.module}.internal.Durations;
import io.dyno.${dyno.module}.internal.Names;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The conventions that every dyno module shares, asserted in each: how durations print, how names
 * are checked and how a missing name is answered, how a type that reads time is given it, and what
 * a logger field is called. One
 * source, {@code src/shared/test/SharedConventionsTest.java}, compiled into each module's tests.
 */
class SharedConventionsTest {

  @ParameterizedTest(name = "{0} ns -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0                    | 0 ns",
        "1                    | 1 ns",
        "999                  | 999 ns",
        "1000                 | 1.00 µs",
        "1004                 | 1.00 µs",
        "1005                 | 1.01 µs",
        "9994                 | 9.99 µs",
        "9995                 | 10.0 µs",
        "99949                | 99.9 µs",
        "99950                | 100 µs",
        "999499               | 999 µs",
        "999500               | 1.00 ms",
        "4560000              | 4.56 ms",
        "12345678             | 12.3 ms",
        "999499999            | 999 ms",
        "999500000            | 1.00 s",
        "10000000000          | 10.0 s",
        "59940000000          | 59.9 s",
        "59970000000          | 1.00 min",
        "60000000000          | 1.00 min",
        "999500000000         | 16.7 min",
        "3597000000000        | 60.0 min",
        "3598200000000        | 1.00 h",
        "9000000000000        | 2.50 h",
        "3594600000000000     | 999 h",
        "3598200000000000     | 1000 h",
        "4443840000000000     | 1234 h",
        "36000000000000000    | 10000 h",
        "9223372036854775807  | 2562048 h",
        "-1                   | -1 ns",
        "-999                 | -999 ns",
        "-1000                | -1.00 µs",
        "-1500                | -1.50 µs",
        "-9223372036854775808 | -2562048 h",
      })
  void durations_printWithThreeSignificantDigitsInTheLargestFittingUnit(
      long nanos, String expected) {
    assertThat(Durations.format(nanos)).isEqualTo(expected);
    assertThat(Durations.format(Duration.ofNanos(nanos))).isEqualTo(expected);
  }

  @Test
  void durations_beyondTheRangeOfNanoseconds_printAsTheNearestInIt() {
    assertThat(Durations.format(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo("2562048 h");
    assertThat(Durations.format(Duration.ofSeconds(Long.MIN_VALUE))).isEqualTo("-2562048 h");
  }

  @Test
  void saturatedArithmetic_stopsAtTheEndsOfLong() {
    assertThat(Durations.toNanosSaturated(Duration.ofSeconds(3))).isEqualTo(3_000_000_000L);
    assertThat(Durations.toNanosSaturated(Duration.ofDays(106_752))).isEqualTo(Long.MAX_VALUE);
    assertThat(Durations.toNanosSaturated(Duration.ofDays(-106_752))).isEqualTo(Long.MIN_VALUE);
    assertThat(Durations.saturatedAdd(1, 2)).isEqualTo(3);
    assertThat(Durations.saturatedAdd(Long.MAX_VALUE, -1)).isEqualTo(Long.MAX_VALUE - 1);
    assertThat(Durations.saturatedAdd(Long.MAX_VALUE - 1, 2)).isEqualTo(Long.MAX_VALUE);
    assertThat(Durations.saturatedAdd(Long.MIN_VALUE + 1, -2)).isEqualTo(Long.MIN_VALUE);
    assertThat(Durations.saturatedAdd(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(-1);
    assertThat(Durations.saturatedAdd(Long.MIN_VALUE, Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
    assertThat(Durations.saturatedAdd(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(Durations.saturatedAdd(0, 0)).isZero();
  }

  @Test
  void names_aNullOrBlankName_isRefusedNamingTheParameter() {
    assertThat(Names.require("payments", "name")).isEqualTo("payments");
    assertThat(Names.require(" a ", "name")).isEqualTo(" a ");
    assertThatThrownBy(() -> Names.require(null, "group"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("group");
    assertThatThrownBy(() -> Names.require("", "name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ''");
    assertThatThrownBy(() -> Names.require(" \t", "name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' \t'");
  }

  @Test
  void names_aMissingName_isAnsweredWithTheCloseOnes_closestFirst() {
    List<String> known = List.of("payments", "Payment", "db", "dbs", "inventory", "x");
    assertThat(Names.closest("payment", known)).containsExactly("Payment", "payments");
    assertThat(Names.closest("dbb", known)).containsExactly("db", "dbs");
    assertThat(Names.closest("shipping", known)).isEmpty();
    assertThat(Names.closest("orders", List.of("borderz", "ordrs")))
        .containsExactly("ordrs", "borderz");
    // Two edits, or a third of the name's length when that is more.
    assertThat(Names.closest("inventroy", known)).containsExactly("inventory");
    assertThat(Names.closest("abcdefghijkl", List.of("abcdefgvwxyz", "abcdefghwxyz")))
        .containsExactly("abcdefghwxyz");
    assertThat(Names.didYouMean(Names.closest("dbb", known)))
        .isEqualTo("; did you mean 'db', 'dbs'?");
    assertThat(Names.didYouMean(List.of())).isEmpty();
  }

  @Test
  void names_distance_countsSingleCharacterEdits() {
    assertThat(Names.distance("", "")).isZero();
    assertThat(Names.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Names.distance("", "abc")).isEqualTo(3);
    assertThat(Names.distance("abc", "")).isEqualTo(3);
    assertThat(Names.distance("flaw", "lawn")).isEqualTo(2);
  }

  @Test
  void time_isGivenToABuilderAsTickerAndClock_neverByAWither() {
    List<Method> methods = PublicApi.methods();
    assertThat(methods).as("the public methods of %s", PublicApi.PACKAGE).isNotEmpty();
    assertThat(methods)
        .filteredOn(m -> m.getName().equals("withTicker") || m.getName().equals("withClock"))
        .as("withers of time")
        .isEmpty();
    assertThat(methods)
        .filteredOn(m -> takesOnly(m, LongSupplier.class) && !m.getName().equals("ticker"))
        .as("methods taking a ticker under another name")
        .isEmpty();
    assertThat(methods)
        .filteredOn(m -> takesOnly(m, Clock.class) && !m.getName().equals("clock"))
        .as("methods taking a clock under another name")
        .isEmpty();
  }

  @Test
  void aClassesOwnLogger_isAStaticFinalFieldNamedLOG() {
    List<Field> loggers =
        Stream.concat(
                PublicApi.classesIn(PublicApi.PACKAGE).stream(),
                PublicApi.classesIn(PublicApi.PACKAGE + ".internal").stream())
            .flatMap(c -> Stream.of(c.getDeclaredFields()))
            .filter(f -> f.getType().getName().equals("org.slf4j.Logger"))
            // A logger given by the user (a harness's) is configuration, not the class's own.
            .filter(f -> Modifier.isStatic(f.getModifiers()))
            .toList();
    for (Field f : loggers) {
      assertThat(f.getName()).as(f.toString()).isEqualTo("LOG");
      assertThat(Modifier.isFinal(f.getModifiers())).as("%s is final", f).isTrue();
    }
  }

  private static boolean takesOnly(Method m, Class<?> type) {
    return m.getParameterCount() == 1 && m.getParameterTypes()[0] == type;
  }
}
