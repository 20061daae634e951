package io.dyno.utils;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The conventions dyno-utils shares with every dyno module, as far as they apply to statistics: it
 * reads no time and prints no duration, and the stateful accumulator's {@code toString()} has the
 * one shape. It has no names, boards or blocking calls, so the name and interrupt conventions do
 * not apply.
 */
class ConventionsTest {

  @Test
  void noPublicMethod_readsTimeOrTakesADuration() {
    for (Method m : publicMethods()) {
      assertThat(m.getName()).as(m.toString()).isNotIn("withTicker", "withClock");
      assertThat(Arrays.asList(m.getParameterTypes()))
          .as(m.toString())
          .doesNotContain(LongSupplier.class, Clock.class, Duration.class);
      assertThat(m.getReturnType()).as(m.toString()).isNotEqualTo(Duration.class);
    }
  }

  @Test
  void runningStats_toString_showsTheTypeThenKeyFields() {
    RunningStats stats = RunningStats.create();
    stats.add(2);
    stats.add(4);
    assertThat(stats)
        .hasToString(
            "RunningStats[count=2, mean=3.0, stddev=1.4142135623730951, min=2.0, max=4.0]");
  }

  /** The public methods of the module's public types, nested ones included, read from its jar. */
  private static List<Method> publicMethods() {
    List<Method> methods = new ArrayList<>();
    for (Class<?> type : publicTypes()) {
      for (Method m : type.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
          methods.add(m);
        }
      }
    }
    assertThat(methods).as("public methods found").isNotEmpty();
    return methods;
  }

  private static List<Class<?>> publicTypes() {
    Path dir;
    try {
      dir =
          Path.of(Stats.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .resolve(Stats.class.getPackageName().replace('.', '/'));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".class") || name.contains("-info")) {
          continue;
        }
        Class<?> type =
            Class.forName(
                Stats.class.getPackageName() + "." + name.substring(0, name.length() - 6));
        if (Modifier.isPublic(type.getModifiers())) {
          types.add(type);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    return types;
  }
}
