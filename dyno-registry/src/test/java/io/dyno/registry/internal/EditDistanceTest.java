package io.dyno.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class EditDistanceTest {

  @Test
  void between_countsInsertionsDeletionsAndSubstitutions() {
    assertThat(EditDistance.between("", "")).isZero();
    assertThat(EditDistance.between("db", "")).isEqualTo(2);
    assertThat(EditDistance.between("kitten", "sitting")).isEqualTo(3);
    assertThat(EditDistance.between("db.url", "db.ulr")).isEqualTo(2);
  }

  @Test
  void closest_ordersByDistanceThenName_ignoringCase() {
    List<String> names = List.of("dbs", "DB", "cache", "da", "database.url");

    assertThat(EditDistance.closest("db", names)).containsExactly("DB", "da", "dbs");
  }

  @Test
  void closest_putsTheNearerNameFirst_evenWhenItSortsLater() {
    // "bat" and "cats" are one edit from "cat", "act" two; by name alone "act" would come first.
    assertThat(EditDistance.closest("cat", List.of("act", "cats", "bat", "dog")))
        .containsExactly("bat", "cats", "act");
  }

  @Property
  void between_isSymmetricAndBoundedByTheLongerLength(
      @ForAll @StringLength(max = 12) String a, @ForAll @StringLength(max = 12) String b) {
    int d = EditDistance.between(a, b);

    assertThat(d).isEqualTo(EditDistance.between(b, a));
    assertThat(d).isBetween(Math.abs(a.length() - b.length()), Math.max(a.length(), b.length()));
    assertThat(d == 0).isEqualTo(a.equals(b));
  }

  @Property
  void between_obeysTheTriangleInequality(
      @ForAll @StringLength(max = 8) String a,
      @ForAll @StringLength(max = 8) String b,
      @ForAll @StringLength(max = 8) String c) {
    assertThat(EditDistance.between(a, c))
        .isLessThanOrEqualTo(EditDistance.between(a, b) + EditDistance.between(b, c));
  }
}
