package io.dyno.metrics.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict little JSON parser for tests: objects become {@link LinkedHashMap}s, arrays {@link
 * List}s, numbers {@link Double}s (or, read {@linkplain #exact exactly}, {@link Long}s when written
 * as integers). Anything RFC 8259 does not allow fails.
 */
public final class MiniJson {

  private final String s;
  private final boolean exactNumbers;
  private int i;

  private MiniJson(String s, boolean exactNumbers) {
    this.s = s;
    this.exactNumbers = exactNumbers;
  }

  public static Object parse(String json) {
    return parse(json, false);
  }

  private static Object parse(String json, boolean exactNumbers) {
    MiniJson p = new MiniJson(json, exactNumbers);
    Object v = p.value();
    p.ws();
    if (p.i != json.length()) {
      throw p.fail("trailing text");
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(String json) {
    return (Map<String, Object>) parse(json);
  }

  /**
   * Parses a JSON object keeping how its numbers are written: a number without a fraction or an
   * exponent becomes a {@link Long}, any other a {@link Double}.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> exact(String json) {
    return (Map<String, Object>) parse(json, true);
  }

  private Object value() {
    ws();
    if (i >= s.length()) {
      throw fail("unexpected end");
    }
    char c = s.charAt(i);
    if (c == '{') {
      return obj();
    } else if (c == '[') {
      return arr();
    } else if (c == '"') {
      return str();
    } else if (s.startsWith("true", i)) {
      i += 4;
      return true;
    } else if (s.startsWith("false", i)) {
      i += 5;
      return false;
    } else if (s.startsWith("null", i)) {
      i += 4;
      return "null";
    }
    return num();
  }

  private Map<String, Object> obj() {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    ws();
    if (peek() == '}') {
      i++;
      return m;
    }
    while (true) {
      ws();
      String key = str();
      ws();
      expect(':');
      if (m.put(key, value()) != null) {
        throw fail("duplicate key " + key);
      }
      ws();
      if (peek() == ',') {
        i++;
      } else {
        expect('}');
        return m;
      }
    }
  }

  private List<Object> arr() {
    List<Object> list = new ArrayList<>();
    i++;
    ws();
    if (peek() == ']') {
      i++;
      return list;
    }
    while (true) {
      list.add(value());
      ws();
      if (peek() == ',') {
        i++;
      } else {
        expect(']');
        return list;
      }
    }
  }

  private String str() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return sb.toString();
      } else if (c < 0x20) {
        throw fail("raw control character");
      } else if (c == '\\') {
        char e = s.charAt(i++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> throw fail("bad escape \\" + e);
        }
      } else {
        sb.append(c);
      }
    }
  }

  private Number num() {
    int start = i;
    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    String text = s.substring(start, i);
    if (!text.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
      throw fail("bad number '" + text + "'");
    }
    if (exactNumbers && text.matches("-?[0-9]+")) {
      return Long.valueOf(text);
    }
    return Double.valueOf(text);
  }

  private char peek() {
    if (i >= s.length()) {
      throw fail("unexpected end");
    }
    return s.charAt(i);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw fail("expected '" + c + "'");
    }
    i++;
  }

  private void ws() {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
  }

  private IllegalArgumentException fail(String why) {
    return new IllegalArgumentException(why + " at " + i + " in " + s);
  }
}
