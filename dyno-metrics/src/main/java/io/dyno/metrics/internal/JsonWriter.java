package io.dyno.metrics.internal;

/**
 * A minimal streaming JSON writer into a {@link StringBuilder}: objects, arrays, strings, integers,
 * finite doubles and booleans, with the commas placed for the caller.
 *
 * <p>Not thread-safe: one writer builds one document on one thread.
 */
public final class JsonWriter {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out = new StringBuilder(256);

  /** Whether the next value or name at the current depth needs a comma before it. */
  private boolean needsComma;

  /** Creates an empty writer. */
  public JsonWriter() {}

  /**
   * Opens an object.
   *
   * @return this writer
   */
  public JsonWriter beginObject() {
    separate();
    out.append('{');
    needsComma = false;
    return this;
  }

  /**
   * Closes the innermost object.
   *
   * @return this writer
   */
  public JsonWriter endObject() {
    out.append('}');
    needsComma = true;
    return this;
  }

  /**
   * Opens an array.
   *
   * @return this writer
   */
  public JsonWriter beginArray() {
    separate();
    out.append('[');
    needsComma = false;
    return this;
  }

  /**
   * Closes the innermost array.
   *
   * @return this writer
   */
  public JsonWriter endArray() {
    out.append(']');
    needsComma = true;
    return this;
  }

  /**
   * Writes an object member's name; its value must follow.
   *
   * @param name the name
   * @return this writer
   */
  public JsonWriter name(String name) {
    separate();
    quote(out, name);
    out.append(':');
    needsComma = false;
    return this;
  }

  /**
   * Writes a string value.
   *
   * @param value the value
   * @return this writer
   */
  public JsonWriter value(String value) {
    separate();
    quote(out, value);
    needsComma = true;
    return this;
  }

  /**
   * Writes an integer value.
   *
   * @param value the value
   * @return this writer
   */
  public JsonWriter value(long value) {
    separate();
    out.append(value);
    needsComma = true;
    return this;
  }

  /**
   * Writes a number; JSON has no NaN or infinity, so those are written as 0.
   *
   * @param value the value
   * @return this writer
   */
  public JsonWriter value(double value) {
    separate();
    if (!Double.isFinite(value)) {
      out.append('0');
    } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      out.append((long) value);
    } else {
      out.append(value);
    }
    needsComma = true;
    return this;
  }

  /**
   * Writes {@code null}.
   *
   * @return this writer
   */
  public JsonWriter nullValue() {
    separate();
    out.append("null");
    needsComma = true;
    return this;
  }

  /**
   * Writes a boolean value.
   *
   * @param value the value
   * @return this writer
   */
  public JsonWriter value(boolean value) {
    separate();
    out.append(value);
    needsComma = true;
    return this;
  }

  /**
   * Returns the document written so far.
   *
   * @return the JSON text
   */
  @Override
  public String toString() {
    return out.toString();
  }

  /**
   * Appends {@code s} to {@code out} as a quoted JSON string. Control characters, quotes and
   * backslashes are escaped as JSON requires; U+2028 and U+2029 are escaped too, since JavaScript
   * before ES2019 reads them as line ends, and {@code <}, {@code >} and {@code &} so a string is
   * safe inside an HTML page.
   *
   * @param out where to write
   * @param s the string
   */
  public static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == '<' || c == '>' || c == '&') {
            out.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private void separate() {
    if (needsComma) {
      out.append(',');
    }
  }
}
