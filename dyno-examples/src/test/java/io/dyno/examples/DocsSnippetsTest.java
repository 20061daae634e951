package io.dyno.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the documentation honest. Every {@code ```java} block in README.md and docs/*.md must
 * compile as a unit, with the imports and stand-ins its page's prelude ({@code
 * docs/snippets/<page>.java}) lists, as a reader who copies it would compile it; see {@link
 * SnippetCompiler}. And it must appear, line for line (ignoring indentation and blank lines), in a
 * compiled Java source of the repository, in practice a module's examples test, which runs it.
 */
class DocsSnippetsTest {

  /** Tests run in the module directory; the repository root is its parent. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyJavaSnippetInTheDocsIsCompiledCode() throws IOException {
    List<List<String>> sources = javaSources();
    List<Snippet> snippets = snippets();
    assertThat(snippets).as("the docs hold Java snippets to check").isNotEmpty();
    List<String> missing = new ArrayList<>();
    for (Snippet snippet : snippets) {
      if (sources.stream().noneMatch(source -> containsInOrder(source, snippet.lines()))) {
        missing.add(snippet.where());
      }
    }
    assertThat(missing)
        .as("snippets with no compiled twin (copy each into the module's examples test)")
        .isEmpty();
  }

  @Test
  void everyJavaSnippetInTheDocsCompilesAsAUnit() throws IOException {
    List<Snippet> snippets = snippets();
    Map<SnippetCompiler.Block, SnippetCompiler.Prelude> blocks = new LinkedHashMap<>();
    for (Snippet snippet : snippets) {
      blocks.put(snippet.block(), prelude(snippet.block().doc()));
    }
    List<String> failures = compiler().failures(blocks);
    assertThat(failures)
        .as(
            "snippets that do not compile as a unit with their page's prelude"
                + " (docs/snippets/<page>.java)")
        .isEmpty();
  }

  @Test
  void everyPageWithJavaSnippetsLinksToItsPrelude() throws IOException {
    List<String> missing = new ArrayList<>();
    for (String doc : snippets().stream().map(s -> s.block().doc()).distinct().toList()) {
      Path prelude = preludeFile(doc);
      String link = ROOT.resolve(doc).getParent().relativize(prelude).toString();
      if (!Files.exists(prelude) || !Files.readString(ROOT.resolve(doc)).contains(link)) {
        missing.add(doc + " -> " + link);
      }
    }
    assertThat(missing).as("pages that do not link to their snippets' prelude").isEmpty();
  }

  @Test
  void theWrapperCompilesStatementsMembersAndUnits() {
    SnippetCompiler.Prelude prelude =
        new SnippetCompiler.Prelude(
            "test.java",
            """
            import java.util.*;

            class YourCode {
              static int answer() {
                return 42;
              }
            }
            """);
    Map<SnippetCompiler.Block, SnippetCompiler.Prelude> blocks = new LinkedHashMap<>();
    blocks.put(block(1, "List<Integer> xs = new ArrayList<>();", "xs.add(answer());"), prelude);
    blocks.put(block(10, "int twice(int x) {", "  return 2 * x;", "}"), prelude);
    blocks.put(
        block(20, "import java.time.Duration;", "", "public record Pause(Duration d) {}"), prelude);
    assertThat(compiler().failures(blocks)).isEmpty();
  }

  @Test
  void theWrapperReportsABlockThatDoesNotCompileWithItsDocLine() {
    Map<SnippetCompiler.Block, SnippetCompiler.Prelude> blocks = new LinkedHashMap<>();
    blocks.put(
        block(30, "try {", "  System.out.println(1);", "} catch (RuntimeException e) {"),
        SnippetCompiler.Prelude.NONE);
    blocks.put(block(40, "int x = undeclared + 1;"), SnippetCompiler.Prelude.NONE);
    blocks.put(block(50, "int fine = 1;"), SnippetCompiler.Prelude.NONE);
    List<String> failures = compiler().failures(blocks);
    assertThat(failures).hasSize(2);
    assertThat(failures.get(0)).startsWith("docs/test.md:3");
    assertThat(failures.get(1)).startsWith("docs/test.md:40: cannot find symbol");
  }

  private static SnippetCompiler.Block block(int line, String... code) {
    return new SnippetCompiler.Block("docs/test.md", line, List.of(code));
  }

  private static SnippetCompiler compiler() {
    // Surefire runs these tests in the io.dyno.examples module: the libraries, dyno-testing, JUnit
    // and AssertJ are on the module path, the rest on the class path. javac reads both as a class
    // path.
    String classPath =
        Stream.of("jdk.module.path", "java.class.path")
            .map(key -> System.getProperty(key, ""))
            .filter(path -> !path.isEmpty())
            .collect(Collectors.joining(File.pathSeparator));
    return new SnippetCompiler(classPath, Path.of("target", "snippet-classes"));
  }

  /** docs/snippets/retry.java for docs/retry.md, docs/snippets/README.java for README.md. */
  private static Path preludeFile(String doc) {
    String page = Path.of(doc).getFileName().toString().replaceFirst("\\.md$", "");
    return ROOT.resolve("docs").resolve("snippets").resolve(page + ".java");
  }

  private static SnippetCompiler.Prelude prelude(String doc) {
    Path file = preludeFile(doc);
    return Files.exists(file)
        ? SnippetCompiler.Prelude.read(file, ROOT.relativize(file).toString())
        : SnippetCompiler.Prelude.NONE;
  }

  @Test
  void containsInOrder_needsTheLinesContiguously() {
    List<String> source = List.of("a", "b", "c");
    assertThat(containsInOrder(source, List.of("b", "c"))).isTrue();
    assertThat(containsInOrder(source, List.of("a", "c"))).isFalse();
    assertThat(containsInOrder(source, List.of("c", "d"))).isFalse();
  }

  private record Snippet(SnippetCompiler.Block block, List<String> lines) {
    String where() {
      return block.where();
    }
  }

  private static List<Snippet> snippets() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> guides = Files.list(ROOT.resolve("docs"))) {
      guides.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    List<Snippet> snippets = new ArrayList<>();
    for (Path doc : docs) {
      List<String> lines = Files.readAllLines(doc);
      for (int i = 0; i < lines.size(); i++) {
        if (!lines.get(i).trim().equals("```java")) {
          continue;
        }
        int start = i + 1;
        List<String> code = new ArrayList<>();
        for (i = start; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
          code.add(lines.get(i));
        }
        String where = ROOT.relativize(doc).toString();
        snippets.add(
            new Snippet(
                new SnippetCompiler.Block(where, start + 1, List.copyOf(code)), normalize(code)));
      }
    }
    return snippets;
  }

  private static List<List<String>> javaSources() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/"))
          .map(DocsSnippetsTest::readNormalized)
          .toList();
    }
  }

  private static List<String> readNormalized(Path file) {
    try {
      return normalize(Files.readAllLines(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> normalize(List<String> lines) {
    return lines.stream().map(String::trim).filter(line -> !line.isEmpty()).toList();
  }

  private static boolean containsInOrder(List<String> source, List<String> snippet) {
    return Collections.indexOfSubList(source, snippet) >= 0;
  }
}
