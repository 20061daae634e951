package io.dyno.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link JsonWriter} at its edges: objects side by side, the escaping bounds, huge numbers. */
class JsonWriterEdgeTest {

  private static String quoted(String s) {
    StringBuilder sb = new StringBuilder();
    JsonWriter.quote(sb, s);
    return sb.toString();
  }

  @Test
  void objectsSideBySideInAnArray_areSeparatedByOneComma() {
    String json =
        new JsonWriter()
            .beginArray()
            .beginObject()
            .endObject()
            .beginObject()
            .name("a")
            .value(1)
            .endObject()
            .beginObject()
            .endObject()
            .endArray()
            .toString();

    assertThat(json).isEqualTo("[{},{\"a\":1},{}]");
    assertThat(MiniJson.parse(json)).isNotNull();
  }

  @Test
  void nullsBetweenOtherElements_areSeparatedByOneComma() {
    String json =
        new JsonWriter()
            .beginArray()
            .value(1)
            .nullValue()
            .nullValue()
            .value(true)
            .endArray()
            .toString();

    assertThat(json).isEqualTo("[1,null,null,true]");
  }

  @Test
  void quote_escapesTheLastControlCharacter_andKeepsTheSpaceAfterIt() {
    assertThat(quoted("\u001f !")).isEqualTo("\"\\u001f !\"");
    assertThat(quoted("\u0000")).isEqualTo("\"\\u0000\"");
  }

  @Test
  void quote_writesEveryHexDigitOfAnEscapedCharacter() {
    assertThat(quoted("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
    assertThat(quoted("<&>")).isEqualTo("\"\\u003c\\u0026\\u003e\"");
    assertThat(quoted("\u001b")).isEqualTo("\"\\u001b\"");
  }

  @Test
  void value_ofAWholeDouble_isPlainBelowATrillionThousand_andScientificFromThere() {
    assertThat(new JsonWriter().value(999_999_999_999_999.0).toString())
        .isEqualTo("999999999999999");
    assertThat(new JsonWriter().value(1e15).toString()).isEqualTo("1.0E15");
    assertThat(new JsonWriter().value(-1e15).toString()).isEqualTo("-1.0E15");
    assertThat(new JsonWriter().value(-999_999_999_999_999.0).toString())
        .isEqualTo("-999999999999999");
  }
}
