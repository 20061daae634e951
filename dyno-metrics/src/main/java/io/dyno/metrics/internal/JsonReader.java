package io.dyno.metrics.internal;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A strict JSON reader (RFC 8259), for the answers of other instances: objects become {@link
 * LinkedHashMap}s in document order, arrays {@link List}s, strings {@link String}s, numbers {@link
 * Long} when written as integers that fit and {@link Double} otherwise, {@code true} and {@code
 * false} {@link Boolean}s and {@code null} Java's null.
 *
 * <p>Anything else fails with an {@link IllegalArgumentException} that says what was expected and
 * at which character position (from 0): trailing text, a duplicate name in an object, a raw control
 * character in a string, a bad escape, a malformed number, or nesting deeper than {@value
 * #MAX_DEPTH} (so that a hostile answer cannot exhaust the stack).
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonReader {

  /** The deepest nesting of objects and arrays accepted. */
  public static final int MAX_DEPTH = 64;

  private final String s;
  private int i;
  private int depth;

  private JsonReader(String s) {
    this.s = s;
  }

  /**
   * Parses one JSON value, surrounded by optional white space.
   *
   * @param json the text
   * @return the value, null for JSON's {@code null}
   * @throws IllegalArgumentException if {@code json} is not one JSON value, naming the position
   */
  public static @Nullable Object parse(String json) {
    JsonReader r = new JsonReader(json);
    Object v = r.value();
    r.whitespace();
    if (r.i != json.length()) {
      throw r.fail("expected the end of the text");
    }
    return v;
  }

  /**
   * Parses one JSON object.
   *
   * @param json the text
   * @return the object's members, in document order
   * @throws IllegalArgumentException if {@code json} is not one JSON object, naming the position
   */
  @SuppressWarnings("unchecked") // an object is always read into a Map<String, Object>
  public static Map<String, @Nullable Object> parseObject(String json) {
    Object v = parse(json);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("expected a JSON object, was " + describe(v));
    }
    return (Map<String, @Nullable Object>) v;
  }

  /**
   * Names the JSON type of a value this reader made, for messages.
   *
   * @param v the value
   * @return {@code "an object"}, {@code "a string"}, ...
   */
  public static String describe(@Nullable Object v) {
    if (v == null) {
      return "null";
    } else if (v instanceof Map) {
      return "an object";
    } else if (v instanceof List) {
      return "an array";
    } else if (v instanceof String) {
      return "a string";
    } else if (v instanceof Boolean) {
      return "a boolean";
    }
    return "a number";
  }

  private @Nullable Object value() {
    whitespace();
    if (i >= s.length()) {
      throw fail("expected a value");
    }
    char c = s.charAt(i);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", true);
      case 'f' -> literal("false", false);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw fail("expected a value");
      }
    };
  }

  private @Nullable Object literal(String word, @Nullable Object value) {
    if (!s.startsWith(word, i)) {
      throw fail("expected '" + word + "'");
    }
    i += word.length();
    return value;
  }

  private Map<String, @Nullable Object> object() {
    enter();
    Map<String, @Nullable Object> members = new LinkedHashMap<>();
    i++;
    whitespace();
    if (peek() == '}') {
      i++;
    } else {
      do {
        if (peek() != '"') {
          throw fail("expected a member name in quotes");
        }
        int at = i;
        String name = string();
        if (members.containsKey(name)) {
          i = at;
          throw fail("duplicate member name '" + name + "'");
        }
        whitespace();
        expect(':');
        members.put(name, value());
      } while (next('}'));
    }
    depth--;
    return members;
  }

  private List<@Nullable Object> array() {
    enter();
    List<@Nullable Object> items = new ArrayList<>();
    i++;
    whitespace();
    if (peek() == ']') {
      i++;
    } else {
      do {
        items.add(value());
      } while (next(']'));
    }
    depth--;
    return items;
  }

  /**
   * Reads what follows a value in an object or array: true past a ',' and the white space after it,
   * false past {@code close}.
   */
  private boolean next(char close) {
    whitespace();
    char c = peek();
    if (c == close) {
      i++;
      return false;
    } else if (c != ',') {
      throw fail("expected ',' or '" + close + "'");
    }
    i++;
    whitespace();
    return true;
  }

  private void enter() {
    if (++depth > MAX_DEPTH) {
      throw fail("nesting deeper than " + MAX_DEPTH);
    }
  }

  private String string() {
    i++; // the opening quote
    StringBuilder out = null;
    int start = i;
    while (true) {
      if (i >= s.length()) {
        throw fail("unterminated string");
      }
      char c = s.charAt(i);
      if (c == '"') {
        String text = out == null ? s.substring(start, i) : out.append(s, start, i).toString();
        i++;
        return text;
      } else if (c < 0x20) {
        throw fail("raw control character in a string");
      } else if (c == '\\') {
        if (out == null) {
          out = new StringBuilder();
        }
        out.append(s, start, i);
        i++;
        out.append(escape());
        start = i;
      } else {
        i++;
      }
    }
  }

  /** Reads the escape after a backslash, leaving {@link #i} past it. */
  private char escape() {
    if (i >= s.length()) {
      throw fail("unterminated string");
    }
    char e = s.charAt(i++);
    return switch (e) {
      case '"', '\\', '/' -> e;
      case 'b' -> '\b';
      case 'f' -> '\f';
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'u' -> unicode();
      default -> {
        i--;
        throw fail("bad escape '\\" + e + "'");
      }
    };
  }

  /** Reads the 4 hex digits of a unicode escape. */
  private char unicode() {
    int code = 0;
    for (int k = 0; k < 4; k++) {
      if (i >= s.length() || !HexFormat.isHexDigit(s.charAt(i))) {
        throw fail("expected 4 hex digits after \\u");
      }
      code = code * 16 + HexFormat.fromHexDigit(s.charAt(i));
      i++;
    }
    return (char) code;
  }

  private Object number() {
    int start = i;
    if (s.charAt(i) == '-') {
      i++;
    }
    if (i < s.length() && s.charAt(i) == '0') {
      i++;
    } else if (!digits()) {
      throw fail("expected a digit");
    }
    int integerEnd = i;
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      if (!digits()) {
        throw fail("expected a digit after '.'");
      }
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      if (!digits()) {
        throw fail("expected a digit in the exponent");
      }
    }
    if (i == integerEnd) { // neither a fraction nor an exponent: the integer part alone
      try {
        return Long.parseLong(s, start, integerEnd, 10);
      } catch (NumberFormatException tooLarge) {
        // Past a long: read as a double, as JavaScript would.
      }
    }
    return Double.parseDouble(s.substring(start, i));
  }

  /** Reads one or more digits; false when there is none. */
  private boolean digits() {
    int start = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i > start;
  }

  private char peek() {
    if (i >= s.length()) {
      throw fail("expected more");
    }
    return s.charAt(i);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw fail("expected '" + c + "'");
    }
    i++;
  }

  private void whitespace() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      i++;
    }
  }

  private IllegalArgumentException fail(String why) {
    String found =
        i >= s.length()
            ? "the end of the text"
            : "'"
                + (Character.isISOControl(s.charAt(i)) ? "\\u" + hex(s.charAt(i)) : s.charAt(i))
                + "'";
    return new IllegalArgumentException(
        "malformed JSON at position " + i + ": " + why + ", found " + found);
  }

  private static String hex(char c) {
    return String.format("%04x", (int) c);
  }
}
