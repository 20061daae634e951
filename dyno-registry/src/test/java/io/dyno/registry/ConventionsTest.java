package io.dyno.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The conventions every dyno module follows (DESIGN.md §2), as they apply to the registry: the
 * shape of {@code toString()}, a duplicate name refused as an illegal argument, a missing name
 * answered with the close ones, and blank names refused alike. The registry reads no time and runs
 * no work that can be interrupted, so those conventions have nothing to check here.
 */
class ConventionsTest {

  private static final Key<String> URL = Key.of("db.url", String.class);

  private final Registry reg = Registry.create("app");

  @Test
  void toString_namesTheTypeThenTheNameThenItsState() {
    reg.register(URL, "jdbc:h2:mem:");

    assertThat(reg).hasToString("Registry[name=app, keys=1]");
    assertThat(reg.child("tenant")).hasToString("Registry[name=tenant, keys=0]");
  }

  @Test
  void aDuplicateName_isIllegalArgument_whetherAnInstanceOrAProvider() {
    reg.register(URL, "a");
    Key<String> sameName = Key.of("db.url", String.class);

    assertThatThrownBy(() -> reg.register(sameName, "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Registry 'app' (1 keys) already holds 'db.url' (String); use replace to change it");
    assertThatThrownBy(() -> reg.registerProvider(sameName, () -> "c"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(reg.get(URL)).isEqualTo("a");
  }

  @Test
  void aMissingName_isNotRegistered_namingTheCloseOnes_whereverItIsLookedUp() {
    reg.register(URL, "a");
    Key<String> typo = Key.of("db.ulr", String.class);
    Supplier<String> late = reg.handle(typo);
    List<ThrowingCallable> lookups =
        List.of(() -> reg.get(typo), late::get, () -> reg.tag(typo, "primary"));

    for (ThrowingCallable lookup : lookups) {
      assertThatThrownBy(lookup)
          .isInstanceOfSatisfying(
              NotRegisteredException.class,
              e -> assertThat(e.suggestions()).containsExactly("db.url"))
          .hasMessage(
              "Registry 'app' has nothing registered under 'db.ulr' (String); did you mean"
                  + " 'db.url'? Registered: [db.url]");
    }
  }

  @Test
  void aBlankName_isRefusedWithTheSharedMessage_byEveryFactory() {
    List<ThrowingCallable> blank =
        List.of(
            () -> Registry.create(" "),
            () -> reg.child(" "),
            () -> Key.of(" ", String.class),
            () -> reg.tag(URL, " "));
    List<String> parameters = List.of("name", "childName", "name", "tag");

    for (int i = 0; i < blank.size(); i++) {
      assertThatThrownBy(blank.get(i))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(parameters.get(i) + " must not be blank, was ' '");
    }
    assertThatThrownBy(() -> Registry.create(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
  }
}
