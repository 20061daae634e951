package io.dyno.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The libraries are independent: a user adds one jar and gets no other. Only the composing modules
 * may depend on a sibling, in the build and in the module descriptor; the build's enforcer rule
 * bans the rest, and this test fails if a library declares a sibling or switches the ban off. The
 * one exception is dyno-testing, the support for concurrent tests, which any module's tests may use
 * and no module's code may.
 */
class ModuleIndependenceTest {

  /** Tests run in the module directory; the repository root is its parent. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The modules that compose others; every other module is a library that stands alone. */
  private static final Set<String> COMPOSING =
      Set.of("dyno-service", "dyno-examples", "dyno-benchmarks", "dyno-bom");

  private static final Pattern REQUIRES_DYNO =
      Pattern.compile(
          "^\\s*requires\\s+(?:static\\s+|transitive\\s+)*(io\\.dyno\\.[\\w.]+)\\s*;",
          Pattern.MULTILINE);

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
  void theLibrariesAreEveryModuleButTheService_andTheComposingOnes() throws IOException {
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

  private static List<String> modules() throws IOException {
    List<String> modules = new ArrayList<>();
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(pom("."));
    while (m.find()) {
      modules.add(m.group(1).trim());
    }
    return modules;
  }

  private static List<String> libraries() throws IOException {
    return modules().stream().filter(m -> !COMPOSING.contains(m)).toList();
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
