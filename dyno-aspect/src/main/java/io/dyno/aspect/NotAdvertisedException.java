package io.dyno.aspect;

import io.dyno.aspect.internal.Names;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Thrown by {@link Aspects#aspect(String)} when no aspect is advertised under a name: its message
 * names the name, the advertised names, and those close to it.
 *
 * <pre>
 * no aspect 'lenght' is advertised, only [length, render]; did you mean 'length'?
 * </pre>
 *
 * <p>A {@link NoSuchElementException}, as the board threw before it had a type of its own, so code
 * that catches that still does. Immutable.
 */
public final class NotAdvertisedException extends NoSuchElementException {

  private static final long serialVersionUID = 1L;

  /** The name asked for. */
  private final String name;

  /** Every name advertised on the board, sorted. */
  @SuppressWarnings("serial") // an immutable List.copyOf
  private final List<String> names;

  /** Advertised names close to the one asked for, closest first. */
  @SuppressWarnings("serial") // an immutable List.copyOf
  private final List<String> suggestions;

  NotAdvertisedException(String name, List<String> names, List<String> suggestions) {
    super(message(name, names, suggestions));
    this.name = name;
    this.names = List.copyOf(names);
    this.suggestions = List.copyOf(suggestions);
  }

  private static String message(String name, List<String> names, List<String> suggestions) {
    String nothing = "no aspect '" + name + "' is advertised";
    if (names.isEmpty()) {
      return nothing + ": the board is empty";
    }
    return nothing + ", only " + names + Names.didYouMean(suggestions);
  }

  /**
   * Returns the name that was asked for.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns every name advertised on the board when it was asked, sorted.
   *
   * @return the advertised names
   */
  public List<String> names() {
    return names;
  }

  /**
   * Returns the advertised names close to the one asked for, closest first.
   *
   * @return the suggestions, possibly empty
   */
  public List<String> suggestions() {
    return suggestions;
  }
}
