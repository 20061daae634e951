package io.dyno.aspect;

import io.dyno.aspect.internal.Names;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * A board of named aspects: code that owns a function advertises it here, and setup code elsewhere
 * finds it by name and installs filters on it without ever seeing the function.
 *
 * <pre>{@code
 * Aspects board = Aspects.create();
 * Function<String, Integer> length = board.advertise("length", String::length);
 * // elsewhere
 * Aspect<String, Integer> aspect = board.aspect("length");
 * aspect.before(String::strip);
 * }</pre>
 *
 * <p>Names are unique on a board. Thread-safe.
 */
public final class Aspects {

  private final ConcurrentMap<String, Aspect<?, ?>> aspects = new ConcurrentHashMap<>();

  private Aspects() {}

  /**
   * Returns an empty board.
   *
   * @return the board
   */
  public static Aspects create() {
    return new Aspects();
  }

  /**
   * Wraps {@code function} in a new aspect with no filters and puts it on the board under {@code
   * name}.
   *
   * @param name the aspect's name, not blank and not yet on this board
   * @param function the function
   * @param <A> the argument type
   * @param <R> the result type
   * @return the aspect, to call instead of the function
   * @throws IllegalArgumentException if {@code name} is blank or already advertised
   */
  public <A, R> Aspect<A, R> advertise(String name, Function<A, R> function) {
    Aspect<A, R> aspect = Aspect.of(name, function);
    if (aspects.putIfAbsent(name, aspect) != null) {
      throw new IllegalArgumentException("aspect '" + name + "' is already advertised");
    }
    return aspect;
  }

  /**
   * Returns the aspect advertised under {@code name}. The caller states its types; they are not
   * checked, so wrong ones fail with a {@link ClassCastException} when the aspect is used.
   *
   * @param name the name
   * @param <A> the argument type
   * @param <R> the result type
   * @return the aspect
   * @throws NotAdvertisedException if no aspect is advertised under {@code name}; the message lists
   *     the names that are, and those close to {@code name}
   */
  public <A, R> Aspect<A, R> aspect(String name) {
    Optional<Aspect<A, R>> found = find(name);
    if (found.isPresent()) {
      return found.get();
    }
    List<String> names = List.copyOf(names());
    throw new NotAdvertisedException(name, names, Names.closest(name, names));
  }

  /**
   * Returns the aspect advertised under {@code name}, if any. The caller states its types, as for
   * {@link #aspect(String)}.
   *
   * @param name the name
   * @param <A> the argument type
   * @param <R> the result type
   * @return the aspect, or empty
   */
  @SuppressWarnings("unchecked") // the types are the caller's statement, as documented
  public <A, R> Optional<Aspect<A, R>> find(String name) {
    Objects.requireNonNull(name, "name must not be null");
    return Optional.ofNullable((Aspect<A, R>) aspects.get(name));
  }

  /**
   * Returns the names advertised so far, sorted.
   *
   * @return a sorted copy of the names
   */
  public Set<String> names() {
    return new TreeSet<>(aspects.keySet());
  }

  /**
   * Returns {@code Aspects[names=[length, render]]}: the advertised names, sorted.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "Aspects[names=" + names() + "]";
  }
}
