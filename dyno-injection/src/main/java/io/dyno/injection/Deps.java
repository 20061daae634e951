package io.dyno.injection;

import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The dependencies constructed for one call, handed to the body of a function made by an {@link
 * Injector}. It is valid during that call only and is safe to read from any thread.
 */
public final class Deps {

  private final IdentityHashMap<Dependency<?>, Object> values;

  Deps(IdentityHashMap<Dependency<?>, Object> values) {
    this.values = values;
  }

  /**
   * Returns the value of a declared dependency.
   *
   * @param dependency one of the dependencies the function declared, the same instance
   * @param <T> the type of the value
   * @return the value constructed for this call, or its fallback or override
   * @throws IllegalArgumentException if the function did not declare {@code dependency}
   */
  @SuppressWarnings("unchecked") // the map holds a T for each Dependency<T>
  public <T> T get(Dependency<T> dependency) {
    Objects.requireNonNull(dependency, "dependency must not be null");
    Object value = values.get(dependency);
    if (value == null) {
      throw new IllegalArgumentException(
          "Dependency '"
              + dependency.name()
              + "' (declared at "
              + dependency.declaredAt()
              + ") was not declared by this function; declared: "
              + names());
    }
    return (T) value;
  }

  private String names() {
    return values.keySet().stream()
        .map(d -> "'" + d.name() + "'")
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * Returns the names of the declared dependencies.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "Deps" + names();
  }
}
