package io.dyno.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dyno.testing.FakeTicker;
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

/**
 * The conventions every dyno module follows (DESIGN.md §2), as they apply to timing: time set on
 * the builder, the shape of {@code toString()}, blank names refused alike, and interruption left to
 * the work.
 */
class ConventionsTest {

  private final FakeTicker ticker = FakeTicker.create();

  @AfterEach
  void leaveTheTestThreadUninterrupted() {
    Thread.interrupted();
  }

  @Test
  void timeIsSetOnTheBuilder_byTickerAndClock_neverByAWither() {
    List<Method> methods = apiMethods(Timing.class);

    assertThat(methods).extracting(Method::getName).doesNotContain("withTicker", "withClock");
    assertThat(takingOnly(methods, LongSupplier.class)).containsOnly("ticker");
    assertThat(takingOnly(methods, Clock.class)).containsOnly("clock");
  }

  @Test
  void toString_namesTheTypeThenTheNameThenItsState() {
    Timing t = Timing.builder("checkout").ticker(ticker).start();
    ticker.advance(1_000);

    assertThat(t).hasToString("Timing[name=checkout, state=running, elapsed=1.00 µs]");
  }

  @Test
  void aBlankName_isRefusedWithTheSharedMessage_byEveryFactoryAndEveryNamedRecord() {
    Timing t = Timing.builder("checkout").ticker(ticker).start();
    List<ThrowingCallable> blank =
        List.of(
            () -> Timing.start(" "),
            () -> Timing.builder(" "),
            () -> t.interval(" "),
            () -> t.mark(" "));

    for (ThrowingCallable named : blank) {
      assertThatThrownBy(named)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("name must not be blank, was ' '");
    }
    assertThatThrownBy(() -> Timing.start(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
  }

  @Test
  void anInterruptedException_fromWrappedWork_passesThroughAsIs_andTheFlagIsTheWorks() {
    InterruptedException interrupted = new InterruptedException("stop");
    Callable<String> work =
        () -> {
          Thread.currentThread().interrupt(); // as work that restores the flag before throwing
          throw interrupted;
        };
    Timing t = Timing.builder("checkout").ticker(ticker).start();
    Timing.Scope scope = t.activate();
    Callable<String> wrapped = Timing.wrap(work);
    scope.close();

    assertThatThrownBy(wrapped::call).isSameAs(interrupted);
    assertThat(Thread.interrupted()).isTrue();
    assertThat(Timing.current().isNoop()).isTrue();
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
