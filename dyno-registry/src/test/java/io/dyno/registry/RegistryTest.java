package io.dyno.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RegistryTest {

  private static final Key<String> URL = Key.of("db.url", String.class);
  private static final Key<Integer> SIZE = Key.of("pool.size", Integer.class);

  private final Registry reg = Registry.create("app");

  @Test
  void create_namesTheRegistry() {
    assertThat(Registry.create().name()).isEqualTo("registry");
    assertThat(reg.name()).isEqualTo("app");
    assertThat(reg.parent()).isEmpty();
    assertThat(reg).hasToString("Registry[name=app, keys=0]");
  }

  @Test
  void register_thenGet_returnsTheSameInstance() {
    reg.register(URL, "jdbc:x");

    assertThat(reg.get(URL)).isEqualTo("jdbc:x");
    assertThat(reg.find(URL)).contains("jdbc:x");
    assertThat(reg.keys()).containsExactly(URL);
    assertThat(reg).hasToString("Registry[name=app, keys=1]");
  }

  @Test
  void get_acceptsAKeyOfASupertype() {
    reg.register(URL, "jdbc:x");

    assertThat(reg.get(Key.of("db.url", CharSequence.class))).isEqualTo("jdbc:x");
  }

  @Test
  void get_withAnUnrelatedType_namesKeyAndTypes() {
    reg.register(URL, "jdbc:x");

    assertThatThrownBy(() -> reg.get(Key.of("db.url", Integer.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Registry 'app' (1 keys) holds 'db.url' as java.lang.String, not java.lang.Integer");
  }

  @Test
  void get_whenMissing_namesKeySuggestsAndListsRegistered() {
    reg.register(URL, "jdbc:x");
    reg.register(SIZE, 8);

    assertThatThrownBy(() -> reg.get(Key.of("db.ulr", String.class)))
        .isInstanceOfSatisfying(
            NotRegisteredException.class,
            e -> {
              assertThat(e.registryName()).isEqualTo("app");
              assertThat(e.key()).isEqualTo(Key.of("db.ulr", String.class));
              assertThat(e.suggestions()).containsExactly("db.url");
              assertThat(e.registered()).containsExactly("db.url", "pool.size");
            })
        .hasMessage(
            "Registry 'app' has nothing registered under 'db.ulr' (String); did you mean"
                + " 'db.url'? Registered: [db.url, pool.size]");
  }

  @Test
  void get_whenNothingIsClose_suggestsNothing() {
    reg.register(URL, "jdbc:x");

    assertThatThrownBy(() -> reg.get(Key.of("completely-different", String.class)))
        .isInstanceOf(NotRegisteredException.class)
        .hasMessage(
            "Registry 'app' has nothing registered under 'completely-different' (String)."
                + " Registered: [db.url]");
  }

  @Test
  void find_whenMissing_isEmpty() {
    assertThat(reg.find(URL)).isEmpty();
  }

  @Test
  void register_twice_isRefused() {
    reg.register(URL, "a");

    assertThatThrownBy(() -> reg.register(URL, "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'db.url'")
        .hasMessageContaining("replace");
    assertThat(reg.get(URL)).isEqualTo("a");
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void register_aValueOfTheWrongType_namesKeyAndTypes() {
    Key raw = URL;

    assertThatThrownBy(() -> reg.register(raw, 42))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "value for key 'db.url' (String) is a java.lang.Integer, not a java.lang.String");
    assertThatThrownBy(() -> reg.replace(raw, 42)).isInstanceOf(IllegalArgumentException.class);
    assertThat(reg.find(URL)).isEmpty();
  }

  @Test
  void nulls_areRefusedNamingTheParameter() {
    assertThatThrownBy(() -> reg.register(URL, KeyTest.nullString()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("value must not be null");
    assertThatThrownBy(() -> reg.get(nullKey())).hasMessage("key must not be null");
    assertThatThrownBy(() -> reg.find(nullKey())).hasMessage("key must not be null");
    assertThatThrownBy(() -> reg.handle(nullKey())).hasMessage("key must not be null");
    assertThatThrownBy(() -> reg.unregister(nullKey())).hasMessage("key must not be null");
    assertThatThrownBy(() -> reg.tag(nullKey(), "t")).hasMessage("key must not be null");
    assertThatThrownBy(() -> reg.tag(URL, KeyTest.nullString())).hasMessage("tag must not be null");
    assertThatThrownBy(() -> reg.tagged(KeyTest.nullString())).hasMessage("tag must not be null");
    assertThatThrownBy(() -> reg.onChange(nullKey(), (o, n) -> {}))
        .hasMessage("key must not be null");
    assertThatThrownBy(() -> reg.onChange(URL, null)).hasMessage("listener must not be null");
    assertThatThrownBy(() -> reg.registerProvider(URL, null))
        .hasMessage("provider must not be null");
    assertThatThrownBy(() -> reg.load(null)).hasMessage("file must not be null");
    assertThatThrownBy(() -> Registry.create(KeyTest.nullString()))
        .hasMessage("name must not be null");
    assertThatThrownBy(() -> reg.child(KeyTest.nullString()))
        .hasMessage("childName must not be null");
  }

  @Test
  void blankNames_areRefused() {
    assertThatThrownBy(() -> Registry.create(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ''");
    assertThatThrownBy(() -> reg.child(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("childName must not be blank, was ' '");
    reg.register(URL, "a");
    assertThatThrownBy(() -> reg.tag(URL, "\t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tag must not be blank");
  }

  @Test
  void registerProvider_isAskedOnEveryGet() {
    AtomicInteger calls = new AtomicInteger();
    reg.registerProvider(SIZE, calls::incrementAndGet);

    assertThat(reg.get(SIZE)).isEqualTo(1);
    assertThat(reg.get(SIZE)).isEqualTo(2);
  }

  @Test
  void registerProvider_returningNull_failsNamingTheKey() {
    reg.registerProvider(URL, () -> KeyTest.nullString());

    assertThatThrownBy(() -> reg.get(URL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'db.url'");
  }

  @Test
  void handle_isValidBeforeRegistration_andSeesEachReplacement() {
    Supplier<String> handle = reg.handle(URL);

    assertThatThrownBy(handle::get).isInstanceOf(NotRegisteredException.class);
    reg.register(URL, "a");
    assertThat(handle.get()).isEqualTo("a");
    reg.replace(URL, "b");
    assertThat(handle.get()).isEqualTo("b");
    assertThat(handle).hasToString("handle for 'db.url' (String) in Registry 'app' (1 keys)");
  }

  @Test
  void replace_registersWhenMissing() {
    reg.replace(URL, "a");

    assertThat(reg.get(URL)).isEqualTo("a");
  }

  @Test
  void unregister_removesOnlyWhatIsThere() {
    reg.register(URL, "a");

    assertThat(reg.unregister(URL)).isTrue();
    assertThat(reg.unregister(URL)).isFalse();
    assertThat(reg.find(URL)).isEmpty();
  }

  @Test
  void unregister_withAnUnrelatedType_isRefused() {
    reg.register(URL, "a");

    assertThatThrownBy(() -> reg.unregister(Key.of("db.url", Integer.class)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(reg.get(URL)).isEqualTo("a");
  }

  @Test
  void onChange_isToldOldAndNewValues() {
    List<String> changes = new ArrayList<>();
    reg.onChange(URL, (old, now) -> changes.add(old + "->" + now));
    reg.onChange(SIZE, (old, now) -> changes.add("size"));

    reg.register(URL, "a");
    reg.replace(URL, "b");
    reg.unregister(URL);
    reg.registerProvider(URL, () -> "p");
    reg.register(Key.of("other", String.class), "x");

    assertThat(changes).containsExactly("null->a", "a->b", "b->null", "null->null");
  }

  @Test
  void onChange_aFailingListener_isLoggedAndTheChangeStands() {
    List<String> told = new ArrayList<>();
    reg.onChange(
        URL,
        (old, now) -> {
          throw new IllegalStateException("listener broke");
        });
    reg.onChange(URL, (old, now) -> told.add(String.valueOf(now)));

    reg.register(URL, "a");

    assertThat(reg.get(URL)).isEqualTo("a");
    assertThat(told).containsExactly("a");
  }

  @Test
  void onChange_aListenerMayUseTheRegistry() {
    List<String> seen = new ArrayList<>();
    reg.onChange(URL, (old, now) -> seen.add(reg.get(URL)));

    reg.register(URL, "a");

    assertThat(seen).containsExactly("a");
  }

  @Test
  void tags_findTaggedKeys_andStayAcrossReplace() {
    reg.register(URL, "a");
    reg.register(SIZE, 8);
    reg.tag(URL, "primary");
    reg.tag(URL, "db");
    reg.tag(SIZE, "db");

    reg.replace(URL, "b");

    assertThat(reg.tagged("primary")).containsExactly(URL);
    assertThat(reg.tagged("db")).containsExactly(URL, SIZE);
    assertThat(reg.tagged("none")).isEmpty();
  }

  @Test
  void tag_needsTheKeyInThisRegistry() {
    reg.register(SIZE, 8);

    assertThatThrownBy(() -> reg.tag(Key.of("pool.sise", Integer.class), "x"))
        .isInstanceOfSatisfying(
            NotRegisteredException.class,
            e -> assertThat(e.suggestions()).containsExactly("pool.size"));
    assertThatThrownBy(() -> reg.child().tag(SIZE, "x")).isInstanceOf(NotRegisteredException.class);
    assertThatThrownBy(() -> reg.tag(Key.of("pool.size", String.class), "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void child_fallsBackToItsParent_andOverridesWithoutTouchingIt() {
    reg.register(URL, "parent-url");
    reg.register(SIZE, 8);
    reg.tag(URL, "t");
    Registry child = reg.child();

    child.register(URL, "child-url");

    assertThat(child.name()).isEqualTo("app/child");
    assertThat(child.parent()).containsSame(reg);
    assertThat(child.get(URL)).isEqualTo("child-url");
    assertThat(child.get(SIZE)).isEqualTo(8);
    assertThat(reg.get(URL)).isEqualTo("parent-url");
    assertThat(child.keys()).containsExactly(URL, SIZE);
    assertThat(child.tagged("t")).isEmpty();
    assertThat(reg.tagged("t")).containsExactly(URL);

    child.unregister(URL);
    assertThat(child.get(URL)).isEqualTo("parent-url");
  }

  @Test
  void child_handle_seesParentChanges_andMissingListsEveryLevel() {
    Registry child = reg.child("tenant");
    Supplier<Integer> size = child.handle(SIZE);
    child.register(URL, "u");

    reg.register(SIZE, 8);
    assertThat(size.get()).isEqualTo(8);
    reg.replace(SIZE, 9);
    assertThat(size.get()).isEqualTo(9);

    assertThatThrownBy(() -> child.get(Key.of("x", String.class)))
        .isInstanceOfSatisfying(
            NotRegisteredException.class,
            e -> assertThat(e.registered()).containsExactly("db.url", "pool.size"));
  }

  @Test
  void tag_whenMissing_listsWhatThisRegistryHolds_sorted() {
    // Names whose hashes scatter them: neither a HashMap nor Map.copyOf holds them in order.
    List<String> names =
        List.of("zeta", "pool.size", "mid", "kilo", "echo", "db.url", "bravo", "alpha");
    for (String n : names) {
      reg.register(Key.of(n, String.class), n);
    }

    assertThatThrownBy(() -> reg.tag(Key.of("x", String.class), "t"))
        .isInstanceOfSatisfying(
            NotRegisteredException.class,
            e ->
                assertThat(e.registered())
                    .containsExactly(
                        "alpha", "bravo", "db.url", "echo", "kilo", "mid", "pool.size", "zeta"));
  }

  @Test
  void onChange_aValueNotOfTheListenersType_isToldAsNull() {
    List<String> changes = new ArrayList<>();
    reg.onChange(SIZE, (old, now) -> changes.add(old + "->" + now));
    Key<String> sizeAsText = Key.of("pool.size", String.class);

    reg.register(sizeAsText, "eight");
    reg.unregister(sizeAsText);
    reg.register(SIZE, 8);

    assertThat(changes).containsExactly("null->null", "null->null", "null->8");
  }

  @SuppressWarnings("NullAway")
  private static Key<String> nullKey() {
    return null;
  }
}
