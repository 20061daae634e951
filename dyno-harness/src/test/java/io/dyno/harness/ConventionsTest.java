package io.dyno.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
  void timeIsSetOnTheBuilder_neverByAWither() throws NoSuchMethodException {
    assertThat(publicTypes()).contains(Harness.class, Harness.Builder.class, Failure.class);
    List<Method> methods = publicMethods();

    assertThat(methods).extracting(Method::getName).doesNotContain("withTicker", "withClock");
    assertThat(Harness.Builder.class.getMethod("ticker", LongSupplier.class).getReturnType())
        .isEqualTo(Harness.Builder.class);
    assertThat(Harness.Builder.class.getMethod("clock", Clock.class).getReturnType())
        .isEqualTo(Harness.Builder.class);
    assertThat(methods)
        .filteredOn(m -> List.of(m.getParameterTypes()).equals(List.of(LongSupplier.class)))
        .extracting(Method::getName)
        .containsOnly("ticker");
    assertThat(methods)
        .filteredOn(m -> List.of(m.getParameterTypes()).equals(List.of(Clock.class)))
        .extracting(Method::getName)
        .containsOnly("clock");
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

  @Test
  void anInterruptedException_passesThroughAndLeavesAClearFlagClear_unlikeTheOtherModules() {
    Harness harness = Harness.builder("payments").logger(log).build();
    InterruptedException interrupted = new InterruptedException("stop");

    assertThatThrownBy(
            () ->
                harness.call(
                    () -> {
                      throw interrupted;
                    }))
        .isSameAs(interrupted);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(harness.failures()).isEqualTo(1);
  }

  @Test
  void anInterruptedException_leavesAFlagTheCallerSetStillSet() {
    Harness harness = Harness.builder("payments").logger(log).build();
    InterruptedException interrupted = new InterruptedException("stop");

    assertThatThrownBy(
            () ->
                harness.call(
                    () -> {
                      Thread.currentThread().interrupt();
                      throw interrupted;
                    }))
        .isSameAs(interrupted);
    assertThat(Thread.interrupted()).isTrue();
  }

  /** Every public method of every public type in the API package, nested types included. */
  private static List<Method> publicMethods() {
    return publicTypes().stream()
        .flatMap(type -> Stream.of(type.getMethods()))
        .filter(m -> m.getDeclaringClass().getPackageName().equals("io.dyno.harness"))
        .toList();
  }

  private static List<Class<?>> publicTypes() {
    try (Stream<Path> files = Files.list(classesOf(Harness.class))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".class") && !n.equals("package-info.class"))
          .<Class<?>>map(
              n -> load("io.dyno.harness." + n.substring(0, n.length() - ".class".length())))
          .filter(c -> Modifier.isPublic(c.getModifiers()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path classesOf(Class<?> type) {
    try {
      Path root = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      return root.resolve(type.getPackageName().replace('.', '/'));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
