package io.dyno.registry.internal;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Levenshtein distance, for suggesting the names a mistyped name was probably meant to be. */
public final class EditDistance {

  private EditDistance() {}

  /**
   * Returns the fewest single-character insertions, deletions and substitutions that turn one
   * string into the other.
   *
   * @param a one string
   * @param b the other
   * @return the distance, {@code >= 0}
   */
  public static int between(String a, String b) {
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

  /**
   * Returns the candidates close to a name, closest first: within two edits, or a third of the
   * name's length if that is more, ignoring case.
   *
   * @param name the name looked for
   * @param candidates the names there are
   * @return the close names, closest first, then alphabetical
   */
  public static List<String> closest(String name, Collection<String> candidates) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    int limit = Math.max(2, name.length() / 3);
    return candidates.stream()
        .filter(c -> between(lower, c.toLowerCase(java.util.Locale.ROOT)) <= limit)
        .sorted(
            Comparator.comparingInt(
                    (String c) -> between(lower, c.toLowerCase(java.util.Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder()))
        .toList();
  }
}
