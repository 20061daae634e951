package io.dyno.${dyno.module};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.${dyno.module}.internal.Durations;
import io.dyno.${dyno.module}.internal.Names;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The conventions that every dyno module shares, asserted in each: how durations print, how names
 * are checked and how a missing name is answered, how a type that reads time is given it, and what
 * a logger field is called, how a null argument is refused. One
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
        .hasMessage("group must not be null");
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

  @Test
  void aNullArgument_isRefusedWithTheParametersNameAndMustNotBeNull() throws Exception {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String source = Files.readString(file, StandardCharsets.UTF_8);
        for (String v : nullCheckViolations(source)) {
          found.add(file + ":" + v);
        }
      }
    }
    assertThat(found).as("requireNonNull calls without '<parameter> must not be null'").isEmpty();
  }

  @Test
  void theNullCheckRule_acceptsTheConventionAndNamesEveryDeparture() {
    String good =
        """
        Objects.requireNonNull(name, "name must not be null");
        requireNonNull(
            ticker,
            "ticker must not be null");
        Objects.requireNonNull(d, parameter + " must not be null");
        requireNonNull(types[i], "ignore[" + i + "] must not be null");
        requireNonNull(f.get(), () -> "cache 'a': loader returned null");
        """;
    assertThat(nullCheckViolations(good)).isEmpty();
    String bad =
        """
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(slot);
        requireNonNull(key, "value must not be null");
        requireNonNull(d, parameter);
        requireNonNull(f.get(), "f");
        """;
    assertThat(nullCheckViolations(bad))
        .containsExactly(
            "1: requireNonNull(name, \"name\")",
            "2: requireNonNull(slot)",
            "3: requireNonNull(key, \"value must not be null\")",
            "4: requireNonNull(d, parameter)",
            "5: requireNonNull(f.get(), \"f\")");
  }

  private static final Pattern IDENTIFIER = Pattern.compile("\\w+");
  private static final Pattern ELEMENT = Pattern.compile("(\\w+)\\[(\\w+)\\]");
  private static final Pattern PASSED_NAME = Pattern.compile("\\w+ \\+ \" must not be null\"");

  /**
   * Returns the {@code requireNonNull} calls in {@code source} that break the convention, as
   * {@code line: call}. A parameter {@code x} must be checked with {@code "x must not be null"};
   * a helper that is passed the parameter's name with {@code name + " must not be null"}; an
   * element {@code a[i]} with {@code "<name>[" + i + "] must not be null"}; any other value, such
   * as what a user's function returned, with a message that ends {@code returned null} or
   * {@code must not be null}.
   */
  private static List<String> nullCheckViolations(String source) {
    List<String> violations = new ArrayList<>();
    String call = "requireNonNull(";
    for (int at = source.indexOf(call); at >= 0; at = source.indexOf(call, at + 1)) {
      List<String> args = arguments(source, at + call.length());
      if (!followsConvention(args)) {
        int line = (int) source.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
        violations.add(line + ": requireNonNull(" + String.join(", ", args) + ")");
      }
    }
    return violations;
  }

  private static boolean followsConvention(List<String> args) {
    if (args.size() != 2) {
      return false;
    }
    String value = args.get(0);
    String message = args.get(1).replaceFirst("^\\(\\) -> ", "");
    if (IDENTIFIER.matcher(value).matches()) {
      return message.equals("\"" + value + " must not be null\"")
          || PASSED_NAME.matcher(message).matches();
    }
    var element = ELEMENT.matcher(value);
    if (element.matches()) {
      String index = Pattern.quote(element.group(2));
      return message.matches("\"\\w+\\[\" \\+ " + index + " \\+ \"\\] must not be null\"");
    }
    return message.endsWith(" returned null\"") || message.endsWith(" must not be null\"");
  }

  /** Returns the top-level arguments of the call whose list starts at {@code from}, trimmed. */
  private static List<String> arguments(String source, int from) {
    List<String> args = new ArrayList<>();
    StringBuilder arg = new StringBuilder();
    int depth = 0;
    boolean inString = false;
    for (int i = from; i < source.length(); i++) {
      char c = source.charAt(i);
      if (inString) {
        inString = c != '"' || source.charAt(i - 1) == '\\';
      } else if (c == '"') {
        inString = true;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) {
          break;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        args.add(arg.toString().trim().replaceAll("\\s+", " "));
        arg.setLength(0);
        continue;
      }
      arg.append(c);
    }
    if (!arg.toString().isBlank() || !args.isEmpty()) {
      args.add(arg.toString().trim().replaceAll("\\s+", " "));
    }
    return args;
  }

  private static boolean takesOnly(Method m, Class<?> type) {
    return m.getParameterCount() == 1 && m.getParameterTypes()[0] == type;
  }
}
