package io.dyno.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyTest {

  @Test
  void of_keepsNameAndType() {
    Key<String> key = Key.of("db.url", String.class);

    assertThat(key.name()).isEqualTo("db.url");
    assertThat(key.type()).isEqualTo(String.class);
    assertThat(key).hasToString("'db.url' (String)");
  }

  @Test
  void of_boxesPrimitiveTypes() {
    assertThat(Key.of("size", int.class)).isEqualTo(Key.of("size", Integer.class));
    assertThat(Key.of("size", int.class).type()).isEqualTo(Integer.class);
  }

  @Test
  void equals_needsTheSameNameAndType() {
    Key<String> key = Key.of("a", String.class);

    assertThat(key)
        .isEqualTo(Key.of("a", String.class))
        .hasSameHashCodeAs(Key.of("a", String.class));
    assertThat(key).isNotEqualTo(Key.of("b", String.class));
    assertThat(key).isNotEqualTo(Key.of("a", Integer.class));
    assertThat(key).isNotEqualTo("a");
  }

  @Test
  void hashCode_differsForKeysThatDiffer() {
    Set<Integer> hashes = new HashSet<>();
    for (char c = 'a'; c <= 'z'; c++) {
      hashes.add(Key.of(String.valueOf(c), String.class).hashCode());
    }
    hashes.add(Key.of("a", Integer.class).hashCode());

    assertThat(hashes).hasSize(27);
  }

  @Test
  void of_refusesBlankNamesVoidAndNulls() {
    assertThatThrownBy(() -> Key.of(" ", String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Key.of("v", void.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'v'");
    assertThatThrownBy(() -> Key.of("v", Void.class)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Key.of(nullString(), String.class))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> Key.of("a", nullClass()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type must not be null");
  }

  @SuppressWarnings("NullAway") // deliberately passing null to test the check
  static String nullString() {
    return null;
  }

  @SuppressWarnings("NullAway")
  static Class<String> nullClass() {
    return null;
  }
}
