package io.dyno.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conventions every dyno module follows (DESIGN.md §2), as they apply to the harness: time set
 * on the builder, the shape of {@code toString()}, blank names refused alike, and the interrupt
 * policy in which the harness deliberately differs.
 */
class ConventionsTest {

  private final RecordingLogger log = new RecordingLogger();

  @AfterEach
  void leaveTheTestThreadUninterrupted() {
    Thread.interrupted();
  }

  @Test
  void timeIsSetOnTheBuilder_byTickerAndClock_neverByAWither() {
    List<Method> methods = apiMethods(Harness.class);

    assertThat(methods).extracting(Method::getName).doesNotContain("withTicker", "withClock");
    assertThat(takingOnly(methods, LongSupplier.class)).containsOnly("ticker");
    assertThat(takingOnly(methods, Clock.class)).containsOnly("clock");
  }

  @Test
  void toString_namesTheTypeThenTheNameThenItsState() {
    Harness harness = Harness.builder("payments").logger(log).build();
    Sneaky.failThrough(harness, new IOException("reset"));

    assertThat(harness).hasToString("Harness[name=payments, failures=1]");
  }

  @Test
  void aBlankName_isRefusedWithTheSharedMessage_byEveryFactory() {
    List<ThrowingCallable> blank = List.of(() -> Harness.of(" "), () -> Harness.builder(" "));
    List<ThrowingCallable> absent = List.of(() -> Harness.of(null), () -> Harness.builder(null));

    for (ThrowingCallable factory : blank) {
      assertThatThrownBy(factory)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("name must not be blank, was ' '");
    }
    for (ThrowingCallable factory : absent) {
      assertThatThrownBy(factory).isInstanceOf(NullPointerException.class).hasMessage("name");
    }
  }

  @ParameterizedTest(name = "the work set the flag: {0}")
  @ValueSource(booleans = {false, true})
  void anInterruptedException_passesThrough_andTheFlagStaysAsTheWorkLeftIt_unlikeOtherModules(
      boolean workSetTheFlag) {
    Harness harness = Harness.builder("payments").logger(log).build();
    InterruptedException interrupted = new InterruptedException("stop");
    Callable<Object> work =
        () -> {
          if (workSetTheFlag) {
            Thread.currentThread().interrupt();
          }
          throw interrupted;
        };

    assertThatThrownBy(() -> harness.call(work)).isSameAs(interrupted);
    assertThat(Thread.interrupted()).isEqualTo(workSetTheFlag);
    assertThat(harness.failures()).isEqualTo(1);
  }

  /** Every public method of every public type in the API package of {@code anchor}. */
  private static List<Method> apiMethods(Class<?> anchor) {
    String pkg = anchor.getPackageName();
    try (Stream<Path> files =
        Files.list(
            Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(pkg.replace('.', '/')))) {
      List<Class<?>> types = new ArrayList<>();
      for (Path f : files.toList()) {
        String file = f.getFileName().toString();
        if (file.endsWith(".class") && !file.equals("package-info.class")) {
          types.add(Class.forName(pkg + "." + file.substring(0, file.length() - 6)));
        }
      }
      assertThat(types).contains(anchor);
      return types.stream()
          .filter(t -> Modifier.isPublic(t.getModifiers()))
          .flatMap(t -> Stream.of(t.getMethods()))
          .filter(m -> m.getDeclaringClass().getPackageName().equals(pkg))
          .toList();
    } catch (IOException | URISyntaxException | ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }

  /** The names of the public methods taking exactly one parameter of {@code type}. */
  private static List<String> takingOnly(List<Method> methods, Class<?> type) {
    return methods.stream()
        .filter(m -> List.of(m.getParameterTypes()).equals(List.of(type)))
        .map(Method::getName)
        .toList();
  }
}
