package io.dyno.registry.internal;

import io.dyno.registry.Key;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Parses the lines of a registry file ({@code name = type:value}) into bindings, building every
 * value before returning, so that a caller can swap them in all at once or not at all.
 */
public final class Loader {

  private Loader() {}

  /** A line of a registry file that cannot be loaded. */
  public static final class LoadError extends Exception {

    private static final long serialVersionUID = 1L;

    /** The line number, from 1. */
    private final int line;

    /** The key on the line, or null if the line has none. */
    private final @Nullable String key;

    LoadError(int line, @Nullable String key, String message, @Nullable Throwable cause) {
      super(message, cause);
      this.line = line;
      this.key = key;
    }

    /**
     * Returns the line number, from 1.
     *
     * @return the line
     */
    public int line() {
      return line;
    }

    /**
     * Returns the key on the line, or null if the line has none.
     *
     * @return the key
     */
    public @Nullable String key() {
      return key;
    }
  }

  /**
   * Parses the lines of a file, in order, into bindings by name.
   *
   * @param lines the file's lines
   * @param loader the class loader for {@code class:} values
   * @return the bindings, in the file's order
   * @throws LoadError at the first line that cannot be loaded
   */
  public static Map<String, Binding> parse(List<String> lines, ClassLoader loader)
      throws LoadError {
    Map<String, Binding> bindings = new LinkedHashMap<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      int number = i + 1;
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new LoadError(number, null, "expected 'name = type:value'", null);
      }
      String name = line.substring(0, eq).strip();
      if (name.isEmpty()) {
        throw new LoadError(number, null, "the name before '=' is blank", null);
      }
      Integer earlier = seen.putIfAbsent(name, number);
      if (earlier != null) {
        throw new LoadError(number, name, "duplicate key, first on line " + earlier, null);
      }
      String spec = line.substring(eq + 1).strip();
      int colon = spec.indexOf(':');
      if (colon < 0) {
        throw new LoadError(
            number,
            name,
            "expected 'type:value', e.g. 'string:" + spec + "', was '" + spec + "'",
            null);
      }
      String type = spec.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String text = spec.substring(colon + 1).strip();
      bindings.put(name, binding(number, name, type, text, loader));
    }
    return bindings;
  }

  private static Binding binding(
      int number, String name, String type, String text, ClassLoader loader) throws LoadError {
    try {
      return switch (type) {
        case "string" -> bind(name, String.class, text);
        case "int" -> bind(name, Integer.class, Integer.valueOf(text));
        case "long" -> bind(name, Long.class, Long.valueOf(text));
        case "double" -> bind(name, Double.class, Double.valueOf(text));
        case "boolean" -> bind(name, Boolean.class, parseBoolean(text));
        case "duration" -> bind(name, Duration.class, Duration.parse(text));
        case "class" -> instantiate(number, name, text, loader);
        default ->
            throw new LoadError(
                number,
                name,
                "unknown type '"
                    + type
                    + "'; expected string, int, long, double, boolean, duration or class",
                null);
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new LoadError(
          number, name, "'" + text + "' is not a valid " + type + " (" + e.getMessage() + ")", e);
    }
  }

  private static Boolean parseBoolean(String text) {
    if (text.equals("true") || text.equals("false")) {
      return Boolean.valueOf(text);
    }
    throw new NumberFormatException("expected true or false");
  }

  private static <T> Binding bind(String name, Class<T> type, T value) {
    return new Binding(Key.of(name, type), value, null, Set.of());
  }

  private static Binding instantiate(int number, String name, String text, ClassLoader loader)
      throws LoadError {
    int hash = text.indexOf('#');
    String className = hash < 0 ? text : text.substring(0, hash);
    try {
      Class<?> type = Class.forName(className, true, loader);
      Object value;
      Class<?> valueType;
      if (hash < 0) {
        value = type.getConstructor().newInstance();
        valueType = type;
      } else {
        Method factory = type.getMethod(text.substring(hash + 1));
        if (!Modifier.isStatic(factory.getModifiers()) || factory.getReturnType() == void.class) {
          throw new LoadError(
              number, name, "'" + text + "' is not a static factory returning a value", null);
        }
        value = factory.invoke(null);
        valueType = factory.getReturnType();
      }
      if (value == null) {
        throw new LoadError(number, name, "'" + text + "' returned null", null);
      }
      return new Binding(Key.of(name, valueType), value, null, Set.of());
    } catch (ClassNotFoundException e) {
      throw new LoadError(number, name, "class '" + className + "' not found", e);
    } catch (NoSuchMethodException e) {
      throw new LoadError(
          number,
          name,
          "'"
              + text
              + "' has no public "
              + (hash < 0 ? "no-arg constructor" : "static no-arg factory method"),
          e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new LoadError(number, name, "'" + text + "' threw " + cause, cause);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new LoadError(number, name, "cannot create '" + text + "': " + e, e);
    }
  }
}
