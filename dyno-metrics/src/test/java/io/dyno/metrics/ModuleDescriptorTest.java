package io.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dyno.metrics.internal.hdr.Histogram;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * dyno-metrics is a named module fit to publish: it requires the JDK, slf4j-api and (at compile
 * time) JSpecify, all of them named modules, and never a module named after a jar file.
 * HdrHistogram is inside it, in a package it does not export, with its license beside it.
 */
class ModuleDescriptorTest {

  private static final String HDR = "io.dyno.metrics.internal.hdr";

  @Test
  void theModule_requiresOnlyTheJdkSlf4jAndJSpecify() throws Exception {
    ModuleDescriptor module = descriptor();

    assertThat(module.name()).isEqualTo("io.dyno.metrics");
    assertThat(module.requires().stream().map(ModuleDescriptor.Requires::name))
        .containsExactlyInAnyOrder(
            "java.base", "jdk.httpserver", "java.net.http", "org.slf4j", "org.jspecify");
  }

  @Test
  void everyModuleItRequires_isNamedByItsOwnDescriptor_notAfterAJarFile() throws Exception {
    Map<String, Class<?>> fromJars =
        Map.of("org.slf4j", Logger.class, "org.jspecify", NullMarked.class);
    for (ModuleDescriptor.Requires requires : descriptor().requires()) {
      Optional<ModuleReference> found =
          fromJars.containsKey(requires.name())
              ? ModuleFinder.of(location(fromJars.get(requires.name()))).find(requires.name())
              : ModuleFinder.ofSystem().find(requires.name());
      assertThat(found).as(requires.name()).isPresent();
      assertThat(found.orElseThrow().descriptor().isAutomatic()).as(requires.name()).isFalse();
    }
  }

  @Test
  void hdrHistogram_isInsideTheModule_inPackagesItDoesNotExport() throws Exception {
    ModuleDescriptor module = descriptor();
    Set<String> exported =
        module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());

    assertThat(module.packages()).contains(HDR, HDR + ".packedarray");
    assertThat(exported).containsExactlyInAnyOrder("io.dyno.metrics", "io.dyno.metrics.internal");
    assertThat(location(Histogram.class)).isEqualTo(location(Metrics.class));
  }

  @Test
  void hdrHistogramsLicense_travelsWithItsClasses() throws Exception {
    Path license = location(Metrics.class).resolve("META-INF/LICENSE-HdrHistogram.txt");

    assertThat(Files.readString(license, StandardCharsets.UTF_8))
        .contains("released to the public domain")
        .contains("BSD 2-Clause License");
  }

  /** The descriptor javac wrote, with the packages of the classes compiled beside it. */
  private static ModuleDescriptor descriptor() throws IOException, URISyntaxException {
    Path classes = location(Metrics.class);
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      return ModuleDescriptor.read(in, () -> packages(classes));
    }
  }

  private static Set<String> packages(Path classes) {
    try (Stream<Path> files = Files.walk(classes)) {
      return files
          .filter(f -> f.toString().endsWith(".class"))
          .map(f -> classes.relativize(f.getParent()))
          .filter(p -> !p.toString().isEmpty() && !p.startsWith("META-INF"))
          .map(p -> p.toString().replace(p.getFileSystem().getSeparator(), "."))
          .collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The directory or jar a class was loaded from. */
  private static Path location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
