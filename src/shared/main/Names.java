package io.dyno.${dyno.module}.internal;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Names of dyno's instances, checked and suggested alike in every module: a blank name is refused
 * with the same message everywhere, and a name not found is answered with the names close to it.
 *
 * <p>One source, {@code src/shared/main/Names.java}, is compiled into each module's internal
 * package, so that the modules agree without depending on one another. Not API.
 */
public final class Names {

  private Names() {}

  /**
   * Returns {@code value} if it is a usable name.
   *
   * @param value the name given
   * @param parameter the parameter's name, for the message
   * @return {@code value}
   * @throws NullPointerException naming {@code parameter} if {@code value} is null
   * @throws IllegalArgumentException if {@code value} is empty or only white space, as {@code name
   *     must not be blank, was ' '}
   */
  public static String require(String value, String parameter) {
    Objects.requireNonNull(value, parameter + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(parameter + " must not be blank, was '" + value + "'");
    }
    return value;
  }

  /**
   * Returns the candidates close to a name, closest first, then alphabetically: within two edits,
   * or a third of the name's length if that is more, ignoring case.
   *
   * @param name the name looked for
   * @param candidates the names there are
   * @return the close names, closest first
   */
  public static List<String> closest(String name, Collection<String> candidates) {
    String lower = name.toLowerCase(Locale.ROOT);
    int limit = Math.max(2, name.length() / 3);
    return candidates.stream()
        .filter(c -> distance(lower, c.toLowerCase(Locale.ROOT)) <= limit)
        .sorted(
            Comparator.comparingInt((String c) -> distance(lower, c.toLowerCase(Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder()))
        .toList();
  }

  /**
   * Returns the end of a not-found message: {@code ; did you mean 'db', 'dbs'?}, or nothing when
   * there is no close name.
   *
   * @param closest names as {@link #closest} returns them
   * @return the suggestion, or {@code ""}
   */
  public static String didYouMean(List<String> closest) {
    return closest.isEmpty() ? "" : "; did you mean '" + String.join("', '", closest) + "'?";
  }

  /**
   * Returns the Levenshtein distance: the fewest single-character insertions, deletions and
   * substitutions that turn one string into the other.
   *
   * @param a one string
   * @param b the other
   * @return the distance, {@code >= 0}
   */
  public static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
