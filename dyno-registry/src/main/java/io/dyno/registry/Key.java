package io.dyno.registry;

import io.dyno.registry.internal.Names;
import java.lang.invoke.MethodType;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A typed name under which a {@link Registry} holds a value: {@code Key.of("db",
 * DataSource.class)}. Two keys are equal when their names and types are.
 *
 * <p>A primitive type is boxed: {@code Key.of("size", int.class)} is {@code Key.of("size",
 * Integer.class)}. Immutable and thread-safe.
 *
 * @param <T> the type of the value
 */
public final class Key<T> {

  private final String name;
  private final Class<T> type;

  private Key(String name, Class<T> type) {
    this.name = name;
    this.type = type;
  }

  /**
   * Returns the key with this name and type.
   *
   * @param name the name, not blank
   * @param type the type of the value; a primitive type is boxed
   * @param <T> the type of the value
   * @return the key
   * @throws IllegalArgumentException if the name is blank, or the type is {@code void}
   */
  @SuppressWarnings("unchecked") // wrap() of Class<T> is the boxed form of the same type
  public static <T> Key<T> of(String name, Class<T> type) {
    Names.require(name, "name");
    Objects.requireNonNull(type, "type must not be null");
    if (type == void.class || type == Void.class) {
      throw new IllegalArgumentException("type must not be void, for key '" + name + "'");
    }
    Class<T> boxed = (Class<T>) MethodType.methodType(type).wrap().returnType();
    return new Key<>(name, boxed);
  }

  /**
   * Returns the name of this key.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns the type of the value under this key, never primitive.
   *
   * @return the type
   */
  public Class<T> type() {
    return type;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Key<?> other && name.equals(other.name) && type.equals(other.type);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + type.hashCode();
  }

  /** Returns the name and type, as in {@code 'db' (DataSource)}. */
  @Override
  public String toString() {
    return "'" + name + "' (" + type.getSimpleName() + ")";
  }
}
