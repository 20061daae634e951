package io.dyno.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryLoadTest {

  /** Created by the loader through its public no-arg constructor. */
  public static final class Widget {
    /** Makes a widget. */
    public Widget() {}
  }

  /** Fails when created, to test that a constructor's failure is reported. */
  public static final class Broken {
    /** Always throws. */
    public Broken() {
      throw new IllegalStateException("cannot build");
    }

    /** Returns null, which the loader refuses. */
    public static @org.jspecify.annotations.Nullable Object nothing() {
      return null;
    }

    /** An instance method, which the loader refuses as a factory. */
    public Object notStatic() {
      return this;
    }

    /** Returns nothing, which the loader refuses as a factory. */
    public static void noValue() {}
  }

  @TempDir Path dir;

  private final Registry reg = Registry.create("app");

  private Path file(String text) throws IOException {
    return Files.writeString(dir.resolve("services.properties"), text);
  }

  @Test
  void load_readsEveryType() throws IOException {
    Path file =
        file(
            """
            # comment

            s = string: a:b=c\s
            empty = string:
            i = INT:-3
            l = long:10000000000
            d = double:0.25
            b = boolean:true
            t = duration:PT0.5S
            w = class:io.dyno.registry.RegistryLoadTest$Widget
            c = class:java.time.Clock#systemUTC
            """);

    Set<Key<?>> loaded = reg.load(file);

    assertThat(loaded).hasSize(9);
    assertThat(reg.get(Key.of("s", String.class))).isEqualTo("a:b=c");
    assertThat(reg.get(Key.of("empty", String.class))).isEmpty();
    assertThat(reg.get(Key.of("i", int.class))).isEqualTo(-3);
    assertThat(reg.get(Key.of("l", Long.class))).isEqualTo(10_000_000_000L);
    assertThat(reg.get(Key.of("d", Double.class))).isEqualTo(0.25);
    assertThat(reg.get(Key.of("b", Boolean.class))).isTrue();
    assertThat(reg.get(Key.of("t", Duration.class))).isEqualTo(Duration.ofMillis(500));
    assertThat(reg.get(Key.of("w", Widget.class))).isInstanceOf(Widget.class);
    assertThat(reg.get(Key.of("c", Clock.class))).isEqualTo(Clock.systemUTC());
  }

  @Test
  void load_replacesExistingKeys_keepsTheirTags_leavesOthers_andTellsListeners()
      throws IOException {
    Key<Integer> size = Key.of("pool.size", Integer.class);
    Key<String> other = Key.of("other", String.class);
    reg.register(size, 4);
    reg.register(other, "kept");
    reg.tag(size, "pool");
    List<String> changes = new ArrayList<>();
    reg.onChange(size, (old, now) -> changes.add(old + "->" + now));

    reg.load(file("pool.size = int:8\n"));

    assertThat(reg.get(size)).isEqualTo(8);
    assertThat(reg.get(other)).isEqualTo("kept");
    assertThat(reg.tagged("pool")).containsExactly(size);
    assertThat(changes).containsExactly("4->8");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no equals sign          | just text                        | 2 | ",
        "blank name              | ' = int:1'                       | 2 | ",
        "no type                 | x = 8                            | 2 | x",
        "unknown type            | x = float:1.5                    | 2 | x",
        "bad int                 | x = int:eight                    | 2 | x",
        "bad long                | x = long:1.5                     | 2 | x",
        "bad double              | x = double:lots                  | 2 | x",
        "bad boolean             | x = boolean:yes                  | 2 | x",
        "bad duration            | x = duration:2s                  | 2 | x",
        "missing class           | x = class:com.example.Nope       | 2 | x",
        "no no-arg constructor   | x = class:java.lang.Integer      | 2 | x",
        "no such factory         | x = class:java.time.Clock#nope   | 2 | x",
        "instance factory        | x = class:io.dyno.registry.RegistryLoadTest$Broken#notStatic | 2 | x",
        "void factory            | x = class:io.dyno.registry.RegistryLoadTest$Broken#noValue   | 2 | x",
        "null factory            | x = class:io.dyno.registry.RegistryLoadTest$Broken#nothing   | 2 | x",
        "throwing constructor    | x = class:io.dyno.registry.RegistryLoadTest$Broken           | 2 | x",
        "abstract class          | x = class:java.lang.Number       | 2 | x",
        "duplicate key           | a = int:2                        | 2 | a",
      })
  void load_aBadLine_namesFileLineAndKey_andLeavesTheRegistryAsItWas(
      String problem, String line, int lineNumber, @org.jspecify.annotations.Nullable String key)
      throws IOException {
    Key<Integer> a = Key.of("a", Integer.class);
    reg.register(a, 0);
    reg.tag(a, "t");
    List<Object> changes = new ArrayList<>();
    reg.onChange(a, (old, now) -> changes.add(now == null ? "null" : now));
    Path file = file("a = int:1\n" + line + "\nz = string:after\n");

    assertThatThrownBy(() -> reg.load(file))
        .as(problem)
        .isInstanceOfSatisfying(
            RegistryLoadException.class,
            e -> {
              assertThat(e.file()).isEqualTo(file);
              assertThat(e.line()).isEqualTo(lineNumber);
              assertThat(e.key()).isEqualTo(key);
            })
        .hasMessageStartingWith(
            file + ":" + lineNumber + ": " + (key == null ? "" : "key '" + key + "': "));
    assertThat(reg.keys()).containsExactly(a);
    assertThat(reg.get(a)).isZero();
    assertThat(reg.tagged("t")).containsExactly(a);
    assertThat(changes).isEmpty();
  }

  @Test
  void load_aThrowingConstructor_keepsTheCause() throws IOException {
    Path file = file("x = class:io.dyno.registry.RegistryLoadTest$Broken\n");

    assertThatThrownBy(() -> reg.load(file))
        .isInstanceOf(RegistryLoadException.class)
        .hasMessageContaining("cannot build")
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot build");
  }

  @Test
  void load_aBadInt_saysWhatWasWrong() throws IOException {
    Path file = file("pool.size = int:eight\n");

    assertThatThrownBy(() -> reg.load(file))
        .hasMessage(
            file + ":1: key 'pool.size': 'eight' is not a valid int (For input string: \"eight\")");
  }

  @Test
  void load_aMissingFile_throwsTheIOException() {
    assertThatThrownBy(() -> reg.load(dir.resolve("missing.properties")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void load_intoAChild_leavesTheParentAlone() throws IOException {
    Key<Integer> size = Key.of("pool.size", Integer.class);
    reg.register(size, 4);
    Registry child = reg.child();

    child.load(file("pool.size = int:16\n"));

    assertThat(child.get(size)).isEqualTo(16);
    assertThat(reg.get(size)).isEqualTo(4);
  }
}
