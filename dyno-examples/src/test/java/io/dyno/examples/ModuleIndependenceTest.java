package io.dyno.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The libraries are independent: a user adds one jar and gets no other. Only the composing modules
 * may depend on a sibling, in the build and in the module descriptor; the build's enforcer rule
 * bans the rest, and this test fails if a library declares a sibling or switches the ban off. An
 * adapter to an outside system (dyno-micrometer, dyno-cache-redis) depends on exactly one library,
 * the one it adapts, and names it to the enforcer; nothing else. The one exception is dyno-testing,
 * the support for concurrent tests, which any module's tests may use and no module's code may,
 * except the benchmarks', a program that is never shipped.
 */
class ModuleIndependenceTest {

  /** Tests run in the module directory; the repository root is its parent. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The modules that compose others; every other module is a library that stands alone. */
  private static final Set<String> COMPOSING =
      Set.of("dyno-service", "dyno-examples", "dyno-benchmarks", "dyno-bom");

  /** The benchmarks' module: a program that uses the test support at compile scope. */
  private static final String BENCHMARKS = "dyno-benchmarks";

  /** The adapters to an outside system, each with the one library it may depend on. */
  private static final Map<String, String> ADAPTERS =
      Map.of("dyno-micrometer", "dyno-metrics", "dyno-cache-redis", "dyno-cache");

  private static final Pattern REQUIRES_DYNO =
      Pattern.compile(
          "^\\s*requires\\s+(?:static\\s+|transitive\\s+)*(io\\.dyno\\.[\\w.]+)\\s*;",
          Pattern.MULTILINE);

  private static final Pattern REQUIRES =
      Pattern.compile(
          "^\\s*requires\\s+(?:static\\s+|transitive\\s+)*([\\w.]+)\\s*;", Pattern.MULTILINE);

  private static final Pattern DEPENDENCY =
      Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

