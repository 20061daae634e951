package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.metrics.MetricsSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link JsonReader} reads what other instances answer: every JSON value, and a clear error with
 * the position for anything else.
 */
class JsonReaderTest {

  @Test
  void readsEveryKindOfValue_inDocumentOrder() {
    Object v =
        JsonReader.parse(
            " {\"b\": [1, -2.5, 1e3, true, false, null], \"a\": {}, \"c\": [], \"d\": \"x\"} ");

    assertThat(v).isInstanceOf(Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    assertThat(m.keySet()).containsExactly("b", "a", "c", "d");
    @SuppressWarnings("unchecked")
    List<Object> b = (List<Object>) m.get("b");
    assertThat(b).containsExactly(1L, -2.5, 1000.0, true, false, null);
    assertThat(m.get("a")).isEqualTo(Map.of());
    assertThat(m.get("c")).isEqualTo(List.of());
    assertThat(m.get("d")).isEqualTo("x");
  }

  @Test
  void whiteSpace_ofEveryKind_isAllowedAroundEveryToken() {
    for (String ws : List.of(" ", "\t", "\n", "\r")) {
      String json =
          String.join(
              ws, "", "{", "\"a\"", ":", "[", "1", ",", "{", "}", ",", "[", "]", "]", ",", "\"b\"",
              ":", "{", "\"c\"", ":", "2", "}", "}", "");

      assertThat(JsonReader.parse(json))
          .as("separated by U+%04X", (int) ws.charAt(0))
          .isEqualTo(Map.of("a", List.of(1L, Map.of(), List.of()), "b", Map.of("c", 2L)));
    }
  }

  @Test
  void theNestingLimit_countsDepth_notTheContainersSideBySide() {
    String siblings = "[],{},[0],{\"a\":0},".repeat(20);
    int deepest = JsonReader.MAX_DEPTH - 1;
    String json = "[" + siblings + "[".repeat(deepest) + "]".repeat(deepest) + "]";

    @SuppressWarnings("unchecked")
    List<Object> items = (List<Object>) JsonReader.parse(json);

    assertThat(items).hasSize(81);
    assertThat(items.subList(0, 4))
        .containsExactly(List.of(), Map.of(), List.of(0L), Map.of("a", 0L));
  }

  @Test
  void objectsNestedDeeperThanTheLimit_areRefusedToo() {
    String ok = "{\"a\":".repeat(JsonReader.MAX_DEPTH) + "1" + "}".repeat(JsonReader.MAX_DEPTH);
    int over = JsonReader.MAX_DEPTH + 1;
    String deep = "{\"a\":".repeat(over) + "1" + "}".repeat(over);

    assertThat(JsonReader.parse(ok)).isInstanceOf(Map.class);
    assertThatThrownBy(() -> JsonReader.parse(deep))
        .hasMessage("malformed JSON at position 320: nesting deeper than 64, found '{'");
  }

  @Test
  void unicodeEscapes_takeEveryHexDigit_inEitherCase() {
    assertThat(JsonReader.parse("\"\\u0123\\u4567\\u89ab\\ucdef\\uABCD\\uEF09\""))
        .isEqualTo("\u0123\u4567\u89ab\ucdef\uABCD\uEF09");
  }

  @ParameterizedTest
  @ValueSource(chars = {'/', ':', '@', 'G', '`', 'g', '\uFF10'})
  void unicodeEscapes_refuseTheCharactersNextToTheHexDigits(char c) {
    assertThatThrownBy(() -> JsonReader.parse("\"\\u" + c + "000\""))
        .hasMessage(
            "malformed JSON at position 3: expected 4 hex digits after \\u, found '" + c + "'");
  }

  @Test
  void integers_areLongs_andThosePastALong_doubles() {
    assertThat(JsonReader.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThat(JsonReader.parse("-0")).isEqualTo(0L);
    assertThat(JsonReader.parse("92233720368547758070")).isEqualTo(9.223372036854776E19);
    assertThat(JsonReader.parse("0.001")).isEqualTo(0.001);
    assertThat(JsonReader.parse("2E-3")).isEqualTo(0.002);
  }

  @Test
  void strings_undoEveryEscape() {
    assertThat(
            JsonReader.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u2028\\uD83D\\uDE00\""))
        .isEqualTo("q\" b\\ s/ \b\f\n\r\t \u00e9\u2028\uD83D\uDE00");
  }

  @Test
  void whatJsonWriterWrites_readsBackToTheSameValues() {
    String text =
        SnapshotJson.all(
            List.of(
                new MetricsSnapshot(
                    "pay<ments> \"€\"",
                    Instant.ofEpochMilli(1_700_000_000_123L),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(60),
                    3,
                    1,
                    0,
                    0,
                    0,
                    0,
                    1,
                    Map.of("java.io.IOException", 1L),
                    0,
                    Duration.ZERO,
                    zeros())));

    Map<String, Object> m = JsonReader.parseObject(text);

    @SuppressWarnings("unchecked")
    Map<String, Object> payments = (Map<String, Object>) m.get("pay<ments> \"€\"");
    assertThat(payments)
        .containsEntry("name", "pay<ments> \"€\"")
        .containsEntry("time", 1_700_000_000_123L)
        .containsEntry("errorPercentage", 25L)
        .containsEntry("ratePerSecond", 0.4)
        .containsEntry("failuresByType", Map.of("java.io.IOException", 1L))
        .containsEntry("status", null);
  }

  private static java.util.SortedMap<Double, Duration> zeros() {
    java.util.SortedMap<Double, Duration> m = new java.util.TreeMap<>();
    for (Double p : MetricsSnapshot.PERCENTILES) {
      m.put(p, Duration.ZERO);
    }
    return m;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "``|0|expected a value, found the end of the text",
        "`  `|2|expected a value, found the end of the text",
        "{\"a\":1,}|7|expected a member name in quotes, found '}'",
        "{\"a\" 1}|5|expected ':', found '1'",
        "{\"a\":1 \"b\":2}|7|expected ',' or '}', found '\"'",
        "[1 2]|3|expected ',' or ']', found '2'",
        "[1,]|3|expected a value, found ']'",
        "{\"a\":1,\"a\":2}|7|duplicate member name 'a', found '\"'",
        "\"abc|4|unterminated string, found the end of the text",
        "\"a\\x\"|3|bad escape '\\x', found 'x'",
        "\"\\u12G4\"|5|expected 4 hex digits after \\u, found 'G'",
        "\"\\u12|5|expected 4 hex digits after \\u, found the end of the text",
        "\"a\\|3|unterminated string, found the end of the text",
        "1e|2|expected a digit in the exponent, found the end of the text",
        "01|1|expected the end of the text, found '1'",
        "-|1|expected a digit, found the end of the text",
        "1.|2|expected a digit after '.', found the end of the text",
        "1e+|3|expected a digit in the exponent, found the end of the text",
        "+1|0|expected a value, found '+'",
        "NaN|0|expected a value, found 'N'",
        "tru|0|expected 'true', found 't'",
        "nul|0|expected 'null', found 'n'",
        "{\"a\":1} x|8|expected the end of the text, found 'x'",
        "{|1|expected more, found the end of the text",
      })
  void malformedInput_failsNamingThePositionAndWhatWasExpected(
      String json, int position, String why) {
    assertThatThrownBy(() -> JsonReader.parse(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("malformed JSON at position " + position + ": " + why);
  }

  @Test
  void aRawControlCharacter_inAString_isRefusedAndShownEscaped() {
    assertThatThrownBy(() -> JsonReader.parse("\"a\nb\""))
        .hasMessage(
            "malformed JSON at position 2: raw control character in a string, found '\\u000a'");
  }

  @Test
  void nestingDeeperThanTheLimit_isRefusedBeforeTheStackRunsOut() {
    char[] deep = new char[100_000];
    Arrays.fill(deep, '[');
    String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);

    assertThatThrownBy(() -> JsonReader.parse(new String(deep)))
        .hasMessage("malformed JSON at position 64: nesting deeper than 64, found '['");
    assertThat(JsonReader.parse(ok)).isInstanceOf(List.class);
  }

  @Test
  void parseObject_refusesAnyOtherValue_namingWhatItWas() {
    assertThatThrownBy(() -> JsonReader.parseObject("[1]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected a JSON object, was an array");
    assertThatThrownBy(() -> JsonReader.parseObject("null"))
        .hasMessage("expected a JSON object, was null");
    assertThat(JsonReader.describe("s")).isEqualTo("a string");
    assertThat(JsonReader.describe(1L)).isEqualTo("a number");
    assertThat(JsonReader.describe(true)).isEqualTo("a boolean");
    assertThat(JsonReader.describe(Map.of())).isEqualTo("an object");
  }
}
