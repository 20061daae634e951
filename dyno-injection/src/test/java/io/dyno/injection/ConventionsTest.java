package io.dyno.injection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The conventions every dyno module follows (DESIGN.md §2), as they apply to injection: time set on
 * a builder, names checked alike, a dependency listed twice or not declared refused, and the
 * interrupt policy.
 */
class ConventionsTest {

  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void shutDown() throws InterruptedException {
    Thread.interrupted();
    release.countDown();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(Fakes.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void timeIsSetOnTheBuilder_byTicker_neverByAWither() {
    List<Method> methods = apiMethods(Injector.class);

    assertThat(methods).extracting(Method::getName).doesNotContain("withTicker", "withClock");
    assertThat(takingOnly(methods, LongSupplier.class)).containsOnly("ticker");
    assertThat(takingOnly(methods, Clock.class)).isEmpty(); // nothing here stamps wall time
  }

  @Test
  void aBlankName_isRefusedWithTheSharedMessage() {
    assertThatThrownBy(() -> Dependency.of(" ", () -> "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was ' '");
    assertThatThrownBy(() -> Dependency.of(null, () -> "x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
  }

  @Test
  void aDependencyListedTwice_isIllegalArgument() {
    Dependency<String> db = Dependency.of("db", () -> "db");

    assertThatThrownBy(() -> Injector.sequential().injectSupplier(List.of(db, db), d -> 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Dependency 'db' is listed twice");
  }

  @Test
  void aDependencyNotDeclared_isIllegalArgumentNamingTheDeclaredOnes_neverNoSuchElement() {
    Dependency<String> db = Dependency.of("db", () -> "db");
    Dependency<String> geo = Dependency.of("geo", () -> "geo");
    Supplier<String> call = Injector.sequential().injectSupplier(List.of(db), d -> d.get(geo));

    assertThatThrownBy(call::get)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Dependency 'geo' (declared at ")
        .hasMessageEndingWith("was not declared by this function; declared: ['db']");
  }

  @Test
  void anInterruptWhileWaiting_stopsTheCall_andRestoresTheFlag() {
    Dependency<String> slow =
        Dependency.of(
            "slow",
            () -> {
              Fakes.awaitUninterruptibly(release);
              return "late";
            });
    Supplier<Integer> call = Injector.parallel(executor).injectSupplier(List.of(slow), d -> 1);
    Thread.currentThread().interrupt();

    DependencyException e = catchThrowableOfType(DependencyException.class, call::get);

    assertThat(e).hasCauseInstanceOf(InterruptedException.class);
    assertThat(e.failures()).isEmpty();
    assertThat(Thread.interrupted()).isTrue();
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