  private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);

  private static final Pattern MANAGEMENT =
      Pattern.compile("<dependencyManagement>.*?</dependencyManagement>", Pattern.DOTALL);

  @Test
  void noLibraryDeclaresASiblingDependency() throws IOException {
    List<String> found = new ArrayList<>();
    for (String module : libraries()) {
      Matcher m = DEPENDENCY.matcher(pom(module));
      while (m.find()) {
        String group = tag(m.group(1), "groupId");
        boolean testSupport = isTestSupport(m.group(1)) && tag(m.group(1), "scope").equals("test");
        if ((group.equals("io.dyno") || group.equals("${project.groupId}")) && !testSupport) {
          found.add(module + " -> " + tag(m.group(1), "artifactId"));
        }
      }
    }
    assertThat(found).as("sibling dependencies of libraries").isEmpty();
  }

  @Test
  void theTestSupport_isOnlyEverATestDependency() throws IOException {
    List<String> found = new ArrayList<>();
    for (String module : modules()) {
      if (module.equals(BENCHMARKS)) {
        continue; // a program, never shipped: its harnesses start Redis with RedisProcess
      }
      Matcher m = DEPENDENCY.matcher(declared(module));
      while (m.find()) {
        if (isTestSupport(m.group(1)) && !tag(m.group(1), "scope").equals("test")) {
          found.add(module + " -> dyno-testing in scope '" + tag(m.group(1), "scope") + "'");
        }
      }
    }
    assertThat(found).as("dyno-testing outside the test scope").isEmpty();
    assertThat(tag(pom("."), "bannedDependencies"))
        .contains("<include>io.dyno:dyno-testing:*:jar:test</include>");
  }

  @Test
  void noLibraryRequiresASiblingModule() throws IOException {
    List<String> found = new ArrayList<>();
    for (String module : libraries()) {
      Path descriptor = ROOT.resolve(module).resolve("src/main/java/module-info.java");
      Matcher m = REQUIRES_DYNO.matcher(Files.readString(descriptor));
      while (m.find()) {
        found.add(module + " requires " + m.group(1));
      }
    }
    assertThat(found).as("sibling modules required by libraries").isEmpty();
  }

  /**
   * What a published module requires is the JDK, a sibling, or a module that names itself (a
   * descriptor or an Automatic-Module-Name): never one whose name the module system derives from a
   * jar file's name, which changes with the file and which Maven warns must not be published.
   */
  @Test
  void noPublishedModuleRequiresAModuleNamedAfterItsJarFile() throws IOException {
    Map<String, ModuleReference> onPath = modulesOnThisPath();
    List<String> published = new ArrayList<>(libraries());
    published.add("dyno-service");
    published.addAll(ADAPTERS.keySet());
    List<String> found = new ArrayList<>();
    for (String module : published) {
      Path descriptor = ROOT.resolve(module).resolve("src/main/java/module-info.java");
      Matcher m = REQUIRES.matcher(Files.readString(descriptor));
      while (m.find()) {
        String name = m.group(1);
        ModuleReference required = onPath.get(name);
        if (name.startsWith("io.dyno.") || ModuleFinder.ofSystem().find(name).isPresent()) {
          // A sibling (the ban above covers libraries) or a JDK module.
        } else if (required == null) {
          found.add(module + " requires " + name + ", which is on no module path");
        } else if (isNamedAfterItsFile(required)) {
          found.add(module + " requires " + name + ", named after its jar file");
        }
      }
    }
    assertThat(found).as("requirements of modules named after a jar file").isEmpty();
  }

  @Test
  void anAdapterDeclaresExactlyItsOneLibrary_asACompileDependency() throws IOException {
    for (Map.Entry<String, String> adapter : ADAPTERS.entrySet()) {
      List<String> siblings = new ArrayList<>();
      Matcher m = DEPENDENCY.matcher(declared(adapter.getKey()));
      while (m.find()) {
        String group = tag(m.group(1), "groupId");
        boolean testSupport = isTestSupport(m.group(1)) && tag(m.group(1), "scope").equals("test");
        if ((group.equals("io.dyno") || group.equals("${project.groupId}")) && !testSupport) {
          siblings.add(tag(m.group(1), "artifactId") + ":" + tag(m.group(1), "scope"));
        }
      }
      assertThat(siblings)
          .as("dyno dependencies of %s", adapter.getKey())
          .containsExactly(adapter.getValue() + ":");
    }
  }

  @Test
  void anAdapterRequiresExactlyItsOneLibrarysModule() throws IOException {
    for (Map.Entry<String, String> adapter : ADAPTERS.entrySet()) {
      Path descriptor = ROOT.resolve(adapter.getKey()).resolve("src/main/java/module-info.java");
      Matcher m = REQUIRES_DYNO.matcher(Files.readString(descriptor));
      List<String> required = new ArrayList<>();
      while (m.find()) {
        required.add(m.group(1));
      }
      assertThat(required)
          .as("dyno modules %s requires", adapter.getKey())
          .containsExactly("io.dyno." + adapter.getValue().substring("dyno-".length()));
    }
  }

  /**
   * The enforcer lets an adapter through for its one library alone: the parent includes the library
   * an adapter names in {@code dyno.adapterOf}, names none itself, and only an adapter names one,
   * its own, at compile scope.
   */
  @Test
  void onlyAnAdapterNamesALibraryToTheEnforcer_andOnlyItsOwn() throws IOException {
    String parent = pom(".");
    assertThat(tag(parent, "bannedDependencies")).contains("<include>${dyno.adapterOf}</include>");
    assertThat(tag(parent, "dyno.adapterOf")).isEqualTo("io.dyno:no-dyno-library");
    List<String> naming = new ArrayList<>();
    for (String module : modules()) {
      if (pom(module).contains("<dyno.adapterOf>")) {
        naming.add(module);
      }
    }
    assertThat(naming).containsExactlyInAnyOrderElementsOf(ADAPTERS.keySet());
    for (Map.Entry<String, String> adapter : ADAPTERS.entrySet()) {
      assertThat(tag(pom(adapter.getKey()), "dyno.adapterOf"))
          .isEqualTo("io.dyno:" + adapter.getValue() + ":*:jar:compile");
      assertThat(pom(adapter.getKey())).doesNotContain("<dyno.bannedSiblings>");
    }
  }

  @Test
  void anAdaptersLibrary_isALibrary() throws IOException {
    assertThat(libraries()).containsAll(ADAPTERS.values());
    assertThat(modules()).containsAll(ADAPTERS.keySet());
  }

  @Test
  void onlyComposingModulesLiftTheBan_andTheParentEnforcesIt() throws IOException {
    List<String> lifted = new ArrayList<>();
    for (String module : modules()) {
      if (pom(module).contains("<dyno.bannedSiblings>")) {
        lifted.add(module);
      }
    }
    assertThat(COMPOSING).containsAll(lifted);

    String parent = pom(".");
    assertThat(tag(parent, "dyno.bannedSiblings")).isEqualTo("io.dyno:*");
    assertThat(tag(parent, "bannedDependencies"))
        .contains("<exclude>${dyno.bannedSiblings}</exclude>");
  }

  @Test
  void theLibrariesAreEveryModuleButTheService_theComposingOnes_andTheAdapters()
      throws IOException {
    assertThat(libraries())
        .containsExactlyInAnyOrder(
            "dyno-aspect",
            "dyno-breaker",
            "dyno-cache",
            "dyno-harness",
            "dyno-injection",
            "dyno-metrics",
            "dyno-registry",
            "dyno-retry",
            "dyno-testing",
            "dyno-timing",
            "dyno-utils");
  }

  /** The modules in the jars this test runs with, by name; a jar with no valid name is left out. */
  private static Map<String, ModuleReference> modulesOnThisPath() {
    String path =
        System.getProperty("jdk.module.path", "")
            + File.pathSeparator
            + System.getProperty("java.class.path", "");
    Map<String, ModuleReference> modules = new HashMap<>();
    for (String entry :
        Pattern.compile(Pattern.quote(File.pathSeparator)).splitAsStream(path).toList()) {
      if (!entry.endsWith(".jar")) {
        continue;
      }
      try {
        for (ModuleReference module : ModuleFinder.of(Path.of(entry)).findAll()) {
          modules.putIfAbsent(module.descriptor().name(), module);
        }
      } catch (FindException e) {
        // No name can be derived from it, so nothing can require it.
      }
    }
    return modules;
  }

  /** Whether an automatic module took its name from its jar file, not from its manifest. */
  private static boolean isNamedAfterItsFile(ModuleReference module) throws IOException {
    if (!module.descriptor().isAutomatic() || module.location().isEmpty()) {
      return false;
    }
    try (JarFile jar = new JarFile(Path.of(module.location().get()).toFile())) {
      Manifest manifest = jar.getManifest();
      return manifest == null
          || manifest.getMainAttributes().getValue("Automatic-Module-Name") == null;
    }
  }

  private static List<String> modules() throws IOException {
    List<String> modules = new ArrayList<>();
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom("."));
    while (m.find()) {
      modules.add(m.group(1).trim());
    }
    return modules;
  }

  private static List<String> libraries() throws IOException {
    return modules().stream()
        .filter(m -> !COMPOSING.contains(m) && !ADAPTERS.containsKey(m))
        .toList();
  }

  /** Whether a {@code <dependency>} element's content names dyno-testing, the test support. */
  private static boolean isTestSupport(String dependency) {
    return tag(dependency, "artifactId").equals("dyno-testing");
  }

  /** A module's pom without its comments. */
  private static String pom(String module) throws IOException {
    String xml = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
    return COMMENT.matcher(xml).replaceAll("");
  }

  /** A module's own dependencies: its pom without comments and without dependency management. */
  private static String declared(String module) throws IOException {
    return MANAGEMENT.matcher(pom(module)).replaceAll("");
  }

  /** The trimmed text of the first {@code tag} element in {@code xml}, or "" if there is none. */
  private static String tag(String xml, String tag) {
    Matcher m =
        Pattern.compile(
                "<" + Pattern.quote(tag) + ">(.*?)</" + Pattern.quote(tag) + ">", Pattern.DOTALL)
            .matcher(xml);
    return m.find() ? m.group(1).trim() : "";
  }
}
