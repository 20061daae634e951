package io.dyno.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the documentation honest: every {@code ```java} block in README.md and docs/*.md must
 * appear, line for line (ignoring indentation and blank lines), in a compiled Java source of the
 * repository, in practice a module's examples test. A guide whose code no longer compiles fails the
 * build here.
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
  void containsInOrder_needsTheLinesContiguously() {
    List<String> source = List.of("a", "b", "c");
    assertThat(containsInOrder(source, List.of("b", "c"))).isTrue();
    assertThat(containsInOrder(source, List.of("a", "c"))).isFalse();
    assertThat(containsInOrder(source, List.of("c", "d"))).isFalse();
  }

  private record Snippet(String where, List<String> lines) {}

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
        snippets.add(new Snippet(ROOT.relativize(doc) + ":" + start, normalize(code)));
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
