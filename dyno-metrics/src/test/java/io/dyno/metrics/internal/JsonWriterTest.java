package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** {@link JsonWriter}: escaping, numbers and the placing of commas. */
class JsonWriterTest {

  private static String quoted(String s) {
    StringBuilder sb = new StringBuilder();
    JsonWriter.quote(sb, s);
    return sb.toString();
  }

  @Test
  void quote_escapesQuotesBackslashesAndControlCharacters() {
    assertThat(quoted("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(quoted("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
    assertThat(quoted("\u0000\u001f")).isEqualTo("\"\\u0000\\u001f\"");
  }

  @Test
  void quote_escapesLineSeparatorsAndHtmlCharacters_andKeepsOtherUnicode() {
    assertThat(quoted("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
    assertThat(quoted("</script>&")).isEqualTo("\"\\u003c/script\\u003e\\u0026\"");
    assertThat(quoted("zahlungen-ü-支付-😀")).isEqualTo("\"zahlungen-ü-支付-😀\"");
  }

  @Property
  void quote_roundTripsEveryString(@ForAll String s) {
    assertThat(MiniJson.parse(quoted(s))).isEqualTo(s);
  }

  @Test
  void numbers_areWholeWhenWhole_andNonFiniteBecomesZero() {
    String json =
        new JsonWriter()
            .beginArray()
            .value(3.0)
            .value(0.125)
            .value(-7L)
            .value(Double.NaN)
            .value(Double.POSITIVE_INFINITY)
            .value(1e20)
            .value(true)
            .value(false)
            .endArray()
            .toString();

    assertThat(json).isEqualTo("[3,0.125,-7,0,0,1.0E20,true,false]");
    assertThat(MiniJson.parse(json))
        .isEqualTo(List.of(3.0, 0.125, -7.0, 0.0, 0.0, 1e20, true, false));
  }

  @Test
  void nesting_placesCommasBetweenMembersAndElementsOnly() {
    String json =
        new JsonWriter()
            .beginObject()
            .name("a")
            .beginArray()
            .beginObject()
            .endObject()
            .beginArray()
            .endArray()
            .value("x")
            .endArray()
            .name("b")
            .beginObject()
            .name("c")
            .value(1L)
            .endObject()
            .name("d")
            .value("")
            .endObject()
            .toString();

    assertThat(json).isEqualTo("{\"a\":[{},[],\"x\"],\"b\":{\"c\":1},\"d\":\"\"}");
    assertThat(MiniJson.object(json)).containsEntry("b", Map.of("c", 1.0));
  }
}
