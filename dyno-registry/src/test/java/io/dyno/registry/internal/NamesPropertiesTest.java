package io.dyno.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * The laws of the shared {@link Names} that the registry's suggestions rely on, beyond the examples
 * of {@code SharedConventionsTest}.
 */
class NamesPropertiesTest {

  @Test
  void distance_countsInsertionsDeletionsAndSubstitutions() {
    assertThat(Names.distance("", "")).isZero();
    assertThat(Names.distance("db", "")).isEqualTo(2);
    assertThat(Names.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Names.distance("db.url", "db.ulr")).isEqualTo(2);
  }

  @Test
  void closest_ordersByDistanceThenName_ignoringCase() {
    List<String> names = List.of("dbs", "DB", "cache", "da", "database.url");

    assertThat(Names.closest("db", names)).containsExactly("DB", "da", "dbs");
  }

  @Test
  void closest_putsTheNearerNameFirst_evenWhenItSortsLater() {
    // "bat" and "cats" are one edit from "cat", "act" two; by name alone "act" would come first.
    assertThat(Names.closest("cat", List.of("act", "cats", "bat", "dog")))
        .containsExactly("bat", "cats", "act");
  }

  @Property
  void distance_isSymmetricAndBoundedByTheLongerLength(
      @ForAll @StringLength(max = 12) String a, @ForAll @StringLength(max = 12) String b) {
    int d = Names.distance(a, b);

    assertThat(d).isEqualTo(Names.distance(b, a));
    assertThat(d).isBetween(Math.abs(a.length() - b.length()), Math.max(a.length(), b.length()));
    assertThat(d == 0).isEqualTo(a.equals(b));
  }

  @Property
  void distance_obeysTheTriangleInequality(
      @ForAll @StringLength(max = 8) String a,
      @ForAll @StringLength(max = 8) String b,
      @ForAll @StringLength(max = 8) String c) {
    assertThat(Names.distance(a, c))
        .isLessThanOrEqualTo(Names.distance(a, b) + Names.distance(b, c));
  }
}
