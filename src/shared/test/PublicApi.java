package io.dyno.${dyno.module};

import io.dyno.${dyno.module}.internal.Durations;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The module's classes as the conventions tests see them: the public types of its API package
 * {@code io.dyno.<module>}, nested ones included, read from the compiled classes, their public
 * methods, and the classes of any of its packages. One source, {@code
 * src/shared/test/PublicApi.java}, compiled into each module's tests.
 */
final class PublicApi {

  /** The API package of this module. */
  static final String PACKAGE = PublicApi.class.getPackageName();

  private PublicApi() {}

  /** Every public type of the API package, nested ones included, by name. */
  static List<Class<?>> types() {
    return classesIn(PACKAGE).stream().filter(PublicApi::isApi).toList();
  }

  /**
   * Every class of a package of this module, whatever its access, nested and synthetic ones
   * included, by name.
   */
  static List<Class<?>> classesIn(String packageName) {
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.list(directoryOf(packageName))) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".class") || name.contains("-info")) {
          continue;
        }
        types.add(
            Class.forName(
                packageName + "." + name.substring(0, name.length() - ".class".length()),
                false,
                PublicApi.class.getClassLoader()));
      }
    } catch (IOException | URISyntaxException | ClassNotFoundException e) {
      throw new AssertionError("cannot list the classes of " + packageName, e);
    }
    types.sort(Comparator.comparing(Class::getName));
    return types;
  }

  /** Every public method declared by the public types of the API package. */
  static List<Method> methods() {
    List<Method> methods = new ArrayList<>();
    for (Class<?> type : types()) {
      for (Method m : type.getDeclaredMethods()) {
        if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
          methods.add(m);
        }
      }
    }
    return methods;
  }

  /**
   * The types declaring a public method {@code name} that takes exactly one {@code parameter}: for
   * example the builders that take a {@code ticker(LongSupplier)}.
   */
  static List<Class<?>> declaring(String name, Class<?> parameter) {
    return methods().stream()
        .filter(m -> m.getName().equals(name))
        .filter(m -> m.getParameterCount() == 1 && m.getParameterTypes()[0] == parameter)
        .<Class<?>>map(Method::getDeclaringClass)
        .distinct()
        .toList();
  }

  /** Whether a type is reachable by a user: public, and public all the way out. */
  private static boolean isApi(Class<?> type) {
    if (type.isAnonymousClass() || type.isSynthetic()) {
      return false;
    }
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      if (!Modifier.isPublic(t.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  /** The directory of a package's classes, in the module's classes. */
  private static Path directoryOf(String packageName) throws URISyntaxException {
    Path root =
        Path.of(Durations.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return root.resolve(packageName.replace('.', '/'));
  }
}
