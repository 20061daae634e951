package io.dyno.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What {@link Registry#load} says about each bad line, word for word, and the edges of what it
 * accepts: both booleans, and the class loader a {@code class:} value is loaded through.
 */
class RegistryLoadMessagesTest {

  private static final String BROKEN = "io.dyno.registry.RegistryLoadTest$Broken";

  @TempDir Path dir;

  private final Registry reg = Registry.create("app");

  private Path file(String text) throws IOException {
    return Files.writeString(dir.resolve("services.properties"), text);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no equals sign       | just text           | expected 'name = type:value'",
        "equals first          | '= string:x'        | the name before '=' is blank",
        "no type              | x = 8               | key 'x': expected 'type:value', e.g. 'string:8',"
            + " was '8'",
        "colon first          | 'x = :8'            | key 'x': unknown type ''; expected string, int,"
            + " long, double, boolean, duration or class",
        "bad boolean          | x = boolean:yes     | key 'x': 'yes' is not a valid boolean (expected"
            + " true or false)",
        "boolean in capitals  | x = boolean:TRUE    | key 'x': 'TRUE' is not a valid boolean (expected"
            + " true or false)",
        "hash first          | x = class:#now      | key 'x': class '' not found",
        "no constructor       | x = class:java.lang.Integer | key 'x': 'java.lang.Integer' has no"
            + " public no-arg constructor",
        "no such factory      | x = class:java.time.Clock#nope | key 'x': 'java.time.Clock#nope'"
            + " has no public static no-arg factory method",
        "instance method      | x = class:"
            + BROKEN
            + "#notStatic | key 'x': '"
            + BROKEN
            + "#notStatic' is not a static factory returning a value",
        "void factory         | x = class:"
            + BROKEN
            + "#noValue | key 'x': '"
            + BROKEN
            + "#noValue' is not a static factory returning a value",
        "null factory         | x = class:"
            + BROKEN
            + "#nothing | key 'x': '"
            + BROKEN
            + "#nothing' returned null",
      })
  void load_aBadLine_saysExactlyWhatIsWrong(String problem, String line, String message)
      throws IOException {
    Path file = file("# settings\n" + line + "\n");

    assertThatThrownBy(() -> reg.load(file))
        .as(problem)
        .isInstanceOf(RegistryLoadException.class)
        .hasMessage(file + ":2: " + message);
    assertThat(reg.keys()).isEmpty();
  }

  @Test
  void load_readsBothBooleans() throws IOException {
    reg.load(file("on = boolean:true\noff = boolean:false\n"));

    assertThat(reg.get(Key.of("on", Boolean.class))).isTrue();
    assertThat(reg.get(Key.of("off", Boolean.class))).isFalse();
  }

  @Test
  void load_aStaticFactory_bindsUnderItsReturnType() throws IOException {
    reg.load(file("clock = class:java.time.Clock#systemUTC\n"));

    assertThat(reg.keys()).containsExactly(Key.of("clock", java.time.Clock.class));
  }

  /** A class loader that notes every class it is asked for, then asks its parent. */
  private static final class RecordingLoader extends ClassLoader {
    final List<String> asked = new CopyOnWriteArrayList<>();

    RecordingLoader(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      asked.add(name);
      return super.loadClass(name, resolve);
    }
  }

  @Test
  void load_aClass_goesThroughTheThreadsContextClassLoader() throws IOException {
    Path file = file("w = class:io.dyno.registry.RegistryLoadTest$Widget\n");
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    RecordingLoader recording = new RecordingLoader(Registry.class.getClassLoader());
    thread.setContextClassLoader(recording);
    try {
      reg.load(file);
    } finally {
      thread.setContextClassLoader(saved);
    }

    assertThat(recording.asked).contains("io.dyno.registry.RegistryLoadTest$Widget");
    assertThat(reg.get(Key.of("w", RegistryLoadTest.Widget.class))).isNotNull();
  }

  @Test
  void load_aClass_withNoContextClassLoader_usesTheRegistrysOwn() throws IOException {
    Path file = file("w = class:io.dyno.registry.RegistryLoadTest$Widget\n");
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    thread.setContextClassLoader(null);
    try {
      reg.load(file);
    } finally {
      thread.setContextClassLoader(saved);
    }

    assertThat(reg.get(Key.of("w", RegistryLoadTest.Widget.class))).isNotNull();
  }
}
